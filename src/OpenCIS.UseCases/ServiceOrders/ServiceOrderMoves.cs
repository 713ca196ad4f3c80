using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.ServiceOrders;

namespace OpenCIS.UseCases.ServiceOrders;

/// <summary>What a move on an order did, in words, with the order after it.</summary>
public sealed record ServiceOrderOutcome(ServiceOrderView Order, string Message);

/// <summary>Finds an order to change, tracked with its history, or refuses naming the id.</summary>
internal static class ServiceOrderRecords
{
    public static async Task<ServiceOrder> FindAsync(OpenCisDbContext db, long id, CancellationToken cancellationToken) =>
        await db.ServiceOrders.Include(o => o.Changes).SingleOrDefaultAsync(o => o.Id == id, cancellationToken)
        ?? throw new DomainException($"There is no service order {id}.", "id");
}

/// <summary>Dispatches an open order to a field worker (or moves it to another), audited.</summary>
public sealed class DispatchServiceOrder(OpenCisDbContext db, ServiceOrderQueries queries, TimeProvider clock)
{
    public async Task<ServiceOrderOutcome> ExecuteAsync(long id, string assignedTo, string user, CancellationToken cancellationToken = default)
    {
        var order = await ServiceOrderRecords.FindAsync(db, id, cancellationToken);
        var before = order.AssignedTo;
        var now = clock.GetUtcNow();
        order.Dispatch(assignedTo, user, now);
        AuditLog.Record(db, now, user, "ServiceOrder", order.Id, order.AccountId, "Dispatch service order", before is null ? null : new { AssignedTo = before }, new { order.AssignedTo }, null);
        await db.SaveChangesAsync(cancellationToken);
        return new ServiceOrderOutcome((await queries.OrderAsync(id, cancellationToken))!, $"Order {order.Id} ({ServiceOrder.Describe(order.Kind)}) dispatched to {order.AssignedTo}.");
    }
}

/// <summary>Cancels an open order with the reason, audited. A fee the order already posted stays: a correction reverses it.</summary>
public sealed class CancelServiceOrder(OpenCisDbContext db, ServiceOrderQueries queries, TimeProvider clock)
{
    public async Task<ServiceOrderOutcome> ExecuteAsync(long id, string reason, string user, CancellationToken cancellationToken = default)
    {
        var order = await ServiceOrderRecords.FindAsync(db, id, cancellationToken);
        var now = clock.GetUtcNow();
        var before = order.Status;
        order.Cancel(reason, user, now);
        AuditLog.Record(db, now, user, "ServiceOrder", order.Id, order.AccountId, "Cancel service order", new { Status = before.ToString() }, new { Status = order.Status.ToString() }, order.CancelReason);
        await db.SaveChangesAsync(cancellationToken);
        return new ServiceOrderOutcome((await queries.OrderAsync(id, cancellationToken))!, $"Order {order.Id} ({ServiceOrder.Describe(order.Kind)}) canceled: {order.CancelReason}");
    }
}

/// <summary>Adds a note to an order's history, audited.</summary>
public sealed class NoteServiceOrder(OpenCisDbContext db, ServiceOrderQueries queries, TimeProvider clock)
{
    public async Task<ServiceOrderOutcome> ExecuteAsync(long id, string note, string user, CancellationToken cancellationToken = default)
    {
        var order = await ServiceOrderRecords.FindAsync(db, id, cancellationToken);
        var now = clock.GetUtcNow();
        order.AddNote(note, user, now);
        AuditLog.Record(db, now, user, "ServiceOrder", order.Id, order.AccountId, "Note service order", null, null, note.Trim());
        await db.SaveChangesAsync(cancellationToken);
        return new ServiceOrderOutcome((await queries.OrderAsync(id, cancellationToken))!, $"Note added to order {order.Id} ({ServiceOrder.Describe(order.Kind)}).");
    }
}
