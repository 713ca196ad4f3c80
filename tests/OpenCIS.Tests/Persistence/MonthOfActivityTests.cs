using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Payments;
using OpenCIS.Core.Receivables;
using OpenCIS.Storage.Billing.Corrections;
using OpenCIS.UseCases.Billing.Corrections;
using OpenCIS.UseCases.Demo;
using OpenCIS.Storage.Deposits;
using OpenCIS.UseCases.Deposits;
using OpenCIS.Storage.Payments;
using OpenCIS.UseCases.Payments;
using OpenCIS.Storage.Payments.Drawers;
using OpenCIS.UseCases.Payments.Drawers;
using OpenCIS.Storage.Payments.Returns;
using OpenCIS.UseCases.Payments.Returns;
using OpenCIS.Storage.Receivables;
using OpenCIS.UseCases.Receivables;
using OpenCIS.UseCases.Reports;
using OpenCIS.Storage;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// A month of the city's receivables: the demo city's year of bills and payments, then in its last
/// weeks every other way money moves (a cashier's drawer with mixed tenders and a short count, a
/// returned check, an adjustment, an overpayment refunded, a write-off and its reversal, a deposit,
/// a lockbox file with an unknown account worked from suspense). Then finance closes the month: each
/// week's trial balance and the month's tie out to the sub-ledger, chain week to week, the monthly
/// accounting report agrees with the GL, the GL export balances in every fund, and aging, the deposit
/// report and the drawer agree with the ledger.
/// </summary>
public sealed class MonthOfActivityTests
{
    private const int Accounts = 40;
    private static readonly DateOnly MonthStart = new(2026, 11, 1);
    private static readonly DateOnly MonthEnd = new(2026, 11, 30);

    private sealed class MovingClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task After_a_month_of_every_kind_of_posting_the_weekly_and_monthly_books_tie_out_to_the_cent(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "a month of activity");
        await database.MigrateAsync();
        var clock = new MovingClock(new DateTimeOffset(2026, 11, 16, 15, 0, 0, TimeSpan.Zero));
        await using var services = database.Services(clock);
        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<SeedDemoCity>().ExecuteAsync(Accounts);
        }

        async Task<T> Run<TWorkflow, T>(Func<TWorkflow, Task<T>> work) where TWorkflow : notnull
        {
            await using var scope = services.CreateAsyncScope();
            return await work(scope.ServiceProvider.GetRequiredService<TWorkflow>());
        }

        List<(string Number, long Balance)> balances;
        await using (var db = database.Context())
        {
            balances = (await db.Accounts.OrderBy(a => a.Id).Select(a => new { a.AccountNumber, a.Id, a.CashOnly }).ToListAsync())
                .Where(a => !a.CashOnly)
                .Select(a => (a.AccountNumber, db.OpenItems.Where(o => o.AccountId == a.Id).Sum(o => o.OpenCents)))
                .ToList();
        }

        var owing = balances.Where(b => b.Balance > 2_000).Select(b => b.Number).ToList();
        Assert.True(owing.Count >= 8, "the demo city should have accounts that owe");

        // Monday the 16th: a cashier's day. Cash with change, a check, a split of card and cash; the count is a dollar short.
        await Run<OpenDrawer, DrawerOpened>(w => w.ExecuteAsync("cashier", Money.FromCents(10_000)));
        var cash = await Run<TakeDrawerPayment, DrawerReceipt>(w => w.ExecuteAsync(
            new DrawerPaymentRequest(owing[0], Money.FromCents(1_500), [new TenderPart(Tender.Cash, Money.FromCents(2_000))], "m-1"), "cashier"));
        var check = await Run<TakeDrawerPayment, DrawerReceipt>(w => w.ExecuteAsync(
            new DrawerPaymentRequest(owing[1], Money.FromCents(4_250), [new TenderPart(Tender.Check, Money.FromCents(4_250), "1042")], "m-2"), "cashier"));
        await Run<TakeDrawerPayment, DrawerReceipt>(w => w.ExecuteAsync(
            new DrawerPaymentRequest(owing[2], Money.FromCents(3_000), [new TenderPart(Tender.Card, Money.FromCents(2_000), null, "tok_visa_4242", "4242"), new TenderPart(Tender.Cash, Money.FromCents(1_000))], "m-3"), "cashier"));
        Assert.Equal(Money.FromCents(500), cash.ChangeDue);
        var closed = await Run<CloseDrawer, DrawerClosed>(w => w.ExecuteAsync("cashier", new Dictionary<Tender, Money>
        {
            [Tender.Cash] = Money.FromCents(10_000 + 1_500 + 1_000 - 100),
            [Tender.Check] = Money.FromCents(4_250),
            [Tender.Card] = Money.FromCents(2_000),
        }));
        await Run<ApproveDrawer, DrawerSession>(w => w.ExecuteAsync(closed.DrawerId, "supervisor", approverIsSupervisor: true, "Counted twice; a dollar short"));

        // Tuesday the 17th: a small courtesy credit, and a lockbox file with one check for an account that does not exist.
        clock.Now = clock.Now.AddDays(1);
        await Run<RequestAdjustment, AdjustmentOutcome>(w => w.ExecuteAsync(new AdjustmentRequest(owing[3], "COURTESY", Money.FromCents(-1_000), "Missed pickup", null, "m-4"), "clerk"));
        var lockbox = Bai2Writer.Write("121000248", "RIVERBEND", new DateTime(2026, 11, 17, 6, 0, 0), "901", new DateOnly(2026, 11, 17),
            [new Bai2Account("LBX00001", [
                new Bai2Item(Money.FromCents(2_500), owing[4], "CHK1"),
                new Bai2Item(Money.FromCents(3_300), "99999997", "CHK2"),
                new Bai2Item(Money.FromCents(1_800), owing[5], "CHK3"),
            ])]);
        var imported = await Run<ImportLockbox, LockboxOutcome>(w => w.ExecuteAsync(LockboxFormat.Bai2, "lbx-1117.bai", Encoding.ASCII.GetBytes(lockbox), "clerk"));
        Assert.Equal((2, 1), (imported.PaymentCount, imported.SuspenseCount));
        var suspense = (await Run<ResolveSuspense, List<SuspenseView>>(w => w.ListAsync(openOnly: true))).Single();
        await Run<ResolveSuspense, SuspenseView>(w => w.ResolveAsync(suspense.Id, owing[6], "Customer's stub was torn; found by name", "clerk"));

        // Wednesday the 18th: the check bounces; an overpayment is made and refunded; a deposit is required.
        clock.Now = clock.Now.AddDays(1);
        await Run<ReturnPayment, PaymentReturnOutcome>(w => w.ExecuteAsync(new ReturnPaymentRequest(check.ReceiptNumber, PaymentReturnReason.Nsf, "RTN-88", "m-5"), "clerk"));
        var overpaid = balances.First(b => b.Balance is > 0 and < 20_000 && !owing.Take(8).Contains(b.Number));
        await Run<TakePayment, PaymentReceipt>(w => w.ExecuteAsync(new TakePaymentRequest(overpaid.Number, Money.FromCents(overpaid.Balance + 7_500), Tender.Check, "2201", PaymentSource.Mail, "m-6"), "cashier"));
        var refund = await Run<RequestRefund, RefundOutcome>(w => w.ExecuteAsync(new RefundRequest(overpaid.Number, Money.FromCents(7_500), RefundMethod.Check, "Paid twice", "m-7"), "clerk"));
        await Run<DecideRefund, RefundOutcome>(w => w.ApproveAsync(refund.Refund.RefundId, "supervisor", "Verified"));
        await Run<RequireDeposit, DepositOutcome>(w => w.ExecuteAsync(new RequireDepositRequest(owing[7], null, "m-8"), "clerk"));

        // Friday the 20th: an uncollectible balance written off, then half of it found to be collectible after all.
        clock.Now = clock.Now.AddDays(2);
        var writtenOff = await Run<WriteOffBalance, WriteOffOutcome>(w => w.ExecuteAsync(new WriteOffRequest(owing[^1], null, "UNCOLLECTIBLE", "Moved away, no forwarding address", "m-9"), "supervisor"));
        Assert.True(writtenOff.WriteOff.AmountCents > 0);
        await Run<ReverseWriteOff, WriteOffOutcome>(w => w.ExecuteAsync(writtenOff.WriteOff.WriteOffId, "Forwarding address found", "m-10", "supervisor"));

        // Finance closes the month.
        await using var reports = database.Context();
        var ledger = new LedgerReports(reports);
        var month = await ledger.PeriodTrialBalanceAsync(MonthStart, MonthEnd);
        Assert.True(month.Balances, $"month: debits {month.TotalDebits} credits {month.TotalCredits}");
        Assert.True(month.TiesToSubLedger, $"month: AR {month.ReceivableClosing} against the sub-ledger {month.SubLedgerAtClose}");
        foreach (var code in new[] { GlAccounts.CustomerDeposits, GlAccounts.RefundsPayable, GlAccounts.AllowanceForUncollectibles, GlAccounts.ReturnedPaymentFees, GlAccounts.BillingAdjustments })
        {
            Assert.Contains(month.Rows, r => r.GlAccount == code && !(r.Debits + r.Credits).IsZero);
        }

        PeriodTrialBalance? previous = null;
        for (var weekStart = MonthStart; weekStart <= MonthEnd; weekStart = weekStart.AddDays(7))
        {
            var weekEnd = weekStart.AddDays(6) < MonthEnd ? weekStart.AddDays(6) : MonthEnd;
            var week = await ledger.PeriodTrialBalanceAsync(weekStart, weekEnd);
            Assert.True(week.Balances && week.TiesToSubLedger, $"week of {weekStart:yyyy-MM-dd}: debits {week.TotalDebits} credits {week.TotalCredits}, AR {week.ReceivableClosing} against {week.SubLedgerAtClose}");
            if (previous is not null)
            {
                Assert.All(week.Rows, r => Assert.Equal(previous.Rows.SingleOrDefault(p => p.GlAccount == r.GlAccount)?.Closing ?? Money.Zero, r.Opening));
            }

            previous = week;
        }

        Assert.All(month.Rows, r => Assert.Equal(r.Closing, previous!.Rows.Single(p => p.GlAccount == r.GlAccount).Closing));
        Assert.Equal(await reports.OpenItems.SumAsync(o => o.OpenCents), month.ReceivableClosing.Cents);

        var accounting = await new AccountingReports(reports).MonthlyAsync(2026, 11);
        Assert.All(accounting.Revenue, r => Assert.Equal(month.Rows.Single(t => t.GlAccount == r.GlAccount).Credits - month.Rows.Single(t => t.GlAccount == r.GlAccount).Debits, r.Billed));
        Assert.Equal(month.Rows.Single(r => r.GlAccount == GlAccounts.Cash).Debits, accounting.CashDebits);
        Assert.Equal(accounting.CashDebits, accounting.TotalReceipts);

        var journal = await ledger.GlJournalAsync(MonthStart, MonthEnd);
        Assert.All(GlJournalExport.NetByFund(journal), fund => Assert.True(fund.Value.IsZero, $"fund {fund.Key} is off by {fund.Value}"));
        Assert.All(month.Rows, r => Assert.Equal(r.Debits - r.Credits, Money.Sum(journal.Where(l => l.GlAccount == r.GlAccount).Select(l => l.Debit - l.Credit))));

        var aging = await new ReceivablesAging(reports).RunAsync(MonthEnd, detail: false);
        Assert.Equal(month.ReceivableClosing, aging.Totals.Total);
        await using (var scope = services.CreateAsyncScope())
        {
            var deposits = await scope.ServiceProvider.GetRequiredService<DepositQueries>().ReportAsync(MonthEnd, MonthStart);
            Assert.True(deposits.TiesToGeneralLedger, $"deposits outstanding {deposits.OutstandingCents} against GL 2200 {deposits.GeneralLedgerBalanceCents}");
            var slip = await new DrawerQueries(scope.ServiceProvider.GetRequiredService<OpenCisDbContext>()).DepositSlipAsync(closed.DrawerId, default);
            // The bank gets the counted cash less the float, and the check; the card settles with the processor.
            Assert.Equal((Money.FromCents(1_500 + 1_000 - 100), Money.FromCents(4_250), Money.FromCents(2_400 + 4_250), Money.FromCents(2_000)),
                (slip.CashDeposit, slip.ChecksTotal, slip.DepositTotal, slip.CardTotal));
        }
    }
}
