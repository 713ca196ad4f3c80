using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Collections;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Collections;
using OpenCIS.Storage.Customers;
using OpenCIS.Storage.ServiceOrders;
using OpenCIS.UseCases.Ledger;
using OpenCIS.UseCases.ServiceOrders;

namespace OpenCIS.UseCases.Collections;

public sealed record ReconnectOutcome(ServiceOrderView Order, bool AlreadyOpen, Money Fee, string Message);

/// <summary>
/// Creates the reconnect order of a disconnected account once the core (<see cref="Reconnection.Decide"/>) allows
/// it: paid in full, or an active arrangement's down payment paid. The policy's fee for the timing asked (standard,
/// same-day, after-hours) posts with the order, linked to it, in one transaction. An account with an open reconnect
/// order gets no second one and no second fee: asking again answers with the open order. Refused, with the reason,
/// when not enough is paid or the account is not disconnected. The daily run calls <see cref="CreateDueAsync"/>
/// after it completes, so a disconnected account that has paid in full gets its order without anyone asking.
/// </summary>
public sealed class RequestReconnect(OpenCisDbContext db, ArrangementQueries arrangements, ServiceOrderQueries queries, BusinessCalendar calendar, TimeProvider clock)
{
    public async Task<ReconnectOutcome> ExecuteAsync(long accountId, ReconnectTiming timing, string user, CancellationToken cancellationToken = default)
    {
        if (!Enum.IsDefined(timing))
        {
            throw new DomainException($"'{timing}' is not a reconnect timing; use standard, same-day or after-hours.", "timing");
        }

        var account = await CollectionWorkRules.FindAccountAsync(db, accountId, cancellationToken);
        var today = calendar.Today();
        var (order, created, fee, reason) = await CreateAsync(db, arrangements, account, timing, user, today, clock.GetUtcNow(), cancellationToken);
        var view = (await queries.OrderAsync(order, cancellationToken))!;
        return created
            ? new ReconnectOutcome(view, false, fee, $"Reconnect order {order} created for account {account.AccountNumber} ({reason})" + (fee.IsPositive ? $"; {Reconnection.Describe(timing)} fee {fee} posted." : "; no fee."))
            : new ReconnectOutcome(view, true, Money.Zero, $"Account {account.AccountNumber} already has reconnect order {order} open; no second order or fee was made.");
    }

    /// <summary>
    /// Reconnect orders for the disconnected accounts that have nothing past due on <paramref name="date"/> and no
    /// open reconnect order (standard timing). Returns how many were made.
    /// </summary>
    public static async Task<int> CreateDueAsync(OpenCisDbContext db, DateOnly date, string user, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var disconnected = await db.AccountCollections.AsNoTracking().Where(c => c.Status == CollectionStatus.Disconnected).Select(c => c.AccountId).ToListAsync(cancellationToken);
        if (disconnected.Count == 0)
        {
            return 0;
        }

        var owing = await PastDueItems.Before(db.OpenItems.Where(o => disconnected.Contains(o.AccountId)), date).Select(o => o.AccountId).Distinct().ToListAsync(cancellationToken);
        var open = await OpenReconnects(db, disconnected).Select(o => o.AccountId!.Value).Distinct().ToListAsync(cancellationToken);
        var due = disconnected.Except(owing).Except(open).Order().ToList();
        var made = 0;
        foreach (var accountId in due)
        {
            var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == accountId, cancellationToken);
            var (_, created, _, _) = await CreateAsync(db, null, account, ReconnectTiming.Standard, user, date, now, cancellationToken);
            made += created ? 1 : 0;
        }

        return made;
    }

    private static IQueryable<ServiceOrder> OpenReconnects(OpenCisDbContext db, IReadOnlyCollection<long> accountIds) =>
        db.ServiceOrders.Where(o => o.Kind == ServiceOrderKind.Reconnect && o.AccountId != null && accountIds.Contains(o.AccountId.Value)
            && (o.Status == ServiceOrderStatus.Open || o.Status == ServiceOrderStatus.Dispatched));

    private static async Task<(long OrderId, bool Created, Money Fee, string Reason)> CreateAsync(OpenCisDbContext db, ArrangementQueries? arrangements, Account account,
        ReconnectTiming timing, string user, DateOnly today, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await AccountLocks.LockAccountAsync(db, account.Id, cancellationToken);
        if (await OpenReconnects(db, [account.Id]).Select(o => (long?)o.Id).FirstOrDefaultAsync(cancellationToken) is { } existing)
        {
            return (existing, false, Money.Zero, "");
        }

        var standing = await db.AccountCollections.AsNoTracking().SingleOrDefaultAsync(c => c.AccountId == account.Id, cancellationToken);
        if (standing?.Status != CollectionStatus.Disconnected)
        {
            throw new DomainException($"Account {account.AccountNumber} is not disconnected ({standing?.Status.ToString() ?? "not in collections"}); there is nothing to reconnect.", "account");
        }

        var catalog = await CollectionPolicyCatalog.LoadAsync(db, cancellationToken);
        var fees = catalog.ForAccount(account.Class, account.Status, today)?.Policy.Fees ?? CollectionFees.None;
        var pastDue = await CreateArrangement.PastDueAsync(db, account.Id, today, cancellationToken);
        ReconnectArrangement? arrangement = null;
        if (pastDue.IsPositive && arrangements is not null
            && (await arrangements.ForAccountAsync(account.Id, cancellationToken)).FirstOrDefault(a => a.Status == ArrangementStage.Active) is { } active)
        {
            arrangement = new ReconnectArrangement(active.CreatedOn, Money.FromCents(active.DownPaymentCents), Money.FromCents(active.DownPaymentPaidCents));
        }

        var decision = Reconnection.Decide(pastDue, arrangement, fees, timing);
        if (!decision.Allowed)
        {
            throw new DomainException($"Account {account.AccountNumber} cannot be reconnected yet: {decision.Reason}.", "account");
        }

        var order = ServiceOrder.Create(ServiceOrderKind.Reconnect, account.Id, account.PremiseId, null, null, timing == ReconnectTiming.Standard ? 2 : 1,
            timing == ReconnectTiming.Standard ? today.AddDays(1) : today, $"{char.ToUpperInvariant(Reconnection.Describe(timing)[0])}{Reconnection.Describe(timing)[1..]}: {decision.Reason}", user, now);
        db.ServiceOrders.Add(order);
        await db.SaveChangesAsync(cancellationToken);
        if (decision.Fee.IsPositive)
        {
            var ledger = await AccountLedger.LoadAsync(db, account.Id, cancellationToken);
            var posted = ledger.Post(db, PostingRules.ForCollectionFee(decision.Fee), today, today, null, user, $"{Reconnection.Describe(timing)} fee, order {order.Id}", now);
            await db.SaveChangesAsync(cancellationToken);
            order.AttachFee(posted.Id);
        }

        AuditLog.Record(db, now, user, "ServiceOrder", order.Id, account.Id, "Request reconnect", null,
            new { Timing = timing.ToString(), Fee = decision.Fee.ToPlainString(), order.FeeTransactionId, order.DueOn }, decision.Reason);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (order.Id, true, decision.Fee, decision.Reason);
    }
}
