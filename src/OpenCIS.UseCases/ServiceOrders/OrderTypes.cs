using System.Collections.Frozen;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using OpenCIS.Core.Common;
using OpenCIS.Storage.ServiceOrders;

namespace OpenCIS.UseCases.ServiceOrders;

/// <summary>An order type as the office creates it: its key ("re-read"), its name, the queue that works it, the days it is due in, whether staff create it (the collections workflows create their own).</summary>
public sealed record OrderType(ServiceOrderKind Kind, string Key, string Name, string Queue, int DueDays, bool OfficeCreates);

/// <summary>The order types: their keys, queues and due days. Meter work goes to the meter shop; the rest to field service.</summary>
public static class OrderTypes
{
    public const string FieldService = ServiceOrder.DefaultQueue;
    public const string MeterShop = "Meter shop";

    public static readonly IReadOnlyList<OrderType> All =
    [
        new(ServiceOrderKind.Connect, "connect", "Connect", FieldService, 1, true),
        new(ServiceOrderKind.DisconnectForNonPayment, "disconnect", "Disconnect for non-payment", FieldService, 1, false),
        new(ServiceOrderKind.Reconnect, "reconnect", "Reconnect", FieldService, 1, false),
        new(ServiceOrderKind.MeterSet, "meter-set", "Meter set", MeterShop, 5, true),
        new(ServiceOrderKind.MeterRemove, "meter-remove", "Meter remove", MeterShop, 5, true),
        new(ServiceOrderKind.MeterExchange, "meter-exchange", "Meter exchange", MeterShop, 10, true),
        new(ServiceOrderKind.ReRead, "re-read", "Re-read", FieldService, 2, true),
        new(ServiceOrderKind.MeterTest, "meter-test", "Meter test", MeterShop, 10, true),
        new(ServiceOrderKind.TamperInvestigation, "tamper-investigation", "Tamper investigation", FieldService, 3, true),
        new(ServiceOrderKind.LeakCheck, "leak-check", "Leak check", FieldService, 3, true),
        new(ServiceOrderKind.DoorHanger, "door-hanger", "Door hanger", FieldService, 1, false),
        new(ServiceOrderKind.HighBillInvestigation, "high-bill-investigation", "High-bill investigation", FieldService, 5, true),
        new(ServiceOrderKind.Inspect, "inspect", "Inspect, calibrate or repair", FieldService, 5, true),
    ];

    private static readonly FrozenDictionary<string, OrderType> ByKey = All.ToFrozenDictionary(t => t.Key, StringComparer.OrdinalIgnoreCase);

    public static OrderType Of(ServiceOrderKind kind) => All.Single(t => t.Kind == kind);

    /// <summary>The type named by its key or its enum name, or a refusal naming the field.</summary>
    public static OrderType Parse(string? text, string field = "kind")
    {
        var key = (text ?? "").Trim();
        if (ByKey.TryGetValue(key, out var type) || (Enum.TryParse<ServiceOrderKind>(key, ignoreCase: true, out var kind) && Enum.IsDefined(kind) && (type = Of(kind)) is not null))
        {
            return type;
        }

        throw new DomainException($"'{text}' is not an order type; the types are {string.Join(", ", All.Where(t => t.OfficeCreates).Select(t => t.Key))}.", field);
    }

    /// <summary>An appointment window written "08:00-12:00", as its start and end; none when not given.</summary>
    public static (TimeOnly? Start, TimeOnly? End) ParseWindow(string? text, string field = "window")
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, null);
        }

        var parts = text.Split('-', 2, StringSplitOptions.TrimEntries);
        return parts.Length == 2 && TimeOnly.TryParseExact(parts[0], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
               && TimeOnly.TryParseExact(parts[1], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var end)
            ? (start, end)
            : throw new DomainException($"'{text}' is not a window such as 08:00-12:00.", field);
    }

    /// <summary>The result named ("done", "no-access", "passed"...), or a refusal naming the field.</summary>
    public static ServiceOrderResult ParseResult(string? text, string field = "result")
    {
        var key = (text ?? "").Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).Trim();
        return Enum.TryParse<ServiceOrderResult>(key, ignoreCase: true, out var result) && Enum.IsDefined(result)
            ? result
            : throw new DomainException($"'{text}' is not an order result; the results are {string.Join(", ", Enum.GetNames<ServiceOrderResult>())}.", field);
    }
}

/// <summary>
/// The fees a completed order posts to the account, from <c>OPENCIS_ORDER_FEES</c> ("Connect=25.00;MeterTest=20.00"):
/// by default a connection $25.00 and a meter test $20.00 when the meter passed (the customer asked and the meter was
/// right); a failed test, or any other order, posts nothing unless set.
/// </summary>
public sealed record ServiceOrderFees(IReadOnlyDictionary<ServiceOrderKind, Money> ByKind)
{
    public const string Setting = "OPENCIS_ORDER_FEES";

    public static ServiceOrderFees Default { get; } = new(new Dictionary<ServiceOrderKind, Money>
    {
        [ServiceOrderKind.Connect] = Money.FromCents(25_00),
        [ServiceOrderKind.MeterTest] = Money.FromCents(20_00),
    });

    public static ServiceOrderFees FromConfiguration(IConfiguration configuration)
    {
        if (configuration[Setting] is not { Length: > 0 } text)
        {
            return Default;
        }

        var fees = new Dictionary<ServiceOrderKind, Money>();
        foreach (var pair in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || !Enum.TryParse<ServiceOrderKind>(parts[0], ignoreCase: true, out var kind) || !Money.TryParse(parts[1], out var amount) || amount.IsNegative)
            {
                throw new InvalidOperationException($"{Setting}: '{pair}' is not KIND=AMOUNT such as MeterTest=20.00.");
            }

            fees[kind] = amount;
        }

        return new(fees);
    }

    /// <summary>The fee an order of this kind posts on this result: none on no access, none on a failed meter test.</summary>
    public Money For(ServiceOrderKind kind, ServiceOrderResult result) =>
        result is ServiceOrderResult.NoAccess or ServiceOrderResult.Failed ? Money.Zero : ByKind.GetValueOrDefault(kind, Money.Zero);
}
