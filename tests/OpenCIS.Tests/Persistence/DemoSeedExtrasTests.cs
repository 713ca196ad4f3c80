using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Payments.Ach;
using OpenCIS.UseCases.Demo;
using OpenCIS.Storage.Deposits;
using OpenCIS.UseCases.Deposits;
using OpenCIS.Storage.Payments.Ach;
using OpenCIS.UseCases.Payments.Ach;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// The demo city of 100 accounts or more carries a few deposits, posted like any other, so the deposit report
/// ties to GL 2200; and its ACH payers are on autopay, so the next due date's NACHA file debits them.
/// </summary>
public sealed class DemoSeedExtrasTests
{
    [Fact]
    public async Task The_demo_city_bills_three_deposits_waives_one_ties_them_to_GL_2200_and_debits_its_ach_payers_on_autopay()
    {
        var (database, outcome) = await TestDatabases.SeededCity100Async();
        await using var owned = database;
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();

        await using var db = database.Context();
        var deposits = await db.Deposits.OrderBy(d => d.Id).Select(d => new { d.Status, d.BilledCents, d.DecidedOn }).ToListAsync();
        Assert.Equal([(DepositStatus.Billed, 15000L), (DepositStatus.Billed, 15000L), (DepositStatus.Billed, 15000L), (DepositStatus.Waived, 0L)], deposits.Select(d => (d.Status, d.BilledCents)).ToArray());
        Assert.All(deposits, d => Assert.Equal(outcome.Through, d.DecidedOn));

        var report = await scope.ServiceProvider.GetRequiredService<DepositQueries>().ReportAsync(outcome.Through);
        Assert.Equal((3, 45000L, 45000L, true), (report.BilledUnpaidCount, report.BilledUnpaidCents, report.GeneralLedgerBalanceCents, report.TiesToGeneralLedger));

        // Three customers on budget billing all year: every bill at the budget amount but one true-up, two months before
        // the last; what the bills deferred since is each one's GL 1250 balance. No one else has a budget bill.
        var plans = await db.BudgetPlans.OrderBy(p => p.AccountId).ToListAsync();
        Assert.Equal(SeedDemoCity.DemoBudgetAmounts.Count, plans.Count);
        foreach (var plan in plans)
        {
            var bills = await db.Bills.Where(b => b.AccountId == plan.AccountId && b.Status == OpenCIS.Storage.Billing.BillStatus.Issued).OrderBy(b => b.BillDate).ToListAsync();
            Assert.True(bills.Count >= 11, $"{bills.Count} bills");
            Assert.All(bills, b => Assert.NotNull(b.BudgetAmountCents));
            Assert.Equal([outcome.Through.AddMonths(-2).Month], bills.Where(b => b.BudgetTrueUp).Select(b => b.BillDate.Month));
            var deferred = await (from g in db.GlEntries join t in db.FinancialTransactions on g.FinancialTransactionId equals t.Id
                                  where t.AccountId == plan.AccountId && g.GlAccount == OpenCIS.Core.Ledger.GlAccounts.BudgetDeferred select g.DebitCents - g.CreditCents).SumAsync();
            Assert.Equal(bills[^1].BudgetBalanceCents, deferred);
        }

        Assert.Equal(plans.Select(p => p.AccountId), await db.Bills.Where(b => b.BudgetAmountCents != null).Select(b => b.AccountId).Distinct().OrderBy(a => a).ToListAsync());

        var enrolled = await db.AchEnrollments.Select(e => new { e.AccountId, e.Status, e.RoutingNumber }).ToListAsync();
        Assert.InRange(enrolled.Count, 10, 40);
        Assert.All(enrolled, e => Assert.True(e.Status == AchEnrollmentStatus.Active && RoutingNumbers.IsValid(e.RoutingNumber)));
        var ids = enrolled.Select(e => e.AccountId).ToList();
        // The last run's bills: due after the seed's last day, so not yet paid.
        var nextDue = await db.Bills.Where(b => ids.Contains(b.AccountId) && b.AmountDueCents > 0).MaxAsync(b => b.DueDate);
        var file = await scope.ServiceProvider.GetRequiredService<GenerateAchFile>().ExecuteAsync(nextDue, "clerk");
        var read = NachaReader.Read(file.Content);
        Assert.True(file.EntryCount > 0, file.Message);
        Assert.Equal(file.EntryCount, read.Entries.Count);
    }
}
