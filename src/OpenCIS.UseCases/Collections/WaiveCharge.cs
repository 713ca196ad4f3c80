using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Collections;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Collections;
using OpenCIS.UseCases.Ledger;

namespace OpenCIS.UseCases.Collections;

public sealed record WaiverView(
    long Id,
    long AccountId,
    long ChargeTransactionId,
    long AmountCents,
    bool Courtesy,
    [property: JsonConverter(typeof(JsonStringEnumConverter<WaiverStatus>))] WaiverStatus Status,
    string Decision,
    string Reason,
    DateOnly RequestedOn,
    string RequestedBy,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? DecisionNote,
    long? WaiverTransactionId)
{
    public static WaiverView From(ChargeWaiver w) => new(w.Id, w.AccountId, w.ChargeTransactionId, w.AmountCents, w.Courtesy, w.Status, w.Decision, w.Reason,
        w.RequestedOn, w.RequestedBy, w.DecidedBy, w.DecidedAt, w.DecisionNote, w.WaiverTransactionId);
}

public sealed record WaiverOutcome(WaiverView Waiver, bool Posted, string Message);

/// <summary>
/// Waives one late charge or collection fee on an account. Within the policy's courtesy limit (waivers in the
/// last twelve months) it posts at once: the exact mirror of the charge, linked to it. Beyond the limit it is
/// saved as Pending and posts nothing until a Supervisor decides (<see cref="DecideAsync"/>), unless the caller
/// holds the approval permission and says so with <paramref name="approve"/>. A charge is waived at most once:
/// a retry of a waiver already asked for is refused and posts nothing. Audited.
/// </summary>
public sealed class WaiveCharge(OpenCisDbContext db, BusinessCalendar calendar, TimeProvider clock)
{
    public async Task<WaiverOutcome> ExecuteAsync(long accountId, long chargeTransactionId, string? reason, string user, bool approve = false, CancellationToken cancellationToken = default)
    {
        var account = await CollectionWorkRules.FindAccountAsync(db, accountId, cancellationToken);
        var why = CollectionWorkRules.Required(reason, "reason", "reason for the waiver", ChargeWaiver.ReasonLengthMax);
        var today = calendar.Today();
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await AccountLocks.LockAccountAsync(db, accountId, cancellationToken);
        var charge = await db.FinancialTransactions.AsNoTracking().Include(t => t.GlEntries)
            .SingleOrDefaultAsync(t => t.Id == chargeTransactionId && t.AccountId == accountId, cancellationToken)
            ?? throw new DomainException($"Account {account.AccountNumber} has no posting {chargeTransactionId}.", "transactionId");
        if (!ChargeWaivers.IsWaivable(charge.Type))
        {
            throw new DomainException($"Posting {charge.Id} is a {charge.Type}; only late charges and collection fees can be waived.", "transactionId");
        }

        await EnsureNotWaivedAsync(charge.Id, cancellationToken);
        var catalog = await CollectionPolicyCatalog.LoadAsync(db, cancellationToken);
        var courtesyLimit = catalog.ForAccount(account.Class, account.Status, today)?.Policy.LateCharge.CourtesyWaiversPer12Months ?? 0;
        var courtesyDates = await db.ChargeWaivers.AsNoTracking()
            .Where(w => w.AccountId == accountId && w.Courtesy && w.Status == WaiverStatus.Posted)
            .Select(w => w.RequestedOn).ToListAsync(cancellationToken);
        var decision = ChargeWaivers.Decide(courtesyLimit, courtesyDates, today);
        var waiver = ChargeWaiver.Request(accountId, charge.Id, charge.AmountCents, decision.Courtesy, decision.Reason, why, today, user, now);
        db.ChargeWaivers.Add(waiver);
        await db.SaveChangesAsync(cancellationToken);
        var posted = decision.Courtesy || approve;
        if (posted)
        {
            await PostAsync(waiver, charge, why, user, now, decision.Courtesy ? null : "Approved when asked", cancellationToken);
        }

        AuditLog.Record(db, now, user, "ChargeWaiver", waiver.Id, accountId, posted ? "Waive charge" : "Ask to waive charge", null,
            new { waiver.ChargeTransactionId, waiver.AmountCents, waiver.Courtesy, Status = waiver.Status.ToString(), waiver.Decision }, why);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var amount = Money.FromCents(charge.AmountCents);
        var message = posted
            ? $"Waived the {Describe(charge.Type)} of {amount} on account {account.AccountNumber} ({(decision.Courtesy ? decision.Reason : "approved by " + user)})."
            : $"The waiver of {amount} on account {account.AccountNumber} waits for a Supervisor: {decision.Reason}.";
        return new WaiverOutcome(WaiverView.From(waiver), posted, message);
    }

    /// <summary>A Supervisor approves a pending waiver (it posts) or refuses it (with a note; nothing posts).</summary>
    public async Task<WaiverOutcome> DecideAsync(long waiverId, bool approve, string? note, string user, CancellationToken cancellationToken = default)
    {
        var decisionNote = CollectionWorkRules.Text(note, "note", "note on the decision", ChargeWaiver.ReasonLengthMax, required: !approve);
        var now = clock.GetUtcNow();
        var accountId = await db.ChargeWaivers.AsNoTracking().Where(w => w.Id == waiverId).Select(w => (long?)w.AccountId).SingleOrDefaultAsync(cancellationToken)
            ?? throw new DomainException($"There is no waiver {waiverId}.", "waiverId");
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await AccountLocks.LockAccountAsync(db, accountId, cancellationToken);
        var waiver = await db.ChargeWaivers.SingleAsync(w => w.Id == waiverId, cancellationToken);
        var amount = Money.FromCents(waiver.AmountCents);
        if (waiver.Status != WaiverStatus.Pending)
        {
            throw new DomainException($"Waiver {waiverId} of {amount} is already {waiver.Status.ToString().ToLowerInvariant()}{(waiver.DecidedBy is { } by ? $" by {by}" : "")}.", "waiverId");
        }

        if (approve)
        {
            var charge = await db.FinancialTransactions.AsNoTracking().Include(t => t.GlEntries).SingleAsync(t => t.Id == waiver.ChargeTransactionId, cancellationToken);
            await PostAsync(waiver, charge, waiver.Reason, user, now, decisionNote, cancellationToken);
        }
        else
        {
            waiver.Reject(user, now, decisionNote!);
        }

        AuditLog.Record(db, now, user, "ChargeWaiver", waiver.Id, accountId, approve ? "Approve waiver" : "Refuse waiver", new { Status = "Pending" },
            new { Status = waiver.Status.ToString(), waiver.WaiverTransactionId }, decisionNote);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new WaiverOutcome(WaiverView.From(waiver), approve,
            approve ? $"Approved and posted the waiver of {amount}." : $"Refused the waiver of {amount}: {decisionNote}");
    }

    private async Task PostAsync(ChargeWaiver waiver, Storage.Ledger.FinancialTransaction charge, string reason, string user, DateTimeOffset now, string? note, CancellationToken cancellationToken)
    {
        var original = new Posting(charge.Type, Money.FromCents(charge.AmountCents),
            [.. charge.GlEntries.Select(g => new GlLine(g.GlAccount, Money.FromCents(g.DebitCents), Money.FromCents(g.CreditCents)))]);
        var today = calendar.Today();
        var ledger = await AccountLedger.LoadAsync(db, waiver.AccountId, cancellationToken);
        var posted = ledger.Post(db, ChargeWaivers.Posting(original), today, today, null, user, $"Waive {Describe(charge.Type)} {charge.Id}: {reason}", now, reversesTransactionId: charge.Id);
        await db.SaveChangesAsync(cancellationToken);
        waiver.MarkPosted(posted.Id, user, now, note);
    }

    private async Task EnsureNotWaivedAsync(long chargeId, CancellationToken cancellationToken)
    {
        if (await db.FinancialTransactions.AnyAsync(t => t.ReversesTransactionId == chargeId, cancellationToken))
        {
            throw new DomainException($"Posting {chargeId} is already reversed or waived.", "transactionId");
        }

        if (await db.ChargeWaivers.AsNoTracking().Where(w => w.ChargeTransactionId == chargeId && w.Status != WaiverStatus.Rejected).FirstOrDefaultAsync(cancellationToken) is { } earlier)
        {
            throw new DomainException(earlier.Status == WaiverStatus.Pending
                ? $"Posting {chargeId} already has a waiver waiting for a Supervisor (asked by {earlier.RequestedBy} on {earlier.RequestedOn:yyyy-MM-dd})."
                : $"Posting {chargeId} was already waived (by {earlier.DecidedBy} on {earlier.RequestedOn:yyyy-MM-dd}).", "transactionId");
        }
    }

    internal static string Describe(FinancialTransactionType type) => type == FinancialTransactionType.LateCharge ? "late charge" : "collection fee";
}

/// <summary>A charge that can be waived: a late charge or collection fee, with its waiver if it has one.</summary>
public sealed record WaivableChargeView(long TransactionId, string Kind, DateOnly PostedOn, long AmountCents, string? Reason, WaiverView? Waiver, bool Reversed);

public sealed record AccountWaiversView(long AccountId, int CourtesyPer12Months, int CourtesyUsed, IReadOnlyList<WaivableChargeView> Charges);

public sealed record PendingWaiverView(WaiverView Waiver, string AccountNumber, string ChargeKind);

/// <summary>An account's late charges and fees of the last twelve months with their waivers; the waivers waiting for a Supervisor.</summary>
public sealed class WaiverQueries(OpenCisDbContext db, BusinessCalendar calendar)
{
    public const int ListMax = 200;

    public async Task<AccountWaiversView?> ForAccountAsync(long accountId, CancellationToken cancellationToken = default)
    {
        var account = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == accountId, cancellationToken);
        if (account is null)
        {
            return null;
        }

        var today = calendar.Today();
        var since = today.AddMonths(-12);
        var catalog = await CollectionPolicyCatalog.LoadAsync(db, cancellationToken);
        var limit = catalog.ForAccount(account.Class, account.Status, today)?.Policy.LateCharge.CourtesyWaiversPer12Months ?? 0;
        var charges = await db.FinancialTransactions.AsNoTracking()
            .Where(t => t.AccountId == accountId && (t.Type == FinancialTransactionType.LateCharge || t.Type == FinancialTransactionType.CollectionFee) && t.EffectiveOn > since)
            .OrderByDescending(t => t.Id).Take(ListMax)
            .Select(t => new { t.Id, t.Type, t.EffectiveOn, t.AmountCents, t.Reason }).ToListAsync(cancellationToken);
        var ids = charges.Select(c => c.Id).ToList();
        var waivers = (await db.ChargeWaivers.AsNoTracking().Where(w => w.AccountId == accountId).OrderByDescending(w => w.Id).ToListAsync(cancellationToken))
            .ToLookup(w => w.ChargeTransactionId);
        var reversed = (await db.FinancialTransactions.AsNoTracking().Where(t => t.ReversesTransactionId != null && ids.Contains(t.ReversesTransactionId.Value))
            .Select(t => t.ReversesTransactionId!.Value).ToListAsync(cancellationToken)).ToHashSet();
        var used = waivers.SelectMany(g => g).Count(w => w.Courtesy && w.Status == WaiverStatus.Posted && w.RequestedOn > since);
        return new AccountWaiversView(accountId, limit, used,
            [.. charges.Select(c => new WaivableChargeView(c.Id, WaiveCharge.Describe(c.Type), c.EffectiveOn, c.AmountCents, c.Reason,
                waivers[c.Id].FirstOrDefault() is { } w ? WaiverView.From(w) : null, reversed.Contains(c.Id)))]);
    }

    public async Task<IReadOnlyList<PendingWaiverView>> PendingAsync(CancellationToken cancellationToken = default)
    {
        var pending = await db.ChargeWaivers.AsNoTracking().Where(w => w.Status == WaiverStatus.Pending).OrderBy(w => w.Id).Take(ListMax).ToListAsync(cancellationToken);
        var accountIds = pending.Select(w => w.AccountId).Distinct().ToList();
        var chargeIds = pending.Select(w => w.ChargeTransactionId).ToList();
        var numbers = await db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.AccountNumber, cancellationToken);
        var types = await db.FinancialTransactions.AsNoTracking().Where(t => chargeIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Type, cancellationToken);
        return [.. pending.Select(w => new PendingWaiverView(WaiverView.From(w), numbers[w.AccountId], WaiveCharge.Describe(types[w.ChargeTransactionId])))];
    }
}
