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
}

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
                [.. o.Changes.OrderBy(c => c.Id).Select(c => new ServiceOrderChangeView(c.FromStatus, c.ToStatus, c.What, c.Note, c.ChangedBy, c.ChangedAt))]);
        })];
    }
}
