using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Collections;
using OpenCIS.Core.Common;
using OpenCIS.Core.Invoices;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage;
using OpenCIS.Storage.Invoices;
using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.Ledger;

namespace OpenCIS.UseCases.Invoices;

/// <summary>A notice an invoice's collection policy gives it today, for the statement run to write and send.</summary>
public sealed record InvoiceNoticeToWrite(long InvoiceId, long CustomerId, long AccountId, long OpenCents, int Sequence, StepKind Kind);

/// <summary>
/// What the day's invoice collections did: the late charges posted, the notices due, and the invoices held by a stay or a
/// waiting waiver on a day something was due (by id, so the statement run counts an invoice it holds too only once).
/// </summary>
public sealed record InvoiceCollectionsOutcome(int LateCharges, Money LateChargeTotal, IReadOnlyList<InvoiceNoticeToWrite> Notices, IReadOnlySet<long> Held)
{
    public static InvoiceCollectionsOutcome None { get; } = new(0, Money.Zero, [], new HashSet<long>());
}

/// <summary>
/// The day's collection of invoices under each type's collection policy (<see cref="InvoiceCollections"/>): for every
/// open invoice past due of a type that names a policy in force, its late charge is posted once (to the party's
/// account, credited to the type's revenue account: the charge belongs to the fund the invoice does; the invoice's
/// late-charge row, unique per invoice, makes a second run of the day post nothing) and the notice due is handed to
/// the statement run, which writes and sends it with the statements. An invoice under a bankruptcy case's automatic
/// stay, or with a waiver waiting for a Supervisor, is held. Late charges post in chunks, each one transaction under
/// its accounts' locks. Runs as the first part of <see cref="InvoiceStatements.ProduceAsync"/>, after the daily
/// collections run.
/// </summary>
public sealed class CollectInvoices(OpenCisDbContext db, TimeProvider clock)
{
    private const int ChunkSize = 200;

    public async Task<InvoiceCollectionsOutcome> ExecuteAsync(DateOnly date, string user, CancellationToken cancellationToken = default)
    {
        var types = await db.InvoiceTypes.AsNoTracking().Where(t => t.CollectionPolicy != null).ToListAsync(cancellationToken);
        if (types.Count == 0)
        {
            return InvoiceCollectionsOutcome.None;
        }

        var inForce = (await CollectionPolicyCatalog.LoadAsync(db, cancellationToken)).InForce(date)
            .ToDictionary(p => p.Policy.Code, p => p.Policy, StringComparer.OrdinalIgnoreCase);
        var policies = types.Where(t => inForce.ContainsKey(t.CollectionPolicy!))
            .ToDictionary(t => t.Code, t => (Policy: inForce[t.CollectionPolicy!], Type: t.ToDefinition(), TakesNotices: t.StatementEveryDays is null));
        if (policies.Count == 0)
        {
            return InvoiceCollectionsOutcome.None;
        }

        var codes = policies.Keys.ToList();
        var candidates = await (from i in db.Invoices.AsNoTracking()
                                join o in db.OpenItems on new { i.AccountId, i.FinancialTransactionId } equals new { o.AccountId, o.FinancialTransactionId }
                                where codes.Contains(i.TypeCode) && i.DueOn < date && o.OpenCents > 0
                                orderby i.Id
                                select new
                                {
                                    i.Id,
                                    i.TypeCode,
                                    i.AccountId,
                                    i.CustomerId,
                                    i.AmountCents,
                                    i.DueOn,
                                    o.OpenCents,
                                    PaidByDue = db.ItemAllocations.Where(a => a.ChargeItemId == o.Id && a.EffectiveOn <= i.DueOn).Sum(a => (long?)a.AmountCents) ?? 0,
                                    Charged = db.InvoiceLateCharges.Any(l => l.InvoiceId == i.Id),
                                    Notices = db.InvoiceStatements.Count(s => s.InvoiceId == i.Id && s.Notice != null),
                                    LastNotice = db.InvoiceStatements.Where(s => s.InvoiceId == i.Id && s.Notice != null).Max(s => (DateOnly?)s.StatementDate),
                                    WaiverWaiting = db.InvoiceWaivers.Any(w => w.InvoiceId == i.Id && w.Status == WaiverStatus.Pending),
                                })
            .ToListAsync(cancellationToken);
        if (candidates.Count == 0)
        {
            return InvoiceCollectionsOutcome.None;
        }

        var lateChargeOpen = await InvoiceLateChargeBalances.OpenByInvoiceAsync(db, cancellationToken);
        var accountIds = candidates.Select(c => c.AccountId).Distinct().ToList();
        var stayed = (await db.BankruptcyAccounts.AsNoTracking().Where(a => accountIds.Contains(a.AccountId))
                .Join(db.BankruptcyCases, a => a.CaseId, c => c.Id, (a, c) => new { a.AccountId, c.Status })
                .Where(x => x.Status == Core.Bankruptcy.BankruptcyStatus.Open)
                .ToListAsync(cancellationToken))
            .Select(x => x.AccountId).ToHashSet();

        var held = new HashSet<long>();
        var toCharge = new List<LateChargeToPost>();
        var notices = new List<InvoiceNoticeToWrite>();
        foreach (var c in candidates)
        {
            var (policy, type, takesNotices) = policies[c.TypeCode];
            var debt = new InvoiceDebt(c.TypeCode, Money.FromCents(c.AmountCents), c.DueOn, Money.FromCents(c.PaidByDue), Money.FromCents(c.OpenCents), c.Charged, c.Notices, c.LastNotice);
            var day = InvoiceCollections.Day(policy, debt, takesNotices, date);
            if (!day.LateCharge.Charged && day.Notice is null)
            {
                continue;
            }

            if (stayed.Contains(c.AccountId) || c.WaiverWaiting)
            {
                held.Add(c.Id);
                continue;
            }

            if (day.LateCharge.Charged)
            {
                toCharge.Add(new LateChargeToPost(c.Id, c.AccountId, type, policy.Code, day.LateCharge));
            }

            if (day.Notice is { } notice)
            {
                // The notice asks for the invoice and its late charge.
                var open = c.OpenCents + lateChargeOpen.GetValueOrDefault(c.Id) + (day.LateCharge.Charged ? day.LateCharge.Amount.Cents : 0);
                notices.Add(new InvoiceNoticeToWrite(c.Id, c.CustomerId, c.AccountId, open, notice.Sequence, notice.Step.Kind));
            }
        }

        int charged = 0;
        var total = Money.Zero;
        foreach (var chunk in toCharge.Chunk(ChunkSize))
        {
            foreach (var posted in await ChargeAsync(chunk, date, user, cancellationToken))
            {
                charged++;
                total += posted.Decision.Amount;
            }
        }

        return new InvoiceCollectionsOutcome(charged, total, notices, held);
    }

    private sealed record LateChargeToPost(long InvoiceId, long AccountId, InvoiceTypeDefinition Type, string PolicyCode, LateChargeDecision Decision);

    /// <summary>
    /// Posts a chunk of late charges in one transaction under their accounts' locks, each with its row; returns those
    /// posted, leaving out any another run posted first.
    /// </summary>
    private async Task<IReadOnlyList<LateChargeToPost>> ChargeAsync(IReadOnlyList<LateChargeToPost> chunk, DateOnly date, string user, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var accountIds = chunk.Select(c => c.AccountId).Distinct().ToList();
        await AccountLocks.LockAccountsAsync(db, accountIds, cancellationToken);
        var invoiceIds = chunk.Select(c => c.InvoiceId).ToList();
        var already = (await db.InvoiceLateCharges.AsNoTracking().Where(l => invoiceIds.Contains(l.InvoiceId)).Select(l => l.InvoiceId).ToListAsync(cancellationToken)).ToHashSet();
        var toPost = chunk.Where(c => !already.Contains(c.InvoiceId)).ToList();
        if (toPost.Count == 0)
        {
            return [];
        }

        var ledgers = await AccountLedger.LoadManyAsync(db, accountIds, cancellationToken);
        var posted = toPost.Select(c => (Charge: c, Transaction: ledgers[c.AccountId].Post(db,
                PostingRules.Between(FinancialTransactionType.LateCharge, c.Decision.Amount, GlAccounts.AccountsReceivable, c.Type.RevenueGlAccount, "A late charge"),
                date, date, null, user, $"Late charge, invoice {c.InvoiceId}: {c.Decision.Explanation}", now)))
            .ToList();
        await db.SaveChangesAsync(cancellationToken);
        foreach (var (c, financialTransaction) in posted)
        {
            db.InvoiceLateCharges.Add(new InvoiceLateChargeRow
            {
                InvoiceId = c.InvoiceId,
                AccountId = c.AccountId,
                FinancialTransactionId = financialTransaction.Id,
                AmountCents = c.Decision.Amount.Cents,
                ChargedOn = date,
                PolicyCode = c.PolicyCode,
                Explanation = c.Decision.Explanation.Length <= 400 ? c.Decision.Explanation : c.Decision.Explanation[..400],
                CreatedBy = user,
                CreatedAt = now,
            });
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return toPost;
    }
}
