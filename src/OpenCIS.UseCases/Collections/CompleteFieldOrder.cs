using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Collections;
using OpenCIS.Storage.Customers;
using OpenCIS.Core.Metering;
using OpenCIS.Storage.ServiceOrders;
using OpenCIS.UseCases.Ledger;
using OpenCIS.UseCases.ServiceOrders;

namespace OpenCIS.UseCases.Collections;

/// <summary>
/// What the field reports on an order: the result; the meter read (disconnected or reconnected); the amount paid
/// at the door; the protection found, with what it needs (a certificate's physician and end date); a note.
/// </summary>
public sealed record FieldCompletion(
    ServiceOrderResult Result,
    long? Reading = null,
    Money? AmountPaid = null,
    ProtectionKind? ProtectionFound = null,
    string? Physician = null,
    DateOnly? ProtectionEndsOn = null,
    string? Note = null);

/// <summary>
/// The field completes a disconnect or reconnect order, in one transaction:
/// <list type="bullet">
/// <item>Disconnected: refused, naming the protection, when the account has become protected since the list was
/// approved (a protection entered, an arrangement, a dispute, a payment that brought the past due under the
/// step's minimum, a no-disconnect day); otherwise the policy's disconnect fee is posted once (linked to the
/// order, which completes once), the account's service points go to Disconnected and its standing to Disconnected.</item>
/// <item>Paid at the door: the amount is recorded on the order, not posted: the worker hands the money to a
/// cashier, whose receipt posts it. Service is not cut.</item>
/// <item>No access: recorded; the order is done and the account stays on the list for the next approval.</item>
/// <item>Protection found: the protection is entered on the account (audited, as a clerk would enter it).</item>
/// <item>Reconnected: the service points go back to ActiveOccupied and the standing to Current.</item>
/// </list>
/// The read is kept on the order (it is not yet sent through read validation).
/// </summary>
public sealed class CompleteFieldOrder(OpenCisDbContext db, EnterProtection enterProtection, ServiceOrderQueries queries, BusinessCalendar calendar, TimeProvider clock)
{
    public async Task<ServiceOrderOutcome> ExecuteAsync(long orderId, FieldCompletion completion, string user, CancellationToken cancellationToken = default)
    {
        var order = await db.ServiceOrders.AsNoTracking().SingleOrDefaultAsync(o => o.Id == orderId, cancellationToken)
            ?? throw new DomainException($"There is no service order {orderId}.", "id");
        if (order.AccountId is not { } accountId || order.Kind is not (ServiceOrderKind.DisconnectForNonPayment or ServiceOrderKind.Reconnect))
        {
            throw new DomainException($"Order {orderId} is a {ServiceOrder.Describe(order.Kind)} order; the field screen completes disconnect and reconnect orders.", "id");
        }

        var account = await CollectionWorkRules.FindAccountAsync(db, accountId, cancellationToken);
        var today = calendar.Today();
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await AccountLocks.LockAccountAsync(db, account.Id, cancellationToken);
        // Read again under the lock: a second completion of the same order waits, then is refused by the order itself.
        var tracked = await db.ServiceOrders.Include(o => o.Changes).SingleAsync(o => o.Id == orderId, cancellationToken);
        string done;
        if (tracked.Kind == ServiceOrderKind.DisconnectForNonPayment)
        {
            done = await DisconnectAsync(tracked, account, completion, user, today, now, cancellationToken);
        }
        else
        {
            tracked.Complete(new ServiceOrderCompletion(completion.Result, today, completion.Reading, null, completion.Note), user, now);
            done = completion.Result == ServiceOrderResult.Reconnected ? await ReconnectedAsync(account, today, now, cancellationToken) : "no access; service is still off";
        }

        AuditLog.Record(db, now, user, "ServiceOrder", tracked.Id, account.Id, "Complete service order", new { Status = "Open" },
            new { tracked.Result, tracked.Reading, tracked.AmountCollectedCents, tracked.FeeTransactionId }, tracked.CompletionNote ?? done);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var view = (await queries.OrderAsync(orderId, cancellationToken))!;
        return new ServiceOrderOutcome(view, $"Order {orderId} ({ServiceOrder.Describe(tracked.Kind)}) on account {account.AccountNumber} completed: {done}.");
    }

    private async Task<string> DisconnectAsync(ServiceOrder order, Account account, FieldCompletion completion, string user, DateOnly today, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var amountCents = completion.AmountPaid?.Cents;
        switch (completion.Result)
        {
            case ServiceOrderResult.Disconnected:
                if (order.IsOpen && await DisconnectChecks.ProtectionAsync(db, account, today, cancellationToken) is { } protection)
                {
                    throw new DomainException(
                        $"Account {account.AccountNumber} is protected ({protection.Name}): {protection.Reason}. Do not disconnect; complete the order as no access or protection found, or ask the office to cancel it.",
                        "result");
                }

                order.Complete(new ServiceOrderCompletion(completion.Result, today, completion.Reading, null, completion.Note), user, now);
                return await DisconnectedAsync(order, account, user, today, now, cancellationToken);
            case ServiceOrderResult.ProtectionFound:
                if (completion.ProtectionFound is not { } kind)
                {
                    throw new DomainException("Choose the protection found at the premise.", "protection");
                }

                order.Complete(new ServiceOrderCompletion(completion.Result, today, completion.Reading, null, completion.Note), user, now);
                var (_, view) = await enterProtection.AddAsync(account,
                    new ProtectionRequest(kind, today, completion.ProtectionEndsOn, completion.Physician, Note: $"Found in the field on order {order.Id}"), user, cancellationToken);
                return $"{view.Description} entered on the account; service not cut";
            case ServiceOrderResult.PaidAtDoor:
                order.Complete(new ServiceOrderCompletion(completion.Result, today, completion.Reading, amountCents, completion.Note), user, now);
                return $"{completion.AmountPaid} paid at the door, recorded on the order for a cashier to post; service not cut";
            default:
                order.Complete(new ServiceOrderCompletion(completion.Result, today, completion.Reading, null, completion.Note), user, now);
                return "no access; the account stays on the list";
        }
    }

    /// <summary>Posts the policy's disconnect fee (once: the order links it) and cuts the service points.</summary>
    private async Task<string> DisconnectedAsync(ServiceOrder order, Account account, string user, DateOnly today, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var catalog = await CollectionPolicyCatalog.LoadAsync(db, cancellationToken);
        var fee = catalog.ForAccount(account.Class, account.Status, today)?.Policy.Fees.Disconnect ?? Money.Zero;
        var said = "service disconnected";
        if (fee.IsPositive)
        {
            var ledger = await AccountLedger.LoadAsync(db, account.Id, cancellationToken);
            var posted = ledger.Post(db, PostingRules.ForCollectionFee(fee), today, today, null, user, $"Disconnect fee, order {order.Id}", now);
            await db.SaveChangesAsync(cancellationToken);
            order.AttachFee(posted.Id);
            said += $"; disconnect fee {fee} posted";
        }

        foreach (var point in await DisconnectChecks.ServicePointsAsync(db, account.Id, cancellationToken))
        {
            point.ChangeState(ServicePointState.Disconnected);
        }

        var standing = await db.AccountCollections.SingleOrDefaultAsync(c => c.AccountId == account.Id, cancellationToken);
        if (standing is null)
        {
            standing = AccountCollection.For(account.Id);
            db.AccountCollections.Add(standing);
        }

        standing.MarkDisconnected(today, now);
        return said;
    }

    private async Task<string> ReconnectedAsync(Account account, DateOnly today, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var point in await DisconnectChecks.ServicePointsAsync(db, account.Id, cancellationToken))
        {
            point.ChangeState(ServicePointState.ActiveOccupied);
        }

        if (await db.AccountCollections.SingleOrDefaultAsync(c => c.AccountId == account.Id, cancellationToken) is { Status: CollectionStatus.Disconnected } standing)
        {
            standing.MarkReconnected(today, now);
        }

        return "service restored";
    }
}
