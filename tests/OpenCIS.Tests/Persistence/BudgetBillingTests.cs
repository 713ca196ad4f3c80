using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage;
using OpenCIS.Storage.Billing;
using OpenCIS.UseCases.Billing;
using OpenCIS.UseCases.Billing.Corrections;
using OpenCIS.UseCases.Ledger;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// Budget billing on each database, through real billing runs: a plan year billed at the budget amount, reviewed as it
/// falls due, corrected once by cancel and rebill, and ended by its true-up, leaves the customer having paid exactly
/// the actual charges and the deferred balance at zero; ending a plan between bills settles it at once.
/// </summary>
public sealed class BudgetBillingTests
{
    private sealed class MovableClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

        public void MoveTo(DateOnly date) => Now = new DateTimeOffset(date.ToDateTime(new TimeOnly(15, 0)), TimeSpan.Zero);
    }

    // Gallons used each month, December 2026 to November 2027: winter low, summer high.
    private static readonly long[] Use = [2_000, 1_000, 0, 3_000, 6_000, 9_000, 12_000, 14_000, 8_000, 4_000, 2_000, 3_000];

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_plan_year_ending_in_its_true_up_leaves_the_ledger_and_the_payments_equal_to_the_actual_charges(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "budget billing");
        await database.MigrateAsync();
        var clock = new MovableClock(FixedClock.DemoToday);
        await using var services = database.Services(clock);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        var accounts = await TinyCity.BuildAsync(db, 2);
        var (budget, other) = (accounts[0], accounts[1]);
        var plans = scope.ServiceProvider.GetRequiredService<BudgetPlans>();

        // No history yet: the amount must be given; November 22 enrolls to true up on the November bill.
        Assert.Equal("monthlyAmount", (await Assert.ThrowsAsync<DomainException>(() => plans.EnrollAsync(budget.AccountNumber, null, 11, 3, "clerk"))).Field);
        var enrolled = await plans.EnrollAsync(budget.AccountNumber, Money.FromCents(9_000), 11, 3, "clerk");
        Assert.Equal((9_000L, 11, new DateOnly(2027, 2, 22)), (enrolled.Active!.MonthlyAmountCents, enrolled.Active.TrueUpMonth, enrolled.Active.NextReviewOn));
        Assert.Equal("accountNumber", (await Assert.ThrowsAsync<DomainException>(() => plans.EnrollAsync(budget.AccountNumber, Money.FromCents(9_000), 11, 3, "clerk"))).Field);

        var paid = 0L;
        var reading = 1_000L;
        var amounts = new List<long>();
        for (var month = 0; month < 12; month++)
        {
            var billDate = new DateOnly(2026, 12, 5).AddMonths(month);
            reading += Use[month];
            await TinyCity.AddReadAsync(db, accounts, billDate.AddDays(-1), reading);
            db.ChangeTracker.Clear();
            var run = await scope.ServiceProvider.GetRequiredService<RunBilling>().ExecuteAsync("C1", billDate, "clerk");
            Assert.Equal(2, run.BillsCreated);

            if (month == 6)
            {
                // A July bill corrected: canceled and rebilled on a corrected read, still at the budget amount.
                clock.MoveTo(billDate.AddDays(1));
                var july = await db.Bills.AsNoTracking().SingleAsync(b => b.BillingRunId == run.RunId && b.AccountId == budget.AccountId);
                reading -= 2_000;
                await scope.ServiceProvider.GetRequiredService<CancelRebill>().ExecuteAsync(
                    new CancelRebillRequest(july.Id, "Misread: the meter shows 2,000 gallons less", [new CorrectedReading("T0000001", reading, Confirmed: true)], null), "clerk");
                db.ChangeTracker.Clear();
            }

            // The customer pays each bill's amount due in full.
            var bill = await db.Bills.AsNoTracking().Where(b => b.AccountId == budget.AccountId && b.Status == BillStatus.Issued).OrderByDescending(b => b.Id).FirstAsync();
            amounts.Add(bill.BudgetAmountCents!.Value);
            Assert.Equal(month == 11, bill.BudgetTrueUp);
            var ledger = await AccountLedger.LoadAsync(db, budget.AccountId, default);
            if (ledger.Balance.IsPositive)
            {
                paid += ledger.Balance.Cents;
                ledger.Post(db, PostingRules.ForPayment(ledger.Balance), billDate.AddDays(10), billDate.AddDays(10), null, "cashier", "Paid in full", clock.GetUtcNow());
                await db.SaveChangesAsync();
            }

            db.ChangeTracker.Clear();
        }

        await using var fresh = database.Context();
        var bills = await fresh.Bills.Where(b => b.AccountId == budget.AccountId && b.Status == BillStatus.Issued).OrderBy(b => b.BillDate).ToListAsync();
        var actual = bills.Sum(b => b.CurrentChargesCents);
        Assert.Equal(12, bills.Count);
        // Every month but the true-up billed the budget amount; the reviews (March, June, September) changed it with use.
        Assert.All(bills.Take(11), b => Assert.Equal(b.BudgetAmountCents, b.CurrentChargesCents - b.BudgetDeferredCents));
        Assert.Equal([9_000, 9_000, 9_000], amounts.Take(3));
        Assert.NotEqual(9_000, amounts[3]);
        Assert.Equal(actual, paid);
        Assert.Equal(0, await fresh.OpenItems.Where(o => o.AccountId == budget.AccountId).SumAsync(o => o.OpenCents));
        var deferred = await (from g in fresh.GlEntries join t in fresh.FinancialTransactions on g.FinancialTransactionId equals t.Id
                              where t.AccountId == budget.AccountId && g.GlAccount == GlAccounts.BudgetDeferred select g.DebitCents - g.CreditCents).SumAsync();
        Assert.Equal(0, deferred);
        Assert.Equal(0, bills[^1].BudgetBalanceCents);
        // The ledger's revenue is the actual charges, whatever was billed.
        var revenue = await (from g in fresh.GlEntries join t in fresh.FinancialTransactions on g.FinancialTransactionId equals t.Id
                             where t.AccountId == budget.AccountId && g.GlAccount.StartsWith("4") select g.CreditCents - g.DebitCents).SumAsync();
        Assert.Equal(actual, revenue);
        var entries = await fresh.GlEntries.ToListAsync();
        Assert.Equal(entries.Sum(e => e.DebitCents), entries.Sum(e => e.CreditCents));
        Assert.All(await fresh.Bills.Where(b => b.AccountId == other.AccountId).ToListAsync(), b => Assert.Null(b.BudgetAmountCents));

        // The true-up set the amount again from the year's charges; the view shows the year side by side.
        var view = await plans.GetAsync(budget.AccountNumber);
        Assert.Equal((long)Math.Ceiling(bills.TakeLast(12).Sum(b => b.CurrentChargesCents) / 1200m) * 100, view.Active!.MonthlyAmountCents);
        Assert.Equal(12, view.Bills.Count);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Ending_a_plan_between_bills_settles_its_deferred_balance_at_once(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "budget end");
        await database.MigrateAsync();
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        var accounts = await TinyCity.BuildAsync(db, 1);
        var plans = scope.ServiceProvider.GetRequiredService<BudgetPlans>();
        await plans.EnrollAsync(accounts[0].AccountNumber, Money.FromCents(6_000), 11, 3, "clerk");

        // 9,000 gallons: $130.85 of charges, $60.00 billed, $70.85 deferred.
        await TinyCity.AddReadAsync(db, accounts, new DateOnly(2026, 12, 4), 10_000);
        db.ChangeTracker.Clear();
        var december = await scope.ServiceProvider.GetRequiredService<RunBilling>().ExecuteAsync("C1", new DateOnly(2026, 12, 5), "clerk");
        var before = await plans.GetAsync(accounts[0].AccountNumber);

        // The print file carries the budget line after the bill, and the bill's amount due adds it to the current charges.
        using (var file = new StringWriter())
        {
            await scope.ServiceProvider.GetRequiredService<BillPrintExport>().WriteAsync(december.RunId, file);
            var records = file.ToString().Split(BillPrintExport.LineEnding).Select(r => r.Split('|')).ToList();
            var bill = records.Single(r => r[0] == "B");
            Assert.Equal(["G", bill[1], "60.00", "-70.85", "70.85", "N", "Budget billing: charges deferred"], records[records.IndexOf(bill) + 1]);
            Assert.Equal(("130.85", "60.00"), (bill[19], bill[20]));
        }

        Assert.Equal((7_085L, 6_000L), (before.DeferredBalance.Cents, await db.OpenItems.Where(o => o.AccountId == accounts[0].AccountId).SumAsync(o => o.OpenCents)));

        Assert.Equal("reason", (await Assert.ThrowsAsync<DomainException>(() => plans.EndAsync(accounts[0].AccountNumber, " ", "clerk"))).Field);
        var after = await plans.EndAsync(accounts[0].AccountNumber, "Customer asked to leave the plan", "clerk");
        Assert.Null(after.Active);
        Assert.Equal(Money.Zero, after.DeferredBalance);
        await using var fresh = database.Context();
        var settlement = await fresh.FinancialTransactions.SingleAsync(t => t.Type == FinancialTransactionType.BudgetSettlement);
        Assert.Equal(7_085, settlement.AmountCents);
        Assert.Equal(13_085, await fresh.OpenItems.Where(o => o.AccountId == accounts[0].AccountId).SumAsync(o => o.OpenCents));
        Assert.Equal("accountNumber", (await Assert.ThrowsAsync<DomainException>(() => plans.EndAsync(accounts[0].AccountNumber, "again", "clerk"))).Field);

        // The next bill is billed on actual charges, and reconciles: the settlement shows as activity since the last bill.
        await TinyCity.AddReadAsync(db, accounts, new DateOnly(2027, 1, 4), 12_000);
        db.ChangeTracker.Clear();
        var run = await scope.ServiceProvider.GetRequiredService<RunBilling>().ExecuteAsync("C1", new DateOnly(2027, 1, 5), "clerk");
        Assert.Equal((1, 0), (run.BillsCreated, run.Exceptions));
        var january = await fresh.Bills.SingleAsync(b => b.BillingRunId == run.RunId);
        Assert.Null(january.BudgetAmountCents);
        Assert.Equal(7_085, january.AdjustmentsCents);
    }
}
