using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Liens;
using OpenCIS.Core.Pursuit;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Customers;
using OpenCIS.Storage.Liens;
using OpenCIS.UseCases.Billing.Corrections;
using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.Ledger;

namespace OpenCIS.UseCases.Liens;

/// <summary>One account the lien run acted on, and what it did.</summary>
public sealed record LienStep(string AccountNumber, string? LienNumber, LienActionKind Action, string Reason);

public sealed record LienRunOutcome(DateOnly BusinessDate, int Looked, int Noticed, int Filed, int PartlyPaid, int Satisfied, IReadOnlyList<LienStep> Steps, string Message);

/// <summary>
/// The daily lien run, after the collections run for the same business date: each account the run left far enough past due under a
/// policy with liens, and each open lien, takes the one step <see cref="PremiseLiens.Decide"/> gives it (a notice to the owner of record,
/// a filing with its fee posted, a partly-paid or satisfied mark) in its own transaction under the account's lock. Each step changes the
/// facts it was decided on, so running a date again does nothing twice.
/// </summary>
public sealed class RunLiens(OpenCisDbContext db, TimeProvider clock)
{
    public async Task<LienRunOutcome> ExecuteAsync(DateOnly businessDate, string user, CancellationToken cancellationToken = default)
    {
        var catalog = await CollectionPolicyCatalog.LoadAsync(db, cancellationToken);
        var rules = catalog.InForce(businessDate).Where(p => p.Policy.Liens is not null).ToDictionary(p => p.Policy.Code, p => p.Policy.Liens!, StringComparer.Ordinal);
        var steps = new List<LienStep>();
        var openLiens = await db.Liens.AsNoTracking().Where(l => l.Status == LienStatus.Noticed || l.Status == LienStatus.Filed || l.Status == LienStatus.PartlyPaid).ToListAsync(cancellationToken);
        var standings = new Dictionary<long, Storage.Collections.AccountCollection>();
        if (rules.Count > 0)
        {
            var fewestDays = rules.Values.Min(r => r.DaysPastDue);
            var codes = rules.Keys.ToList();
            standings = await db.AccountCollections.AsNoTracking()
                .Where(c => c.LastRunOn == businessDate && c.DaysPastDue >= fewestDays && codes.Contains(c.PolicyCode)).ToDictionaryAsync(c => c.AccountId, cancellationToken);
        }

        // An open lien is looked at whatever the collections run made of its account today (it may be paid up and out of collections).
        var others = openLiens.Select(l => l.AccountId).Where(id => !standings.ContainsKey(id)).Distinct().ToList();
        if (others.Count > 0)
        {
            foreach (var standing in await db.AccountCollections.AsNoTracking().Where(c => others.Contains(c.AccountId)).ToListAsync(cancellationToken))
            {
                standings[standing.AccountId] = standing;
            }
        }

        var accountIds = standings.Keys.Concat(openLiens.Select(l => l.AccountId)).Distinct().Order().ToList();
        if (accountIds.Count == 0)
        {
            return Outcome(businessDate, 0, steps, rules.Count == 0 && openLiens.Count == 0 ? "No collection policy in force has liens." : "No account is due for a lien step.");
        }

        var accounts = await db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, cancellationToken);
        var ownerResponsible = await OwnerResponsibleAsync(accountIds, cancellationToken);
        var withAgency = await (from r in db.Referrals.AsNoTracking()
                                join g in db.CollectionAgencies.AsNoTracking() on r.AgencyId equals g.Id
                                where accountIds.Contains(r.AccountId) && r.Status == ReferralStatus.Open
                                select new { r.AccountId, g.Name }).ToListAsync(cancellationToken);
        var agencyOf = withAgency.GroupBy(r => r.AccountId).ToDictionary(g => g.Key, g => g.First().Name);
        var openByAccount = openLiens.GroupBy(l => l.AccountId).ToDictionary(g => g.Key, g => g.OrderBy(l => l.Id).Last());
        var outstanding = await LienRegister.OutstandingAsync(db, [.. openLiens.Select(l => l.Id)], cancellationToken);
        var writtenOff = (await LienRegister.WrittenOffAsync(db, [.. openLiens.Select(l => l.Id)], cancellationToken)).Values
            .GroupBy(w => w.LienId).ToDictionary(g => g.Key, g => g.Sum(w => w.Cents));
        var none = new LienRules(LienRules.DaysMax, Money.Zero, 1, Money.Zero);

        foreach (var accountId in accountIds)
        {
            var account = accounts[accountId];
            standings.TryGetValue(accountId, out var standing);
            openByAccount.TryGetValue(accountId, out var lien);
            var policyCode = lien?.PolicyCode ?? standing?.PolicyCode ?? "";
            var policyRules = rules.GetValueOrDefault(policyCode) ?? none;
            var open = lien is null ? null : new OpenLien(lien.Number, lien.Status, lien.NoticeEndsOn,
                Money.FromCents(lien.FiledPrincipalCents is { } filed ? filed + lien.FilingFeeCents : lien.PrincipalCents), Money.FromCents(outstanding.GetValueOrDefault(lien.Id)),
                Money.FromCents(writtenOff.GetValueOrDefault(lien.Id)));
            var facts = new LienAccount(account.PremiseId is not null && ownerResponsible.Contains(accountId), standing?.DaysPastDue ?? 0, Money.FromCents(standing?.PastDueCents ?? 0),
                standing?.ProtectedBy, agencyOf.GetValueOrDefault(accountId), open);
            var action = PremiseLiens.Decide(policyRules, facts, businessDate);
            if (action.Kind == LienActionKind.None)
            {
                continue;
            }

            try
            {
                var number = await ActAsync(account, lien?.Id, policyCode, policyRules, action, businessDate, user, cancellationToken);
                steps.Add(new LienStep(account.AccountNumber, number ?? lien?.Number, number is null && action.Kind == LienActionKind.Notice ? LienActionKind.None : action.Kind, action.Reason));
            }
            catch (DomainException exception)
            {
                db.ChangeTracker.Clear();
                steps.Add(new LienStep(account.AccountNumber, lien?.Number, LienActionKind.None, $"{action.Reason}, but it could not be done: {exception.Message}"));
            }
        }

        return Outcome(businessDate, accountIds.Count, steps, null);
    }

    /// <summary>Acts on one account under its lock; the lien's number, or none when the facts changed and nothing was done.</summary>
    private async Task<string?> ActAsync(Account account, long? lienId, string policyCode, LienRules rules, LienAction action, DateOnly today, string user, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await CorrectionBilling.BeginForAccountAsync(db, account.Id, cancellationToken);
        string? number;
        if (action.Kind == LienActionKind.Notice)
        {
            number = await NoticeAsync(account, policyCode, rules, today, user, now, cancellationToken);
        }
        else
        {
            var row = await db.Liens.SingleAsync(l => l.Id == lienId, cancellationToken);
            number = row.Number;
            var before = row.Status;
            switch (action.Kind)
            {
                case LienActionKind.File:
                    await FileAsync(row, rules, today, user, now, cancellationToken);
                    break;
                case LienActionKind.MarkPartlyPaid:
                    row.Status = LienStatus.PartlyPaid;
                    break;
                case LienActionKind.Satisfy:
                    row.Status = LienStatus.Satisfied;
                    row.SatisfiedOn = today;
                    break;
            }

            AuditLog.Record(db, now, user, "Lien", row.Id, row.AccountId, $"Lien {PremiseLiens.Words(row.Status)}", new { Status = before }, new { row.Status, row.FiledOn, row.FilingFeeCents }, action.Reason);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return number;
    }

    private async Task<string?> NoticeAsync(Account account, string policyCode, LienRules rules, DateOnly today, string user, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await db.Liens.AnyAsync(l => l.AccountId == account.Id && (l.Status == LienStatus.Noticed || l.Status == LienStatus.Filed || l.Status == LienStatus.PartlyPaid), cancellationToken))
        {
            return null;
        }

        var items = await PastDueItems.Before(db.OpenItems.AsNoTracking().Where(o => o.AccountId == account.Id), today).OrderBy(o => o.DueOn).ThenBy(o => o.Id).ToListAsync(cancellationToken);
        var principal = items.Sum(o => o.OpenCents);
        if (principal <= 0 || principal < rules.MinimumBalance.Cents)
        {
            return null;
        }

        var premise = await db.Premises.AsNoTracking().SingleAsync(p => p.Id == account.PremiseId, cancellationToken);
        var owner = await (from ac in db.AccountCustomers.AsNoTracking()
                           join c in db.Customers.AsNoTracking() on ac.CustomerId equals c.Id
                           where ac.AccountId == account.Id && ac.Role == AccountRole.Owner
                           orderby ac.Id descending
                           select c).FirstOrDefaultAsync(cancellationToken);
        var ownerName = premise.OwnerOfRecord.Length > 0 ? premise.OwnerOfRecord : owner?.DisplayName ?? "";
        var ownerAddress = owner is { MailingLine1.Length: > 0 } ? $"{owner.MailingLine1}, {owner.MailingCity}, {owner.MailingState} {owner.MailingZip}" : premise.FullAddress;
        var row = new LienRow
        {
            AccountId = account.Id, PremiseId = premise.Id, ParcelId = premise.ParcelId, OwnerOfRecord = ownerName, OwnerAddress = ownerAddress, PremiseAddress = premise.FullAddress,
            PolicyCode = policyCode, Status = LienStatus.Noticed, PrincipalCents = principal, NoticedOn = today, NoticeEndsOn = today.AddDays(rules.NoticeDays), NoticedBy = user, CreatedAt = now,
        };
        db.Liens.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        db.LienItems.AddRange(items.Select(o => new LienItemRow { LienId = row.Id, OpenItemId = o.Id, PostedOn = o.PostedOn, DueOn = o.DueOn, AmountCents = o.OpenCents }));
        AuditLog.Record(db, now, user, "Lien", row.Id, account.Id, "Notice lien", null,
            new { row.Number, row.ParcelId, row.OwnerOfRecord, Principal = Money.FromCents(principal).ToPlainString(), row.NoticeEndsOn }, $"Lien run {today:yyyy-MM-dd}");
        return row.Number;
    }

    private async Task FileAsync(LienRow row, LienRules rules, DateOnly today, string user, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var unpaid = (await LienRegister.OutstandingAsync(db, [row.Id], cancellationToken)).GetValueOrDefault(row.Id);
        row.Status = LienStatus.Filed;
        row.FiledOn = today;
        row.FiledBy = user;
        row.FiledPrincipalCents = unpaid;
        row.FilingFeeCents = rules.FilingFee.Cents;
        if (!rules.FilingFee.IsPositive)
        {
            return;
        }

        var ledger = await AccountLedger.LoadAsync(db, row.AccountId, cancellationToken);
        var posted = ledger.Post(db, PostingRules.ForLienFee(rules.FilingFee), today, today, null, user, $"Lien {row.Number} filing fee", now);
        await db.SaveChangesAsync(cancellationToken);
        var feeItem = await db.OpenItems.AsNoTracking().SingleAsync(o => o.FinancialTransactionId == posted.Id, cancellationToken);
        row.FeeTransactionId = posted.Id;
        db.LienItems.Add(new LienItemRow { LienId = row.Id, OpenItemId = feeItem.Id, PostedOn = today, DueOn = today, AmountCents = feeItem.OpenCents, IsFee = true });
    }

    /// <summary>The accounts whose latest main customer is also their owner: owner-occupied, or a landlord's own account.</summary>
    private async Task<HashSet<long>> OwnerResponsibleAsync(List<long> accountIds, CancellationToken cancellationToken)
    {
        var roles = await db.AccountCustomers.AsNoTracking().Where(ac => accountIds.Contains(ac.AccountId) && (ac.Role == AccountRole.Main || ac.Role == AccountRole.Owner))
            .Select(ac => new { ac.Id, ac.AccountId, ac.CustomerId, ac.Role }).ToListAsync(cancellationToken);
        return [.. roles.GroupBy(r => r.AccountId).Where(g =>
        {
            var main = g.Where(r => r.Role == AccountRole.Main).OrderBy(r => r.Id).LastOrDefault();
            return main is not null && g.Any(r => r.Role == AccountRole.Owner && r.CustomerId == main.CustomerId);
        }).Select(g => g.Key)];
    }

    private static LienRunOutcome Outcome(DateOnly date, int looked, List<LienStep> steps, string? message)
    {
        int Count(LienActionKind kind) => steps.Count(s => s.Action == kind);
        var (noticed, filed, partly, satisfied) = (Count(LienActionKind.Notice), Count(LienActionKind.File), Count(LienActionKind.MarkPartlyPaid), Count(LienActionKind.Satisfy));
        return new LienRunOutcome(date, looked, noticed, filed, partly, satisfied, steps, message
            ?? $"Liens for {date:yyyy-MM-dd}: {looked} account{(looked == 1 ? "" : "s")} looked at; {noticed} noticed, {filed} filed, {partly} partly paid, {satisfied} satisfied.");
    }
}
