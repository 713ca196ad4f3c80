using System.Collections.Immutable;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Bankruptcy;
using OpenCIS.Core.Campaigns;
using OpenCIS.Core.Common;
using OpenCIS.Core.Pursuit;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Campaigns;
using OpenCIS.Storage.Collections;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.Pursuit;

namespace OpenCIS.UseCases.Campaigns;

/// <summary>A campaign to build: its name, who it calls, its script, its outcome codes (the defaults when none) and its collectors.</summary>
public sealed record CampaignRequest(string Name, CampaignCriteria Criteria, string? Script, IReadOnlyList<string>? Outcomes, IReadOnlyList<string> Collectors);

/// <summary>An account on a campaign's list as a collector works it: who owes, how to reach them, and how the calls went.</summary>
public sealed record CampaignTargetView(long Id, string AccountNumber, string CustomerName, string? Phone, string? Email, string MailingAddress, string Collector, Money Balance,
    int DaysPastDue, Money BalanceNow, TargetStatus Status, int Attempts, string? LastOutcome, DateTimeOffset? LastCalledAt)
{
    /// <summary>The phone on file is known not to work (a wrong number): try the alternates.</summary>
    public bool PhoneFailed { get; init; }

    /// <summary>Mail came back from the address on file.</summary>
    public bool MailReturned { get; init; }

    /// <summary>The alternate phones skip tracing found that are still worth a try.</summary>
    public IReadOnlyList<string> AlternatePhones { get; init; } = [];
}

/// <summary>A campaign with its list and each collector's results.</summary>
public sealed record CampaignView(long Id, string Name, CampaignStatus Status, CampaignCriteria Criteria, string Script, IReadOnlyList<string> Outcomes, IReadOnlyList<string> Collectors,
    DateOnly CreatedOn, string CreatedBy, DateOnly? ClosedOn, IReadOnlyList<CampaignTargetView> Targets, IReadOnlyList<CollectorResults> Results)
{
    public int Open => Targets.Count(t => t.Status == TargetStatus.Open);

    public Money Owed => Money.Sum(Targets.Select(t => t.Balance));
}

/// <summary>A campaign in the list of campaigns.</summary>
public sealed record CampaignSummary(long Id, string Name, CampaignStatus Status, string Criteria, DateOnly CreatedOn, string CreatedBy, int Targets, int Open, Money Owed);

/// <summary>A call to log on a campaign's target, with the promise taken on it.</summary>
public sealed record CampaignCallRequest(long TargetId, string Outcome, string? Note, PromiseTerms? Promise);

public sealed record CampaignCallOutcome(CampaignTargetView Target, ContactOutcome Contact, string Message);

/// <summary>
/// Calling campaigns: a list of accounts chosen by criteria (aging bucket, debt type, amount range, final accounts, broken promises),
/// built once and dealt to the collectors; each call logged as a contact on the account with its outcome and any promise to pay,
/// counted in the campaign; each collector's results (calls, right-party contacts, promises, promised against collected). Accounts in
/// a bankruptcy case (the stay forbids collection calls) or with an agency are left off the list.
/// </summary>
public sealed class CallingCampaignBook(OpenCisDbContext db, LogContact contacts, BusinessCalendar calendar, TimeProvider clock)
{
    public const int TargetsMax = 5000;

    /// <summary>How long a broken promise keeps an account among the broken promises, in days.</summary>
    public const int BrokenPromiseDays = 90;

    public async Task<CampaignView> CreateAsync(CampaignRequest request, string user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = request.Name?.Trim() ?? "";
        if (name.Length is 0 or > CampaignRow.NameLengthMax)
        {
            throw new DomainException($"Give the campaign a name of 1 to {CampaignRow.NameLengthMax} characters.", "name");
        }

        request.Criteria.Check();
        var script = request.Script?.Trim() ?? "";
        if (script.Length > CampaignRow.ScriptLengthMax)
        {
            throw new DomainException($"The script can be at most {CampaignRow.ScriptLengthMax} characters.", "script");
        }

        var outcomes = (request.Outcomes ?? []).Select(o => o.Trim().ToLowerInvariant()).Where(o => o.Length > 0).Distinct().ToList();
        if (outcomes.Count == 0)
        {
            outcomes = [.. CallingCampaigns.DefaultOutcomes];
        }

        if (outcomes.FirstOrDefault(o => !LogContact.Outcomes.Contains(o)) is { } unknown)
        {
            throw new DomainException($"'{unknown}' is not an outcome code; use those of {string.Join(", ", LogContact.Outcomes)}.", "outcomes");
        }

        var named = (request.Collectors ?? []).Select(c => c.Trim()).Where(c => c.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var normalized = named.Select(c => c.ToUpperInvariant()).ToList();
        var known = await db.Users.AsNoTracking().Where(u => normalized.Contains(u.NormalizedUserName!)).ToDictionaryAsync(u => u.NormalizedUserName!, u => u.UserName!, cancellationToken);
        // Names are checked against the staff sign-ins once there are any (a database seeded from the command line has none yet).
        if (named.FirstOrDefault(c => !known.ContainsKey(c.ToUpperInvariant())) is { } stranger && await db.Users.AnyAsync(cancellationToken))
        {
            throw new DomainException($"There is no user {stranger} to call the list.", "collectors");
        }

        var collectors = named.Select(c => known.GetValueOrDefault(c.ToUpperInvariant(), c)).ToList();

        var today = calendar.Today();
        var candidates = await CandidatesAsync(today, cancellationToken);
        var chosen = candidates.Where(c => CallingCampaigns.Matches(request.Criteria, c)).ToList();
        if (chosen.Count == 0)
        {
            throw new DomainException($"No account is {request.Criteria.Describe()}: the campaign would have nobody to call.", "criteria");
        }

        if (chosen.Count > TargetsMax)
        {
            throw new DomainException($"{chosen.Count:N0} accounts match; a campaign calls at most {TargetsMax:N0}. Narrow the criteria.", "criteria");
        }

        var dealt = CallingCampaigns.Assign(chosen, collectors);
        var now = clock.GetUtcNow();
        var criteria = request.Criteria;
        var row = new CampaignRow
        {
            Name = name, Status = CampaignStatus.Open, MinimumDaysPastDue = criteria.MinimumDaysPastDue, MaximumDaysPastDue = criteria.MaximumDaysPastDue,
            MinimumBalanceCents = criteria.MinimumBalance.Cents, MaximumBalanceCents = criteria.MaximumBalance?.Cents, Debt = criteria.Debt, FinalOnly = criteria.FinalOnly,
            BrokenPromisesOnly = criteria.BrokenPromisesOnly, Script = script, Outcomes = string.Join(',', outcomes), Collectors = string.Join(',', collectors),
            CreatedOn = today, CreatedBy = user, CreatedAt = now,
        };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Campaigns.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        db.CampaignTargets.AddRange(dealt.Select(d => new CampaignTargetRow
        {
            CampaignId = row.Id, AccountId = d.Target.AccountId, Collector = d.Collector, BalanceCents = d.Target.Balance.Cents, DaysPastDue = d.Target.DaysPastDue, Status = TargetStatus.Open,
        }));
        AuditLog.Record(db, now, user, "Campaign", row.Id, null, "Build calling campaign", null, new { name, Criteria = criteria.Describe(), Targets = dealt.Count, Collectors = row.Collectors }, null);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return await FindAsync(row.Id, cancellationToken: cancellationToken);
    }

    public async Task<IReadOnlyList<CampaignSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        var rows = await db.Campaigns.AsNoTracking().OrderByDescending(c => c.Id).ToListAsync(cancellationToken);
        var counts = await db.CampaignTargets.AsNoTracking().GroupBy(t => t.CampaignId)
            .Select(g => new { g.Key, Targets = g.Count(), Open = g.Count(t => t.Status == TargetStatus.Open), Owed = g.Sum(t => t.BalanceCents) }).ToDictionaryAsync(g => g.Key, cancellationToken);
        return [.. rows.Select(r =>
        {
            var c = counts.GetValueOrDefault(r.Id);
            return new CampaignSummary(r.Id, r.Name, r.Status, Criteria(r).Describe(), r.CreatedOn, r.CreatedBy, c?.Targets ?? 0, c?.Open ?? 0, Money.FromCents(c?.Owed ?? 0));
        })];
    }

    /// <summary>A campaign with its list (only <paramref name="collector"/>'s targets when named) and every collector's results.</summary>
    public async Task<CampaignView> FindAsync(long id, string? collector = null, CancellationToken cancellationToken = default)
    {
        var row = await db.Campaigns.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken)
            ?? throw new DomainException($"There is no campaign {id}.", "id");
        var targets = await db.CampaignTargets.AsNoTracking().Where(t => t.CampaignId == id).OrderBy(t => t.Collector).ThenByDescending(t => t.BalanceCents).ThenBy(t => t.Id).ToListAsync(cancellationToken);
        var views = await TargetViewsAsync([.. targets.Where(t => collector is null || string.Equals(t.Collector, collector, StringComparison.OrdinalIgnoreCase))], cancellationToken);

        var calls = await db.CampaignCalls.AsNoTracking().Where(c => c.CampaignId == id).ToListAsync(cancellationToken);
        var collected = await CollectedAsync(row, targets, cancellationToken);
        var collectors = Split(row.Collectors);
        var results = CallingCampaigns.Results(collectors, targets.GroupBy(t => t.Collector, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Count(), StringComparer.OrdinalIgnoreCase),
            calls.Select(c => new CampaignCall(c.Collector, c.Outcome, c.RightParty, Money.FromCents(c.PromisedCents))), collected);
        return new CampaignView(row.Id, row.Name, row.Status, Criteria(row), row.Script, Split(row.Outcomes), collectors, row.CreatedOn, row.CreatedBy, row.ClosedOn, views, results);
    }

    /// <summary>
    /// Logs a call on one of the campaign's targets: the contact on the account with its outcome, the promise taken on it and the campaign's
    /// record of the call, in one transaction; a right-party outcome or one after which there is nothing to call about finishes the target.
    /// </summary>
    /// <param name="anyList">
    /// Whether the caller may log a call on another collector's list (a Supervisor covering for them); a collector logs
    /// calls on their own list only.
    /// </param>
    public async Task<CampaignCallOutcome> LogCallAsync(long campaignId, CampaignCallRequest request, string user, CancellationToken cancellationToken = default, bool anyList = false)
    {
        ArgumentNullException.ThrowIfNull(request);
        var campaign = await db.Campaigns.AsNoTracking().SingleOrDefaultAsync(c => c.Id == campaignId, cancellationToken)
            ?? throw new DomainException($"There is no campaign {campaignId}.", "id");
        if (campaign.Status != CampaignStatus.Open)
        {
            throw new DomainException($"Campaign {campaign.Name} is closed; its calls are over.", "id");
        }

        var target = await db.CampaignTargets.AsNoTracking().SingleOrDefaultAsync(t => t.Id == request.TargetId && t.CampaignId == campaignId, cancellationToken)
            ?? throw new DomainException($"Campaign {campaign.Name} has no target {request.TargetId}.", "targetId");
        if (!anyList && !string.Equals(target.Collector, user, StringComparison.OrdinalIgnoreCase))
        {
            throw new DomainException($"That account is on {target.Collector}'s list; a Supervisor may log a call on it for them.", "targetId");
        }

        var outcome = request.Outcome?.Trim().ToLowerInvariant() ?? "";
        var allowed = Split(campaign.Outcomes);
        if (!allowed.Contains(outcome))
        {
            throw new DomainException($"'{request.Outcome}' is not one of this campaign's outcome codes: {string.Join(", ", allowed)}.", "outcome");
        }

        if (request.Promise is not null && outcome != "promise-to-pay")
        {
            throw new DomainException("A promise is taken with the outcome promise-to-pay.", "outcome");
        }

        if (request.Promise is null && outcome == "promise-to-pay")
        {
            throw new DomainException("Give the amount and date the debtor promised.", "promiseAmount");
        }

        var note = string.IsNullOrWhiteSpace(request.Note) ? $"Campaign: {campaign.Name}" : $"Campaign {campaign.Name}: {request.Note.Trim()}";
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var logged = await contacts.ExecuteAsync(target.AccountId, new ContactRequest(ContactKind.Call, outcome, note, request.Promise, "collections"), user, cancellationToken);
        var now = clock.GetUtcNow();
        var row = await db.CampaignTargets.SingleAsync(t => t.Id == target.Id, cancellationToken);
        row.Attempts++;
        row.LastOutcome = outcome;
        row.LastCalledAt = now;
        if (CallingCampaigns.Finishes(outcome))
        {
            row.Status = TargetStatus.Done;
        }

        db.CampaignCalls.Add(new CampaignCallRow
        {
            CampaignId = campaignId, TargetId = target.Id, AccountId = target.AccountId, ContactId = logged.Contact.Id, Collector = user, Outcome = outcome,
            RightParty = CallingCampaigns.IsRightParty(outcome), PromiseId = logged.Promise?.Id, PromisedCents = logged.Promise?.AmountCents ?? 0, CalledAt = now,
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        // Only the target called is read back, not the whole campaign: a call is made many times a day on lists of thousands.
        var view = (await TargetViewsAsync([await db.CampaignTargets.AsNoTracking().SingleAsync(t => t.Id == target.Id, cancellationToken)], cancellationToken)).Single();
        return new CampaignCallOutcome(view, logged, $"{logged.Message} {view.AccountNumber}: {(view.Status == TargetStatus.Done ? "done" : $"{view.Attempts} attempt{(view.Attempts == 1 ? "" : "s")}, still to reach")}.");
    }

    public async Task<CampaignView> CloseAsync(long id, string user, CancellationToken cancellationToken = default)
    {
        var row = await db.Campaigns.SingleOrDefaultAsync(c => c.Id == id, cancellationToken) ?? throw new DomainException($"There is no campaign {id}.", "id");
        if (row.Status == CampaignStatus.Open)
        {
            row.Status = CampaignStatus.Closed;
            row.ClosedOn = calendar.Today();
            row.ClosedBy = user;
            AuditLog.Record(db, clock.GetUtcNow(), user, "Campaign", row.Id, null, "Close calling campaign", new { Status = CampaignStatus.Open }, new { row.Status, row.ClosedOn }, null);
            await db.SaveChangesAsync(cancellationToken);
        }

        db.ChangeTracker.Clear();
        return await FindAsync(id, cancellationToken: cancellationToken);
    }

    /// <summary>The targets as a collector works them: the account, its main customer and how to reach them, and the balance now.</summary>
    private async Task<List<CampaignTargetView>> TargetViewsAsync(IReadOnlyList<CampaignTargetRow> targets, CancellationToken cancellationToken)
    {
        var accountIds = targets.Select(t => t.AccountId).Distinct().ToList();
        var accounts = await db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.AccountNumber, cancellationToken);
        var customers = (await (from ac in db.AccountCustomers.AsNoTracking()
                                join c in db.Customers.AsNoTracking() on ac.CustomerId equals c.Id
                                where accountIds.Contains(ac.AccountId) && ac.Role == AccountRole.Main
                                orderby ac.Id
                                select new { ac.AccountId, c.Id, c.DisplayName, c.Phone, c.Email, c.MailingLine1, c.MailingCity, c.MailingState, c.MailingZip, c.PhoneFailedOn, c.MailReturnedOn })
                .ToListAsync(cancellationToken))
            .GroupBy(x => x.AccountId).ToDictionary(g => g.Key, g => g.Last());
        var customerIds = customers.Values.Select(c => c.Id).Distinct().ToList();
        var alternatePhones = (await db.AlternateContacts.AsNoTracking()
                .Where(a => customerIds.Contains(a.CustomerId) && a.Channel == Core.Customers.ContactChannel.Phone && a.Status == Storage.Customers.AlternateContactStatus.Active)
                .OrderBy(a => a.Id).Select(a => new { a.CustomerId, a.Value }).ToListAsync(cancellationToken))
            .ToLookup(a => a.CustomerId, a => a.Value);
        var balances = await Ledger.AccountLedger.BalancesAsync(db, accountIds, cancellationToken);
        return [.. targets.Select(t =>
        {
            var who = customers.GetValueOrDefault(t.AccountId);
            return new CampaignTargetView(t.Id, accounts[t.AccountId], who?.DisplayName ?? "", who?.Phone, who?.Email,
                who is null ? "" : $"{who.MailingLine1}, {who.MailingCity}, {who.MailingState} {who.MailingZip}", t.Collector, Money.FromCents(t.BalanceCents), t.DaysPastDue,
                Money.FromCents(balances.GetValueOrDefault(t.AccountId)), t.Status, t.Attempts, t.LastOutcome, t.LastCalledAt)
            {
                PhoneFailed = who?.PhoneFailedOn is not null,
                MailReturned = who?.MailReturnedOn is not null,
                AlternatePhones = who is null ? [] : [.. alternatePhones[who.Id]],
            };
        })];
    }

    /// <summary>Each collector's collected amount: the payments on their targets' accounts since the campaign was built (to its close).</summary>
    private async Task<Dictionary<string, Money>> CollectedAsync(CampaignRow campaign, List<CampaignTargetRow> targets, CancellationToken cancellationToken)
    {
        var accountIds = targets.Select(t => t.AccountId).Distinct().ToList();
        var until = campaign.ClosedOn ?? DateOnly.MaxValue;
        var paid = await db.Payments.AsNoTracking().Where(p => accountIds.Contains(p.AccountId) && p.ReceivedOn >= campaign.CreatedOn && p.ReceivedOn <= until)
            .GroupBy(p => p.AccountId).Select(g => new { g.Key, Cents = g.Sum(p => p.AmountCents) }).ToDictionaryAsync(g => g.Key, g => g.Cents, cancellationToken);
        return targets.GroupBy(t => t.Collector, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => Money.FromCents(g.Select(t => t.AccountId).Distinct().Sum(a => paid.GetValueOrDefault(a))), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Every account owing something past due today, with what the criteria read.</summary>
    private async Task<List<CampaignCandidate>> CandidatesAsync(DateOnly today, CancellationToken cancellationToken)
    {
        var pastDue = await PastDueItems.Before(db.OpenItems.AsNoTracking(), today).GroupBy(o => o.AccountId)
            .Select(g => new { g.Key, Oldest = g.Min(o => o.DueOn) }).ToListAsync(cancellationToken);
        var ids = pastDue.Select(p => p.Key).ToList();
        if (ids.Count == 0)
        {
            return [];
        }

        var balances = await Ledger.AccountLedger.BalancesAsync(db, ids, cancellationToken);
        var accounts = await db.Accounts.AsNoTracking().Where(a => ids.Contains(a.Id)).Select(a => new { a.Id, a.PremiseId, a.Status }).ToDictionaryAsync(a => a.Id, cancellationToken);
        var since = today.AddDays(-BrokenPromiseDays);
        var broken = (await db.Promises.AsNoTracking().Where(p => ids.Contains(p.AccountId) && p.Status == PromiseStatus.Broken && p.DecidedOn >= since)
            .Select(p => p.AccountId).Distinct().ToListAsync(cancellationToken)).ToHashSet();
        var bankrupt = (await db.BankruptcyAccounts.AsNoTracking().Where(a => ids.Contains(a.AccountId))
            .Join(db.BankruptcyCases.AsNoTracking().Where(c => c.Status == BankruptcyStatus.Open), a => a.CaseId, c => c.Id, (a, _) => a.AccountId).ToListAsync(cancellationToken)).ToHashSet();
        var withAgency = (await db.Referrals.AsNoTracking().Where(r => ids.Contains(r.AccountId) && r.Status == ReferralStatus.Open).Select(r => r.AccountId).ToListAsync(cancellationToken)).ToHashSet();
        return [.. pastDue.Where(p => accounts.ContainsKey(p.Key)).Select(p =>
        {
            var account = accounts[p.Key];
            return new CampaignCandidate(p.Key, account.PremiseId is null, account.PremiseId is not null && account.Status != AccountStatus.Active, today.DayNumber - p.Oldest.DayNumber,
                Money.FromCents(balances.GetValueOrDefault(p.Key)), broken.Contains(p.Key), bankrupt.Contains(p.Key) || withAgency.Contains(p.Key));
        })];
    }

    private static CampaignCriteria Criteria(CampaignRow r) =>
        new(r.MinimumDaysPastDue, r.MaximumDaysPastDue, Money.FromCents(r.MinimumBalanceCents), r.MaximumBalanceCents is { } high ? Money.FromCents(high) : null, r.Debt, r.FinalOnly, r.BrokenPromisesOnly);

    private static ImmutableArray<string> Split(string text) => [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
