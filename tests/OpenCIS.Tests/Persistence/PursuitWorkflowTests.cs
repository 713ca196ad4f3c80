using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Payments;
using OpenCIS.Core.Pursuit;
using OpenCIS.Storage;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.Demo;
using OpenCIS.UseCases.Ledger;
using OpenCIS.UseCases.Payments;
using OpenCIS.UseCases.Pursuit;
using OpenCIS.UseCases.Receivables;

using static OpenCIS.Tests.Persistence.LedgerChecks;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// Final-bill pursuit on each database, through the daily collections run and the pursuit after it: one final account's balance
/// moves to the same customer's active account; another is placed with the agency, partly paid through its files (net, then gross
/// commission), recalled, listed ready to write off, written off, and then paid: a recovery. The books tie out after each step.
/// </summary>
public sealed class PursuitWorkflowTests
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(FixedClock.DemoToday.UtcDateTime);

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_final_balance_is_transferred_and_another_placed_paid_with_commission_recalled_written_off_and_recovered(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "final-bill pursuit");
        await database.MigrateAsync();
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<OpenCisDbContext>();
        var tiny = await TinyCity.BuildAsync(db, 3);
        var (placed, mover, active) = (tiny[0], tiny[1], tiny[2]);
        await sp.GetRequiredService<ImportCollectionPolicy>().ExecuteAsync(DemoCollections.FinalPolicyFileName, DemoCollections.FinalPolicyYaml(), "admin");
        foreach (var agency in DemoPursuit.Agencies)
        {
            await sp.GetRequiredService<CollectionAgencies>().SaveAsync(agency, "supervisor");
        }

        // The mover's customer also holds the active account; both final accounts owe a final bill due 200 days back.
        db.AccountCustomers.Add(new AccountCustomer { AccountId = active.AccountId, CustomerId = mover.CustomerId, Role = AccountRole.Main, StartedOn = TinyCity.OpenedOn });
        var due = Today.AddDays(-200);
        foreach (var (account, cents) in new[] { (placed, 250_00L), (mover, 80_00L) })
        {
            var ledger = await AccountLedger.LoadAsync(db, account.AccountId, default);
            ledger.Post(db, PostingRules.ForAdjustment(Money.FromCents(cents)), due.AddDays(-21), due, null, "clerk", "Final bill", FixedClock.DemoToday);
            (await db.Accounts.SingleAsync(a => a.Id == account.AccountId)).MarkFinalBilled();
        }

        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        var run = sp.GetRequiredService<RunCollections>();
        var pursuit = sp.GetRequiredService<PursueFinalBills>();
        async Task<PursuitOutcome> DayAsync(int daysPastDue)
        {
            var date = due.AddDays(daysPastDue);
            await run.ExecuteAsync(date, "system");
            db.ChangeTracker.Clear();
            return await pursuit.ExecuteAsync(date, "system");
        }

        await DayAsync(1);
        Assert.Equal(2, (await DayAsync(7)).Looked);

        // At 12 days past due the mover's balance moves to the active account; the other waits for the agency.
        var transferDay = await DayAsync(12);
        var transfer = Assert.Single(transferDay.Steps);
        Assert.Equal((mover.AccountNumber, PursuitActionKind.Transfer), (transfer.AccountNumber, transfer.Action));
        Assert.Contains($"transferred to the customer's active account {active.AccountNumber}", transfer.Reason, StringComparison.Ordinal);
        Assert.Equal(0L, await BalanceAsync(db, mover.AccountId));
        Assert.Equal(80_00L, await BalanceAsync(db, active.AccountId));
        Assert.Contains("referral to CRS waits", (await pursuit.StandingAsync(placed.AccountId))!.Reason, StringComparison.Ordinal);
        Assert.Empty((await pursuit.ExecuteAsync(due.AddDays(12), "system")).Steps);
        await TiesOutAsync(db);

        // At 31 days past due, never paid: placed with Cascade Recovery Services for the whole balance.
        var placementDay = await DayAsync(31);
        Assert.Equal(PursuitActionKind.ReferAgency, Assert.Single(placementDay.Steps).Action);
        var referrals = sp.GetRequiredService<Referrals>();
        var referral = Assert.Single(await referrals.ListAsync(new ReferralFilter(Agency: "crs")));
        Assert.Equal((placed.AccountNumber, ReferralStatus.Open, 250_00L, "Customer 1"), (referral.AccountNumber, referral.Status, referral.ReferredCents, referral.CustomerName));
        Assert.Equal("agency", (await Assert.ThrowsAsync<DomainException>(() => referrals.ReferAsync(placed.AccountNumber, "RCSA", "by hand", "collector"))).Field);
        Assert.Equal("accountNumber", (await Assert.ThrowsAsync<DomainException>(() => referrals.ReferAsync(active.AccountNumber, "CRS", "by hand", "collector"))).Field);

        // The placement file sends it once.
        var files = sp.GetRequiredService<PlacementFiles>();
        var placement = await files.CreateAsync("CRS", "collector");
        Assert.Equal((1, 0, 250_00L), (placement.File!.Placements, placement.File.Recalls, placement.File.PlacedCents));
        var line = placement.Content.Split("\r\n")[1];
        Assert.StartsWith($"PLACE,{referral.Id},{placed.AccountNumber},Customer 1,1 Test St,Riverbend,OR,97401,", line, StringComparison.Ordinal);
        Assert.EndsWith($",{due.AddDays(31):yyyy-MM-dd},250.00,,", line, StringComparison.Ordinal);
        Assert.Null((await files.CreateAsync("CRS", "collector")).File);

        // The agency's payment file: a bad line posts nothing and is named; then 55.00 collected, 25% commission kept (net).
        var payments = sp.GetRequiredService<AgencyPayments>();
        var paidOn = due.AddDays(45);
        var bad = await payments.ImportAsync("CRS", "crs-1.csv", Csv($"{referral.Id},{active.AccountNumber},{paidOn:yyyy-MM-dd},55.00,R1"), "cashier");
        var error = Assert.Single(bad.Errors);
        Assert.Equal((false, 2, "account_number"), (bad.Posted, error.Line, error.Field));
        var good = Csv($"{referral.Id},{placed.AccountNumber},{paidOn:yyyy-MM-dd},55.00,R1");
        var posted = await payments.ImportAsync("CRS", "crs-1.csv", good, "cashier");
        Assert.Equal((true, 55_00L, 13_75L, 41_25L, 0L), (posted.Posted, posted.CollectedCents, posted.CommissionCents, posted.RemittedCents, posted.RecoveredCents));
        Assert.True((await payments.ImportAsync("CRS", "crs-1-again.csv", good, "cashier")).AlreadyImported);
        Assert.Equal(195_00L, await BalanceAsync(db, placed.AccountId));
        await TiesOutAsync(db);
        Assert.Equal(13_75L, await GlNetAsync(db, GlAccounts.AgencyCommissions));

        // The contract changes to gross: the next 20.00 arrives whole and the 5.00 commission is owed to the agency.
        var gross = DemoPursuit.Agencies[0] with { Remittance = RemittanceBasis.Gross };
        await sp.GetRequiredService<CollectionAgencies>().SaveAsync(gross, "supervisor");
        var second = await payments.ImportAsync("CRS", "crs-2.csv", Csv($"{referral.Id},{placed.AccountNumber},{paidOn.AddDays(10):yyyy-MM-dd},20.00,"), "cashier");
        Assert.Equal((5_00L, 20_00L), (second.CommissionCents, second.RemittedCents));
        Assert.Equal(-5_00L, await GlNetAsync(db, GlAccounts.AgencyCommissionsPayable));
        await TiesOutAsync(db);

        // 120 days after the placement it is recalled; the next file carries the recall.
        var recallDay = await DayAsync(31 + 120);
        var recall = Assert.Single(recallDay.Steps);
        Assert.Equal(PursuitActionKind.Recall, recall.Action);
        var recalled = await referrals.FindAsync(referral.Id);
        Assert.Equal((ReferralStatus.Recalled, 75_00L, 18_75L), (recalled.Status, recalled.CollectedCents, recalled.CommissionCents));
        var recallFile = await files.CreateAsync("CRS", "collector");
        Assert.Equal((0, 1), (recallFile.File!.Placements, recallFile.File.Recalls));
        Assert.StartsWith("RECALL,", recallFile.Content.Split("\r\n")[1], StringComparison.Ordinal);

        // At 180 days past due it is listed ready to write off; nothing posts until a Supervisor writes it off.
        await DayAsync(181);
        var ready = Assert.Single(await pursuit.ReadyToWriteOffAsync());
        Assert.Equal((placed.AccountNumber, 175_00L), (ready.AccountNumber, ready.BalanceCents));
        var writeOff = await sp.GetRequiredService<WriteOffBalance>().ExecuteAsync(new WriteOffRequest(placed.AccountNumber, null, "AGENCY", "Agency recalled", null), "supervisor");
        Assert.Equal(0L, await BalanceAsync(db, placed.AccountId));
        Assert.Empty(await pursuit.ReadyToWriteOffAsync());
        await TiesOutAsync(db);

        // The customer pays 30.00 at the counter after all: a recovery against the allowance, the account unmoved; reversing the write-off is refused.
        var allowanceBefore = await GlNetAsync(db, GlAccounts.AllowanceForUncollectibles);
        await sp.GetRequiredService<PaymentBatchPoster>().PostAsync([new PaymentInstruction(placed.AccountId, Money.FromCents(30_00), Today, Tender.Cash, PaymentSource.Counter, null)], "cashier", default);
        Assert.Equal(0L, await BalanceAsync(db, placed.AccountId));
        Assert.Equal(allowanceBefore - 30_00L, await GlNetAsync(db, GlAccounts.AllowanceForUncollectibles));
        Assert.Equal(145_00L, (await Recoveries.UnrecoveredAsync(db, [placed.AccountId], default))[placed.AccountId].Cents);
        Assert.Equal("writeOffId", (await Assert.ThrowsAsync<DomainException>(() => sp.GetRequiredService<ReverseWriteOff>().ExecuteAsync(writeOff.WriteOff.WriteOffId, "in error", null, "supervisor"))).Field);

        // More than is left to recover: the rest is a credit on the account.
        await sp.GetRequiredService<PaymentBatchPoster>().PostAsync([new PaymentInstruction(placed.AccountId, Money.FromCents(200_00), Today, Tender.Cash, PaymentSource.Counter, null)], "cashier", default);
        Assert.Equal(-55_00L, await BalanceAsync(db, placed.AccountId));
        Assert.Empty(await Recoveries.UnrecoveredAsync(db, [placed.AccountId], default));
        await TiesOutAsync(db);
    }

    private static byte[] Csv(string line) => Encoding.UTF8.GetBytes("referral_id,account_number,paid_on,amount,reference\r\n" + line + "\r\n");
}
