using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Deposits;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Customers;
using OpenCIS.Storage.Ledger;
using OpenCIS.UseCases.Ledger;
using OpenCIS.Storage;
using OpenCIS.Storage.Deposits;

namespace OpenCIS.UseCases.Deposits;

public sealed record DepositRefundLine(long DepositId, string AccountNumber, long AmountCents, long InterestCents, DateOnly HeldSince, DateOnly OnTimeSince);

public sealed record DepositReviewResult(DateOnly ReviewDate, int Reviewed, int BecameHeld, int Refunded, long RefundedCents, long InterestCents, IReadOnlyList<DepositRefundLine> Refunds, bool AlreadyDone, string Message);

/// <summary>
/// The refund review for a business date, a batch: billed deposits whose charge is paid in full become
/// held (from the day they were paid); held deposits of active accounts with the configured months of
/// consecutive on-time payment are credited back to the account with their interest. One review per date
/// (a unique row): running it again reports the first run and posts nothing. A later date never refunds
/// a deposit twice, because a refunded deposit is closed. All in one transaction, the accounts locked in id order.
/// </summary>
public sealed class ReviewDepositRefunds(OpenCisDbContext db, DepositPolicy policy, TimeProvider clock)
{
    /// <summary>A limit on one run: a city has far fewer deposits held than this.</summary>
    public const int MaximumDeposits = 50_000;

    public async Task<DepositReviewResult> ExecuteAsync(DateOnly reviewDate, string user, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        var key = Idempotency.CheckKey(idempotencyKey, user);
        if (await EarlierAsync(reviewDate, key, cancellationToken) is { } earlier)
        {
            return earlier;
        }

        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var openDeposits = db.Deposits.Where(d => (d.Status == DepositStatus.Billed || d.Status == DepositStatus.Held) && d.DecidedOn <= reviewDate);
        var openAccounts = await openDeposits.OrderBy(d => d.AccountId).Take(MaximumDeposits + 1).Select(d => d.AccountId).ToListAsync(cancellationToken);
        if (openAccounts.Count > MaximumDeposits)
        {
            throw new DomainException($"More than {MaximumDeposits} deposits are open; the review handles at most that many in one run.", "date");
        }

        // The deposits are read again under their accounts' locks: one a final bill applied meanwhile is no longer open.
        var accountIds = openAccounts.Distinct().ToList();
        await AccountLocks.LockAccountsAsync(db, accountIds, cancellationToken);
        var open = await openDeposits.Where(d => accountIds.Contains(d.AccountId)).OrderBy(d => d.AccountId).ThenBy(d => d.Id).ToListAsync(cancellationToken);

        // Paid since the last review: held from the day the charge was paid in full.
        var becameHeld = 0;
        var billed = open.Where(d => d.Status == DepositStatus.Billed && d.ChargeTransactionId is not null).ToList();
        var paidOn = await DepositHistory.PaidOnAsync(db, billed.Select(d => d.ChargeTransactionId!.Value).ToList(), cancellationToken);
        foreach (var deposit in billed)
        {
            if (paidOn.TryGetValue(deposit.ChargeTransactionId!.Value, out var paid) && paid <= reviewDate)
            {
                deposit.MarkHeld(paid);
                becameHeld++;
            }
        }

        var accounts = await db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id))
            .Select(a => new { a.Id, a.AccountNumber, a.Status }).ToDictionaryAsync(a => a.Id, cancellationToken);
        var held = open.Where(d => d.Status == DepositStatus.Held && accounts[d.AccountId].Status == AccountStatus.Active).ToList();
        var late = held.Count == 0 ? [] : await DepositHistory.LateOnAsync(db, held.Select(d => d.AccountId).ToList(), held.Min(d => d.HeldSince!.Value), reviewDate, cancellationToken);
        var eligible = held.Select(d => (Deposit: d, Decision: policy.DecideRefund(d.HeldSince!.Value, late[d.AccountId], reviewDate))).Where(x => x.Decision.Eligible).ToList();
        var ledgers = await AccountLedger.LoadManyAsync(db, eligible.Select(x => x.Deposit.AccountId).ToList(), cancellationToken);
        var refunds = new List<DepositRefundLine>();
        var postings = new List<(Deposit Deposit, FinancialTransaction Closing, Money Interest, FinancialTransaction? InterestTransaction, string Reason)>();
        foreach (var (deposit, decision) in eligible)
        {
            var reason = $"Deposit refunded to the account: {decision.Reason}";
            var (closing, interest, interestTransaction) = DepositQueries.PostClosing(db, policy, ledgers[deposit.AccountId], deposit, reviewDate, user, now, reason);
            postings.Add((deposit, closing, interest, interestTransaction, reason));
            refunds.Add(new DepositRefundLine(deposit.Id, accounts[deposit.AccountId].AccountNumber, deposit.BilledCents, interest.Cents, deposit.HeldSince!.Value, decision.OnTimeSince));
        }

        var review = new DepositRefundReview
        {
            ReviewDate = reviewDate,
            RanAt = now,
            RanBy = user,
            Reviewed = open.Count,
            BecameHeld = becameHeld,
            Refunded = refunds.Count,
            RefundedCents = refunds.Sum(r => r.AmountCents),
            InterestCents = refunds.Sum(r => r.InterestCents),
            IdempotencyKey = Idempotency.KeyFor(key, user),
        };
        db.DepositRefundReviews.Add(review);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another review for this date (or with this key) committed first: answer with it.
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return await EarlierAsync(reviewDate, key, cancellationToken) ?? throw new InvalidOperationException("The review that won the race is gone.");
        }

        foreach (var (deposit, closing, interest, interestTransaction, reason) in postings)
        {
            deposit.Close(DepositStatus.Refunded, reviewDate, user, reason, closing.Id, interest.Cents, interestTransaction?.Id, null, null);
            AuditLog.Record(db, now, user, "Deposit", deposit.Id, deposit.AccountId, "Refund deposit", new { Status = nameof(DepositStatus.Held) },
                new { Status = deposit.Status.ToString(), Amount = Money.FromCents(deposit.BilledCents).ToPlainString(), Interest = interest.ToPlainString(), TransactionId = closing.Id, ReviewId = review.Id }, reason);
        }

        AuditLog.Record(db, now, user, "DepositRefundReview", review.Id, null, "Review deposit refunds", null,
            new { ReviewDate = reviewDate, review.Reviewed, review.BecameHeld, review.Refunded, review.RefundedCents, review.InterestCents }, null);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return Result(review, refunds, alreadyDone: false);
    }

    /// <summary>
    /// The review of this date, whoever ran it (one review per date), or null. This user's key on the review
    /// of another date is refused first.
    /// </summary>
    private async Task<DepositReviewResult?> EarlierAsync(DateOnly reviewDate, RequestKey? key, CancellationToken cancellationToken)
    {
        await Idempotency.EarlierAsync(db.DepositRefundReviews, DepositRefundReview.RequestKey, key, r => new { r.ReviewDate }, r => r.ReviewDate == reviewDate,
            r => $"refund review (the review of {r.ReviewDate:yyyy-MM-dd})", cancellationToken);

        if (await db.DepositRefundReviews.AsNoTracking().SingleOrDefaultAsync(r => r.ReviewDate == reviewDate, cancellationToken) is not { } earlier)
        {
            return null;
        }

        var refunds = await db.Deposits.AsNoTracking().Where(d => d.Status == DepositStatus.Refunded && d.ClosedOn == reviewDate)
            .Join(db.Accounts, d => d.AccountId, a => a.Id, (d, a) => new { d.Id, a.AccountNumber, d.BilledCents, d.InterestCents, d.HeldSince })
            .OrderBy(x => x.AccountNumber).ToListAsync(cancellationToken);
        return Result(earlier, refunds.Select(r => new DepositRefundLine(r.Id, r.AccountNumber, r.BilledCents, r.InterestCents, r.HeldSince!.Value, r.HeldSince!.Value)).ToList(), alreadyDone: true);
    }

    private static DepositReviewResult Result(DepositRefundReview review, IReadOnlyList<DepositRefundLine> refunds, bool alreadyDone) =>
        new(review.ReviewDate, review.Reviewed, review.BecameHeld, review.Refunded, review.RefundedCents, review.InterestCents, refunds, alreadyDone,
            (alreadyDone ? $"The refund review of {review.ReviewDate:yyyy-MM-dd} already ran at {review.RanAt:yyyy-MM-dd HH:mm} by {review.RanBy}; nothing was posted again. " : "")
            + $"{review.Reviewed} open deposit(s) reviewed, {review.BecameHeld} newly paid, {review.Refunded} refunded for {Money.FromCents(review.RefundedCents)} with {Money.FromCents(review.InterestCents)} interest.");
}
