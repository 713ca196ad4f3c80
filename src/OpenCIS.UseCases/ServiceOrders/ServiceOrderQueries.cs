using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.Storage.Customers;
using OpenCIS.Storage.ServiceOrders;
using OpenCIS.UseCases.Collections;

namespace OpenCIS.UseCases.ServiceOrders;

/// <summary>One change in an order's history.</summary>
public sealed record ServiceOrderChangeView(ServiceOrderStatus? From, ServiceOrderStatus To, string What, string? Note, string ChangedBy, DateTimeOffset ChangedAt);

/// <summary>
/// A service order as the field and the office read it: where to go (route, address), whose account and what is
/// past due on it, and, once done, the result with the read taken (and the meter read it was stored as), what was
/// paid at the door (and the payment it was posted as) and the fee posted.
/// </summary>
public sealed record ServiceOrderView(
    long Id,
    [property: JsonConverter(typeof(JsonStringEnumConverter<ServiceOrderKind>))] ServiceOrderKind Kind,
    string KindName,
    [property: JsonConverter(typeof(JsonStringEnumConverter<ServiceOrderStatus>))] ServiceOrderStatus Status,
    long? AccountId,
    string? AccountNumber,
    string CustomerName,
    string ServiceAddress,
    string Route,
    int RouteSequence,
    Money PastDue,
    int Priority,
    DateOnly DueOn,
    string Notes,
    string? AssignedTo,
    [property: JsonConverter(typeof(JsonStringEnumConverter<ServiceOrderResult>))] ServiceOrderResult? Result,
    DateOnly? CompletedOn,
    string? CompletedBy,
    long? Reading,
    Money? AmountCollected,
    string? CompletionNote,
    string? CancelReason,
    long? FeeTransactionId,
    long? ReadId,
    long? PaymentId,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    IReadOnlyList<ServiceOrderChangeView> History)
{
    /// <summary>The results the field may complete it with.</summary>
    public IReadOnlyList<ServiceOrderResult> Results => ServiceOrder.ResultsFor(Kind);

    /// <summary>The department queue that works it.</summary>
    public string Queue { get; init; } = ServiceOrder.DefaultQueue;

    /// <summary>The appointment window on the due day, when the customer has one.</summary>
    public TimeOnly? WindowStart { get; init; }

    public TimeOnly? WindowEnd { get; init; }

    /// <summary>The meter the order is about (its serial), and the meter a set or exchange put in.</summary>
    public string? MeterSerial { get; init; }

    public string? NewMeterSerial { get; init; }

    /// <summary>What the field needs to enter to complete it: a reading, a new meter's serial and reading.</summary>
    public bool NeedsReading => Kind is ServiceOrderKind.ReRead or ServiceOrderKind.MeterRemove or ServiceOrderKind.MeterExchange or ServiceOrderKind.DisconnectForNonPayment or ServiceOrderKind.Reconnect;

    public bool NeedsNewMeter => Kind is ServiceOrderKind.MeterSet or ServiceOrderKind.MeterExchange;
}

/// <summary>One crew's (or the unassigned) orders on the board's day.</summary>
public sealed record BoardLane(string? Crew, IReadOnlyList<ServiceOrderView> Orders);

/// <summary>The dispatch board of a day: a lane per crew and one for orders not yet assigned, the overdue orders still open, and the crews to assign to.</summary>
public sealed record DispatchBoard(DateOnly Day, IReadOnlyList<BoardLane> Lanes, IReadOnlyList<ServiceOrderView> Overdue, IReadOnlyList<string> Crews);

/// <summary>The open orders of one route, in route order.</summary>
public sealed record FieldRoute(string Route, IReadOnlyList<ServiceOrderView> Orders);

/// <summary>What the field and the office read of service orders: the open orders by route, one order with its history, an account's orders.</summary>
public sealed class ServiceOrderQueries(OpenCisDbContext db, CollectionQueries collections, BusinessCalendar calendar)
{
    public const int OpenOrdersMax = 2000;

    /// <summary>The open orders (open or dispatched), by route in code order, each route's orders in route order, then by priority and due date.</summary>
    public async Task<IReadOnlyList<FieldRoute>> FieldAsync(CancellationToken cancellationToken = default)
    {
        var orders = await db.ServiceOrders.AsNoTracking().Include(o => o.Changes)
            .Where(o => o.Status == ServiceOrderStatus.Open || o.Status == ServiceOrderStatus.Dispatched)
            .OrderBy(o => o.Id).Take(OpenOrdersMax).ToListAsync(cancellationToken);
        var views = await ViewsAsync(orders, cancellationToken);
        return [.. views.GroupBy(v => v.Route, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new FieldRoute(g.Key, [.. g.OrderBy(v => v.RouteSequence).ThenBy(v => v.Priority).ThenBy(v => v.DueOn).ThenBy(v => v.Id)]))];
    }

    /// <summary>The open orders (open or dispatched), soonest due first: only the overdue ones (due before today), or one person's, when asked.</summary>
    public async Task<IReadOnlyList<ServiceOrderView>> OpenAsync(bool overdueOnly = false, string? assignedTo = null, CancellationToken cancellationToken = default)
    {
        var open = db.ServiceOrders.AsNoTracking().Include(o => o.Changes)
            .Where(o => o.Status == ServiceOrderStatus.Open || o.Status == ServiceOrderStatus.Dispatched);
        if (overdueOnly)
        {
            var today = calendar.Today();
            open = open.Where(o => o.DueOn < today);
        }

        if (!string.IsNullOrWhiteSpace(assignedTo))
        {
            open = open.Where(o => o.AssignedTo == assignedTo);
        }

        var orders = await open.OrderBy(o => o.DueOn).ThenBy(o => o.Priority).ThenBy(o => o.Id).Take(OpenOrdersMax).ToListAsync(cancellationToken);
        return await ViewsAsync(orders, cancellationToken);
    }

    public async Task<ServiceOrderView?> OrderAsync(long id, CancellationToken cancellationToken = default)
    {
        var order = await db.ServiceOrders.AsNoTracking().Include(o => o.Changes).SingleOrDefaultAsync(o => o.Id == id, cancellationToken);
        return order is null ? null : (await ViewsAsync([order], cancellationToken))[0];
    }

    /// <summary>
    /// The dispatch board of a day: the orders due that day (open, dispatched or done that day) in a lane per crew, the
    /// unassigned first, each lane by appointment window and priority; the overdue orders still open; the field crews
    /// (users in the Field role) with anyone already holding orders.
    /// </summary>
    public async Task<DispatchBoard> BoardAsync(DateOnly day, CancellationToken cancellationToken = default)
    {
        var orders = await db.ServiceOrders.AsNoTracking().Include(o => o.Changes)
            .Where(o => o.DueOn == day && o.Status != ServiceOrderStatus.Canceled)
            .OrderBy(o => o.Id).Take(OpenOrdersMax).ToListAsync(cancellationToken);
        var overdue = await db.ServiceOrders.AsNoTracking().Include(o => o.Changes)
            .Where(o => o.DueOn < day && (o.Status == ServiceOrderStatus.Open || o.Status == ServiceOrderStatus.Dispatched))
            .OrderBy(o => o.DueOn).ThenBy(o => o.Priority).Take(OpenOrdersMax).ToListAsync(cancellationToken);
        var views = await ViewsAsync([.. orders, .. overdue], cancellationToken);
        var dayViews = views.Take(orders.Count).ToList();
        var crews = await db.UserRoles.Join(db.Roles.Where(r => r.Name == "Field"), ur => ur.RoleId, r => r.Id, (ur, r) => ur.UserId)
            .Join(db.Users, id => id, u => u.Id, (id, u) => u.UserName!).ToListAsync(cancellationToken);
        var allCrews = crews.Concat(views.Where(v => v.AssignedTo is not null).Select(v => v.AssignedTo!)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var lanes = new List<BoardLane> { new(null, Sorted(dayViews.Where(v => v.AssignedTo is null))) };
        lanes.AddRange(allCrews.Select(crew => new BoardLane(crew, Sorted(dayViews.Where(v => v.AssignedTo == crew)))));
        return new DispatchBoard(day, lanes, [.. views.Skip(orders.Count)], allCrews);

        static List<ServiceOrderView> Sorted(IEnumerable<ServiceOrderView> lane) =>
            [.. lane.OrderBy(v => v.WindowStart ?? TimeOnly.MaxValue).ThenBy(v => v.Priority).ThenBy(v => v.Route, StringComparer.Ordinal).ThenBy(v => v.RouteSequence).ThenBy(v => v.Id)];
    }

    /// <summary>An account's orders, newest first.</summary>
    public async Task<IReadOnlyList<ServiceOrderView>> ForAccountAsync(long accountId, CancellationToken cancellationToken = default)
    {
        var orders = await db.ServiceOrders.AsNoTracking().Include(o => o.Changes).Where(o => o.AccountId == accountId)
            .OrderByDescending(o => o.Id).Take(100).ToListAsync(cancellationToken);
        return await ViewsAsync(orders, cancellationToken);
    }

    private async Task<IReadOnlyList<ServiceOrderView>> ViewsAsync(IReadOnlyList<ServiceOrder> orders, CancellationToken cancellationToken)
    {
        var accountIds = orders.Where(o => o.AccountId is not null).Select(o => o.AccountId!.Value).Distinct().ToList();
        var accounts = await db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id))
            .Join(db.Premises, a => a.PremiseId, p => p.Id, (a, p) => new { a.Id, a.AccountNumber, a.RouteCode, a.RouteSequence, a.PremiseId, p.AddressLine1, p.City })
            .ToDictionaryAsync(a => a.Id, cancellationToken);
        var premiseIds = orders.Where(o => o.PremiseId is not null).Select(o => o.PremiseId!.Value).Distinct().ToList();
        var premises = await db.Premises.AsNoTracking().Where(p => premiseIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        var names = await collections.MainNamesAsync(accountIds, cancellationToken);
        var meterIds = orders.SelectMany(o => new[] { o.MeterId, o.NewMeterId }).Where(id => id is not null).Select(id => id!.Value).Distinct().ToList();
        var serials = await db.Meters.AsNoTracking().Where(m => meterIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => m.Serial, cancellationToken);
        var today = calendar.Today();
        var pastDue = (await Collections.PastDueItems.Before(db.OpenItems.Where(o => accountIds.Contains(o.AccountId)), today)
                .GroupBy(o => o.AccountId).Select(g => new { AccountId = g.Key, Cents = g.Sum(o => o.OpenCents) }).ToListAsync(cancellationToken))
            .ToDictionary(x => x.AccountId, x => x.Cents);
        return [.. orders.Select(o =>
        {
            var account = o.AccountId is { } id && accounts.TryGetValue(id, out var found) ? found : null;
            var address = account is not null ? $"{account.AddressLine1}, {account.City}"
                : o.PremiseId is { } premiseId && premises.TryGetValue(premiseId, out var premise) ? $"{premise.AddressLine1}, {premise.City}" : "";
            return new ServiceOrderView(o.Id, o.Kind, ServiceOrder.Describe(o.Kind), o.Status, o.AccountId, account?.AccountNumber,
                o.AccountId is { } accountId ? names.GetValueOrDefault(accountId, "") : "", address, account?.RouteCode ?? "(no route)", account?.RouteSequence ?? 0,
                Money.FromCents(o.AccountId is { } owing ? pastDue.GetValueOrDefault(owing) : 0), o.Priority, o.DueOn, o.Notes, o.AssignedTo, o.Result, o.CompletedOn, o.CompletedBy,
                o.Reading, o.AmountCollectedCents is { } cents ? Money.FromCents(cents) : null, o.CompletionNote, o.CancelReason, o.FeeTransactionId, o.ReadId, o.PaymentId, o.CreatedBy, o.CreatedAt,
                [.. o.Changes.OrderBy(c => c.Id).Select(c => new ServiceOrderChangeView(c.FromStatus, c.ToStatus, c.What, c.Note, c.ChangedBy, c.ChangedAt))])
            {
                Queue = o.Queue,
                WindowStart = o.WindowStart,
                WindowEnd = o.WindowEnd,
                MeterSerial = o.MeterId is { } meter ? serials.GetValueOrDefault(meter) : null,
                NewMeterSerial = o.NewMeterId is { } placed ? serials.GetValueOrDefault(placed) : null,
            };
        })];
    }
}
