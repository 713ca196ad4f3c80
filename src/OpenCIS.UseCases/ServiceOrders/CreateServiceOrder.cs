using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Metering;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Customers;
using OpenCIS.Storage.ServiceOrders;

namespace OpenCIS.UseCases.ServiceOrders;

/// <summary>
/// An order the office asks for: on an account (or, for a meter set at new construction, a premise), its type, and
/// optionally the service point (else the account's metered one), priority (1 most urgent to 5), due day (else the
/// type's due days from today), appointment window, queue (else the type's), notes and who to dispatch it to.
/// </summary>
public sealed record ServiceOrderRequest(
    string Kind,
    string? AccountNumber,
    long? PremiseId = null,
    long? ServicePointId = null,
    int? Priority = null,
    DateOnly? DueOn = null,
    TimeOnly? WindowStart = null,
    TimeOnly? WindowEnd = null,
    string? Queue = null,
    string? Notes = null,
    string? AssignTo = null);

/// <summary>
/// Creates a service order: checks its type is one the office creates (disconnects, reconnects and door hangers come
/// from collections), that the account is served (a connect or meter set may be on any account or premise), that the
/// service point is at the premise and has (or, for a meter set, has not) an installed meter, and that the same kind
/// is not already open there (that order is named instead). Audited; dispatched at once when an assignee is given.
/// </summary>
public sealed class CreateServiceOrder(OpenCisDbContext db, ServiceOrderQueries queries, BusinessCalendar calendar, TimeProvider clock)
{
    public async Task<ServiceOrderOutcome> ExecuteAsync(ServiceOrderRequest request, string user, CancellationToken cancellationToken = default)
    {
        var type = OrderTypes.Parse(request.Kind);
        if (!type.OfficeCreates)
        {
            throw new DomainException($"{type.Name} orders come from collections (the disconnect list, a reconnect request, the daily run), not by hand.", "kind");
        }

        var today = calendar.Today();
        var priority = request.Priority ?? 3;
        if (priority is < 1 or > 5)
        {
            throw new DomainException("Priority is 1 (most urgent) to 5.", "priority");
        }

        var dueOn = request.DueOn ?? today.AddDays(type.DueDays);
        if (dueOn < today)
        {
            throw new DomainException($"The due day {dueOn:yyyy-MM-dd} has passed.", "dueOn");
        }

        Account? account = null;
        if (!string.IsNullOrWhiteSpace(request.AccountNumber))
        {
            account = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.AccountNumber == request.AccountNumber.Trim(), cancellationToken)
                ?? throw new DomainException($"There is no account {request.AccountNumber}.", "accountNumber");
            if (account.Status != AccountStatus.Active && type.Kind is not (ServiceOrderKind.MeterRemove or ServiceOrderKind.ReRead))
            {
                throw new DomainException($"Account {account.AccountNumber} is {account.Status}; a {type.Name.ToLowerInvariant()} order is for an account in service.", "accountNumber");
            }
        }

        var premiseId = account?.PremiseId ?? request.PremiseId ?? throw new DomainException("Name the account (or, for new construction, the premise) the order is for.", "accountNumber");
        var points = await db.ServicePoints.AsNoTracking().Where(p => p.PremiseId == premiseId).ToListAsync(cancellationToken);
        if (points.Count == 0)
        {
            throw new DomainException($"There is no premise {premiseId} with service points.", "premiseId");
        }

        var pointIds = points.Select(p => p.Id).ToList();
        var meters = await db.Meters.AsNoTracking().Where(m => m.ServicePointId != null && pointIds.Contains(m.ServicePointId.Value) && m.Status == MeterStatus.Installed).ToListAsync(cancellationToken);
        var point = request.ServicePointId is { } chosen
            ? points.SingleOrDefault(p => p.Id == chosen) ?? throw new DomainException($"Service point {chosen} is not at the premise.", "servicePointId")
            : type.Kind == ServiceOrderKind.MeterSet
                ? points.FirstOrDefault(p => p.IsMetered && meters.All(m => m.ServicePointId != p.Id))
                : points.Where(p => p.IsMetered).OrderBy(p => p.Service).FirstOrDefault();
        var meter = point is null ? null : meters.FirstOrDefault(m => m.ServicePointId == point.Id);
        if (type.Kind == ServiceOrderKind.MeterSet && (point is null || !point.IsMetered || meter is not null))
        {
            throw new DomainException(point is null ? "Every metered service point at the premise has a meter; a meter set needs an empty one."
                : $"Service point {point.Id} {(point.IsMetered ? $"has meter {meter!.Serial}; exchange it instead" : "is unmetered")}.", "servicePointId");
        }

        if (type.Kind is ServiceOrderKind.MeterRemove or ServiceOrderKind.MeterExchange or ServiceOrderKind.MeterTest or ServiceOrderKind.ReRead && meter is null)
        {
            throw new DomainException($"A {type.Name.ToLowerInvariant()} order needs an installed meter at the service point; there is none.", "servicePointId");
        }

        var open = await db.ServiceOrders.AsNoTracking()
            .Where(o => o.Kind == type.Kind && (o.Status == ServiceOrderStatus.Open || o.Status == ServiceOrderStatus.Dispatched)
                && (account != null ? o.AccountId == account.Id : o.PremiseId == premiseId))
            .Select(o => (long?)o.Id).FirstOrDefaultAsync(cancellationToken);
        if (open is { } already)
        {
            throw new DomainException($"{type.Name} order {already} is already open here; add to it or cancel it first.", "kind");
        }

        var now = clock.GetUtcNow();
        var order = ServiceOrder.Create(type.Kind, account?.Id, premiseId, point?.Id, meter?.Id, priority, dueOn, request.Notes ?? "", user, now,
            string.IsNullOrWhiteSpace(request.Queue) ? type.Queue : request.Queue, request.WindowStart, request.WindowEnd);
        if (!string.IsNullOrWhiteSpace(request.AssignTo))
        {
            order.Dispatch(request.AssignTo, user, now);
        }

        db.ServiceOrders.Add(order);
        await db.SaveChangesAsync(cancellationToken);
        AuditLog.Record(db, now, user, "ServiceOrder", order.Id, account?.Id, "Create service order", null,
            new { Kind = type.Key, order.Queue, order.Priority, order.DueOn, order.WindowStart, order.WindowEnd, order.ServicePointId, order.MeterId, order.AssignedTo }, order.Notes);
        await db.SaveChangesAsync(cancellationToken);
        var view = (await queries.OrderAsync(order.Id, cancellationToken))!;
        return new ServiceOrderOutcome(view, $"{type.Name} order {order.Id} created for {(account is null ? $"premise {premiseId}" : $"account {account.AccountNumber}")}, due {dueOn:yyyy-MM-dd}"
            + (order.AssignedTo is null ? $", in the {order.Queue} queue." : $", dispatched to {order.AssignedTo}."));
    }
}
