using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage.Ledger;
using OpenCIS.UseCases.Ledger;
using OpenCIS.UseCases.Reports;
using OpenCIS.Storage;

namespace OpenCIS.Tests.Persistence;

/// <summary>The chart of accounts and the allocation priorities as stored, changed and used, on each database.</summary>
public sealed class LedgerConfigurationTests
{
    private static readonly DateOnly Day = new(2026, 10, 1);

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_migrated_chart_is_the_demo_citys_and_a_moved_account_moves_in_the_gl_export(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "chart of accounts");
        await database.MigrateAsync();
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        var accounts = await TinyCity.BuildAsync(db, 1);

        Assert.Equal(ChartOfAccounts.Default.Accounts, (await LedgerConfiguration.LoadChartAsync(db, default)).Accounts);

        var workflow = scope.ServiceProvider.GetRequiredService<ConfigureLedger>();
        await workflow.SaveAccountAsync(new GlAccountDefinition(GlAccounts.StormwaterCharges, "Stormwater utility fees", "43", "Stormwater utility", "4310"), "supervisor");
        var ledger = await AccountLedger.LoadAsync(db, accounts[0].AccountId, default);
        ledger.Post(db, new Posting(FinancialTransactionType.Adjustment, Money.FromCents(1_250), [
            new GlLine(GlAccounts.AccountsReceivable, Money.FromCents(1_250), Money.Zero),
            new GlLine(GlAccounts.StormwaterCharges, Money.Zero, Money.FromCents(1_250)),
        ]), Day, Day.AddDays(20), null, "clerk", "stormwater fee", DateTimeOffset.UtcNow);
        await db.SaveChangesAsync();

        await using var fresh = database.Context();
        var journal = await new LedgerReports(fresh).GlJournalAsync(Day, Day);
        Assert.Contains(journal, l => l is { Fund: "43", Department: "4310", GlAccount: GlAccounts.StormwaterCharges, Description: "Stormwater utility fees" } && l.Credit == Money.FromCents(1_250));
        Assert.All(GlJournalExport.NetByFund(journal).Values, net => Assert.True(net.IsZero));
        var trialBalance = await new LedgerReports(fresh).PeriodTrialBalanceAsync(Day, Day);
        Assert.Equal(("43", "4310"), trialBalance.Rows.Where(r => r.GlAccount == GlAccounts.StormwaterCharges).Select(r => (r.Fund, r.Department)).Single());
        Assert.Equal(1, await fresh.AuditEntries.CountAsync(a => a.EntityType == "GlAccount" && a.Action == "Change GL account"));

        var missing = await Assert.ThrowsAsync<DomainException>(() => workflow.SaveAccountAsync(new GlAccountDefinition("4150", "Sewer impact fees", "41", "Sewer utility", "41"), "supervisor"));
        Assert.Equal("department", missing.Field);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task With_fees_first_a_payment_pays_a_newer_fee_before_an_older_charge(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "allocation priorities");
        await database.MigrateAsync();
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        var accounts = await TinyCity.BuildAsync(db, 2);
        await scope.ServiceProvider.GetRequiredService<ConfigureLedger>().SetPriorityAsync(FinancialTransactionType.ReturnedPaymentFee, 10, "supervisor");

        foreach (var account in accounts)
        {
            var ledger = await AccountLedger.LoadAsync(db, account.AccountId, default);
            ledger.Post(db, PostingRules.ForAdjustment(Money.FromCents(5_000)), Day, Day.AddDays(20), null, "clerk", "older charge", DateTimeOffset.UtcNow);
            ledger.Post(db, PostingRules.ForReturnedPaymentFee(Money.FromCents(2_500)), Day.AddDays(5), Day.AddDays(5), null, "clerk", "fee", DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
            if (account == accounts[1])
            {
                // Back to oldest first for the second account's payment: the fee already carries priority 10.
                await scope.ServiceProvider.GetRequiredService<ConfigureLedger>().SetPriorityAsync(FinancialTransactionType.ReturnedPaymentFee, AllocationPriorities.Standard, "supervisor");
            }

            ledger = await AccountLedger.LoadAsync(db, account.AccountId, default);
            ledger.Post(db, PostingRules.ForPayment(Money.FromCents(2_500)), Day.AddDays(6), Day.AddDays(6), null, "cashier", null, DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        }

        await using var fresh = database.Context();
        foreach (var account in accounts)
        {
            var open = await fresh.OpenItems.Where(o => o.AccountId == account.AccountId && o.OpenCents != 0)
                .Join(fresh.FinancialTransactions, o => o.FinancialTransactionId, t => t.Id, (o, t) => new { t.Type, o.OpenCents }).ToListAsync();
            Assert.Equal([(FinancialTransactionType.Adjustment, 5_000L)], open.Select(o => (o.Type, o.OpenCents)));
        }

        Assert.Empty(await fresh.AllocationPriorities.ToListAsync());
    }
}
