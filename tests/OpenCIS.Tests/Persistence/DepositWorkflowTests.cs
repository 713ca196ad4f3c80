using System.Collections.Immutable;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Core.Deposits;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Payments;
using OpenCIS.Storage;
using OpenCIS.UseCases;
using OpenCIS.Storage.Billing;
using OpenCIS.UseCases.Billing;
using OpenCIS.Storage.Billing.Corrections;
using OpenCIS.UseCases.Billing.Corrections;
using OpenCIS.Storage.Deposits;
using OpenCIS.UseCases.Deposits;
using OpenCIS.Storage.Payments;
using OpenCIS.UseCases.Payments;
using OpenCIS.UseCases.Reports;

namespace OpenCIS.Tests.Persistence;

/// <summary>Deposits on each provider: billed, paid, held, applied to a final bill; the refund review by date, with interest, run twice; the report tied to GL 2200.</summary>
public sealed class DepositWorkflowTests
{
    private static readonly DateOnly BillDate = new(2026, 11, 5);
    private static readonly DateOnly Today = DateOnly.FromDateTime(FixedClock.DemoToday.UtcDateTime);

    private sealed class City(TestDatabase database, List<TinyCity.TinyAccount> accounts) : IAsyncDisposable
    {
        private readonly Dictionary<DateTimeOffset, ServiceProvider> services = [];

        public List<TinyCity.TinyAccount> Accounts { get; } = accounts;

        /// <summary>Each call gets its own scope, on a clock stopped at <paramref name="at"/> (default: the demo's today).</summary>
        public async Task<TResult> RunAsync<T, TResult>(Func<T, Task<TResult>> work, DateTimeOffset? at = null) where T : notnull
        {
            var when = at ?? FixedClock.DemoToday;
            if (!services.TryGetValue(when, out var provider))
            {
                provider = database.Services(new FixedClock(when));
                services[when] = provider;
            }

            await using var scope = provider.CreateAsyncScope();
            return await work(scope.ServiceProvider.GetRequiredService<T>());
        }

        public OpenCisDbContext Fresh() => database.Context();

        public async ValueTask DisposeAsync()
        {
            foreach (var provider in services.Values)
            {
                await provider.DisposeAsync();
            }

            await database.DisposeAsync();
        }
    }

    private static async Task<City> StartAsync(TestProvider provider, string what)
    {
        var database = await TestDatabases.CreateAsync(provider, what);
        await database.MigrateAsync();
        List<TinyCity.TinyAccount> tiny;
        await using (var db = database.Context())
        {
            tiny = await TinyCity.BuildAsync(db, 3);
        }

        var city = new City(database, tiny);
        await using (var db = city.Fresh())
        {
            await TinyCity.AddReadAsync(db, tiny, BillDate.AddDays(-1), 10_000);
        }

        var run = await city.RunAsync<RunBilling, BillingRunOutcome>(w => w.ExecuteAsync("C1", BillDate, "clerk"));
        Assert.Equal(0, run.Exceptions);
        return city;
    }

    private static async Task AssertBooksTieAsync(OpenCisDbContext db)
    {
        Assert.Equal(0, await db.GlEntries.GroupBy(g => g.FinancialTransactionId).Where(g => g.Sum(x => x.DebitCents) != g.Sum(x => x.CreditCents)).CountAsync());
        var byTransactions = await db.FinancialTransactions.GroupBy(t => t.AccountId).Select(g => new { g.Key, Total = g.Sum(t => t.AmountCents) }).ToDictionaryAsync(x => x.Key, x => x.Total);
        var byOpenItems = await db.OpenItems.GroupBy(o => o.AccountId).Select(g => new { g.Key, Total = g.Sum(o => o.OpenCents) }).ToDictionaryAsync(x => x.Key, x => x.Total);
        foreach (var (accountId, total) in byTransactions)
        {
            Assert.Equal(total, byOpenItems.GetValueOrDefault(accountId));
        }

        var trial = await new LedgerReports(db).TrialBalanceAsync();
        Assert.True(trial.Balances && trial.TiesToSubLedger, "the trial balance must balance and tie to the customer sub-ledger");
    }

    private static async Task<long> GlDepositsHeldAsync(OpenCisDbContext db) =>
        await db.GlEntries.Where(g => g.GlAccount == GlAccounts.CustomerDeposits).SumAsync(g => g.CreditCents - g.DebitCents);

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_deposit_is_billed_once_paid_held_and_applied_to_the_final_bill_and_the_report_ties_to_GL_2200(TestProvider provider)
    {
        TestDatabases.Require(provider, "deposit lifecycle");
        await using var city = await StartAsync(provider, "deposit lifecycle");
        var account = city.Accounts[0];

        var request = new RequireDepositRequest(account.AccountNumber, null, "deposit-key-1");
        var billed = await city.RunAsync<RequireDeposit, DepositOutcome>(w => w.ExecuteAsync(request, "clerk"));
        Assert.Equal(("Billed", "Standard", 15000L, false), (billed.Deposit.Status, billed.Deposit.DecisionKind, billed.Deposit.BilledCents, billed.AlreadyDone));
        Assert.Equal((13085L + 15000, 15000L, Today.AddDays(21)), (billed.BalanceCents, billed.Deposit.ChargeOpenCents, billed.Deposit.DueOn!.Value));

        // A retry with the key: the first outcome, nothing billed again. The key with another request: refused, naming the key.
        var retried = await city.RunAsync<RequireDeposit, DepositOutcome>(w => w.ExecuteAsync(request, "clerk"));
        Assert.Equal((true, billed.Deposit.DepositId, billed.BalanceCents), (retried.AlreadyDone, retried.Deposit.DepositId, retried.BalanceCents));
        var reused = await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<RequireDeposit, DepositOutcome>(w => w.ExecuteAsync(request with { WaiverReason = "Letter of credit" }, "clerk")));
        Assert.Equal("Idempotency-Key", reused.Field);
        var second = await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<RequireDeposit, DepositOutcome>(w => w.ExecuteAsync(request with { IdempotencyKey = null }, "clerk")));
        Assert.Contains("already has deposit", second.Message, StringComparison.Ordinal);

        // A letter of credit waives the second account's deposit: recorded with its reason, nothing posted.
        var waived = await city.RunAsync<RequireDeposit, DepositOutcome>(w => w.ExecuteAsync(new RequireDepositRequest(city.Accounts[1].AccountNumber, "Letter of credit, First Bank", null), "clerk"));
        Assert.Equal(("Waived", 0L, null, 13085L), (waived.Deposit.Status, waived.Deposit.BilledCents, waived.Deposit.ChargeTransactionId, waived.BalanceCents));
        Assert.Contains("Letter of credit, First Bank", waived.Deposit.DecisionReason, StringComparison.Ordinal);

        await using (var db = city.Fresh())
        {
            Assert.Equal(1, await db.FinancialTransactions.CountAsync(t => t.Type == FinancialTransactionType.DepositCharge));
            Assert.Equal(15000, await GlDepositsHeldAsync(db));
            Assert.Equal(2, await db.AuditEntries.CountAsync(a => a.EntityType == "Deposit"));
        }

        var unpaid = await city.RunAsync<DepositQueries, DepositReport>(q => q.ReportAsync(Today));
        Assert.Equal((0, 1, 15000L, 15000L, true), (unpaid.HeldCount, unpaid.BilledUnpaidCount, unpaid.BilledUnpaidCents, unpaid.GeneralLedgerBalanceCents, unpaid.TiesToGeneralLedger));

        // Paid in full at the counter: the report sees it held from today, still tied to GL 2200.
        await city.RunAsync<TakePayment, PaymentReceipt>(w => w.ExecuteAsync(new TakePaymentRequest(account.AccountNumber, Money.FromCents(13085 + 15000), Tender.MoneyOrder, null, PaymentSource.Counter, null), "cashier"));
        var paid = await city.RunAsync<DepositQueries, DepositReport>(q => q.ReportAsync(Today));
        Assert.Equal((1, 15000L, 0, true), (paid.HeldCount, paid.HeldCents, paid.BilledUnpaidCount, paid.TiesToGeneralLedger));
        Assert.Equal(Today, paid.Outstanding.Single().HeldSince);

        // Service stops: the final bill is issued and the deposit credited against it in the same transaction.
        var final = await city.RunAsync<StopService, FinalBillResult>(w => w.ExecuteAsync(
            new StopServiceRequest(account.AccountNumber, new DateOnly(2026, 11, 20), [new FinalReading("T0000001", 11_000)], "Moved out"), "clerk"));
        Assert.Contains("Deposit of $150.00", final.Message, StringComparison.Ordinal);
        var views = await city.RunAsync<DepositQueries, IReadOnlyList<DepositView>>(q => q.ForAccountAsync(account.AccountNumber));
        var applied = views.Single();
        Assert.Equal(("Applied", Today, (DateOnly?)Today), (applied.Status, applied.HeldSince!.Value, applied.ClosedOn));

        await using (var db = city.Fresh())
        {
            var balance = await db.OpenItems.Where(o => o.AccountId == account.AccountId).SumAsync(o => o.OpenCents);
            Assert.Equal(final.CurrentChargesCents - 15000, balance);
            var application = await db.FinancialTransactions.Include(t => t.GlEntries).SingleAsync(t => t.Type == FinancialTransactionType.DepositApplication);
            Assert.Equal((-15000L, applied.ClosingTransactionId), (application.AmountCents, (long?)application.Id));
            Assert.Equal(15000, application.GlEntries.Single(g => g.GlAccount == GlAccounts.CustomerDeposits).DebitCents);
            Assert.Equal(0, await GlDepositsHeldAsync(db));
            await AssertBooksTieAsync(db);
        }

        var report = await city.RunAsync<DepositQueries, DepositReport>(q => q.ReportAsync(Today));
        Assert.Equal((0, 1, 15000L, 0L, true), (report.HeldCount, report.AppliedCount, report.AppliedCents, report.OutstandingCents, report.TiesToGeneralLedger));
        Assert.Contains("ties to GL 2200,,yes", DepositQueries.Csv(report), StringComparison.Ordinal);

        // Applying it again is refused: the deposit is closed.
        var again = await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<ApplyDepositToFinalBill, DepositOutcome>(w => w.ExecuteAsync(new ApplyDepositRequest(account.AccountNumber, null), "clerk")));
        Assert.Contains("no billed or held deposit", again.Message, StringComparison.Ordinal);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_refund_review_credits_deposits_back_after_twelve_on_time_months_with_interest_once_per_date(TestProvider provider)
    {
        TestDatabases.Require(provider, "deposit refund review");
        await using var city = await StartAsync(provider, "deposit refund review");
        var onTime = city.Accounts[0];
        var late = city.Accounts[1];
        foreach (var account in new[] { onTime, late })
        {
            await city.RunAsync<RequireDeposit, DepositOutcome>(w => w.ExecuteAsync(new RequireDepositRequest(account.AccountNumber, null, null), "clerk"));
        }

        // One pays everything today; the other on December 10, after the bill's due date (November 26).
        await city.RunAsync<TakePayment, PaymentReceipt>(w => w.ExecuteAsync(new TakePaymentRequest(onTime.AccountNumber, Money.FromCents(13085 + 15000), Tender.MoneyOrder, null, PaymentSource.Counter, null), "cashier"));
        var december10 = new DateTimeOffset(2026, 12, 10, 12, 0, 0, TimeSpan.Zero);
        await city.RunAsync<TakePayment, PaymentReceipt>(w => w.ExecuteAsync(new TakePaymentRequest(late.AccountNumber, Money.FromCents(13085 + 15000), Tender.MoneyOrder, null, PaymentSource.Counter, null), "cashier"), december10);

        var first = await city.RunAsync<ReviewDepositRefunds, DepositReviewResult>(w => w.ExecuteAsync(new DateOnly(2026, 12, 15), "batch"), december10);
        Assert.Equal((2, 2, 0, false), (first.Reviewed, first.BecameHeld, first.Refunded, first.AlreadyDone));
        var firstAgain = await city.RunAsync<ReviewDepositRefunds, DepositReviewResult>(w => w.ExecuteAsync(new DateOnly(2026, 12, 15), "batch"), december10);
        Assert.Equal((true, 2), (firstAgain.AlreadyDone, firstAgain.BecameHeld));

        // A year on, at 5% a year: the on-time account gets 150.00 + 150.00 x 5% x 365 / 365 = 7.50 back; the late one waits for December 11.
        var policy = new DepositPolicy(DepositPolicy.Default.RequiredByClass, annualInterestRatePercent: 5m);
        var yearOn = new DateOnly(2027, 11, 22);
        await using (var db = city.Fresh())
        {
            var review = await new ReviewDepositRefunds(db, policy, new FixedClock(FixedClock.DemoToday.AddYears(1))).ExecuteAsync(yearOn, "batch", "review-key-1");
            Assert.Equal((2, 1, 15000L, 750L), (review.Reviewed, review.Refunded, review.RefundedCents, review.InterestCents));
            Assert.Equal(onTime.AccountNumber, review.Refunds.Single().AccountNumber);
        }

        Dictionary<string, int> counts;
        await using (var db = city.Fresh())
        {
            Assert.Equal(-15750, await db.OpenItems.Where(o => o.AccountId == onTime.AccountId).SumAsync(o => o.OpenCents));
            Assert.Equal(750, await db.GlEntries.Where(g => g.GlAccount == GlAccounts.DepositInterestExpense).SumAsync(g => g.DebitCents));
            Assert.Equal(15000, await GlDepositsHeldAsync(db));
            await AssertBooksTieAsync(db);
            counts = new() { ["transactions"] = await db.FinancialTransactions.CountAsync(), ["gl"] = await db.GlEntries.CountAsync(), ["reviews"] = await db.DepositRefundReviews.CountAsync() };

            // The same date again, with or without the key: the first run, nothing posted. The key for another date: refused.
            var again = await new ReviewDepositRefunds(db, policy, new FixedClock(FixedClock.DemoToday.AddYears(1))).ExecuteAsync(yearOn, "batch", "review-key-1");
            Assert.Equal((true, 1, 750L), (again.AlreadyDone, again.Refunded, again.InterestCents));
            Assert.Equal(onTime.AccountNumber, again.Refunds.Single().AccountNumber);
            var otherDate = await Assert.ThrowsAsync<DomainException>(() => new ReviewDepositRefunds(db, policy, TimeProvider.System).ExecuteAsync(yearOn.AddDays(1), "batch", "review-key-1"));
            Assert.Equal("Idempotency-Key", otherDate.Field);
        }

        await using (var db = city.Fresh())
        {
            Assert.Equal(counts, new Dictionary<string, int> { ["transactions"] = await db.FinancialTransactions.CountAsync(), ["gl"] = await db.GlEntries.CountAsync(), ["reviews"] = await db.DepositRefundReviews.CountAsync() });
        }

        var december10Review = await city.RunAsync<ReviewDepositRefunds, DepositReviewResult>(w => w.ExecuteAsync(new DateOnly(2027, 12, 10), "batch"));
        Assert.Equal((1, 0), (december10Review.Reviewed, december10Review.Refunded));
        var december11Review = await city.RunAsync<ReviewDepositRefunds, DepositReviewResult>(w => w.ExecuteAsync(new DateOnly(2027, 12, 11), "batch"));
        Assert.Equal((1, late.AccountNumber, 15000L, 0L), (december11Review.Refunded, december11Review.Refunds.Single().AccountNumber, december11Review.RefundedCents, december11Review.InterestCents));

        var report = await city.RunAsync<DepositQueries, DepositReport>(q => q.ReportAsync(new DateOnly(2027, 12, 31), new DateOnly(2027, 1, 1)));
        Assert.Equal((0, 2, 30000L, 750L, 0L, true), (report.HeldCount, report.RefundedCount, report.RefundedCents, report.InterestCreditedCents, report.GeneralLedgerBalanceCents, report.TiesToGeneralLedger));
        await using (var db = city.Fresh())
        {
            Assert.Equal(0, await GlDepositsHeldAsync(db));
            Assert.Equal(["Refunded", "Refunded"], await db.Deposits.OrderBy(d => d.Id).Select(d => d.Status.ToString()).ToListAsync());
            await AssertBooksTieAsync(db);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task An_unpaid_deposit_applied_at_the_final_bill_cancels_its_own_charge_and_leaves_nothing_on_GL_2200(TestProvider provider)
    {
        TestDatabases.Require(provider, "unpaid deposit at the final bill");
        await using var city = await StartAsync(provider, "unpaid deposit at the final bill");
        var account = city.Accounts[1];
        await city.RunAsync<RequireDeposit, DepositOutcome>(w => w.ExecuteAsync(new RequireDepositRequest(account.AccountNumber, null, null), "clerk"));

        var final = await city.RunAsync<StopService, FinalBillResult>(w => w.ExecuteAsync(
            new StopServiceRequest(account.AccountNumber, new DateOnly(2026, 11, 20), [new FinalReading("T0000002", 11_000)], "Moved out"), "clerk"));

        var deposit = (await city.RunAsync<DepositQueries, IReadOnlyList<DepositView>>(q => q.ForAccountAsync(account.AccountNumber))).Single();
        Assert.Equal(("Applied", (DateOnly?)null, 0L, 0L), (deposit.Status, deposit.HeldSince, deposit.InterestCents, deposit.ChargeOpenCents));
        await using var db = city.Fresh();
        // The customer owes the bills, not the deposit they never paid.
        Assert.Equal(13085 + final.CurrentChargesCents, await db.OpenItems.Where(o => o.AccountId == account.AccountId).SumAsync(o => o.OpenCents));
        Assert.Equal(0, await GlDepositsHeldAsync(db));
        await AssertBooksTieAsync(db);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_returned_payment_doubles_the_deposit_of_the_customers_next_account(TestProvider provider)
    {
        TestDatabases.Require(provider, "deposit credit history");
        await using var city = await StartAsync(provider, "deposit credit history");
        var account = city.Accounts[2];
        await using (var db = city.Fresh())
        {
            // A returned payment on the account in the last year, posted through the ledger as the ACH returns do.
            var ledger = await UseCases.Ledger.AccountLedger.LoadAsync(db, account.AccountId, CancellationToken.None);
            ledger.Post(db, PostingRules.Reverse(PostingRules.ForPayment(Money.FromCents(1000)), FinancialTransactionType.ReturnedPayment), Today.AddMonths(-2), Today.AddMonths(-2), null, "test", "R01", FixedClock.DemoToday);
            await db.SaveChangesAsync();
        }

        var outcome = await city.RunAsync<RequireDeposit, DepositOutcome>(w => w.ExecuteAsync(new RequireDepositRequest(account.AccountNumber, "Letter of credit", null), "clerk"));

        Assert.Equal(("Increased", 30000L, 15000L), (outcome.Deposit.DecisionKind, outcome.Deposit.BilledCents, outcome.Deposit.StandardCents));
    }
}
