using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Collections;
using OpenCIS.Core.Common;
using OpenCIS.Core.Customers;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage.Collections;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.Customers;
using OpenCIS.UseCases.Demo;
using OpenCIS.UseCases.Reports;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// The demo city, seeded once per database for the tests of this class: a 200-account city whose year of
/// collections the real daily run produced, every business day, up to the demo date (a Tuesday).
/// </summary>
public sealed class DemoCityFixture : IAsyncLifetime
{
    public const int Accounts = 200;
    public static readonly DateTimeOffset DemoDay = new(2026, 11, 17, 12, 0, 0, TimeSpan.Zero);

    private readonly Dictionary<TestProvider, Task<SeededDemoCity>> cities = [];
    private readonly List<IAsyncDisposable> owned = [];

    /// <summary>The city on <paramref name="provider"/>, seeded on first use.</summary>
    public Task<SeededDemoCity> CityAsync(TestProvider provider)
    {
        lock (cities)
        {
            if (!cities.TryGetValue(provider, out var city))
            {
                cities[provider] = city = SeedAsync(provider);
            }

            return city;
        }
    }

    private async Task<SeededDemoCity> SeedAsync(TestProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider, "the demo city's collections");
        lock (cities)
        {
            owned.Add(database);
        }

        await database.MigrateAsync();
        var services = database.Services(new FixedClock(DemoDay));
        lock (cities)
        {
            owned.Insert(0, services);
        }

        await using var scope = services.CreateAsyncScope();
        var outcome = await scope.ServiceProvider.GetRequiredService<SeedDemoCity>().ExecuteAsync(Accounts);
        return new SeededDemoCity(database, services, outcome);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var disposable in owned)
        {
            await disposable.DisposeAsync();
        }
    }
}

public sealed record SeededDemoCity(TestDatabase Database, ServiceProvider Services, DemoSeedOutcome Outcome)
{
    public long Planted(SeedDemoCity.PlantedCase kind) => Assert.Single(Outcome.Planted, p => p.Value == kind).Key;
}

/// <summary>
/// The demo city's year of collections, produced by the real daily run every business day: on the demo date
/// (a Tuesday) the planted non-payer is on the disconnect list with its reason, each planted protection keeps
/// its account off with the protection named, the planted arrangements, promise, final account and tenant come
/// out as planted, every entry explains itself, the same city gives the same list on both databases, and the
/// books tie out. The last month is then walked day by day from what the runs stored, each figure recomputed
/// from the policy and the ledger.
/// </summary>
public sealed class CollectionsDemoTests(DemoCityFixture fixture) : IClassFixture<DemoCityFixture>
{
    private static readonly DateTimeOffset DemoDay = DemoCityFixture.DemoDay;

    /// <summary>The list each database gave, by account number with its reason, to compare the two.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<TestProvider, string> Lists = new();

    private static readonly CollectionPolicy Riverbend = CollectionPolicyYaml.Read(File.ReadAllText(RepositoryExamples.Path("collections", "riverbend.yaml")), "riverbend.yaml");
    private static readonly CollectionPolicy RiverbendFinal = CollectionPolicyYaml.Read(File.ReadAllText(RepositoryExamples.Path("collections", "riverbend-final.yaml")), "riverbend-final.yaml");

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_trends_draw_from_the_demo_citys_year_with_its_planted_arrangements_field_orders_and_campaign(TestProvider provider)
    {
        TestDatabases.Require(provider, "the demo city's collections");
        var city = await fixture.CityAsync(provider);
        await using var scope = city.Services.CreateAsyncScope();
        var charts = (await scope.ServiceProvider.GetRequiredService<CollectionTrends>().AllAsync(null)).ToDictionary(c => c.Key);
        long Total(string chart, string series) => charts[chart].Series.Single(s => s.Name == series).Values.Sum(v => v ?? 0);
        IReadOnlyList<long?> Values(string chart, string series) => charts[chart].Series.Single(s => s.Name == series).Values;

        Assert.Equal(new OpenCIS.Core.Reports.CalendarMonth(2026, 11), charts[CollectionTrends.BilledAndCollected].Months[^1]);
        Assert.All(Values(CollectionTrends.BilledAndCollected, "Billed"), v => Assert.True(v > 0, "a year of bills: billed every month"));
        Assert.All(Values(CollectionTrends.BilledAndCollected, "Collected"), v => Assert.True(v > 0, "a year of payments: collected every month"));
        Assert.All(Values(CollectionTrends.DaysSalesOutstanding, "Days sales outstanding"), v => Assert.True(v is > 0 and < 120, $"a utility's DSO ({v})"));
        Assert.True(Values(CollectionTrends.ChargesAndWriteOffs, "Late charges").Count(v => v > 0) >= 6, "the daily run charges late in most months");
        Assert.True(Values(CollectionTrends.AgingOverTime, "Over 90 days")[^1] > 0, "the planted non-payers are over 90 days");

        // What the demo plants: the arrangement on track and the broken one, the broken promise, the field's disconnects and one
        // reconnect, and the collector's five campaign calls with one promise.
        Assert.Equal((2L, 0L, 1L), (Total(CollectionTrends.Arrangements, "Arrangements made"), Total(CollectionTrends.Arrangements, "Arrangements kept"), Total(CollectionTrends.Arrangements, "Arrangements broken")));
        Assert.Equal(1L, Total(CollectionTrends.Arrangements, "Promises broken"));
        Assert.Equal(((long)DemoFieldOrders.Disconnects, 1L), (Total(CollectionTrends.DisconnectsAndReconnects, "Disconnects"), Total(CollectionTrends.DisconnectsAndReconnects, "Reconnects")));
        Assert.Equal((5L, 1L), (Values(CollectionTrends.Campaigns, "Calls")[^1]!.Value, Values(CollectionTrends.Campaigns, "Promises taken")[^1]!.Value));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task An_open_energy_assistance_pledge_holds_the_listed_non_payers_disconnect_as_a_pending_payment(TestProvider provider)
    {
        TestDatabases.Require(provider, "the demo city's collections");
        var city = await fixture.CityAsync(provider);
        await using var scope = city.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCIS.Storage.OpenCisDbContext>();
        var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == city.Planted(SeedDemoCity.PlantedCase.ListedNonPayer));
        var today = DateOnly.FromDateTime(DemoDay.UtcDateTime);
        Assert.Null(await DisconnectChecks.ProtectionAsync(db, account, today, default));

        var pledges = scope.ServiceProvider.GetRequiredService<OpenCIS.UseCases.Assistance.AssistancePledgeWork>();
        var pledge = await pledges.RecordAsync(new OpenCIS.UseCases.Assistance.RecordPledgeRequest(account.AccountNumber, "County Community Action", Money.FromCents(20_000), today, today.AddDays(14), null), "clerk");
        try
        {
            var held = await DisconnectChecks.ProtectionAsync(db, account, today, default);
            Assert.Equal(("pending payment", true), (held?.Name, held?.Delays ?? false));
            Assert.Contains("energy assistance pledge from County Community Action", held!.Reason, StringComparison.Ordinal);
        }
        finally
        {
            // Withdrawn, it holds nothing, and the class's other tests see the city as seeded.
            await pledges.CloseAsync(pledge.Id, OpenCIS.Core.Assistance.PledgeStatus.Cancelled, "withdrawn by the agency", "clerk");
        }

        Assert.Null(await DisconnectChecks.ProtectionAsync(db, account, today, default));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_planted_chapter_13_case_stays_its_account_holds_its_claim_in_the_bankruptcy_receivable_and_has_the_trustees_first_payment(TestProvider provider)
    {
        TestDatabases.Require(provider, "the demo city's collections");
        var city = await fixture.CityAsync(provider);
        await using var scope = city.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCIS.Storage.OpenCisDbContext>();
        var stayed = city.Planted(SeedDemoCity.PlantedCase.BankruptcyStay);
        var found = await scope.ServiceProvider.GetRequiredService<OpenCIS.UseCases.Bankruptcy.BankruptcyCases>().FindAsync(SeedDemoCity.DemoBankruptcyCase);
        var account = Assert.Single(found.Accounts);
        Assert.Equal((stayed, OpenCIS.Core.Bankruptcy.BankruptcyStatus.Open, OpenCIS.Core.Bankruptcy.BankruptcyChapter.Chapter13, true),
            (account.AccountId, found.Status, found.Chapter, account.StayInForce));
        Assert.Equal(DateOnly.FromDateTime(DemoDay.UtcDateTime).AddMonths(-2), found.PetitionDate);
        var payment = Assert.Single(found.Payments);
        Assert.Equal(Money.Round(found.PrePetition.Dollars / 5m), payment.Amount);
        Assert.True(found.PrePetition.IsPositive && found.Remaining == found.PrePetition - payment.Amount, $"claim {found.PrePetition}, paid {payment.Amount}, left {found.Remaining}");

        // The claim is off the account and in the bankruptcy receivable, to the cent; the account owes only what was billed since the petition.
        var trial = await new OpenCIS.UseCases.Reports.LedgerReports(db).TrialBalanceAsync();
        Assert.True(trial.Balances && trial.TiesToSubLedger);
        Assert.Equal(found.Remaining, trial.Rows.Single(r => r.GlAccount == OpenCIS.Core.Ledger.GlAccounts.BankruptcyReceivable).Balance);
        Assert.False(await db.OpenItems.AnyAsync(o => o.AccountId == stayed && o.OpenCents > 0 && o.PostedOn <= found.PetitionDate));
        Assert.True(account.BalanceNow.IsPositive, "the bills since the petition are owed on the account");

        // No late charge since the petition: each one the policy would have made names the stay.
        var stayedCharges = await db.CollectionEvents.AsNoTracking().Where(e => e.AccountId == stayed && e.BusinessDate >= found.PetitionDate
            && (e.Action == CollectionAction.LateCharge || e.Action == CollectionAction.NoLateCharge)).ToListAsync();
        Assert.DoesNotContain(stayedCharges, e => e.Action == CollectionAction.LateCharge);
        Assert.Contains(stayedCharges, e => e.Reason.Contains($"not charged, bankruptcy stay: Chapter 13 case {SeedDemoCity.DemoBankruptcyCase}", StringComparison.Ordinal));

        // The stay does not stop the city asking a deposit as adequate assurance of payment for service after the petition.
        var number = await db.Accounts.Where(a => a.Id == stayed).Select(a => a.AccountNumber).SingleAsync();
        var assurance = await scope.ServiceProvider.GetRequiredService<OpenCIS.UseCases.Deposits.RequireDeposit>()
            .ExecuteAsync(new OpenCIS.UseCases.Deposits.RequireDepositRequest(number, null, null), "clerk");
        Assert.True(assurance.Deposit.BilledCents > 0 && assurance.Deposit.ChargeTransactionId is not null, assurance.Message);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_planted_final_balance_was_placed_with_the_agency_paid_a_fifth_with_commission_recalled_and_is_the_one_ready_to_write_off(TestProvider provider)
    {
        TestDatabases.Require(provider, "the demo city's collections");
        var city = await fixture.CityAsync(provider);
        await using var scope = city.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCIS.Storage.OpenCisDbContext>();
        var placed = city.Planted(SeedDemoCity.PlantedCase.AgencyPlacement);
        var number = await db.Accounts.Where(a => a.Id == placed).Select(a => a.AccountNumber).SingleAsync();

        // The one referral the pursuit made in the year: this account's, to the agency at 30 days past due, recalled after 120 days.
        var referral = Assert.Single(await scope.ServiceProvider.GetRequiredService<OpenCIS.UseCases.Pursuit.Referrals>().ListAsync(new OpenCIS.UseCases.Pursuit.ReferralFilter(Status: null)));
        Assert.Equal((number, OpenCIS.UseCases.Demo.DemoPursuit.AgencyCode, OpenCIS.Core.Pursuit.ReferralStatus.Recalled), (referral.AccountNumber, referral.AgencyCode, referral.Status));
        Assert.Equal(referral.ReferredOn.AddDays(120), referral.ClosedOn);
        Assert.StartsWith("Final-bill pursuit: ", referral.Reason, StringComparison.Ordinal);
        Assert.Contains("placed with CRS: 3", referral.Reason, StringComparison.Ordinal);

        // The agency's file 45 days in: a fifth of the placement, its 25% commission kept (net), the cash what it sent.
        var fifth = Money.Round(referral.ReferredCents / 100m / 5m);
        var commission = Money.Round(fifth.Dollars / 4m);
        Assert.Equal((fifth.Cents, commission.Cents, referral.ReferredCents - fifth.Cents), (referral.CollectedCents, referral.CommissionCents, referral.BalanceCents));
        var remittance = await db.AgencyRemittances.AsNoTracking().SingleAsync();
        Assert.Equal((fifth.Cents - commission.Cents, 0L), (remittance.RemittedCents, remittance.RecoveredCents));
        var trial = await new OpenCIS.UseCases.Reports.LedgerReports(db).TrialBalanceAsync();
        Assert.True(trial.Balances && trial.TiesToSubLedger);
        Assert.Equal(commission, trial.Rows.Single(r => r.GlAccount == OpenCIS.Core.Ledger.GlAccounts.AgencyCommissions).Balance);

        // On the demo date it is the one final account ready to write off, and nothing has been written off for it.
        var ready = Assert.Single(await scope.ServiceProvider.GetRequiredService<OpenCIS.UseCases.Pursuit.PursueFinalBills>().ReadyToWriteOffAsync());
        Assert.Equal((number, referral.BalanceCents), (ready.AccountNumber, ready.BalanceCents));
        Assert.True(ready.DaysPastDue >= 180, ready.Reason);
        Assert.False(await db.WriteOffs.AnyAsync(w => w.AccountId == placed));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_mornings_campaign_lists_the_accounts_over_30_days_past_due_but_the_stayed_one_counts_the_collectors_five_calls_and_traces_the_unreachable(TestProvider provider)
    {
        TestDatabases.Require(provider, "the demo city's collections");
        var city = await fixture.CityAsync(provider);
        await using var scope = city.Services.CreateAsyncScope();
        var book = scope.ServiceProvider.GetRequiredService<OpenCIS.UseCases.Campaigns.CallingCampaignBook>();
        var summary = Assert.Single(await book.ListAsync());
        var campaign = await book.FindAsync(summary.Id);
        Assert.Equal((OpenCIS.UseCases.Demo.DemoCampaigns.Name, "supervisor"), (campaign.Name, campaign.CreatedBy));
        Assert.Equal(["collector", "supervisor"], campaign.Collectors);
        Assert.All(campaign.Targets, t => Assert.True(t.DaysPastDue >= 31, $"{t.AccountNumber}: {t.DaysPastDue} days"));
        Assert.All(campaign.Targets, t => Assert.True(t.Balance >= Money.FromCents(50_00), $"{t.AccountNumber} owes {t.Balance}"));
        await using var db = city.Database.Context();
        var stayed = await db.Accounts.Where(a => a.Id == city.Planted(SeedDemoCity.PlantedCase.BankruptcyStay)).Select(a => a.AccountNumber).SingleAsync();
        Assert.DoesNotContain(campaign.Targets, t => t.AccountNumber == stayed);

        // The collector's first five calls, one of each outcome: two reached the debtor, one promise of half the balance.
        var mine = campaign.Targets.Where(t => t.Collector == "collector" && t.Attempts > 0).ToList();
        Assert.Equal(OpenCIS.UseCases.Demo.DemoCampaigns.FirstCalls.Order(StringComparer.Ordinal), mine.Select(t => t.LastOutcome!).Order(StringComparer.Ordinal));
        var results = campaign.Results.Single(r => r.Collector == "collector");
        var promised = mine.Single(t => t.LastOutcome == "promise-to-pay");
        Assert.Equal((5, 2, 1, Money.Round(promised.Balance.Dollars / 2m)), (results.Calls, results.RightPartyContacts, results.Promises, results.Promised));
        Assert.Equal(0, campaign.Results.Single(r => r.Collector == "supervisor").Calls);

        // Skip tracing the unreachable: the unanswered account's mail came back (its file imported) and the bureau has a newer address;
        // the wrong number's phone is marked failed by the call, and a relative gave another. Nobody else's mail is stopped.
        var skipTrace = scope.ServiceProvider.GetRequiredService<OpenCIS.UseCases.Customers.SkipTrace>();
        var unanswered = mine.Single(t => t.LastOutcome == "no-answer");
        var stopped = Assert.Single(await skipTrace.MailStoppedAsync());
        Assert.Equal((unanswered.AccountNumber, OpenCIS.UseCases.Demo.DemoSkipTrace.ReturnedReason), (stopped.AccountNumber, stopped.Reason));
        var traced = await skipTrace.ForAccountAsync(unanswered.AccountNumber);
        Assert.Equal(OpenCIS.UseCases.Demo.DemoSkipTrace.BureauAddress, Assert.Single(traced.Alternates).Value);
        Assert.Single(traced.ReturnedMail);
        var wrong = await skipTrace.ForAccountAsync(mine.Single(t => t.LastOutcome == "wrong-number").AccountNumber);
        Assert.StartsWith("wrong number", wrong.OnFile.Single(c => c.Channel == OpenCIS.Core.Customers.ContactChannel.Phone).Failure!.Reason, StringComparison.Ordinal);
        Assert.Equal(OpenCIS.UseCases.Demo.DemoSkipTrace.RelativePhone, Assert.Single(wrong.Alternates).Value);
        Assert.Equal(1, await db.Customers.CountAsync(c => c.PhoneFailedOn != null));

        // The campaign's list shows the collector what skip tracing found.
        var wrongTarget = mine.Single(t => t.LastOutcome == "wrong-number");
        Assert.Equal((true, false), (wrongTarget.PhoneFailed, wrongTarget.MailReturned));
        Assert.Equal([OpenCIS.UseCases.Demo.DemoSkipTrace.RelativePhone], wrongTarget.AlternatePhones);
        Assert.Equal(["wrong-number"], campaign.Targets.Where(t => t.PhoneFailed).Select(t => t.LastOutcome!).ToArray());
        Assert.Equal(["no-answer"], campaign.Targets.Where(t => t.MailReturned).Select(t => t.LastOutcome!).ToArray());
        var exported = System.Text.Encoding.UTF8.GetString((await scope.ServiceProvider.GetRequiredService<OpenCIS.UseCases.Campaigns.CampaignExport>().CsvAsync(summary.Id)).Content);
        Assert.Contains(exported.Split("\r\n"), l => l.StartsWith(wrongTarget.AccountNumber + ",", StringComparison.Ordinal)
            && l.EndsWith($",yes,no,{OpenCIS.UseCases.Demo.DemoSkipTrace.RelativePhone}", StringComparison.Ordinal));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_planted_liens_are_one_paid_and_released_and_one_filed_and_partly_paid_with_each_fee_in_lien_revenue(TestProvider provider)
    {
        TestDatabases.Require(provider, "the demo city's collections");
        var city = await fixture.CityAsync(provider);
        await using var scope = city.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCIS.Storage.OpenCisDbContext>();
        var register = scope.ServiceProvider.GetRequiredService<OpenCIS.UseCases.Liens.LienRegister>();

        // Paid in full after filing, satisfied, and its release recorded and printed.
        var released = Assert.Single(await register.OfAccountAsync(city.Planted(SeedDemoCity.PlantedCase.LienReleased)));
        Assert.Equal((OpenCIS.Core.Liens.LienStatus.Released, Money.FromCents(45_00), Money.Zero), (released.Status, released.FilingFee, released.Outstanding));
        Assert.True(released.NoticedOn < released.NoticeEndsOn && released.NoticeEndsOn < released.FiledOn && released.FiledOn < released.SatisfiedOn && released.SatisfiedOn < released.ReleasedOn,
            $"noticed {released.NoticedOn}, period ends {released.NoticeEndsOn}, filed {released.FiledOn}, satisfied {released.SatisfiedOn}, released {released.ReleasedOn}");
        Assert.Equal(released.Principal, released.FiledPrincipal);
        var release = await scope.ServiceProvider.GetRequiredService<OpenCIS.UseCases.Liens.LienDocuments>().RenderAsync(released.Number, OpenCIS.UseCases.Liens.LienDocumentKind.Release);
        Assert.Contains("Reason: Paid in full at the counter", release.Lines);

        // Filed and partly paid: the owner's 100.00, and the rest still secured.
        var partly = Assert.Single(await register.OfAccountAsync(city.Planted(SeedDemoCity.PlantedCase.LienPartlyPaid)));
        Assert.Equal((OpenCIS.Core.Liens.LienStatus.PartlyPaid, Money.FromCents(OpenCIS.UseCases.Demo.DemoLiens.PartPaymentCents)), (partly.Status, partly.Paid));
        Assert.Equal(partly.Secured - partly.Paid, partly.Outstanding);

        // Every lien of the year was noticed 120 days or more past due for $250.00 or more, and each filing's fee is in lien fee revenue.
        var all = await register.ListAsync(new OpenCIS.UseCases.Liens.LienFilter());
        foreach (var lien in all)
        {
            Assert.True(lien.Items.Where(i => !i.IsFee).Min(i => i.DueOn).AddDays(120) <= lien.NoticedOn, $"{lien.Number} noticed {lien.NoticedOn}");
            Assert.True(lien.Principal >= Money.FromCents(250_00), $"{lien.Number} for {lien.Principal}");
        }

        var trial = await new OpenCIS.UseCases.Reports.LedgerReports(db).TrialBalanceAsync();
        Assert.True(trial.Balances && trial.TiesToSubLedger);
        Assert.Equal(Money.FromCents(-45_00 * all.Count(l => l.FiledOn is not null)), trial.Rows.Single(r => r.GlAccount == OpenCIS.Core.Ledger.GlAccounts.LienFees).Balance);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_disconnect_list_on_the_demo_date_holds_the_planted_non_payer_and_each_planted_protection_keeps_its_account_off(TestProvider provider)
    {
        TestDatabases.Require(provider, "the demo city's collections");
        var city = await fixture.CityAsync(provider);
        var (services, outcome) = (city.Services, city.Outcome);
        var planted = outcome.Planted.Where(p => p.Value >= SeedDemoCity.PlantedCase.ListedNonPayer).ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(13, planted.Count);
        await using var db = city.Database.Context();
        var numbers = await db.Accounts.ToDictionaryAsync(a => a.Id, a => a.AccountNumber);
        DisconnectList list;
        await using (var scope = services.CreateAsyncScope())
        {
            list = await scope.ServiceProvider.GetRequiredService<CollectionQueries>().DisconnectListAsync(withProtected: true);
        }

        Assert.Equal(DateOnly.FromDateTime(DemoDay.UtcDateTime), list.AsOf);
        var entries = list.Entries.ToDictionary(e => e.AccountNumber);
        var listed = city.Planted(SeedDemoCity.PlantedCase.ListedNonPayer);
        Assert.True(entries[numbers[listed]].OnList);
        var reason = entries[numbers[listed]].Reason;
        Assert.True(Regex.IsMatch(reason, @"^\d+ days past due, \$[\d,]+\.\d\d over the \$50\.00 minimum; shut-off notice mailed [A-Z][a-z]{2} \d+, \d{4}, \d+ days elapsed; door hanger hung .*; no protection$"), reason);

        var named = new Dictionary<SeedDemoCity.PlantedCase, string>
        {
            [SeedDemoCity.PlantedCase.MedicalCertificate] = "Dr. Maya Chen",
            [SeedDemoCity.PlantedCase.LifeSupport] = "life-support",
            [SeedDemoCity.PlantedCase.Dispute] = "dispute",
            [SeedDemoCity.PlantedCase.BankruptcyStay] = $"bankruptcy stay: Chapter 13 case {SeedDemoCity.DemoBankruptcyCase} (Bankr. D. Or.)",
            [SeedDemoCity.PlantedCase.ArrangementOnTrack] = "active payment arrangement (made ",
        };
        foreach (var (accountId, kind) in planted.Where(p => named.ContainsKey(p.Value)))
        {
            var standing = await db.AccountCollections.SingleAsync(a => a.AccountId == accountId);
            Assert.False(standing.Listed, $"{kind}: {standing.Explanation}");
            Assert.Contains(named[kind], standing.ProtectedBy ?? "", StringComparison.OrdinalIgnoreCase);
            Assert.True(standing.PastDueCents >= 50_00, $"{kind} is past due enough to be listed but for its protection: {standing.Explanation}");
            var entry = entries[numbers[accountId]];
            Assert.False(entry.OnList);
            Assert.Contains(named[kind], entry.Reason, StringComparison.OrdinalIgnoreCase);
        }

        // The arrangement on track: active, every installment due by the demo date paid, and named by its date and amount.
        var onTrack = city.Planted(SeedDemoCity.PlantedCase.ArrangementOnTrack);
        var kept = await db.Arrangements.AsNoTracking().Include(a => a.Installments).SingleAsync(a => a.AccountId == onTrack);
        Assert.Equal(ArrangementStage.Active, kept.Status);
        var keptStanding = await db.AccountCollections.SingleAsync(a => a.AccountId == onTrack);
        Assert.Contains($"active payment arrangement (made {kept.CreatedOn.ToString("MMM d, yyyy", CultureInfo.InvariantCulture)} for {Money.FromCents(kept.AmountCents)})", keptStanding.Explanation, StringComparison.Ordinal);
        var keptPaid = await PaymentsAsync(db, onTrack, kept.CreatedOn, outcome.Through);
        var keptOwed = kept.DownPaymentCents + kept.Installments.Where(i => i.DueOn <= outcome.Through).Sum(i => i.AmountCents);
        Assert.True(keptPaid >= keptOwed && keptPaid < kept.AmountCents, $"paid {keptPaid} of {keptOwed} owed so far, {kept.AmountCents} arranged");
        Assert.Contains(kept.Installments, i => i.DueOn < outcome.Through);

        // The broken arrangement: broken, and back on the list because of it.
        var brokenAccount = city.Planted(SeedDemoCity.PlantedCase.BrokenArrangement);
        Assert.Equal(ArrangementStage.Broken, (await db.Arrangements.AsNoTracking().SingleAsync(a => a.AccountId == brokenAccount)).Status);
        Assert.True(entries[numbers[brokenAccount]].OnList, entries[numbers[brokenAccount]].Reason);
        Assert.StartsWith("broken arrangement: ", entries[numbers[brokenAccount]].Reason, StringComparison.Ordinal);

        // The promise: less than promised came in by its date, so the first run after it broke it.
        var promiser = city.Planted(SeedDemoCity.PlantedCase.BrokenPromise);
        var promise = await db.Promises.AsNoTracking().SingleAsync(p => p.AccountId == promiser);
        Assert.Equal(PromiseStatus.Broken, promise.Status);
        Assert.Equal(NextBusinessDay(promise.PromisedOn.AddDays(1)), promise.DecidedOn);
        var promisePaid = await PaymentsAsync(db, promiser, promise.MadeOn, promise.PromisedOn);
        Assert.InRange(promisePaid, 1, promise.AmountCents - 1);
        var promiseEvent = await db.CollectionEvents.AsNoTracking().SingleAsync(e => e.AccountId == promiser && e.Action == CollectionAction.PromiseBroken);
        Assert.Equal(promise.DecidedOn, promiseEvent.BusinessDate);
        Assert.EndsWith($"; {Money.FromCents(promisePaid)} came in", promiseEvent.Reason, StringComparison.Ordinal);

        // The final account: moved out, final-billed, followed by the final-bill policy: noticed, never listed.
        var mover = city.Planted(SeedDemoCity.PlantedCase.FinalAccountPastDue);
        Assert.Equal(AccountStatus.FinalBilled, (await db.Accounts.SingleAsync(a => a.Id == mover)).Status);
        var finalStanding = await db.AccountCollections.SingleAsync(a => a.AccountId == mover);
        Assert.Equal(RiverbendFinal.Code, finalStanding.PolicyCode);
        Assert.Equal(CollectionStatus.FinalNotice, finalStanding.Status);
        Assert.False(finalStanding.Listed);
        Assert.Null(finalStanding.EarliestDisconnectOn);
        Assert.True(finalStanding.PastDueCents > 0 && finalStanding.DaysPastDue >= 6, finalStanding.Explanation);
        Assert.Equal($"{finalStanding.DaysPastDue} days past due, {Money.FromCents(finalStanding.PastDueCents)}; last step: final (shut-off) notice; no further step", finalStanding.Explanation);
        Assert.False(entries.ContainsKey(numbers[mover]));
        var finalNotice = await db.CollectionEvents.AsNoTracking().SingleAsync(e => e.AccountId == mover && e.Step == StepKind.FinalNotice && e.Action == CollectionAction.Notice);
        Assert.EndsWith("; no disconnection under this policy", finalNotice.Reason, StringComparison.Ordinal);

        // The tenant: the shut-off notice copied to the landlord on the day it went out, addressed to the landlord by name.
        var tenant = city.Planted(SeedDemoCity.PlantedCase.TenantOwnerNotice);
        var landlord = await db.AccountCustomers.Where(r => r.AccountId == tenant && r.Role == AccountRole.Owner)
            .Join(db.Customers, r => r.CustomerId, c => c.Id, (_, c) => c.DisplayName).SingleAsync();
        var ownerEvent = await db.CollectionEvents.AsNoTracking().SingleAsync(e => e.AccountId == tenant && e.Action == CollectionAction.OwnerNotice);
        var tenantFinal = await db.CollectionEvents.AsNoTracking().SingleAsync(e => e.AccountId == tenant && e.Action == CollectionAction.Notice && e.Step == StepKind.FinalNotice);
        Assert.Equal(tenantFinal.BusinessDate, ownerEvent.BusinessDate);
        var ownerDays = Riverbend.Protections.OwnerNoticeDays!.Value;
        Assert.EndsWith($"disconnection waits {ownerDays} days, to {ownerEvent.BusinessDate.AddDays(ownerDays).ToString("MMM d, yyyy", CultureInfo.InvariantCulture)}", ownerEvent.Reason, StringComparison.Ordinal);
        var ownerNotice = await db.CollectionNotices.AsNoTracking().SingleAsync(n => n.CollectionEventId == ownerEvent.Id);
        Assert.Equal((NoticeTemplates.OwnerNotice, landlord, ownerEvent.BusinessDate), (ownerNotice.Kind, ownerNotice.RecipientName, ownerNotice.BusinessDate));
        Assert.NotEqual(landlord, (await db.CollectionNotices.AsNoTracking().SingleAsync(n => n.CollectionEventId == tenantFinal.Id)).RecipientName);
        // Not listed before the landlord's notice days ran out.
        var tenantListed = await db.CollectionEvents.AsNoTracking().Where(e => e.AccountId == tenant && e.Action == CollectionAction.DisconnectEligible).Select(e => e.BusinessDate).ToListAsync();
        Assert.All(tenantListed, d => Assert.True(d >= ownerEvent.BusinessDate.AddDays(ownerDays), $"listed {d}, owner noticed {ownerEvent.BusinessDate}"));

        // Every entry explains itself: on the list with no protection, or held with the protection named.
        Assert.All(list.Entries.Where(e => e.OnList), e => Assert.EndsWith("no protection", e.Reason, StringComparison.Ordinal));
        Assert.All(list.Entries.Where(e => e.OnList), e => Assert.True(e.PastDue.Cents >= 50_00, $"{e.AccountNumber}: {e.Reason}"));
        // Held ones name what holds them, a balance under the minimum among them (the policy counts it a protection).
        // A stay names itself at whatever step it holds the account.
        Assert.All(list.Entries.Where(e => !e.OnList), e => Assert.Matches("(off the disconnect list: |held: bankruptcy stay: )", e.Reason));

        // A year of the run: late charges in every month since the policy took effect, the steps, and the trial balance ties out.
        var months = await db.CollectionEvents.Where(e => e.Action == CollectionAction.LateCharge).Select(e => e.BusinessDate).ToListAsync();
        Assert.True(months.Select(d => d.Month).Distinct().Count() >= 10, $"late charges in {months.Select(d => d.Month).Distinct().Count()} months");
        Assert.True(await db.CollectionRuns.CountAsync() > 200);
        var books = await new LedgerReports(db).PeriodTrialBalanceAsync(outcome.From, outcome.Through);
        Assert.True(books.Balances && books.TiesToSubLedger, $"debits {books.TotalDebits} credits {books.TotalCredits}, AR {books.ReceivableClosing} against {books.SubLedgerAtClose}");

        // The same seed gives the same city, so both databases give the same list.
        var text = string.Join("\n", list.Entries.OrderBy(e => e.AccountNumber, StringComparer.Ordinal).Select(e => $"{e.AccountNumber}|{e.OnList}|{e.PastDue}|{e.Reason}"));
        Lists[provider] = text;
        var other = provider == TestProvider.Sqlite ? TestProvider.Postgres : TestProvider.Sqlite;
        if (Lists.TryGetValue(other, out var otherText))
        {
            Assert.Equal(otherText, text);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_alert_strip_tells_the_truth_about_the_planted_accounts(TestProvider provider)
    {
        TestDatabases.Require(provider, "the demo city's collections");
        var city = await fixture.CityAsync(provider);
        await using var db = city.Database.Context();
        var today = DateOnly.FromDateTime(DemoDay.UtcDateTime);
        await using var scope = city.Services.CreateAsyncScope();
        var queries = scope.ServiceProvider.GetRequiredService<AccountAlertQueries>();

        async Task<Dictionary<string, AccountAlertView>> StripAsync(long accountId)
        {
            var alerts = await queries.ForAccountAsync(accountId);
            // Loudest first, and one line per kind.
            Assert.Equal(alerts.OrderBy(a => a.Level switch { "danger" => 0, "warning" => 1, _ => 2 }).Select(a => a.Kind), alerts.Select(a => a.Kind));
            return alerts.ToDictionary(a => a.Kind);
        }

        // The listed non-payer: past due by the ledger's own open items, with its days, in danger, and on the list with its reason.
        var listed = city.Planted(SeedDemoCity.PlantedCase.ListedNonPayer);
        var strip = await StripAsync(listed);
        var open = await db.OpenItems.AsNoTracking().Where(o => o.AccountId == listed && o.OpenCents > 0 && o.DueOn < today).Select(o => new { o.DueOn, o.OpenCents }).ToListAsync();
        Assert.NotEmpty(open);
        var days = today.DayNumber - open.Min(o => o.DueOn).DayNumber;
        var standing = await db.AccountCollections.AsNoTracking().SingleAsync(s => s.AccountId == listed);
        Assert.Equal($"Past due {Money.FromCents(open.Sum(o => o.OpenCents))} for {days} days; eligible for disconnection", strip[AccountAlerts.PastDue].Text);
        Assert.Equal(CollectionStatus.DisconnectEligible, standing.Status);
        Assert.Equal("danger", strip[AccountAlerts.PastDue].Level);
        Assert.Equal($"On the disconnect list: {standing.ListReason}", strip[AccountAlerts.DisconnectList].Text);
        Assert.DoesNotContain(AccountAlerts.MedicalCertificate, strip.Keys);

        // Each planted protection names itself, with its dates, physician or amount.
        var medical = await StripAsync(city.Planted(SeedDemoCity.PlantedCase.MedicalCertificate));
        Assert.Equal($"Medical certificate until {today.AddDays(7):MMM d, yyyy} (Dr. Maya Chen)", medical[AccountAlerts.MedicalCertificate].Text);
        Assert.DoesNotContain(AccountAlerts.DisconnectList, medical.Keys);
        Assert.Contains(AccountAlerts.PastDue, medical.Keys);
        Assert.Equal("Life support in the home (Home dialysis machine)", (await StripAsync(city.Planted(SeedDemoCity.PlantedCase.LifeSupport)))[AccountAlerts.LifeSupport].Text);
        var disputed = await StripAsync(city.Planted(SeedDemoCity.PlantedCase.Dispute));
        Assert.Equal($"Open dispute: $2,000.00 held out of collections since {today.AddMonths(-2):MMM d, yyyy}", disputed[AccountAlerts.Dispute].Text);
        // It came in as a billing dispute case, the clerk's, past its 30 days.
        Assert.Equal($"1 open case: Billing dispute (assigned, due {today.AddMonths(-2).AddDays(30):MMM d, yyyy}); 1 overdue", disputed[AccountAlerts.Cases].Text);
        Assert.Equal("warning", disputed[AccountAlerts.Cases].Level);
        Assert.StartsWith("Bankruptcy stay since ", (await StripAsync(city.Planted(SeedDemoCity.PlantedCase.BankruptcyStay)))[AccountAlerts.BankruptcyStay].Text);
        Assert.StartsWith("Tenant-occupied: the owner is noticed first", (await StripAsync(city.Planted(SeedDemoCity.PlantedCase.TenantOwnerNotice)))[AccountAlerts.TenantOccupied].Text);
        // Its landlord has an agreement: a tenant's move-out would revert service to them.
        var rental = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == city.Planted(SeedDemoCity.PlantedCase.TenantOwnerNotice));
        var owner = await db.AccountCustomers.AsNoTracking().Where(r => r.AccountId == rental.Id && r.Role == AccountRole.Owner).Select(r => r.CustomerId).SingleAsync();
        Assert.Equal(owner, (await db.LandlordAgreements.AsNoTracking().SingleAsync(l => l.PremiseId == rental.PremiseId && l.EndedOn == null)).OwnerCustomerId);

        // The arrangement on track shows what it is and what is next; the broken one shows none, and its account is back on the list.
        var onTrack = city.Planted(SeedDemoCity.PlantedCase.ArrangementOnTrack);
        var arrangement = await db.Arrangements.AsNoTracking().Include(a => a.Installments).SingleAsync(a => a.AccountId == onTrack);
        var next = arrangement.Installments.OrderBy(i => i.Number).First(i => i.DueOn > today);
        var text = (await StripAsync(onTrack))[AccountAlerts.Arrangement].Text;
        Assert.StartsWith($"Payment arrangement of {Money.FromCents(arrangement.AmountCents)} made {arrangement.CreatedOn:MMM d, yyyy}, ", text);
        Assert.EndsWith($"; next {Money.FromCents(next.AmountCents)} due {next.DueOn:MMM d, yyyy}", text);
        var broken = await StripAsync(city.Planted(SeedDemoCity.PlantedCase.BrokenArrangement));
        Assert.DoesNotContain(AccountAlerts.Arrangement, broken.Keys);
        Assert.Contains("broken arrangement", broken[AccountAlerts.DisconnectList].Text, StringComparison.OrdinalIgnoreCase);

        // An account that pays on time and owes nothing past due says only what it paid last.
        var payer = await db.Accounts.AsNoTracking().Where(a => a.Status == AccountStatus.Active && !a.CashOnly
                && !db.OpenItems.Any(o => o.AccountId == a.Id && o.OpenCents > 0 && o.DueOn < today)
                && !db.AccountProtections.Any(p => p.AccountId == a.Id) && !db.ServiceOrders.Any(o => o.AccountId == a.Id)
                && !db.AccountNotes.Any(n => n.AccountId == a.Id) && !db.AccountCases.Any(c => c.AccountId == a.Id) && !db.Deposits.Any(d => d.AccountId == a.Id && d.Status == Storage.Deposits.DepositStatus.Billed))
            .OrderBy(a => a.Id).Select(a => a.Id).FirstAsync();
        var last = await db.Payments.AsNoTracking().Where(p => p.AccountId == payer).OrderByDescending(p => p.ReceivedOn).ThenByDescending(p => p.Id).FirstAsync();
        var quiet = await StripAsync(payer);
        Assert.Equal([AccountAlerts.LastPayment], quiet.Keys);
        Assert.StartsWith($"Last payment {Money.FromCents(last.AmountCents)} on {last.ReceivedOn:MMM d, yyyy} (", quiet[AccountAlerts.LastPayment].Text);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_last_month_of_the_demo_city_walked_day_by_day_charges_notices_and_lists_by_the_policy(TestProvider provider)
    {
        TestDatabases.Require(provider, "the demo city's collections");
        var city = await fixture.CityAsync(provider);
        await using var db = city.Database.Context();
        var through = city.Outcome.Through;
        var from = through.AddMonths(-1).AddDays(1);
        var days = await db.CollectionRuns.AsNoTracking().Where(r => r.BusinessDate >= from && r.BusinessDate <= through).Select(r => r.BusinessDate).ToListAsync();
        // One run on every business day of the month, and none on another day.
        var businessDays = Enumerable.Range(0, through.DayNumber - from.DayNumber + 1).Select(i => from.AddDays(i)).Where(IsBusinessDay).ToList();
        Assert.Equal(businessDays, days.Order());

        var accounts = await db.Accounts.AsNoTracking().ToDictionaryAsync(a => a.Id);
        var events = await db.CollectionEvents.AsNoTracking().Where(e => e.BusinessDate >= from && e.BusinessDate <= through).OrderBy(e => e.Id).ToListAsync();
        CollectionPolicy PolicyOf(long accountId) => accounts[accountId].Status == AccountStatus.Active ? Riverbend : RiverbendFinal;

        // Late charges: each bill charged once, ever; each charge the policy's rule applied to the bill as the ledger had it that day.
        var everCharged = await db.CollectionEvents.AsNoTracking().Where(e => e.Action == CollectionAction.LateCharge).Select(e => new { e.AccountId, e.BillReference }).ToListAsync();
        Assert.All(everCharged.GroupBy(e => (e.AccountId, e.BillReference)), g => Assert.Single(g));
        var lateCharges = events.Where(e => e.Action == CollectionAction.LateCharge).ToList();
        Assert.NotEmpty(lateCharges);
        var ledger = await LedgerFactsAsync(db, [.. lateCharges.Select(e => e.AccountId).Distinct()]);
        foreach (var charge in lateCharges)
        {
            var rule = PolicyOf(charge.AccountId).LateCharge;
            var bill = await db.Bills.AsNoTracking().SingleAsync(b => b.Id == long.Parse(charge.BillReference!, CultureInfo.InvariantCulture));
            Assert.Equal(charge.AccountId, bill.AccountId);
            var items = ledger.Items.Where(i => i.TransactionId == bill.FinancialTransactionId).ToList();
            var billCents = items.Sum(i => i.AmountCents);
            // Charged on the first run day from the day after the due date plus the grace days.
            Assert.Equal(NextBusinessDay(bill.DueDate.AddDays(rule.GraceDays + 1)), charge.BusinessDate);
            Assert.True(ledger.PaidBy(items, bill.DueDate) < billCents, $"bill {bill.Id} was paid in full by its due date, yet charged: {charge.Reason}");
            var unpaid = billCents - ledger.PaidBy(items, charge.BusinessDate);
            var earlier = rule.OnEarlierLateCharges
                ? ledger.Items.Where(i => i.AccountId == charge.AccountId && i.Type == FinancialTransactionType.LateCharge && i.PostedOn < charge.BusinessDate)
                    .Sum(i => i.AmountCents - ledger.PaidBy([i], charge.BusinessDate))
                : 0;
            var chargeBase = unpaid + earlier;
            Assert.True(chargeBase >= rule.MinimumPastDue.Cents, $"{charge.Reason}: base {chargeBase}");
            var expected = (long)Math.Round(chargeBase * rule.Percent / 100m, MidpointRounding.AwayFromZero);
            expected = Math.Max(expected, rule.Minimum?.Cents ?? 0);
            expected = Math.Min(expected, rule.Maximum?.Cents ?? long.MaxValue);
            Assert.True(expected == charge.AmountCents, $"bill {bill.Id} of {billCents} due {bill.DueDate}, base {chargeBase} (unpaid {unpaid} + earlier {earlier}): expected {expected}, charged {charge.AmountCents}: {charge.Reason}");
            // Posted as charged: the late charge's transaction is the event's amount.
            Assert.Equal(charge.AmountCents, ledger.Items.Where(i => i.TransactionId == charge.FinancialTransactionId).Sum(i => i.AmountCents));
        }

        // Notices: a reminder on the first run day the account is the step's days past due; a final notice at its step's days,
        // printing the earliest disconnect date its notice period and the later steps give, moved to a day disconnects are allowed.
        var holidays = CollectionCalendar.For(HolidayCalendar.UsFederal, from.AddDays(-60), through.AddDays(60), []);
        var notices = events.Where(e => e.Action == CollectionAction.Notice).ToList();
        Assert.Contains(notices, n => n.Step == StepKind.Reminder);
        Assert.Contains(notices, n => n.Step == StepKind.FinalNotice);
        foreach (var notice in notices)
        {
            var policy = PolicyOf(notice.AccountId);
            var steps = policy.Steps;
            var step = steps.Single(s => s.Kind == notice.Step);
            var daysPastDue = int.Parse(Regex.Match(notice.Reason, @"(\d+) days? past due").Groups[1].Value, CultureInfo.InvariantCulture);
            var oldestDue = notice.BusinessDate.AddDays(-daysPastDue);
            Assert.True(daysPastDue >= step.DaysPastDue, notice.Reason);
            if (notice.Step == StepKind.Reminder)
            {
                Assert.Equal(NextBusinessDay(oldestDue.AddDays(step.DaysPastDue)), notice.BusinessDate);
                continue;
            }

            if (!steps.Any(s => s.Kind == StepKind.DisconnectEligible))
            {
                Assert.EndsWith("; no disconnection under this policy", notice.Reason, StringComparison.Ordinal);
                continue;
            }

            var earliest = Ends(notice.BusinessDate, step.Notice!.Value);
            Assert.True(earliest >= notice.BusinessDate.AddDays(step.Notice.Value.Days));
            foreach (var later in steps.SkipWhile(s => s.Kind != StepKind.FinalNotice).Skip(1))
            {
                earliest = Later(earliest, oldestDue.AddDays(later.DaysPastDue));
                if (later.Kind != StepKind.DisconnectEligible && later.Notice is { } laterNotice)
                {
                    earliest = Ends(earliest, laterNotice);
                }
            }

            var ownerNoticed = events.Any(e => e.AccountId == notice.AccountId && e.Action == CollectionAction.OwnerNotice && e.BusinessDate == notice.BusinessDate);
            if (ownerNoticed)
            {
                earliest = Later(earliest, notice.BusinessDate.AddDays(policy.Protections.OwnerNoticeDays!.Value));
            }

            while (!DisconnectAllowed(earliest))
            {
                earliest = earliest.AddDays(1);
            }

            Assert.EndsWith($"; earliest disconnect date {earliest.ToString("MMM d, yyyy", CultureInfo.InvariantCulture)}", notice.Reason, StringComparison.Ordinal);
        }

        // Every day's moves on and off the list explain themselves: listed with no protection on a day disconnects are
        // allowed, held with the protection named (a Friday only on a Friday, and so on).
        foreach (var listed in events.Where(e => e.Action == CollectionAction.DisconnectEligible))
        {
            Assert.EndsWith("; no protection", listed.Reason, StringComparison.Ordinal);
            Assert.True(DisconnectAllowed(listed.BusinessDate), $"listed on {listed.BusinessDate:ddd yyyy-MM-dd}: {listed.Reason}");
            Assert.True(listed.AmountCents >= Riverbend.Steps[^1].MinimumPastDue.Cents, listed.Reason);
        }

        var protections = new[]
        {
            "bankruptcy stay", "active payment arrangement (made ", "open dispute over ", "life-support equipment at the premise", "medical certificate until ",
            "balance $", "pending payment of ", "owner noticed ", "the owner of the tenant-occupied premise has not been noticed", "no disconnects ", " past due, under the $",
        };
        var held = events.Where(e => e.Action == CollectionAction.Protected).ToList();
        Assert.NotEmpty(held);
        foreach (var hold in held)
        {
            var named = Regex.Match(hold.Reason, @"^(off the disconnect list|[a-z() -]+ held): (.+)$");
            Assert.True(named.Success && protections.Any(p => named.Groups[2].Value.Contains(p, StringComparison.Ordinal)), hold.Reason);
            var why = named.Groups[2].Value;
            Assert.True(!why.StartsWith("no disconnects on Fridays", StringComparison.Ordinal) || hold.BusinessDate.DayOfWeek == DayOfWeek.Friday, $"{hold.BusinessDate:ddd}: {why}");
            Assert.True(!why.StartsWith("no disconnects on holidays", StringComparison.Ordinal) || holidays.HolidayOn(hold.BusinessDate) is not null, $"{hold.BusinessDate}: {why}");
            Assert.True(!why.StartsWith("no disconnects the day before a holiday", StringComparison.Ordinal) || holidays.HolidayOn(hold.BusinessDate.AddDays(1)) is not null, $"{hold.BusinessDate}: {why}");
        }

        // The standings the last run left: each explains itself the same way.
        var standings = await db.AccountCollections.AsNoTracking().Where(a => a.LastRunOn == through).ToListAsync();
        Assert.All(standings.Where(s => s.Listed), s => Assert.EndsWith("; no protection", s.Explanation, StringComparison.Ordinal));
        Assert.All(standings.Where(s => s.ProtectedBy is not null), s => Assert.Contains(s.ProtectedBy!, s.Explanation, StringComparison.Ordinal));

        // The broken arrangement broke the day after its missed installment's due date plus the grace days, as the payments
        // show it, and went back on the list from then.
        var brokenAccount = city.Planted(SeedDemoCity.PlantedCase.BrokenArrangement);
        var broken = await db.Arrangements.AsNoTracking().Include(a => a.Installments).SingleAsync(a => a.AccountId == brokenAccount);
        var grace = Riverbend.Arrangements.MissedInstallmentGraceDays;
        var owed = broken.DownPaymentCents;
        DateOnly? breaks = null;
        foreach (var installment in broken.Installments.OrderBy(i => i.Number))
        {
            owed += installment.AmountCents;
            if (await PaymentsAsync(db, brokenAccount, broken.CreatedOn, installment.DueOn.AddDays(grace)) < owed)
            {
                breaks = installment.DueOn.AddDays(grace + 1);
                break;
            }
        }

        Assert.NotNull(breaks);
        Assert.Equal((ArrangementStage.Broken, breaks.Value), (broken.Status, broken.StatusOn));
        var brokeEvent = Assert.Single(events, e => e.AccountId == brokenAccount && e.Action == CollectionAction.ArrangementBroken);
        Assert.Equal(NextBusinessDay(breaks.Value), brokeEvent.BusinessDate);
        Assert.EndsWith("collections resume at the disconnect eligibility", brokeEvent.Reason, StringComparison.Ordinal);
        var relisted = events.Where(e => e.AccountId == brokenAccount && e.Action == CollectionAction.DisconnectEligible).ToList();
        Assert.Contains(relisted, e => e.BusinessDate >= brokeEvent.BusinessDate && e.Reason.StartsWith("broken arrangement: ", StringComparison.Ordinal));
        Assert.DoesNotContain(relisted, e => e.BusinessDate < brokeEvent.BusinessDate);

        // And the month's books tie out.
        var books = await new LedgerReports(db).PeriodTrialBalanceAsync(from, through);
        Assert.True(books.Balances && books.TiesToSubLedger, $"debits {books.TotalDebits} credits {books.TotalCredits}, AR {books.ReceivableClosing} against {books.SubLedgerAtClose}");

        DateOnly Ends(DateOnly start, NoticePeriod period)
        {
            if (!period.BusinessDays)
            {
                return start.AddDays(period.Days);
            }

            var day = start;
            for (var left = period.Days; left > 0;)
            {
                day = day.AddDays(1);
                left -= IsBusinessDay(day) ? 1 : 0;
            }

            return day;
        }

        bool DisconnectAllowed(DateOnly day) =>
            day.DayOfWeek is >= DayOfWeek.Monday and <= DayOfWeek.Thursday && holidays.HolidayOn(day) is null && holidays.HolidayOn(day.AddDays(1)) is null
            && !(day.Month == 12 && day.Day >= 15) && !(day.Month is 1 or 2);
    }

    private static DateOnly Later(DateOnly a, DateOnly b) => a > b ? a : b;

    private static bool IsBusinessDay(DateOnly day) =>
        day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !HolidayCalendar.UsFederal.In(day.Year).Any(h => h.Date == day);

    private static DateOnly NextBusinessDay(DateOnly day)
    {
        while (!IsBusinessDay(day))
        {
            day = day.AddDays(1);
        }

        return day;
    }

    /// <summary>What the account paid from one day to another, both included.</summary>
    private static async Task<long> PaymentsAsync(Storage.OpenCisDbContext db, long accountId, DateOnly from, DateOnly to) =>
        -await db.FinancialTransactions.Where(t => t.AccountId == accountId && t.Type == FinancialTransactionType.Payment && t.EffectiveOn >= from && t.EffectiveOn <= to)
            .SumAsync(t => (long?)t.AmountCents) ?? 0;

    private sealed record LedgerItem(long Id, long AccountId, long TransactionId, FinancialTransactionType Type, DateOnly PostedOn, long AmountCents);

    /// <summary>The charges on some accounts and what was allocated to each by date: what was unpaid of a charge on any day.</summary>
    private sealed record LedgerFacts(List<LedgerItem> Items, ILookup<long, (DateOnly On, long Cents)> Allocations)
    {
        public long PaidBy(IEnumerable<LedgerItem> items, DateOnly day) => items.Sum(i => Allocations[i.Id].Where(a => a.On <= day).Sum(a => a.Cents));
    }

    private static async Task<LedgerFacts> LedgerFactsAsync(Storage.OpenCisDbContext db, List<long> accountIds)
    {
        var items = await db.OpenItems.AsNoTracking().Where(o => accountIds.Contains(o.AccountId) && o.AmountCents > 0)
            .Select(o => new LedgerItem(o.Id, o.AccountId, o.FinancialTransactionId, o.Transaction!.Type, o.PostedOn, o.AmountCents)).ToListAsync();
        var ids = items.Select(i => i.Id).ToList();
        var allocations = await db.ItemAllocations.AsNoTracking().Where(a => ids.Contains(a.ChargeItemId)).Select(a => new { a.ChargeItemId, a.EffectiveOn, a.AmountCents }).ToListAsync();
        return new LedgerFacts(items, allocations.ToLookup(a => a.ChargeItemId, a => (a.EffectiveOn, a.AmountCents)));
    }
}
