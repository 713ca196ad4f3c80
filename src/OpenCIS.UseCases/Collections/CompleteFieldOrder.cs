using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Collections;
using OpenCIS.Storage.Customers;
using OpenCIS.Core.Metering;
using OpenCIS.Storage.ServiceOrders;
using OpenCIS.Core.Payments;
using OpenCIS.UseCases.Ledger;
using OpenCIS.UseCases.Metering;
using OpenCIS.UseCases.Payments;
using OpenCIS.UseCases.ServiceOrders;

namespace OpenCIS.UseCases.Collections;

/// <summary>
/// What the field reports on an order: the result; the meter read (disconnected or reconnected); the amount paid
/// at the door with its tender (cash when not said) and reference (a check's number); the protection found, with
/// what it needs (a certificate's physician and end date); a note.
/// </summary>
public sealed record FieldCompletion(
    ServiceOrderResult Result,
    long? Reading = null,
    Money? AmountPaid = null,
    ProtectionKind? ProtectionFound = null,
    string? Physician = null,
    DateOnly? ProtectionEndsOn = null,
    string? Note = null,
    Tender? Tender = null,
    string? Reference = null,
    string? NewMeterSerial = null,
    long? NewMeterReading = null);

/// <summary>
/// The field completes a disconnect or reconnect order, in one transaction:
/// <list type="bullet">
/// <item>Disconnected: refused, naming the protection, when the account has become protected since the list was
/// approved (a protection entered, an arrangement, a dispute, a payment that brought the past due under the
/// step's minimum, a no-disconnect day); otherwise the policy's disconnect fee is posted once (linked to the
/// order, which completes once), the account's service points go to Disconnected and its standing to Disconnected.</item>
/// <item>Paid at the door: the amount is posted as a payment (source Field) through the counter's own checks and
/// poster (<see cref="TakePayment.AddAsync"/>), applied to the account like any payment, and linked on the order
/// with its receipt number. Service is not cut.</item>
/// <item>No access: recorded; the order is done and the account stays on the list for the next approval.</item>
/// <item>Protection found: the protection is entered on the account (audited, as a clerk would enter it).</item>
/// <item>Reconnected: the service points go back to ActiveOccupied and the standing to Current.</item>
/// </list>
/// The read of a disconnect is stored as the meter's read of the day through metering's
/// <see cref="RecordFieldRead"/> (refused when lower than the last read or rejected by validation, naming the
/// reading) and linked on the order. Everything commits in one transaction under the account's lock, and an order
/// completes once, so a retry posts no second payment or fee and stores no second read.
/// </summary>
public sealed class CompleteFieldOrder(
    OpenCisDbContext db, EnterProtection enterProtection, RecordFieldRead recordRead, TakePayment takePayment, CompleteServiceOrder completeService, ServiceOrderQueries queries, BusinessCalendar calendar, TimeProvider clock)
{
    public async Task<ServiceOrderOutcome> ExecuteAsync(long orderId, FieldCompletion completion, string user, CancellationToken cancellationToken = default)
    {
        var order = await db.ServiceOrders.AsNoTracking().SingleOrDefaultAsync(o => o.Id == orderId, cancellationToken)
            ?? throw new DomainException($"There is no service order {orderId}.", "id");
        if (CompleteServiceOrder.Completes(order.Kind))
        {
            // Customer-service and meter orders complete through the shared order lifecycle.
            return await completeService.ExecuteAsync(orderId, new OrderCompletion(completion.Result, completion.Reading, completion.NewMeterSerial, completion.NewMeterReading, completion.Note), user, cancellationToken);
        }

        if (order.AccountId is not { } accountId || order.Kind == ServiceOrderKind.DoorHanger)
        {
            throw new DomainException($"Order {orderId} is a {ServiceOrder.Describe(order.Kind)} order; the field screen completes disconnect and reconnect orders on an account here.", "id");
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
            // A reconnect's read stays on the order: a same-day reconnect would be the meter's second read of the
            // day, which metering refuses as a duplicate, and the next cycle read measures from the disconnect's read.
            done = completion.Result == ServiceOrderResult.Reconnected ? await ReconnectedAsync(account, today, now, cancellationToken) : "no access; service is still off";
        }

        AuditLog.Record(db, now, user, "ServiceOrder", tracked.Id, account.Id, "Complete service order", new { Status = "Open" },
            new { tracked.Result, tracked.Reading, tracked.ReadId, tracked.AmountCollectedCents, tracked.PaymentId, tracked.FeeTransactionId }, tracked.CompletionNote ?? done);
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
                // The read first: it measures the use up to the cut, judged while the service points are still on.
                var read = await ReadAsync(order, account, completion, user, today, cancellationToken);
                return read + await DisconnectedAsync(order, account, user, today, now, cancellationToken);
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
                var tender = completion.Tender ?? Tender.Cash;
                var payment = await takePayment.AddAsync(account, completion.AmountPaid!.Value, tender, completion.Reference, PaymentSource.Field, user, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                order.AttachPayment(payment.Id);
                return $"{completion.AmountPaid} paid at the door ({(tender == Tender.MoneyOrder ? "money order" : tender.ToString().ToLowerInvariant())}), posted as payment {payment.ReceiptNumber}; service not cut";
            default:
                order.Complete(new ServiceOrderCompletion(completion.Result, today, completion.Reading, null, completion.Note), user, now);
                return "no access; the account stays on the list";
        }
    }

    /// <summary>The read taken on the order, stored as the meter's read of the day and linked on the order; none when no reading was entered.</summary>
    private async Task<string> ReadAsync(ServiceOrder order, Account account, FieldCompletion completion, string user, DateOnly today, CancellationToken cancellationToken)
    {
        if (completion.Reading is not { } reading)
        {
            return "";
        }

        var points = (await DisconnectChecks.ServicePointsAsync(db, account.Id, cancellationToken)).Select(p => p.Id).ToList();
        var read = await recordRead.AddAsync(points, today, reading, "reading", user, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        order.AttachRead(read.Id);
        return read.Status == Core.Metering.ReadStatus.Valid
            ? $"read {reading:N0} stored; "
            : $"read {reading:N0} stored as {read.Status.ToString().ToLowerInvariant()} for review ({read.Reasons}); ";
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
