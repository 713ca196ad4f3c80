using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Pursuit;
using OpenCIS.Storage;
using OpenCIS.Storage.Collections;
using OpenCIS.Storage.Customers;
using OpenCIS.Storage.Pursuit;
using OpenCIS.UseCases.Billing.Corrections;
using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.Ledger;
using OpenCIS.UseCases.Receivables;

namespace OpenCIS.UseCases.Pursuit;

/// <summary>One account the pursuit looked at, and what it did.</summary>
public sealed record PursuitStep(string AccountNumber, PursuitActionKind Action, string Reason);

public sealed record PursuitOutcome(DateOnly BusinessDate, int Looked, int Transfers, int Referrals, int Recalls, int Closed, int ReadyToWriteOff, IReadOnlyList<PursuitStep> Steps, string Message);

/// <summary>An account the pursuit has found ready to write off, for a Supervisor to write off through the usual write-off.</summary>
public sealed record WriteOffCandidate(string AccountNumber, string CustomerName, long BalanceCents, int DaysPastDue, DateOnly DecidedOn, string Reason, string PolicyCode);

/// <summary>
/// The daily final-bill pursuit, after the collections run for the same business date: each final-billed account the run left at its final
/// notice, under a policy with a pursuit, takes the one step <see cref="FinalBillPursuit.Decide"/> gives it (a transfer to the customer's
/// active account, a referral to legal or an agency, a recall) in its own transaction under the account's lock, and its decision is kept
/// as its pursuit standing; open referrals whose balance is paid are closed. Each step changes the facts it was decided on, so running a
/// date again does nothing twice.
/// </summary>
public sealed class PursueFinalBills(OpenCisDbContext db, TransferBalance transfers, TimeProvider clock)
{
    public async Task<PursuitOutcome> ExecuteAsync(DateOnly businessDate, string user, CancellationToken cancellationToken = default)
    {
        var catalog = await CollectionPolicyCatalog.LoadAsync(db, cancellationToken);
        var inForce = catalog.InForce(businessDate);
        var pursuits = inForce.Where(p => p.Policy.Pursuit is not null).ToDictionary(p => p.Policy.Code, p => p.Policy.Pursuit!, StringComparer.Ordinal);

        var standings = await (from c in db.AccountCollections.AsNoTracking()
                               join a in db.Accounts.AsNoTracking() on c.AccountId equals a.Id
                               where c.LastRunOn == businessDate && c.Status == CollectionStatus.FinalNotice && a.Status != AccountStatus.Active
                               select c).ToListAsync(cancellationToken);
        standings = [.. standings.Where(s => pursuits.ContainsKey(s.PolicyCode))];
        var openReferrals = await db.Referrals.AsNoTracking().Where(r => r.Status == ReferralStatus.Open).ToListAsync(cancellationToken);
        var accountIds = standings.Select(s => s.AccountId).Concat(openReferrals.Select(r => r.AccountId)).Distinct().Order().ToList();
        var steps = new List<PursuitStep>();
        if (accountIds.Count == 0)
        {
            return Outcome(businessDate, 0, steps, pursuits.Count == 0 ? "No collection policy in force has a final-bill pursuit." : "No final account is due for pursuit.");
        }

        var accounts = await db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, cancellationToken);
        var balances = await AccountLedger.BalancesAsync(db, accountIds, cancellationToken);
        var lastPayments = await db.FinancialTransactions.AsNoTracking().Where(t => accountIds.Contains(t.AccountId) && t.Type == FinancialTransactionType.Payment)
            .GroupBy(t => t.AccountId).Select(g => new { g.Key, On = g.Max(t => t.EffectiveOn) }).ToDictionaryAsync(p => p.Key, p => p.On, cancellationToken);
        var referred = (await db.Referrals.AsNoTracking().Where(r => accountIds.Contains(r.AccountId)).Select(r => r.AccountId).Distinct().ToListAsync(cancellationToken)).ToHashSet();
        var agencies = await db.CollectionAgencies.AsNoTracking().ToDictionaryAsync(a => a.Id, cancellationToken);
        var active = await ActiveAccountsAsync(accountIds, cancellationToken);
        var byAccount = standings.ToDictionary(s => s.AccountId);
        // A lien on the premise secures the balance: no agency or legal referral while it is open.
        var liened = (await db.Liens.AsNoTracking().Where(l => accountIds.Contains(l.AccountId)
                && (l.Status == Core.Liens.LienStatus.Noticed || l.Status == Core.Liens.LienStatus.Filed || l.Status == Core.Liens.LienStatus.PartlyPaid))
            .Select(l => new { l.AccountId, l.Id }).ToListAsync(cancellationToken)).GroupBy(l => l.AccountId).ToDictionary(g => g.Key, g => Core.Liens.PremiseLiens.Number(g.Max(l => l.Id)));
        var openByAccount = openReferrals.GroupBy(r => r.AccountId).ToDictionary(g => g.Key, g => g.First());
        var now = clock.GetUtcNow();

        foreach (var accountId in accountIds)
        {
            var account = accounts[accountId];
            byAccount.TryGetValue(accountId, out var standing);
            var policyCode = standing?.PolicyCode ?? catalog.ForAccount(account.Class, account.Status, businessDate)?.Policy.Code;
            var rules = policyCode is not null && pursuits.TryGetValue(policyCode, out var found) ? found : new PursuitRules(null, null, null, null);
            openByAccount.TryGetValue(accountId, out var open);
            var facts = new PursuitAccount(
                CollectionPolicyCatalog.ClassName(account.Class),
                standing?.DaysPastDue ?? 0,
                Money.FromCents(balances.GetValueOrDefault(accountId)),
                lastPayments.TryGetValue(accountId, out var paidOn) ? paidOn : null,
                active.GetValueOrDefault(accountId),
                open is null ? null : new PursuitOpenReferral(open.Id, agencies[open.AgencyId].Code, open.Kind, open.ReferredOn),
                referred.Contains(accountId),
                standing?.ProtectedBy ?? (liened.TryGetValue(accountId, out var lien) ? $"lien {lien} on the premise secures the balance" : null));
            var action = FinalBillPursuit.Decide(rules, facts, businessDate);
            if (action.Kind == PursuitActionKind.None && open is not null && standing is null)
            {
                continue;
            }

            var reason = await ActAsync(account, action, agencies.Values, businessDate, user, now, cancellationToken);
            if (action.Kind != PursuitActionKind.None)
            {
                steps.Add(new PursuitStep(account.AccountNumber, reason.Kind, reason.Text));
            }

            if (standing is not null || action.Kind != PursuitActionKind.None)
            {
                await KeepStandingAsync(accountId, policyCode ?? "", businessDate, reason.Kind, reason.Text, facts, cancellationToken);
            }
        }

        return Outcome(businessDate, accountIds.Count, steps, null);
    }

    /// <summary>The accounts the pursuit found ready to write off on their latest decision, still owing; oldest debt first.</summary>
    public async Task<IReadOnlyList<WriteOffCandidate>> ReadyToWriteOffAsync(CancellationToken cancellationToken = default)
    {
        var rows = await (from p in db.PursuitStandings.AsNoTracking()
                          join a in db.Accounts.AsNoTracking() on p.AccountId equals a.Id
                          where p.Action == PursuitActionKind.ReadyToWriteOff
                          select new { p, a.AccountNumber }).ToListAsync(cancellationToken);
        var ids = rows.Select(r => r.p.AccountId).ToList();
        var balances = await AccountLedger.BalancesAsync(db, ids, cancellationToken);
        var names = await AccountNames.MainAsync(db, ids, cancellationToken);
        return [.. rows.Where(r => balances.GetValueOrDefault(r.p.AccountId) > 0)
            .OrderByDescending(r => r.p.DaysPastDue).ThenBy(r => r.AccountNumber, StringComparer.Ordinal)
            .Select(r => new WriteOffCandidate(r.AccountNumber, names.GetValueOrDefault(r.p.AccountId, ""), balances[r.p.AccountId], r.p.DaysPastDue, r.p.DecidedOn, r.p.Reason, r.p.PolicyCode))];
    }

    /// <summary>The pursuit's latest decision on an account, if it has looked at it.</summary>
    public async Task<PursuitStandingRow?> StandingAsync(long accountId, CancellationToken cancellationToken = default) =>
        await db.PursuitStandings.AsNoTracking().SingleOrDefaultAsync(p => p.AccountId == accountId, cancellationToken);

    private async Task<(PursuitActionKind Kind, string Text)> ActAsync(Account account, PursuitAction action, IEnumerable<CollectionAgencyRow> agencies, DateOnly today, string user,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            switch (action.Kind)
            {
                case PursuitActionKind.Transfer:
                    await transfers.ExecuteAsync(new TransferRequest(account.AccountNumber, action.ToAccountNumber!, $"Final-bill pursuit: {action.Reason}", null), user, cancellationToken);
                    break;
                case PursuitActionKind.ReferAgency or PursuitActionKind.ReferLegal:
                    var agency = agencies.FirstOrDefault(a => a.Code == action.Agency);
                    if (agency is null || !agency.Active)
                    {
                        return (PursuitActionKind.None, $"{action.Reason}, but agency {action.Agency} is {(agency is null ? "not set up" : "taking no new referrals")}: nothing was referred");
                    }

                    await using (var transaction = await CorrectionBilling.BeginForAccountAsync(db, account.Id, cancellationToken))
                    {
                        if (await db.Referrals.AnyAsync(r => r.AccountId == account.Id && r.Status == ReferralStatus.Open, cancellationToken))
                        {
                            await transaction.RollbackAsync(cancellationToken);
                            return (PursuitActionKind.None, "already referred");
                        }

                        await Referrals.AddAsync(db, account, agency, $"Final-bill pursuit: {action.Reason}", today, user, now, cancellationToken);
                        await db.SaveChangesAsync(cancellationToken);
                        await transaction.CommitAsync(cancellationToken);
                    }

                    break;
                case PursuitActionKind.Recall or PursuitActionKind.CloseReferralPaid:
                    await using (var transaction = await CorrectionBilling.BeginForAccountAsync(db, account.Id, cancellationToken))
                    {
                        var row = await db.Referrals.SingleAsync(r => r.Id == action.ReferralId, cancellationToken);
                        if (row.Status == ReferralStatus.Open)
                        {
                            Referrals.Close(db, row, action.Kind == PursuitActionKind.Recall ? ReferralStatus.Recalled : ReferralStatus.PaidInFull, today, user, action.Reason, now);
                            await db.SaveChangesAsync(cancellationToken);
                        }

                        await transaction.CommitAsync(cancellationToken);
                    }

                    break;
            }
        }
        catch (DomainException exception)
        {
            db.ChangeTracker.Clear();
            return (PursuitActionKind.None, $"{action.Reason}, but it could not be done: {exception.Message}");
        }

        db.ChangeTracker.Clear();
        return (action.Kind, action.Reason);
    }

    private async Task KeepStandingAsync(long accountId, string policyCode, DateOnly date, PursuitActionKind action, string reason, PursuitAccount facts, CancellationToken cancellationToken)
    {
        var row = await db.PursuitStandings.SingleOrDefaultAsync(p => p.AccountId == accountId, cancellationToken);
        if (row is null)
        {
            row = new PursuitStandingRow { AccountId = accountId };
            db.PursuitStandings.Add(row);
        }

        row.PolicyCode = policyCode;
        row.DecidedOn = date;
        row.Action = action;
        row.Reason = reason.Length <= PursuitStandingRow.ReasonLengthMax ? reason : reason[..PursuitStandingRow.ReasonLengthMax];
        row.BalanceCents = facts.Balance.Cents;
        row.DaysPastDue = facts.DaysPastDue;
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    /// <summary>For each account, the lowest-numbered active account of the same main customer, if any.</summary>
    private async Task<Dictionary<long, string>> ActiveAccountsAsync(List<long> accountIds, CancellationToken cancellationToken)
    {
        var owners = await db.AccountCustomers.AsNoTracking().Where(ac => accountIds.Contains(ac.AccountId) && ac.Role == AccountRole.Main)
            .Select(ac => new { ac.AccountId, ac.CustomerId }).ToListAsync(cancellationToken);
        var customerIds = owners.Select(o => o.CustomerId).Distinct().ToList();
        var activeOf = (await (from ac in db.AccountCustomers.AsNoTracking()
                               join a in db.Accounts.AsNoTracking() on ac.AccountId equals a.Id
                               where customerIds.Contains(ac.CustomerId) && ac.Role == AccountRole.Main && a.Status == AccountStatus.Active
                               select new { ac.CustomerId, a.Id, a.AccountNumber }).ToListAsync(cancellationToken))
            .GroupBy(x => x.CustomerId).ToDictionary(g => g.Key, g => g.OrderBy(x => x.Id).ToList());
        var result = new Dictionary<long, string>();
        foreach (var owner in owners)
        {
            if (!result.ContainsKey(owner.AccountId) && activeOf.TryGetValue(owner.CustomerId, out var list) && list.FirstOrDefault(x => x.Id != owner.AccountId) is { } other)
            {
                result[owner.AccountId] = other.AccountNumber;
            }
        }

        return result;
    }

    private static PursuitOutcome Outcome(DateOnly date, int looked, List<PursuitStep> steps, string? message)
    {
        int Count(params PursuitActionKind[] kinds) => steps.Count(s => kinds.Contains(s.Action));
        var transfers = Count(PursuitActionKind.Transfer);
        var referrals = Count(PursuitActionKind.ReferAgency, PursuitActionKind.ReferLegal);
        var recalls = Count(PursuitActionKind.Recall);
        var closed = Count(PursuitActionKind.CloseReferralPaid);
        var ready = Count(PursuitActionKind.ReadyToWriteOff);
        return new PursuitOutcome(date, looked, transfers, referrals, recalls, closed, ready, steps, message
            ?? $"Final-bill pursuit for {date:yyyy-MM-dd}: {looked} account{(looked == 1 ? "" : "s")} looked at; {transfers} transferred, {referrals} referred, {recalls} recalled, {closed} referral{(closed == 1 ? "" : "s")} closed paid, {ready} ready to write off.");
    }
}
