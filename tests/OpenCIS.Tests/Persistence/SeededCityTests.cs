using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.UseCases.Demo;
using OpenCIS.UseCases.Reports;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// One demo city per provider for the whole class: a year of real billing runs and payments for
/// 40 accounts, seeded once (it is the slow part) and then only read.
/// </summary>
public sealed class SeededCityFixture : IAsyncLifetime
{
    public const int Accounts = 40;
    private readonly Dictionary<TestProvider, Task<(TestDatabase Database, DemoSeedOutcome Outcome)>> cities = [];
    private readonly Lock gate = new();

    public Task<(TestDatabase Database, DemoSeedOutcome Outcome)> CityAsync(TestProvider provider)
    {
        TestDatabases.Require(provider, "the demo-city ledger checks");
        lock (gate)
        {
            if (!cities.TryGetValue(provider, out var city))
            {
                cities[provider] = city = SeedAsync(provider);
            }

            return city;
        }
    }

    private static async Task<(TestDatabase, DemoSeedOutcome)> SeedAsync(TestProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider, "the demo-city ledger checks");
        await database.MigrateAsync();
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var outcome = await scope.ServiceProvider.GetRequiredService<SeedDemoCity>().ExecuteAsync(Accounts);
        return (database, outcome);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var city in cities.Values)
        {
            if (city.IsCompletedSuccessfully)
            {
                await city.Result.Database.DisposeAsync();
            }
        }
    }
}

public sealed class SeededCityTests(SeededCityFixture fixture) : IClassFixture<SeededCityFixture>
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_seed_bills_and_takes_payments_for_a_year(TestProvider provider)
    {
        var (database, outcome) = await fixture.CityAsync(provider);
        await using var db = database.Context();

        Assert.Equal(SeededCityFixture.Accounts, await db.Accounts.CountAsync(a => a.PremiseId != null));
        // Ten parties invoiced (one of them a utility customer), each on a receivables account of its own.
        Assert.Equal(10, await db.Accounts.CountAsync(a => a.PremiseId == null));
        Assert.Equal(new DateOnly(2026, 11, 22), outcome.Through);
        Assert.Equal(new DateOnly(2025, 11, 23), outcome.From);
        Assert.Equal(24, outcome.BillingRuns); // two cycles, monthly, for a year
        Assert.Equal(outcome.Bills, await db.Bills.CountAsync());
        // The year's payments, the two the planted invoices received, and the payers' (Medicare's and Medicaid's) two.
        Assert.Equal(outcome.Payments + 4, await db.Payments.CountAsync());
        Assert.True(outcome.Bills > 10 * SeededCityFixture.Accounts, $"only {outcome.Bills} bills");
        Assert.True(outcome.Payments > 5 * SeededCityFixture.Accounts, $"only {outcome.Payments} payments");
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Maria_disputed_her_bill_online_and_the_decision_letter_is_the_only_one_in_Spanish(TestProvider provider)
    {
        var (database, _) = await fixture.CityAsync(provider);
        await using var db = database.Context();
        // Every template in the store is there in English and in Spanish.
        Assert.Equal(await db.NoticeTemplates.Where(t => t.Language == "en").Select(t => t.Kind).OrderBy(k => k).ToListAsync(),
            await db.NoticeTemplates.Where(t => t.Language == "es").Select(t => t.Kind).OrderBy(k => k).ToListAsync());
        var maria = await db.PortalUsers.Where(u => u.Email == DemoPortal.Maria).Select(u => u.Id).SingleAsync();
        var hers = await db.PortalUserAccounts.Where(l => l.PortalUserId == maria).Select(l => l.AccountId).ToListAsync();
        var dispute = await db.AccountCases.SingleAsync(c => c.OpenedBy == "portal:" + DemoPortal.Maria);
        Assert.Contains(dispute.AccountId, hers);
        Assert.Equal((OpenCIS.Core.Cases.CaseKind.BillingDispute, OpenCIS.Core.Cases.CaseStatus.Resolved, "denied"), (dispute.Kind, dispute.Status, dispute.Resolution));
        Assert.InRange(dispute.AmountCents!.Value, 1_00, DemoPortal.MariaDisputedCents);
        // The decision letter is written from the Spanish template, in Spanish words: the only Spanish letter in the city.
        var spanish = await db.Letters.Join(db.NoticeTemplates.Where(t => t.Language == "es"), l => l.TemplateId, t => t.Id, (l, t) => l).ToListAsync();
        var letter = Assert.Single(spanish);
        Assert.Equal((dispute.AccountId, $"case:{dispute.Id}"), (letter.AccountId, letter.DedupeKey));
        Assert.StartsWith("Decisión sobre su reclamo de facturación, cuenta ", letter.Subject, StringComparison.Ordinal);
        Assert.Contains("Nuestra decisión: no procede.", letter.Text, StringComparison.Ordinal);
        Assert.Contains(OpenCIS.UseCases.Billing.BillText.LongDate("es", letter.LetterDate), letter.Text, StringComparison.Ordinal);
        Assert.Contains(" de ", OpenCIS.UseCases.Billing.BillText.LongDate("es", letter.LetterDate), StringComparison.Ordinal);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_demo_invoices_stand_as_planted_and_the_books_tie_out(TestProvider provider)
    {
        var (database, outcome) = await fixture.CityAsync(provider);
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var queries = scope.ServiceProvider.GetRequiredService<OpenCIS.UseCases.Invoices.InvoiceQueries>();
        var plants = outcome.Invoices!;
        async Task<long[]> ListedAsync(string standing) =>
            [.. (await queries.ListAsync(new OpenCIS.UseCases.Invoices.InvoiceFilter(Standing: standing))).Items.Select(i => i.Number).Order()];
        var ems = plants.Ems!;
        Assert.Equal(new[] { plants.PastDueEms, plants.PastDueWeed, ems.MedicareInvoice, ems.WaitingWaiverInvoice }.Order(), await ListedAsync("pastdue"));
        Assert.Equal(new[] { plants.PaidAlarm, ems.MedicaidInvoice, ems.WaivedInvoice }.Order(), await ListedAsync("paid"));
        Assert.Equal(new[] { plants.PastDueEms, plants.OpenPermit, plants.PastDueWeed, plants.PartlyPaidDamage, plants.OpenRental, ems.MedicareInvoice, ems.WaitingWaiverInvoice }.Order(),
            await ListedAsync("open"));
        // The statement cycle kept day by day: the past-due transport's two, the hardship patient's three, one each for the Medicare and the waived patients.
        Assert.Equal(7, ems.Statements);
        Assert.Equal((102.44m, 1_207.35m), ((await queries.FindAsync(ems.MedicareInvoice))!.Open.Dollars, (await queries.FindAsync(ems.WaitingWaiverInvoice))!.Open.Dollars));
        var waivers = await scope.ServiceProvider.GetRequiredService<OpenCIS.UseCases.Invoices.InvoiceWaivers>().ListAsync(OpenCIS.Core.Invoices.WaiverStatus.Pending);
        Assert.Equal([ems.WaitingWaiverId], waivers.Select(w => w.Id).ToArray());
        var damage = (await queries.FindAsync(plants.PartlyPaidDamage))!;
        Assert.Equal((2_600m, 2_100m, OpenCIS.Core.Invoices.InvoiceStanding.PartlyPaid), (damage.Amount.Dollars, damage.Open.Dollars, damage.Standing));
        var weed = (await queries.FindAsync(plants.PastDueWeed))!;
        Assert.Equal(plants.WeedCustomerId, weed.CustomerId);
        Assert.False(string.IsNullOrEmpty(weed.ParcelId));

        await using var db = database.Context();
        // The weed abatement under the receivables policy its type names: the reminder at 10 days past due, the late charge
        // after the 10 grace days (1.5% of 365.00), the final notice ten days after the reminder asking for both; nothing else was due.
        var weedDue = outcome.Through.AddDays(-24);
        Assert.Equal([(plants.PastDueWeed, 548L, weedDue.AddDays(11))],
            (await db.InvoiceLateCharges.AsNoTracking().ToListAsync()).Select(l => (l.InvoiceId, l.AmountCents, l.ChargedOn)).ToArray());
        Assert.Equal([(plants.PastDueWeed, OpenCIS.Core.Collections.StepKind.Reminder, weedDue.AddDays(10), 365_00L), (plants.PastDueWeed, OpenCIS.Core.Collections.StepKind.FinalNotice, weedDue.AddDays(20), 370_48L)],
            (await db.InvoiceStatements.AsNoTracking().Where(s => s.Notice != null).OrderBy(s => s.Sequence).ToListAsync()).Select(s => (s.InvoiceId, s.Notice!.Value, s.StatementDate, s.OpenCents)).ToArray());
        var trial = await new LedgerReports(db).TrialBalanceAsync();
        Assert.True(trial.Balances && trial.TiesToSubLedger, "the books tie out with the invoices in them");
        Assert.Equal(-(1_286.90m + 1_283.10m + 902.70m + 1_207.35m + 1_050m), trial.Rows.Single(r => r.GlAccount == "4810").Balance.Dollars);
        // Medicare's and Medicaid's contractual adjustments and the approved waiver.
        Assert.Equal(768.48m + 592.20m + 1_050m, trial.Rows.Single(r => r.GlAccount == "4815").Balance.Dollars);
        Assert.Equal(1, await db.OutgoingMail.CountAsync(m => m.Kind == OpenCIS.UseCases.Invoices.InvoiceStatements.MailKind));

        // Aging split by receivable type: each invoice type's open amounts, the utility accounts', and together the receivables control account.
        var aging = await new ReceivablesAging(db).RunAsync(outcome.Through, detail: false);
        var byType = aging.ByType.ToDictionary(t => t.Code, t => t.Buckets.Total.Dollars);
        Assert.Equal((1_286.90m + 102.44m + 1_207.35m, 365m + 5.48m, 1_226m, 2_100m, 540m), (byType["EMS"], byType["WEED"], byType["PERMIT"], byType["DAMAGE"], byType["RENTAL"]));
        Assert.False(byType.ContainsKey("ALARM"));
        Assert.Equal(ReceivablesAging.Utility, aging.ByType[0].Code);
        Assert.Equal(aging.Totals.Total.Dollars, byType.Values.Sum());
        Assert.Equal(trial.Rows.Single(r => r.GlAccount == GlAccounts.AccountsReceivable).Balance.Dollars, aging.Totals.Total.Dollars);
        Assert.Equal(aging.Totals.Total, (await new ReceivablesAging(db).RunAsync(outcome.Through, detail: false, alwaysRebuild: true)).ByType.Aggregate(Money.Zero, (sum, t) => sum + t.Buckets.Total));

        // The other city systems' keys: the permits system's with its checks, the licensing system's mid-rotation, the kiosk's revoked.
        var keys = await scope.ServiceProvider.GetRequiredService<OpenCIS.UseCases.Users.ApiKeys>().ListAsync();
        Assert.Equal([("licensing-system", "Active", 0), ("licensing-system", "Expiring", 1), ("lobby-kiosk", "Revoked", 0), ("permits-system", "Active", 3)],
            keys.Select(k => (k.Name, k.State.ToString(), k.Uses)).ToArray());
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_demo_bills_carry_exactly_the_planted_bill_messages(TestProvider provider)
    {
        var (database, outcome) = await fixture.CityAsync(provider);
        await using var db = database.Context();
        var planted = DemoBillMessages.For(outcome.Through);
        var (everyone, southSide) = (planted[0], planted[1]);

        var bills = await db.Bills.Join(db.Accounts, b => b.AccountId, a => a.Id, (b, a) => new { b.Id, b.BillDate, a.CycleCode, b.Messages }).ToListAsync();
        // Every bill of the last three months has the city-wide message; cycle C2's bills of the three months before, the south side's; no other bill has one.
        foreach (var bill in bills)
        {
            var expected = new List<string>();
            if (bill.CycleCode == "C2" && bill.BillDate >= southSide.StartsOn && bill.BillDate <= southSide.EndsOn)
            {
                expected.Add(southSide.Text);
            }

            if (bill.BillDate >= everyone.StartsOn)
            {
                expected.Add(everyone.Text);
            }

            Assert.True(expected.SequenceEqual(BillMessages.Read(bill.Messages)), $"bill {bill.Id} of cycle {bill.CycleCode} dated {bill.BillDate:yyyy-MM-dd} printed '{bill.Messages}'");
        }

        Assert.Equal(6, bills.Where(b => b.Messages is not null).Select(b => (b.CycleCode, b.BillDate)).Distinct().Count(b => b.BillDate >= everyone.StartsOn));
        Assert.Equal(3, bills.Where(b => b.Messages?.Contains(southSide.Text, StringComparison.Ordinal) == true).Select(b => b.BillDate).Distinct().Count());
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_trial_balance_balances_and_ties_to_the_sub_ledger_to_the_cent(TestProvider provider)
    {
        var (database, _) = await fixture.CityAsync(provider);
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCIS.Storage.OpenCisDbContext>();

        var trialBalance = await scope.ServiceProvider.GetRequiredService<LedgerReports>().TrialBalanceAsync();

        Assert.True(trialBalance.Balances, $"debits {trialBalance.TotalDebits} != credits {trialBalance.TotalCredits}");
        Assert.True(trialBalance.TiesToSubLedger, $"AR control {trialBalance.ReceivableControl} != sub-ledger {trialBalance.SubLedgerTotal}");
        // Independently of the report: the GL, the open items and the transactions all say the same.
        var glDebits = await db.GlEntries.SumAsync(g => g.DebitCents);
        var glCredits = await db.GlEntries.SumAsync(g => g.CreditCents);
        var openItems = await db.OpenItems.SumAsync(o => o.OpenCents);
        var transactions = await db.FinancialTransactions.SumAsync(t => t.AmountCents);
        Assert.Equal(glDebits, glCredits);
        Assert.Equal(glDebits, trialBalance.TotalDebits.Cents);
        Assert.Equal(openItems, trialBalance.ReceivableControl.Cents);
        Assert.Equal(transactions, openItems);
        Assert.True(trialBalance.ReceivableControl.IsPositive, "a year with late and non-payers should leave receivables open");

        // Through a date, the report ties with transactions instead of open items.
        var throughMay = await scope.ServiceProvider.GetRequiredService<LedgerReports>().TrialBalanceAsync(new DateOnly(2026, 5, 31));
        Assert.True(throughMay.Balances && throughMay.TiesToSubLedger);
        Assert.True(throughMay.TotalDebits < trialBalance.TotalDebits);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_months_trial_balance_chains_from_the_year_and_ties_and_its_gl_export_balances_per_fund(TestProvider provider)
    {
        var (database, _) = await fixture.CityAsync(provider);
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var reports = scope.ServiceProvider.GetRequiredService<LedgerReports>();
        DateOnly from = new(2026, 6, 1), through = new(2026, 6, 30);

        var june = await reports.PeriodTrialBalanceAsync(from, through);
        var throughMay = await reports.TrialBalanceAsync(from.AddDays(-1));
        var throughJune = await reports.TrialBalanceAsync(through);

        Assert.True(june.Balances, $"debits {june.TotalDebits} credits {june.TotalCredits} opening {june.TotalOpening} closing {june.TotalClosing}");
        Assert.True(june.TiesToSubLedger, $"AR closing {june.ReceivableClosing} != sub-ledger {june.SubLedgerAtClose}");
        Assert.True(june.TotalDebits.IsPositive, "June has bills and payments");
        foreach (var row in june.Rows)
        {
            Assert.Equal(throughMay.Rows.SingleOrDefault(r => r.GlAccount == row.GlAccount)?.Balance ?? Money.Zero, row.Opening);
            Assert.Equal(throughJune.Rows.Single(r => r.GlAccount == row.GlAccount).Balance, row.Closing);
        }

        var journal = await reports.GlJournalAsync(from, through);
        Assert.All(GlJournalExport.NetByFund(journal), fund => Assert.True(fund.Value.IsZero, $"fund {fund.Key} is off by {fund.Value}"));
        Assert.Contains(journal, l => l.Fund == "40");
        Assert.Contains(journal, l => l.Fund == "41");
        foreach (var row in june.Rows)
        {
            Assert.Equal(row.Debits - row.Credits, Money.Sum(journal.Where(l => l.GlAccount == row.GlAccount).Select(l => l.Debit - l.Credit)));
        }

        var fixedWidth = GlJournalExport.ToFixedWidth(journal).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(journal.Length, fixedWidth.Length);
        Assert.All(fixedWidth, record => Assert.Equal(GlJournalExport.FixedWidthRecordLength, record.Length));
        var csv = LedgerReports.PeriodTrialBalanceCsv(june).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(june.Rows.Length + 2, csv.Length);
        Assert.StartsWith($"total,,,,0.00,{june.TotalDebits.ToPlainString()},{june.TotalCredits.ToPlainString()},0.00", csv[^1], StringComparison.Ordinal);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Search_finds_an_account_by_phone_however_punctuated_e_mail_parcel_zip_bill_and_receipt_number(TestProvider provider)
    {
        var (database, _) = await fixture.CityAsync(provider);
        await using var db = database.Context();
        var target = await db.AccountCustomers.AsNoTracking().Where(ac => ac.EndedOn == null && ac.Role == Storage.Customers.AccountRole.Main)
            .Join(db.Customers.Where(c => c.Email != null && c.Phone != null), ac => ac.CustomerId, c => c.Id, (ac, c) => new { ac.AccountId, c.Email, c.Phone })
            .Join(db.Accounts, x => x.AccountId, a => a.Id, (x, a) => new { x.AccountId, x.Email, x.Phone, a.AccountNumber, a.PremiseId })
            .OrderBy(x => x.AccountId).Skip(7).FirstAsync();
        var premise = await db.Premises.AsNoTracking().SingleAsync(p => p.Id == target.PremiseId);
        var bill = await db.Bills.AsNoTracking().Where(b => b.AccountId == target.AccountId).OrderBy(b => b.Id).Select(b => b.Id).FirstAsync();
        var payment = await db.Payments.AsNoTracking().Where(p => p.AccountId == target.AccountId).OrderBy(p => p.Id).Select(p => p.Id).FirstAsync();
        var digits = new string([.. target.Phone!.Where(char.IsAsciiDigit)]);
        Assert.Equal(10, digits.Length);

        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var queries = scope.ServiceProvider.GetRequiredService<OpenCIS.UseCases.Customers.AccountQueries>();
        string[] queriesThatFindIt =
        [
            digits, $"({digits[..3]}) {digits[3..6]}-{digits[6..]}", $"{digits[..3]}.{digits[3..6]}.{digits[6..]}", $"+1 {digits[..3]} {digits[3..6]} {digits[6..]}",
            digits[3..], target.Email!.ToUpperInvariant(), $"  {target.Email}  ", premise.ParcelId, premise.ParcelId[..8].ToLowerInvariant(),
            bill.ToString(System.Globalization.CultureInfo.InvariantCulture), OpenCIS.Core.Payments.Receipts.Number(payment), OpenCIS.Core.Payments.Receipts.Number(payment).ToLowerInvariant(),
        ];
        foreach (var query in queriesThatFindIt)
        {
            Assert.True((await queries.SearchAsync(query)).Any(r => r.AccountNumber == target.AccountNumber), $"searching for '{query}' did not find {target.AccountNumber}");
        }

        // A ZIP code finds only accounts at premises in it, the target among them while the city is small.
        var byZip = await queries.SearchAsync(premise.Zip);
        Assert.Contains(byZip, r => r.AccountNumber == target.AccountNumber);
        Assert.All(byZip, r => Assert.EndsWith($" {premise.Zip}", r.ServiceAddress, StringComparison.Ordinal));
        // A phone number nobody has finds nothing; nor does a receipt that was never issued.
        Assert.Empty(await queries.SearchAsync("(999) 000-0000"));
        Assert.Empty(await queries.SearchAsync("R99999999"));

        // A customer on more than one account (here the target's customer, a co-applicant on another for the length
        // of this check): each account's page links the others.
        var customerId = await db.AccountCustomers.Where(ac => ac.AccountId == target.AccountId && ac.Role == Storage.Customers.AccountRole.Main).Select(ac => ac.CustomerId).FirstAsync();
        var second = await db.Accounts.AsNoTracking().Where(a => a.Id != target.AccountId).OrderByDescending(a => a.Id).FirstAsync();
        var coApplicant = new Storage.Customers.AccountCustomer { AccountId = second.Id, CustomerId = customerId, Role = Storage.Customers.AccountRole.CoApplicant, StartedOn = new DateOnly(2026, 1, 1) };
        db.AccountCustomers.Add(coApplicant);
        await db.SaveChangesAsync();
        OpenCIS.UseCases.Customers.AccountCustomerView them;
        try
        {
            them = (await queries.OverviewAsync(target.AccountId))!.Customers.First(c => c.CustomerId == customerId);
        }
        finally
        {
            db.AccountCustomers.Remove(coApplicant);
            await db.SaveChangesAsync();
        }

        var other = Assert.Single(them.OtherAccounts);
        Assert.Equal((second.AccountNumber, "CoApplicant", "Active"), (other.AccountNumber, other.Role, other.Status));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_trial_balance_and_aging_workbooks_open_with_open_xml_and_hold_the_reports_totals(TestProvider provider)
    {
        var (database, _) = await fixture.CityAsync(provider);
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var reports = scope.ServiceProvider.GetRequiredService<LedgerReports>();
        var june = await reports.PeriodTrialBalanceAsync(new DateOnly(2026, 6, 1), new DateOnly(2026, 6, 30));
        var aging = await scope.ServiceProvider.GetRequiredService<ReceivablesAging>().RunAsync(new DateOnly(2026, 9, 30), detail: true);

        using var trialFile = new MemoryStream(ReportWorkbook.TrialBalance(june));
        using var agingFile = new MemoryStream(ReportWorkbook.Aging(aging));
        var trialSheet = ReportWorkbook.Read(trialFile, "Trial balance 2026-06");
        agingFile.Position = 0;
        var summary = ReportWorkbook.Read(agingFile, "Summary");
        agingFile.Position = 0;
        var detail = ReportWorkbook.Read(agingFile, "Detail");

        static decimal Number(string text) => decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(["GL account", "Name", "Fund", "Department", "Opening", "Debits", "Credits", "Closing"], trialSheet[0]);
        Assert.Equal(june.Rows.Length + 3, trialSheet.Count);
        var total = trialSheet[^2];
        Assert.Equal("Total", total[0]);
        Assert.Equal(june.TotalDebits.Dollars, Number(total[5]));
        Assert.Equal(june.TotalCredits.Dollars, Number(total[6]));
        Assert.Equal(trialSheet.Skip(1).Take(june.Rows.Length).Sum(r => Number(r[5])), Number(total[5]));
        Assert.Equal(june.SubLedgerAtClose.Dollars, Number(trialSheet[^1][7]));
        Assert.Equal(aging.Totals.Total.Dollars, Number(summary[^1][7]));
        Assert.Equal(aging.Accounts.Count, detail.Count - 1);
        Assert.Equal(aging.Totals.Total.Dollars, detail.Skip(1).Sum(r => Number(r[7])));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Aging_by_due_date_sums_to_the_sub_ledger_today_and_on_a_past_date_rebuilt_from_postings(TestProvider provider)
    {
        var (database, outcome) = await fixture.CityAsync(provider);
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var aging = scope.ServiceProvider.GetRequiredService<ReceivablesAging>();
        var db = scope.ServiceProvider.GetRequiredService<OpenCIS.Storage.OpenCisDbContext>();
        var today = outcome.Through;
        var past = new DateOnly(2026, 5, 31);

        var now = await aging.RunAsync(today, detail: true);
        var nowRebuilt = await aging.RunAsync(today, detail: true, alwaysRebuild: true);
        var then = await aging.RunAsync(past, detail: true);
        var thenRebuilt = await aging.RunAsync(past, detail: true, alwaysRebuild: true);

        Assert.False(now.FromHistory);
        Assert.True(then.FromHistory);
        Assert.Equal(await db.OpenItems.SumAsync(o => o.OpenCents), now.Totals.Total.Cents);
        Assert.Equal(now.Totals, nowRebuilt.Totals);
        Assert.Equal(now.Accounts, nowRebuilt.Accounts);
        Assert.Equal(thenRebuilt.Accounts, then.Accounts); // the rewind from today equals the rebuild from every posting
        Assert.Equal(await db.FinancialTransactions.Where(t => t.EffectiveOn <= past).SumAsync(t => t.AmountCents), then.Totals.Total.Cents);
        Assert.True(now.Totals.PastDue.IsPositive, "late and non-payers leave amounts past due");
        Assert.Equal(now.Totals, now.Accounts.Aggregate(PastDueBuckets.Empty, (sum, a) => sum + a.Buckets));
        Assert.Equal(then.Totals, then.Accounts.Aggregate(PastDueBuckets.Empty, (sum, a) => sum + a.Buckets));
        Assert.NotEqual(now.Totals, then.Totals);
        var csv = ReceivablesAging.Csv(then).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(then.Accounts.Count + 2, csv.Length);
        Assert.EndsWith(then.Totals.Total.ToPlainString(), csv[^1], StringComparison.Ordinal);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Cash_receipts_and_the_monthly_accounting_report_agree_with_the_payments_and_the_gl(TestProvider provider)
    {
        var (database, _) = await fixture.CityAsync(provider);
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var reports = scope.ServiceProvider.GetRequiredService<AccountingReports>();
        var db = scope.ServiceProvider.GetRequiredService<OpenCIS.Storage.OpenCisDbContext>();
        DateOnly from = new(2026, 7, 1), through = new(2026, 7, 31);

        var receipts = await reports.CashReceiptsAsync(from, through);
        var july = await reports.MonthlyAsync(2026, 7);

        var payments = await db.Payments.Where(p => p.ReceivedOn >= from && p.ReceivedOn <= through).Select(p => p.AmountCents).ToListAsync();
        Assert.Equal(payments.Count, receipts.Payments);
        Assert.Equal(payments.Sum(), receipts.Total.Cents);
        Assert.True(receipts.Total.IsPositive);
        Assert.Equal(receipts.Rows.OrderBy(r => r.ReceivedOn).ToList(), receipts.Rows);
        Assert.Equal(receipts.Total, july.TotalReceipts);
        Assert.Equal(july.CashDebits, july.TotalReceipts);
        var revenueGl = await db.GlEntries.Where(g => g.EffectiveOn >= from && g.EffectiveOn <= through && g.GlAccount.StartsWith("4"))
            .SumAsync(g => g.CreditCents - g.DebitCents);
        Assert.Equal(revenueGl, july.TotalRevenue.Cents);
        Assert.Contains(july.Revenue, r => r.Service == "Water" && r.GlAccount == GlAccounts.WaterSales && r.Billed.IsPositive);
        Assert.Contains($"total receipts,,,,,{receipts.Payments},{receipts.Total.ToPlainString()}", AccountingReports.Csv(july), StringComparison.Ordinal);
        Assert.EndsWith($"total,,,{receipts.Payments},{receipts.Total.ToPlainString()}\r\n", AccountingReports.Csv(receipts), StringComparison.Ordinal);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Every_transaction_balances_and_every_account_balance_is_the_sum_of_its_transactions(TestProvider provider)
    {
        var (database, _) = await fixture.CityAsync(provider);
        await using var db = database.Context();

        var unbalanced = await db.GlEntries.GroupBy(g => g.FinancialTransactionId)
            .Where(g => g.Sum(x => x.DebitCents) != g.Sum(x => x.CreditCents)).Select(g => g.Key).ToListAsync();
        Assert.Empty(unbalanced);

        var openByAccount = (await db.OpenItems.GroupBy(o => o.AccountId).Select(g => new { g.Key, Cents = g.Sum(o => o.OpenCents) }).ToListAsync())
            .ToDictionary(x => x.Key, x => x.Cents);
        var transactions = await db.FinancialTransactions.AsNoTracking().Select(t => new { t.Id, t.AccountId, t.AmountCents, t.BalanceAfterCents }).ToListAsync();
        var accountIds = await db.Accounts.Select(a => a.Id).ToListAsync();
        foreach (var accountId in accountIds)
        {
            var history = transactions.Where(t => t.AccountId == accountId).OrderBy(t => t.Id).ToList();
            var sum = history.Sum(t => t.AmountCents);
            Assert.True(openByAccount.GetValueOrDefault(accountId) == sum,
                $"account {accountId}: open items {openByAccount.GetValueOrDefault(accountId)} but transactions sum to {sum}");
            // The running balance each transaction recorded is the sum of everything up to it.
            var running = 0L;
            foreach (var transaction in history)
            {
                running += transaction.AmountCents;
                Assert.Equal(running, transaction.BalanceAfterCents);
            }
        }

        // Allocations never settle more than either side had.
        var overSettled = await db.OpenItems.Where(o => o.AmountCents > 0 ? o.OpenCents < 0 || o.OpenCents > o.AmountCents : o.OpenCents > 0 || o.OpenCents < o.AmountCents).CountAsync();
        Assert.Equal(0, overSettled);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Aging_buckets_sum_to_total_receivables(TestProvider provider)
    {
        var (database, _) = await fixture.CityAsync(provider);
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCIS.Storage.OpenCisDbContext>();

        var aging = await scope.ServiceProvider.GetRequiredService<ReceivablesAging>().RunAsync(new DateOnly(2026, 11, 22), detail: true);

        var totalReceivables = await db.OpenItems.SumAsync(o => o.OpenCents);
        Assert.Equal(totalReceivables, aging.Totals.Total.Cents);
        Assert.Equal(aging.Totals, aging.ByClass.Select(c => c.Buckets).Aggregate(OpenCIS.Core.Ledger.PastDueBuckets.Empty, (a, b) => a + b));
        Assert.Equal(aging.Totals, aging.Accounts.Select(a => a.Buckets).Aggregate(OpenCIS.Core.Ledger.PastDueBuckets.Empty, (a, b) => a + b));
        Assert.True(aging.Totals.PastDue.IsPositive, "late and non-paying demo accounts should leave amounts past due");
        var openByAccount = (await db.OpenItems.GroupBy(o => o.AccountId).Select(g => new { g.Key, Cents = g.Sum(o => o.OpenCents) }).ToListAsync())
            .ToDictionary(x => x.Key, x => x.Cents);
        Assert.All(aging.Accounts, row => Assert.Equal(openByAccount[row.AccountId], row.Buckets.Total.Cents));
    }
}
