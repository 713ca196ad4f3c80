using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Ledger;
using OpenCIS.UseCases.Ledger;
using OpenCIS.Storage;
using OpenCIS.Storage.Billing.Corrections;
using OpenCIS.Storage.Billing;

namespace OpenCIS.UseCases.Billing.Corrections;

/// <summary>The approval threshold: adjustments larger than this (either way) wait for a Supervisor. Setting <c>OPENCIS_ADJUSTMENT_APPROVAL_THRESHOLD</c>, in dollars.</summary>
public sealed record AdjustmentOptions(Money ApprovalThreshold)
{
    public const string ThresholdSetting = "OPENCIS_ADJUSTMENT_APPROVAL_THRESHOLD";

    public static AdjustmentOptions Default { get; } = new(AdjustmentApproval.DefaultThreshold);

    public static AdjustmentOptions FromConfiguration(IConfiguration configuration)
    {
        var text = configuration[ThresholdSetting];
        if (string.IsNullOrWhiteSpace(text))
        {
            return Default;
        }

        return Money.TryParse(text, out var threshold) && !threshold.IsNegative
            ? new AdjustmentOptions(threshold)
            : throw new InvalidOperationException($"{ThresholdSetting} must be an amount in dollars such as 100.00; it is '{text}'.");
    }
}

/// <summary>A request to adjust an account. <see cref="AmountOnAccount"/> is negative for a credit to the customer.</summary>
public sealed record AdjustmentRequest(string AccountNumber, string ReasonCode, Money AmountOnAccount, string Note, long? BillId, string? IdempotencyKey);

public sealed record AdjustmentView(
    long AdjustmentId,
    string AccountNumber,
    long? BillId,
    string ReasonCode,
    long AmountCents,
    string Note,
    string? Calculation,
    string Status,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? DecisionNote,
    long? TransactionId);

public sealed record AdjustmentOutcome(AdjustmentView Adjustment, bool NeedsApproval, long BalanceCents, bool AlreadyRequested, string Message);

/// <summary>
/// A clerk adjusts an account with a reason code. At or below the approval threshold the adjustment
/// posts at once (a balanced posting against the adjustments account); above it, it is saved as
/// Pending and moves no money until a Supervisor approves it. With an idempotency key the same clerk's
/// retry returns the first outcome and adds nothing; another clerk's key is their own.
/// </summary>
public sealed class RequestAdjustment(OpenCisDbContext db, AdjustmentOptions options, BusinessCalendar calendar, TimeProvider clock)
{
    public async Task<AdjustmentOutcome> ExecuteAsync(AdjustmentRequest request, string user, string? calculation = null, CancellationToken cancellationToken = default)
    {
        var reason = AdjustmentReasons.Find(request.ReasonCode);
        AdjustmentApproval.Validate(reason, request.AmountOnAccount, request.Note);
        var key = Idempotency.CheckKey(request.IdempotencyKey, user);
        var fingerprint = Fingerprint(request);
        if (await EarlierAsync(key, fingerprint, cancellationToken) is { } earlier)
        {
            return earlier;
        }

        var account = await CorrectionBilling.FindAccountAsync(db, request.AccountNumber, cancellationToken);
        if (request.BillId is { } billId && !await db.Bills.AnyAsync(b => b.Id == billId && b.AccountId == account.Id, cancellationToken))
        {
            throw new DomainException($"Bill {billId} is not a bill of account {account.AccountNumber}.", "billId");
        }

        var now = clock.GetUtcNow();
        await using var transaction = await CorrectionBilling.BeginForAccountAsync(db, account.Id, cancellationToken);
        if (await EarlierAsync(key, fingerprint, cancellationToken) is { } raced)
        {
            // The same request reached the account lock first: answer with it.
            await transaction.RollbackAsync(cancellationToken);
            return raced;
        }

        var adjustment = AccountAdjustment.Request(account.Id, request.BillId, reason, request.AmountOnAccount, request.Note, calculation, user, now, key, fingerprint);
        db.AccountAdjustments.Add(adjustment);
        // Under the account's lock, so two halves of a split cannot both see the other missing.
        var today = calendar.Today();
        var postedAlone = Money.FromCents((await db.AccountAdjustments
                .Where(a => a.AccountId == account.Id && a.Status == AdjustmentStatus.Posted && a.DecidedBy == a.RequestedBy)
                .Join(db.FinancialTransactions, a => a.FinancialTransactionId, t => (long?)t.Id, (a, t) => new { a.AmountCents, t.EffectiveOn })
                .Where(x => x.EffectiveOn == today).Select(x => x.AmountCents).ToListAsync(cancellationToken))
            .Sum(Math.Abs));
        var needsApproval = AdjustmentApproval.NeedsApproval(request.AmountOnAccount, options.ApprovalThreshold, postedAlone);
        var posted = needsApproval ? null : PostTo(db, await AccountLedger.LoadAsync(db, account.Id, cancellationToken), adjustment, user, today, now);
        // The same request may have won a race on its key: then answer with that one.
        if (await Idempotency.SaveOrFindEarlierAsync(db, transaction, key, () => EarlierAsync(key, fingerprint, cancellationToken), "adjustment", cancellationToken) is { } collided)
        {
            return collided;
        }

        if (posted is not null)
        {
            adjustment.MarkPosted(posted.Id, user, now, $"Within the {options.ApprovalThreshold} a clerk may post without approval.");
        }

        AuditLog.Record(db, now, user, "Adjustment", adjustment.Id, account.Id, needsApproval ? "Request adjustment" : "Post adjustment", null,
            new { adjustment.ReasonCode, Amount = request.AmountOnAccount.ToPlainString(), Status = adjustment.Status.ToString() }, adjustment.Note);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        var message = needsApproval
            ? AdjustmentApproval.NeedsApproval(request.AmountOnAccount, options.ApprovalThreshold)
                ? $"Adjustment {adjustment.Id} of {request.AmountOnAccount} is above {options.ApprovalThreshold} and waits for a Supervisor's approval; nothing is posted yet."
                : $"Adjustment {adjustment.Id} of {request.AmountOnAccount}, with the {postedAlone} already adjusted on this account today, is above {options.ApprovalThreshold} and waits for a Supervisor's approval; nothing is posted yet."
            : $"Adjustment {adjustment.Id} of {request.AmountOnAccount} ({reason.Code}) posted.";
        return await AdjustmentQueries.OutcomeAsync(db, adjustment.Id, alreadyRequested: false, message, cancellationToken);
    }

    /// <summary>The adjustment this clerk's key already requested, or null; their key on a different adjustment is refused.</summary>
    private async Task<AdjustmentOutcome?> EarlierAsync(RequestKey? key, string fingerprint, CancellationToken cancellationToken) =>
        await Idempotency.EarlierAsync(db.AccountAdjustments, AccountAdjustment.RequestKey, key, a => new { a.Id, a.RequestFingerprint }, a => a.RequestFingerprint == fingerprint,
                a => $"adjustment ({a.Id})", cancellationToken) is { } earlier
            ? await AdjustmentQueries.OutcomeAsync(db, earlier.Id, alreadyRequested: true, "This adjustment was already requested; nothing was added again.", cancellationToken)
            : null;

    /// <summary>Posts an adjustment's money: the only place an adjustment reaches the ledger, for both the clerk's and the supervisor's path.</summary>
    internal static FinancialTransaction PostTo(OpenCisDbContext db, AccountLedger ledger, AccountAdjustment adjustment, string postedBy, DateOnly today, DateTimeOffset now) =>
        ledger.Post(db, PostingRules.ForAdjustment(Money.FromCents(adjustment.AmountCents)), today, today, null, postedBy,
            $"{adjustment.ReasonCode}: {adjustment.Note}" + (adjustment.RequestedBy == postedBy ? "" : $" (requested by {adjustment.RequestedBy}, approved by {postedBy})"), now);

    private static string Fingerprint(AdjustmentRequest request) =>
        Idempotency.Fingerprint(request.AccountNumber, request.ReasonCode.Trim().ToUpperInvariant(), request.AmountOnAccount.Cents, request.BillId, request.Note);
}
