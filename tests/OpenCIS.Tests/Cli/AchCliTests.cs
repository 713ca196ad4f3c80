using System.Text;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Payments.Ach;
using OpenCIS.Storage.Billing;
using OpenCIS.UseCases.Billing;
using OpenCIS.Storage.Payments.Ach;
using OpenCIS.UseCases.Payments.Ach;
using OpenCIS.UseCases.Reports;
using OpenCIS.Tests.Persistence;

namespace OpenCIS.Tests.Cli;

/// <summary>ACH autopay through the CLI on a seeded demo city: enroll, prenote, debit a bill coming due, post the bank's return.</summary>
public sealed class AchCliTests : IAsyncLifetime
{
    private TestDatabase database = null!;
    private string folder = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabases.CreateAsync(TestProvider.Sqlite, "ACH CLI");
        folder = Directory.CreateTempSubdirectory("opencis-ach-cli").FullName;
        Assert.Equal(0, (await RunAsync("demo", "seed", "--accounts", "20")).ExitCode);
    }

    public async Task DisposeAsync()
    {
        await database.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    private Task<CliRun> RunAsync(params string[] args) => CliRun.ExecuteAsync(database.Configuration(), args);

    [Fact]
    public async Task A_demo_account_is_enrolled_prenoted_debited_and_its_return_posts_once()
    {
        // An account that owes money on an issued bill falling due after today, with room for the prenote's banking days.
        string accountNumber;
        DateOnly dueDate;
        await using (var db = database.Context())
        {
            var today = DateOnly.FromDateTime(FixedClock.DemoToday.UtcDateTime);
            var candidates = await db.Bills.Where(b => b.Status == BillStatus.Issued && b.DueDate > today.AddDays(6) && b.AmountDueCents > 0)
                .Select(b => new { b.AccountId, b.DueDate, b.AmountDueCents }).ToListAsync();
            var owing = await db.OpenItems.GroupBy(o => o.AccountId).Select(g => new { AccountId = g.Key, Cents = g.Sum(o => o.OpenCents) }).Where(x => x.Cents > 0).Select(x => x.AccountId).ToListAsync();
            var pick = candidates.Where(c => owing.Contains(c.AccountId)).OrderBy(c => c.AccountId).First();
            accountNumber = await db.Accounts.Where(a => a.Id == pick.AccountId).Select(a => a.AccountNumber).SingleAsync();
            dueDate = pick.DueDate;
        }

        var enroll = await RunAsync("ach", "enroll", "--account", accountNumber, "--routing", "011000015", "--bank-account", "4400123456", "--holder", "Demo Customer");
        var badRouting = await RunAsync("ach", "enroll", "--account", accountNumber, "--routing", "011000017", "--bank-account", "1", "--holder", "X");
        var prenoteFile = Path.Combine(folder, "prenote.ach");
        var prenote = await RunAsync("ach", "generate", "--date", dueDate.AddDays(-7).ToString("yyyy-MM-dd"), "--out", prenoteFile);
        var debitFile = Path.Combine(folder, "debits.ach");
        var debit = await RunAsync("ach", "generate", "--date", dueDate.ToString("yyyy-MM-dd"), "--out", debitFile);

        Assert.True(enroll.ExitCode == 0, enroll.Output);
        Assert.Contains("****3456", enroll.Output, StringComparison.Ordinal);
        Assert.Equal(1, badRouting.ExitCode);
        Assert.Contains("routing number", badRouting.Output, StringComparison.Ordinal);
        Assert.True(prenote.ExitCode == 0, prenote.Output);
        Assert.Contains("1 prenote ", prenote.Output, StringComparison.Ordinal);
        Assert.True(debit.ExitCode == 0, debit.Output);
        var debits = NachaReader.Read(await File.ReadAllTextAsync(debitFile));
        Assert.True(debits.IsValid, string.Join("; ", debits.Errors));
        var entry = Assert.Single(debits.Entries);
        Assert.Equal(accountNumber, entry.Entry.IndividualIdentification);

        var returnsFile = Path.Combine(folder, "returns.ach");
        await File.WriteAllTextAsync(returnsFile, NachaWriter.Write(AchReturnFile.For(debits.File!, [(entry.Entry.TraceNumber, "R01")], dueDate.AddDays(2))), Encoding.ASCII);
        var returns = await RunAsync("ach", "returns", "--file", returnsFile);
        var again = await RunAsync("ach", "returns", "--file", returnsFile);

        Assert.True(returns.ExitCode == 0, returns.Output);
        Assert.Contains("1 return ", returns.Output, StringComparison.Ordinal);
        Assert.Contains("already posted", again.Output, StringComparison.Ordinal);
        await using var check = database.Context();
        var accountId = await check.Accounts.Where(a => a.AccountNumber == accountNumber).Select(a => a.Id).SingleAsync();
        Assert.Equal(1, await check.FinancialTransactions.CountAsync(t => t.AccountId == accountId && t.Type == FinancialTransactionType.ReturnedPayment));
        Assert.Equal(1, await check.FinancialTransactions.CountAsync(t => t.AccountId == accountId && t.Type == FinancialTransactionType.ReturnedPaymentFee));
        Assert.Equal(AchEnrollmentStatus.Active, await check.AchEnrollments.Where(e => e.AccountId == accountId).Select(e => e.Status).SingleAsync());
        var trialBalance = await new LedgerReports(check).TrialBalanceAsync();
        Assert.True(trialBalance.Balances && trialBalance.TiesToSubLedger);
    }
}
