using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Metering;
using OpenCIS.Core.Payments;
using OpenCIS.Storage;
using OpenCIS.UseCases;
using OpenCIS.Storage.Billing;
using OpenCIS.UseCases.Billing;
using OpenCIS.Storage.Billing.Corrections;
using OpenCIS.UseCases.Billing.Corrections;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Customers;
using OpenCIS.Storage.Metering;
using OpenCIS.UseCases.Metering;
using OpenCIS.Storage.Payments;
using OpenCIS.UseCases.Payments;
using OpenCIS.UseCases.Reports;

namespace OpenCIS.Tests.Persistence;

/// <summary>Corrections (issue 4): cancel and rebill, adjustments and their approval, final bills, leak allowances and average bills, on each provider.</summary>
public sealed class CorrectionWorkflowTests
{
    private static readonly DateOnly BillDate = new(2026, 11, 5);

    private sealed class City(TestDatabase database, ServiceProvider services, List<TinyCity.TinyAccount> accounts) : IAsyncDisposable
    {
        public List<TinyCity.TinyAccount> Accounts { get; } = accounts;
        public ServiceProvider Services { get; } = services;

        /// <summary>Each workflow call gets its own scope, as each web request does.</summary>
        public async Task<TResult> RunAsync<T, TResult>(Func<T, Task<TResult>> work) where T : notnull
        {
            await using var scope = Services.CreateAsyncScope();
            return await work(scope.ServiceProvider.GetRequiredService<T>());
        }

        public OpenCisDbContext Fresh() => database.Context();

        /// <summary>A workflow call on another day, as the next day's web request would be.</summary>
        public async Task<TResult> RunOnAsync<T, TResult>(DateTimeOffset at, Func<T, Task<TResult>> work) where T : notnull
        {
            await using var services = database.Services(new FixedClock(at));
            await using var scope = services.CreateAsyncScope();
            return await work(scope.ServiceProvider.GetRequiredService<T>());
        }

        public async ValueTask DisposeAsync()
        {
            await Services.DisposeAsync();
            await database.DisposeAsync();
        }
    }

    private static async Task<City> StartAsync(TestProvider provider, string what, int accounts = 2)
    {
        var database = await TestDatabases.CreateAsync(provider, what);
        await database.MigrateAsync();
        var services = database.Services();
        List<TinyCity.TinyAccount> tiny;
        await using (var db = database.Context())
        {
            tiny = await TinyCity.BuildAsync(db, accounts);
        }

        return new City(database, services, tiny);
    }

    /// <summary>Bills every account of the tiny city on a business date, each meter read the day before at the given reading.</summary>
    private static async Task BillAsync(City city, DateOnly businessDate, long reading)
    {
        await using (var db = city.Fresh())
        {
            await TinyCity.AddReadAsync(db, city.Accounts, businessDate.AddDays(-1), reading);
        }

        var run = await city.RunAsync<RunBilling, BillingRunOutcome>(w => w.ExecuteAsync("C1", businessDate, "clerk"));
        Assert.Equal(0, run.Exceptions);
    }

    /// <summary>The books tie out: every transaction balances, each account's balance is its open items, and the trial balance ties to the sub-ledger.</summary>
    private static async Task AssertBooksTieAsync(OpenCisDbContext db)
    {
        var unbalanced = await db.GlEntries.GroupBy(g => g.FinancialTransactionId)
            .Where(g => g.Sum(x => x.DebitCents) != g.Sum(x => x.CreditCents)).CountAsync();
        Assert.Equal(0, unbalanced);
        var byTransactions = await db.FinancialTransactions.GroupBy(t => t.AccountId).Select(g => new { g.Key, Total = g.Sum(t => t.AmountCents) }).ToDictionaryAsync(x => x.Key, x => x.Total);
        var byOpenItems = await db.OpenItems.GroupBy(o => o.AccountId).Select(g => new { g.Key, Total = g.Sum(o => o.OpenCents) }).ToDictionaryAsync(x => x.Key, x => x.Total);
        foreach (var (accountId, total) in byTransactions)
        {
            Assert.Equal(total, byOpenItems.GetValueOrDefault(accountId));
        }

        var trial = await new LedgerReports(db).TrialBalanceAsync();
        Assert.True(trial.Balances && trial.TiesToSubLedger, "the trial balance must balance and tie to the customer sub-ledger");
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Cancel_and_rebill_reverses_the_bill_rates_the_corrected_read_and_shows_the_difference_once(TestProvider provider)
    {
        await using var city = await StartAsync(provider, "cancel and rebill");
        await BillAsync(city, BillDate, 10_000);
        var account = city.Accounts[0];
        long billId;
        await using (var db = city.Fresh())
        {
            billId = await db.Bills.Where(b => b.AccountId == account.AccountId).Select(b => b.Id).SingleAsync();
        }

        // A $50.00 payment before the correction: the reversal's credit leaves it on the account for the rebill.
        await city.RunAsync<TakePayment, PaymentReceipt>(w => w.ExecuteAsync(new TakePaymentRequest(account.AccountNumber, Money.FromCents(5000), Tender.MoneyOrder, null, PaymentSource.Counter, null), "cashier"));

        // The present read was 10,000; the meter really read 6,000: 5,000 gal instead of 9,000.
        var request = new CancelRebillRequest(billId, "Misread: the reader keyed 10,000 for 6,000", [new CorrectedReading("T0000001", 6_000)], "rebill-key-1");
        var result = await city.RunAsync<CancelRebill, RebillResult>(w => w.ExecuteAsync(request, "clerk"));

        // Water 12.50 + 15.50, sewer 18.00 + 5 x 5.15, one cart 21.50 = 93.25 against 130.85.
        Assert.False(result.AlreadyDone);
        Assert.Equal((13085L, 9325L, -3760L), (result.OldTotalCents, result.NewTotalCents, result.DifferenceCents));
        Assert.Equal(9325 - 5000, result.BalanceCents);
        Assert.Equal([("Sewer", -2060L), ("Trash", 0L), ("Water", -1700L)], result.ByService.Select(s => (s.Service, s.DifferenceCents)).OrderBy(s => s.Service).ToArray());

        Dictionary<string, int> counts;
        await using (var db = city.Fresh())
        {
            var original = await db.Bills.SingleAsync(b => b.Id == billId);
            var rebill = await db.Bills.Include(b => b.Segments).SingleAsync(b => b.Id == result.NewBillId);
            Assert.Equal((BillStatus.Canceled, "clerk", result.NewBillId, 13085L), (original.Status, original.CanceledBy, original.ReplacedByBillId, original.CurrentChargesCents));
            Assert.Equal((BillKind.Rebill, billId, BillStatus.Issued), (rebill.Kind, rebill.ReplacesBillId, rebill.Status));
            Assert.Equal((original.PeriodStart, original.PeriodEnd), (rebill.PeriodStart, rebill.PeriodEnd));
            Assert.Equal(6_000, rebill.Segments.Single(s => s.Service == Service.Water).PresentReading);
            // The summary reconciles: previous balance + payments + adjustments + current charges = amount due.
            Assert.Equal(rebill.AmountDueCents, rebill.PreviousBalanceCents + rebill.PaymentsCents + rebill.AdjustmentsCents + rebill.CurrentChargesCents);
            Assert.Equal((-5000L, 4325L), (rebill.PaymentsCents, rebill.AmountDueCents));

            var reversal = await db.FinancialTransactions.Include(t => t.GlEntries).SingleAsync(t => t.Id == result.ReversalTransactionId);
            Assert.Equal((FinancialTransactionType.BillCancellation, -13085L, original.FinancialTransactionId), (reversal.Type, reversal.AmountCents, reversal.ReversesTransactionId));
            Assert.Equal(13085, reversal.GlEntries.Single(g => g.GlAccount == GlAccounts.AccountsReceivable).CreditCents);
            Assert.Contains(await db.AuditEntries.Select(a => a.Action).ToListAsync(), a => a == "Cancel and rebill");
            // The read history follows the correction: the billed read is set aside, the corrected one recorded.
            var reads = await db.Reads.Where(r => r.MeterId == account.MeterId && r.ReadOn == BillDate.AddDays(-1)).OrderBy(r => r.Id).ToListAsync();
            Assert.Equal([(10_000L, ReadStatus.Rejected), (6_000L, ReadStatus.Overridden)], reads.Select(r => (r.Reading, r.Status)).ToArray());
            await AssertBooksTieAsync(db);
            counts = new() { ["bills"] = await db.Bills.CountAsync(), ["transactions"] = await db.FinancialTransactions.CountAsync(), ["gl"] = await db.GlEntries.CountAsync() };
        }

        // The same request again (a retry): the first result, nothing posted twice.
        var again = await city.RunAsync<CancelRebill, RebillResult>(w => w.ExecuteAsync(request, "clerk"));
        Assert.True(again.AlreadyDone);
        Assert.Equal((result.NewBillId, result.DifferenceCents), (again.NewBillId, again.DifferenceCents));

        // Without the key it is a second cancellation of a canceled bill: refused, naming what replaced it.
        var refused = await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<CancelRebill, RebillResult>(w => w.ExecuteAsync(request with { IdempotencyKey = null }, "clerk")));
        Assert.Contains($"already canceled", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"bill {result.NewBillId} replaced it", refused.Message, StringComparison.Ordinal);
        await using (var db = city.Fresh())
        {
            Assert.Equal(counts, new Dictionary<string, int> { ["bills"] = await db.Bills.CountAsync(), ["transactions"] = await db.FinancialTransactions.CountAsync(), ["gl"] = await db.GlEntries.CountAsync() });
        }

        // The next run measures from the corrected read and reconciles to the ledger.
        await BillAsync(city, new DateOnly(2026, 12, 5), 13_000);
        await using (var db = city.Fresh())
        {
            var next = await db.Bills.Include(b => b.Segments).Where(b => b.AccountId == account.AccountId).OrderByDescending(b => b.Id).FirstAsync();
            Assert.Equal((BillKind.Regular, 6_000L, 7_000m), (next.Kind, next.Segments.Single(s => s.Service == Service.Water).PreviousReading!.Value, next.Segments.Single(s => s.Service == Service.Water).UsageQuantity!.Value));
            Assert.Equal(4325, next.PreviousBalanceCents);
            await AssertBooksTieAsync(db);
        }
    }

    /// <summary>Splitting an adjustment to stay under the threshold does not dodge it: a clerk's adjustments of the day on an account count together.</summary>
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Adjustments_split_to_stay_under_the_threshold_count_together_per_account_and_day(TestProvider provider)
    {
        await using var city = await StartAsync(provider, "adjustment split");
        await BillAsync(city, BillDate, 10_000);
        var number = city.Accounts[0].AccountNumber;
        var first = await city.RunAsync<RequestAdjustment, AdjustmentOutcome>(w => w.ExecuteAsync(new AdjustmentRequest(number, "courtesy", Money.FromCents(-9999), "Goodwill, part one", null, null), "clerk"));
        Assert.Equal(("Posted", false), (first.Adjustment.Status, first.NeedsApproval));
        var second = await city.RunAsync<RequestAdjustment, AdjustmentOutcome>(w => w.ExecuteAsync(new AdjustmentRequest(number, "courtesy", Money.FromCents(-9999), "Goodwill, part two", null, null), "other-clerk"));
        Assert.Equal(("Pending", true), (second.Adjustment.Status, second.NeedsApproval));
        Assert.Contains("already adjusted on this account today", second.Message, StringComparison.Ordinal);

        // Another account, or the next business day, starts afresh.
        var elsewhere = await city.RunAsync<RequestAdjustment, AdjustmentOutcome>(w => w.ExecuteAsync(new AdjustmentRequest(city.Accounts[1].AccountNumber, "courtesy", Money.FromCents(-9999), "Goodwill", null, null), "clerk"));
        Assert.Equal("Posted", elsewhere.Adjustment.Status);
        var tomorrow = await city.RunOnAsync<RequestAdjustment, AdjustmentOutcome>(FixedClock.DemoToday.AddDays(1), w => w.ExecuteAsync(new AdjustmentRequest(number, "courtesy", Money.FromCents(-9999), "Goodwill, next day", null, null), "clerk"));
        Assert.Equal("Posted", tomorrow.Adjustment.Status);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Adjustments_post_at_once_below_the_threshold_and_wait_for_another_supervisor_above_it(TestProvider provider)
    {
        await using var city = await StartAsync(provider, "adjustment approval");
        await BillAsync(city, BillDate, 10_000);
        var number = city.Accounts[0].AccountNumber;

        var small = await city.RunAsync<RequestAdjustment, AdjustmentOutcome>(w => w.ExecuteAsync(new AdjustmentRequest(number, "courtesy", Money.FromCents(-2500), "Missed trash pickup", null, null), "clerk"));
        Assert.Equal(("Posted", false, 13085L - 2500), (small.Adjustment.Status, small.NeedsApproval, small.BalanceCents));

        var largeRequest = new AdjustmentRequest(number, "BILLING-ERROR", Money.FromCents(-15000), "Commercial rate applied to a residence", null, "adj-key-1");
        var large = await city.RunAsync<RequestAdjustment, AdjustmentOutcome>(w => w.ExecuteAsync(largeRequest, "clerk"));
        Assert.Equal(("Pending", true, 10585L, (long?)null), (large.Adjustment.Status, large.NeedsApproval, large.BalanceCents, large.Adjustment.TransactionId));
        var retried = await city.RunAsync<RequestAdjustment, AdjustmentOutcome>(w => w.ExecuteAsync(largeRequest, "clerk"));
        Assert.Equal((true, large.Adjustment.AdjustmentId), (retried.AlreadyRequested, retried.Adjustment.AdjustmentId));

        var pending = await city.RunAsync<AdjustmentQueries, List<AdjustmentView>>(q => q.PendingAsync());
        Assert.Equal([large.Adjustment.AdjustmentId], pending.Select(p => p.AdjustmentId).ToArray());

        var selfApproval = await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<DecideAdjustment, AdjustmentOutcome>(w => w.ApproveAsync(large.Adjustment.AdjustmentId, "CLERK", null)));
        Assert.Contains("another supervisor", selfApproval.Message, StringComparison.Ordinal);
        var approved = await city.RunAsync<DecideAdjustment, AdjustmentOutcome>(w => w.ApproveAsync(large.Adjustment.AdjustmentId, "supervisor", "Checked the class"));
        Assert.Equal(("Posted", "supervisor", 10585L - 15000), (approved.Adjustment.Status, approved.Adjustment.DecidedBy, approved.BalanceCents));
        var twice = await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<DecideAdjustment, AdjustmentOutcome>(w => w.ApproveAsync(large.Adjustment.AdjustmentId, "supervisor", null)));
        Assert.Contains("already posted", twice.Message, StringComparison.Ordinal);

        var debit = await city.RunAsync<RequestAdjustment, AdjustmentOutcome>(w => w.ExecuteAsync(new AdjustmentRequest(number, "MISC-CHARGE", Money.FromCents(20000), "Damaged cart", null, null), "clerk"));
        var rejected = await city.RunAsync<DecideAdjustment, AdjustmentOutcome>(w => w.RejectAsync(debit.Adjustment.AdjustmentId, "supervisor", "The cart was already damaged"));
        Assert.Equal(("Rejected", "The cart was already damaged", -4415L), (rejected.Adjustment.Status, rejected.Adjustment.DecisionNote, rejected.BalanceCents));

        var wrongWay = await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<RequestAdjustment, AdjustmentOutcome>(w => w.ExecuteAsync(new AdjustmentRequest(number, "COURTESY", Money.FromCents(500), "x", null, null), "clerk")));
        Assert.Equal("direction", wrongWay.Field);

        await using var db = city.Fresh();
        var adjustments = await db.FinancialTransactions.Include(t => t.GlEntries).Where(t => t.Type == FinancialTransactionType.Adjustment).OrderBy(t => t.Id).ToListAsync();
        Assert.Equal([-2500L, -15000L], adjustments.Select(t => t.AmountCents).ToArray());
        Assert.Equal(17500, adjustments.SelectMany(t => t.GlEntries).Where(g => g.GlAccount == GlAccounts.BillingAdjustments).Sum(g => g.DebitCents));
        Assert.Contains("approved by supervisor", adjustments[1].Reason, StringComparison.Ordinal);
        await AssertBooksTieAsync(db);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Stopping_service_final_bills_to_the_stop_date_with_prorated_charges_and_ends_the_agreements(TestProvider provider)
    {
        await using var city = await StartAsync(provider, "final bill");
        await BillAsync(city, BillDate, 10_000);
        var account = city.Accounts[0];

        var result = await city.RunAsync<StopService, FinalBillResult>(w => w.ExecuteAsync(
            new StopServiceRequest(account.AccountNumber, new DateOnly(2026, 11, 20), [new FinalReading("T0000001", 11_000)], "Moved out"), "clerk"));

        // 16 days (Nov 5-20) on 1,000 gal: the per-bill base charges are prorated (water 12.50 x 16/30 = 6.67, sewer 18.00 x 16/30 = 9.60),
        // use as billed (water 1,000 x 3.10/1,000 = 3.10, sewer 5.15), and the cart as the schedule states (21.50 per cart).
        Assert.Equal((new DateOnly(2026, 11, 5), new DateOnly(2026, 11, 20), 16, "FinalBilled"), (result.PeriodStart, result.PeriodEnd, result.Days, result.AccountStatus));
        Assert.Equal(667 + 310 + 960 + 515 + 2150, result.CurrentChargesCents);
        Assert.Equal(13085 + result.CurrentChargesCents, result.AmountDueCents);

        await using (var db = city.Fresh())
        {
            var bill = await db.Bills.Include(b => b.Segments).ThenInclude(s => s.Lines).SingleAsync(b => b.Id == result.BillId);
            Assert.Equal(BillKind.Final, bill.Kind);
            Assert.Contains(bill.Segments.SelectMany(s => s.Lines), l => l.Trace.Contains("16/30 days", StringComparison.Ordinal));
            Assert.All(await db.ServiceAgreements.Where(a => a.AccountId == account.AccountId).ToListAsync(), a => Assert.Equal(new DateOnly(2026, 11, 20), a.EndedOn));
            Assert.Equal(AccountStatus.FinalBilled, (await db.Accounts.SingleAsync(a => a.Id == account.AccountId)).Status);
            Assert.True(await db.Reads.AnyAsync(r => r.MeterId == account.MeterId && r.ReadOn == new DateOnly(2026, 11, 20) && r.Reading == 11_000));
            await AssertBooksTieAsync(db);
        }

        var again = await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<StopService, FinalBillResult>(w => w.ExecuteAsync(
            new StopServiceRequest(account.AccountNumber, new DateOnly(2026, 11, 20), [new FinalReading("T0000001", 11_000)], "Moved out"), "clerk")));
        Assert.Contains("FinalBilled", again.Message, StringComparison.Ordinal);

        // The final read was 10,500, not 11,000: the rebill is again a final bill, still prorated to the stop date.
        var rebill = await city.RunAsync<CancelRebill, RebillResult>(w => w.ExecuteAsync(new CancelRebillRequest(result.BillId, "Final read misread", [new CorrectedReading("T0000001", 10_500, Confirmed: true)], null), "clerk"));
        Assert.Equal(667 + 155 + 960 + 258 + 2150, rebill.NewTotalCents);
        await using (var db = city.Fresh())
        {
            Assert.Equal(BillKind.Final, (await db.Bills.SingleAsync(b => b.Id == rebill.NewBillId)).Kind);
            await AssertBooksTieAsync(db);
        }

        // The next run bills the other account and passes the final-billed one by.
        var next = await city.RunAsync<RunBilling, BillingRunOutcome>(w => w.ExecuteAsync("C1", new DateOnly(2026, 12, 5), "clerk"));
        Assert.Equal(1, next.AccountsSelected);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_leak_allowance_credits_the_charge_on_use_above_the_average_and_goes_through_approval(TestProvider provider)
    {
        await using var city = await StartAsync(provider, "leak allowance", accounts: 1);
        await BillAsync(city, new DateOnly(2026, 10, 5), 4_000);
        await BillAsync(city, BillDate, 7_000);
        await BillAsync(city, new DateOnly(2026, 12, 5), 20_000);
        long leakBillId;
        await using (var db = city.Fresh())
        {
            leakBillId = await db.Bills.MaxAsync(b => b.Id);
        }

        await using var scope = city.Services.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        // A utility whose clerks may post up to $50.00 without a supervisor.
        var adjustments = new RequestAdjustment(context, new AdjustmentOptions(Money.FromCents(5000)), scope.ServiceProvider.GetRequiredService<BusinessCalendar>(), scope.ServiceProvider.GetRequiredService<TimeProvider>());
        var workflow = new LeakAllowanceWorkflow(context, adjustments, UnitConversion.Default, new LeakPolicy(12, 2, 100m));
        var quote = await workflow.QuoteAsync(leakBillId);

        // 6,000 gal over 64 days = 93.75 a day x 30 days = 2,813 gal; 13,000 billed, 10,187 above it.
        Assert.Equal((13_000m, 2_813m, 10_187m), (quote.BilledUsage, quote.AverageUsage, quote.ExcessUsage));
        // Water 62.00 at 13,000 gal against 12.50 + 2,813 x 3.10/1,000 = 21.22; sewer 18.00 + 13 x 5.15 = 84.95 against 18.00 + 2.813 x 5.15 = 32.49.
        Assert.Equal((6200 - 2122) + (8495 - 3249), quote.CreditCents);
        Assert.Contains(quote.Calculation, line => line.StartsWith("Average of 2 bills", StringComparison.Ordinal));

        var outcome = await workflow.RequestAsync(leakBillId, "Leak under the slab, repaired (plumber's invoice)", "leak-1", "clerk");
        Assert.Equal(("Pending", "LEAK", -quote.CreditCents), (outcome.Adjustment.Status, outcome.Adjustment.ReasonCode, outcome.Adjustment.AmountCents));
        Assert.Contains("Average of 2 bills", outcome.Adjustment.Calculation, StringComparison.Ordinal);
        var second = await Assert.ThrowsAsync<DomainException>(() => workflow.RequestAsync(leakBillId, "again", null, "clerk"));
        Assert.Contains("already has a leak allowance", second.Message, StringComparison.Ordinal);

        var approved = await city.RunAsync<DecideAdjustment, AdjustmentOutcome>(w => w.ApproveAsync(outcome.Adjustment.AdjustmentId, "supervisor", null));
        Assert.Equal("Posted", approved.Adjustment.Status);
        await using var check = city.Fresh();
        await AssertBooksTieAsync(check);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task An_average_bill_estimates_the_missing_read_and_is_marked_estimated(TestProvider provider)
    {
        await using var city = await StartAsync(provider, "average bill", accounts: 1);
        await BillAsync(city, BillDate, 10_000);
        var account = city.Accounts[0];

        var result = await city.RunAsync<AverageBill, AverageBillResult>(w => w.ExecuteAsync(new AverageBillRequest(account.AccountNumber, new DateOnly(2026, 11, 20), "No access: locked gate"), "clerk"));

        // One period of history: 9,000 gal over 64 days = 140.6 a day x 16 days = 2,250 gal.
        var estimate = Assert.Single(result.Estimates);
        Assert.Equal((10_000L, 12_250L), (estimate.PreviousReading, estimate.EstimatedReading));
        Assert.StartsWith("Average of the last 1 period", estimate.Method, StringComparison.Ordinal);
        await using var db = city.Fresh();
        var bill = await db.Bills.Include(b => b.Segments).SingleAsync(b => b.Id == result.BillId);
        Assert.Equal((BillKind.Estimated, new DateOnly(2026, 11, 5), new DateOnly(2026, 11, 20)), (bill.Kind, bill.PeriodStart, bill.PeriodEnd));
        Assert.True(bill.Segments.Single(s => s.Service == Service.Water).PresentReadEstimated);
        Assert.Equal(ReadStatus.Estimated, (await db.Reads.SingleAsync(r => r.MeterId == account.MeterId && r.ReadOn == new DateOnly(2026, 11, 20))).Status);
        await AssertBooksTieAsync(db);

        var again = await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<AverageBill, AverageBillResult>(w => w.ExecuteAsync(new AverageBillRequest(account.AccountNumber, new DateOnly(2026, 11, 20), "again"), "clerk")));
        Assert.Contains("already covers", again.Message, StringComparison.Ordinal);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_final_bill_after_a_meter_exchange_in_its_period_bills_the_use_of_both_meters(TestProvider provider)
    {
        await using var city = await StartAsync(provider, "final after exchange", accounts: 1);
        await BillAsync(city, BillDate, 10_000);
        var account = city.Accounts[0];

        // On Nov 10 the meter is exchanged (the old one read 10,400 when it came out; the new one is set at 0),
        // and on Nov 20 the customer moves out with the new meter at 600: 400 + 600 = 1,000 gal in the period.
        await city.RunAsync<MeterLifecycle, Meter>(w => w.ReceiveAsync(new ReceiveMeterRequest("N0000001", Service.Water, "5/8\"", 6, 1m, Unit.Gallons, "Neptune", "T-10"), "clerk"));
        await city.RunAsync<MeterLifecycle, bool>(async w => { await w.ExchangeAsync("T0000001", "N0000001", new DateOnly(2026, 11, 10), 10_400, 0, "clerk"); return true; });
        var result = await city.RunAsync<StopService, FinalBillResult>(w => w.ExecuteAsync(
            new StopServiceRequest(account.AccountNumber, new DateOnly(2026, 11, 20), [new FinalReading("N0000001", 600)], "Moved out"), "clerk"));

        // The same charges as 1,000 gal on one meter: water 6.67 + 3.10, sewer 9.60 + 5.15, the cart 21.50.
        Assert.Equal(667 + 310 + 960 + 515 + 2150, result.CurrentChargesCents);
        await using var db = city.Fresh();
        var bill = await db.Bills.Include(b => b.Segments).ThenInclude(s => s.RemovedMeters).SingleAsync(b => b.Id == result.BillId);
        var water = bill.Segments.Single(s => s.Service == Service.Water);
        Assert.Equal(("N0000001", 0L, 600L, 1_000m), (water.MeterSerial, water.PreviousReading!.Value, water.PresentReading!.Value, water.UsageQuantity!.Value));
        var removed = Assert.Single(water.RemovedMeters);
        Assert.Equal(("T0000001", 10_000L, 10_400L, new DateOnly(2026, 11, 10)), (removed.MeterSerial, removed.PreviousReading, removed.FinalReading, removed.RemovedOn));
        await AssertBooksTieAsync(db);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_final_bill_before_any_bill_starts_where_the_billing_run_would_start_it(TestProvider provider)
    {
        await using var city = await StartAsync(provider, "first final bill", accounts: 2);
        var (stopped, billed) = (city.Accounts[0], city.Accounts[1]);
        await using (var db = city.Fresh())
        {
            await TinyCity.AddReadAsync(db, [billed], BillDate.AddDays(-1), 10_000);
        }

        // Both meters were set and read on Sep 1 (1,000). One account is billed by the run on Nov 5 for its Nov 4 read;
        // the other moves out on Nov 4 with the same reading, before its first bill: both periods start on Sep 2.
        var run = await city.RunAsync<RunBilling, BillingRunOutcome>(w => w.ExecuteAsync("C1", BillDate, "clerk"));
        Assert.Equal(1, run.BillsCreated);
        var final = await city.RunAsync<StopService, FinalBillResult>(w => w.ExecuteAsync(
            new StopServiceRequest(stopped.AccountNumber, BillDate.AddDays(-1), [new FinalReading("T0000001", 10_000)], "Moved out"), "clerk"));

        await using var check = city.Fresh();
        var regular = await check.Bills.Include(b => b.Segments).SingleAsync(b => b.AccountId == billed.AccountId);
        Assert.Equal((new DateOnly(2026, 9, 2), BillDate.AddDays(-1)), (regular.PeriodStart, regular.PeriodEnd));
        Assert.Equal((regular.PeriodStart, regular.PeriodEnd), (final.PeriodStart, final.PeriodEnd));
        Assert.Equal(9_000m, regular.Segments.Single(s => s.Service == Service.Water).UsageQuantity);
        Assert.Equal(9_000m, (await check.Bills.Include(b => b.Segments).SingleAsync(b => b.Id == final.BillId)).Segments.Single(s => s.Service == Service.Water).UsageQuantity);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_corrected_read_lower_than_the_previous_one_is_refused_until_the_clerk_confirms_the_rollover_and_a_preview_posts_nothing(TestProvider provider)
    {
        await using var city = await StartAsync(provider, "lower corrected read", accounts: 1);
        await BillAsync(city, BillDate, 10_000);
        long billId;
        Dictionary<string, int> Counts(OpenCisDbContext db) => new()
        {
            ["bills"] = db.Bills.Count(), ["transactions"] = db.FinancialTransactions.Count(), ["gl"] = db.GlEntries.Count(), ["reads"] = db.Reads.Count(),
        };
        Dictionary<string, int> before;
        await using (var db = city.Fresh())
        {
            billId = await db.Bills.Select(b => b.Id).SingleAsync();
            before = Counts(db);
        }

        // The bill measured 1,000 to 10,000. A corrected read of 1 is below 1,000 and no rollover of the 6-dial
        // register explains it (999,001 gal): rejected as an imported read would be, confirmed or not.
        foreach (var confirmed in new[] { false, true })
        {
            var rejected = await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<CancelRebill, RebillResult>(w =>
                w.ExecuteAsync(new CancelRebillRequest(billId, "Misread", [new CorrectedReading("T0000001", 1, confirmed)], null), "clerk")));
            Assert.Equal("correctedReadings", rejected.Field);
            Assert.Contains("the corrected reading 1 is rejected", rejected.Message, StringComparison.Ordinal);
            Assert.Contains("1 is lower than the previous reading 1,000", rejected.Message, StringComparison.Ordinal);
        }

        // A plausible correction previews with the difference by service, and posts nothing.
        var preview = await city.RunAsync<CancelRebill, RebillPreview>(w => w.PreviewAsync(billId, [new CorrectedReading("T0000001", 6_000)]));
        Assert.Equal((13085L, 9325L, -3760L), (preview.OldTotalCents, preview.NewTotalCents, preview.DifferenceCents));
        Assert.Equal([("Sewer", -2060L), ("Trash", 0L), ("Water", -1700L)], preview.ByService.Select(s => (s.Service, s.DifferenceCents)).OrderBy(s => s.Service).ToArray());
        await using (var db = city.Fresh())
        {
            Assert.Equal(before, Counts(db));
            Assert.Equal(BillStatus.Issued, (await db.Bills.SingleAsync(b => b.Id == billId)).Status);
        }

        // The register then runs near its top: read 994,500 on Dec 4 and 999,000 on Jan 4. A correction of the
        // January read to 500 is lower than the previous reading; only a rollover (6,000 gal) explains it, so the
        // clerk must confirm it.
        await BillAsync(city, new DateOnly(2026, 12, 5), 994_500);
        await BillAsync(city, new DateOnly(2027, 1, 5), 999_000);
        long secondId;
        await using (var db = city.Fresh())
        {
            secondId = await db.Bills.MaxAsync(b => b.Id);
        }

        var rollover = new CorrectedReading("T0000001", 500);
        var refused = await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<CancelRebill, RebillPreview>(w => w.PreviewAsync(secondId, [rollover])));
        Assert.Contains("500 is lower than the previous reading 994,500: the register would have rolled over, a use of 6,000 gal.", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Confirm it to rebill on it.", refused.Message, StringComparison.Ordinal);
        var confirmedPreview = await city.RunAsync<CancelRebill, RebillPreview>(w => w.PreviewAsync(secondId, [rollover with { Confirmed = true }]));
        var result = await city.RunAsync<CancelRebill, RebillResult>(w => w.ExecuteAsync(new CancelRebillRequest(secondId, "Register rolled over", [rollover with { Confirmed = true }], null), "clerk"));
        Assert.Equal(confirmedPreview.NewTotalCents, result.NewTotalCents);
        await using (var db = city.Fresh())
        {
            var rebill = await db.Bills.Include(b => b.Segments).SingleAsync(b => b.Id == result.NewBillId);
            Assert.Equal(6_000m, rebill.Segments.Single(s => s.Service == Service.Water).UsageQuantity);
            await AssertBooksTieAsync(db);
        }
    }
}
