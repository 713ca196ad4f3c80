using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Customers;
using OpenCIS.Core.Payments;
using OpenCIS.Storage.Billing;
using OpenCIS.UseCases.Billing;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Customers;
using OpenCIS.Storage.Payments;
using OpenCIS.UseCases.Payments;
using OpenCIS.UseCases.Reports;
using OpenCIS.Storage;

namespace OpenCIS.Tests.Persistence;

/// <summary>The workflows that move money or identity data, each on a fresh database of each provider.</summary>
public sealed class WorkflowTests
{
    private static readonly DateOnly BillDate = new(2026, 11, 5);

    private sealed class Fixture(TestDatabase database, ServiceProvider services, AsyncServiceScope scope, List<TinyCity.TinyAccount> accounts) : IAsyncDisposable
    {
        public List<TinyCity.TinyAccount> Accounts { get; } = accounts;
        public OpenCisDbContext Db => scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        public T Get<T>() where T : notnull => scope.ServiceProvider.GetRequiredService<T>();

        /// <summary>A fresh context, so counts come from the database and not from what a workflow left tracked.</summary>
        public OpenCisDbContext Fresh() => database.Context();

        /// <summary>A second set of services on the same database, as a restarted process would have.</summary>
        public ServiceProvider NewServices() => database.Services();

        public async ValueTask DisposeAsync()
        {
            await scope.DisposeAsync();
            await services.DisposeAsync();
            await database.DisposeAsync();
        }
    }

    private static async Task<Fixture> StartAsync(TestProvider provider, string what, int accounts = 3)
    {
        var database = await TestDatabases.CreateAsync(provider, what);
        await database.MigrateAsync();
        var services = database.Services();
        var scope = services.CreateAsyncScope();
        var tiny = await TinyCity.BuildAsync(scope.ServiceProvider.GetRequiredService<OpenCisDbContext>(), accounts);
        return new Fixture(database, services, scope, tiny);
    }

    private static async Task<Dictionary<string, int>> RowCountsAsync(OpenCisDbContext db) => new()
    {
        ["billing_runs"] = await db.BillingRuns.CountAsync(),
        ["bills"] = await db.Bills.CountAsync(),
        ["bill_segments"] = await db.BillSegments.CountAsync(),
        ["bill_lines"] = await db.BillLines.CountAsync(),
        ["billing_exceptions"] = await db.BillingExceptions.CountAsync(),
        ["financial_transactions"] = await db.FinancialTransactions.CountAsync(),
        ["gl_entries"] = await db.GlEntries.CountAsync(),
        ["open_items"] = await db.OpenItems.CountAsync(),
        ["item_allocations"] = await db.ItemAllocations.CountAsync(),
        ["payments"] = await db.Payments.CountAsync(),
        ["imported_files"] = await db.ImportedFiles.CountAsync(),
        ["audit_entries"] = await db.AuditEntries.CountAsync(),
    };

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_billing_run_bills_with_traces_and_asking_again_changes_nothing(TestProvider provider)
    {
        await using var city = await StartAsync(provider, "billing run idempotency");
        // Two meters read 9,000 gal on; the third missed its read.
        await TinyCity.AddReadAsync(city.Db, city.Accounts.Take(2), BillDate.AddDays(-1), 10_000);
        city.Db.ChangeTracker.Clear();

        var first = await city.Get<RunBilling>().ExecuteAsync("C1", BillDate, "clerk");
        Dictionary<string, int> before;
        await using (var db = city.Fresh())
        {
            before = await RowCountsAsync(db);
        }

        var again = await city.Get<RunBilling>().ExecuteAsync("C1", BillDate, "clerk");

        Assert.False(first.AlreadyCompleted);
        Assert.Equal((3, 2, 1), (first.AccountsSelected, first.BillsCreated, first.Exceptions));
        // Water 12.50 + 15.50 + 17.00, sewer 18.00 + 9 x 5.15, one cart 21.50 = 130.85 each.
        Assert.Equal(2 * 13085, first.TotalBilled.Cents);
        Assert.True(again.AlreadyCompleted);
        Assert.Contains("already completed", again.Message, StringComparison.Ordinal);
        Assert.Equal((first.RunId, first.BillsCreated, first.Exceptions, first.TotalBilled), (again.RunId, again.BillsCreated, again.Exceptions, again.TotalBilled));
        await using (var db = city.Fresh())
        {
            Assert.Equal(before, await RowCountsAsync(db));
            Assert.Equal(2, before["bills"]);
            Assert.Equal(1, before["billing_exceptions"]);
            var exception = await db.BillingExceptions.SingleAsync();
            Assert.Equal(city.Accounts[2].AccountId, exception.AccountId);
            Assert.Contains("No read for water meter T0000003", exception.Reason, StringComparison.Ordinal);
            var traces = await db.BillLines.Select(l => l.Trace).ToListAsync();
            Assert.Equal(2, traces.Count(t => t == "Tier 2 (5,000-15,000 gal): 4,000 gal x $4.25 per 1,000 gal = $17.00"));
            var bill = await db.Bills.FirstAsync(b => b.AccountId == city.Accounts[0].AccountId);
            Assert.Equal((13085L, 13085L, new DateOnly(2026, 11, 27)), (bill.CurrentChargesCents, bill.AmountDueCents, bill.DueDate)); // 21 days is Thanksgiving: due the day after

            // The run's register ties to its total by service and by GL account, and the day's report lists it.
            var reports = new OpenCIS.UseCases.Reports.BillingReports(db, new BillingQueries(db));
            var register = (await reports.RegisterAsync(first.RunId))!;
            Assert.Equal(first.TotalBilled.Cents, register.TotalCents);
            Assert.Equal([(Service.Water, 2), (Service.Sewer, 2), (Service.Trash, 2)], register.ByService.Select(s => (s.Service, s.Bills)).ToArray());
            Assert.Equal(register.ByGlAccount.Sum(g => g.DebitCents), register.ByGlAccount.Sum(g => g.CreditCents));
            Assert.Equal(first.TotalBilled.Cents, register.ByGlAccount.Single(g => g.GlAccount == "1200").DebitCents);
            Assert.Equal(2, register.Bills.Count);
            var daily = await reports.DailyAsync(BillDate);
            Assert.Equal([first.RunId], daily.Runs.Select(r => r.RunId).ToArray());
            Assert.Equal(first.TotalBilled.Cents, daily.ByService.Sum(s => s.AmountCents));
        }
    }

    private static byte[] Csv(params string[] lines) => Encoding.UTF8.GetBytes(string.Join("\n", ["account,amount,date,tender,reference", .. lines]) + "\n");

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_payment_file_posts_once_and_the_same_bytes_again_post_nothing(TestProvider provider)
    {
        await using var city = await StartAsync(provider, "payment file posting");
        var file = Csv(
            $"{city.Accounts[0].AccountNumber},45.10,2026-11-20,check,CK1001",
            $"{city.Accounts[1].AccountNumber},\"1,200.00\",2026-11-20,ach,",
            $"{city.Accounts[0].AccountNumber},5.00,2026-11-21,cash,");

        var posted = await city.Get<PostPaymentFile>().ExecuteAsync("lockbox-1120.csv", file, "cashier");
        var again = await city.Get<PostPaymentFile>().ExecuteAsync("lockbox-1120-copy.csv", file, "cashier");

        Assert.True(posted.Posted);
        Assert.Empty(posted.Errors);
        Assert.Equal((3, 125010L), (posted.PaymentCount, posted.Total.Cents));
        Assert.False(again.Posted);
        Assert.True(again.AlreadyPosted);
        Assert.Contains("already posted", again.Message, StringComparison.Ordinal);
        Assert.Contains("lockbox-1120.csv", again.Message, StringComparison.Ordinal);
        await using var db = city.Fresh();
        Assert.Equal(3, await db.Payments.CountAsync());
        Assert.Equal(1, await db.ImportedFiles.CountAsync());
        Assert.Equal(-5010L, await db.OpenItems.Where(o => o.AccountId == city.Accounts[0].AccountId).SumAsync(o => o.OpenCents));
        var trialBalance = await new LedgerReports(db).TrialBalanceAsync();
        Assert.True(trialBalance.Balances && trialBalance.TiesToSubLedger);
        Assert.Equal(-125010L, trialBalance.ReceivableControl.Cents);
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "Post payment file"));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_malformed_payment_file_names_each_line_and_field_and_posts_nothing(TestProvider provider)
    {
        await using var city = await StartAsync(provider, "payment file validation");
        var file = Csv(
            $"{city.Accounts[0].AccountNumber},45.10,2026-11-20,check,CK1001", // line 2: good
            $"{city.Accounts[1].AccountNumber},12.345,2026-11-20,cash,", // line 3: three decimals
            "99999997,20.00,2026-11-20,cash,", // line 4: no such account
            $"{city.Accounts[2].AccountNumber},20.00,11/20/2026,cash,"); // line 5: not YYYY-MM-DD

        var outcome = await city.Get<PostPaymentFile>().ExecuteAsync("bad.csv", file, "cashier");

        Assert.False(outcome.Posted);
        Assert.False(outcome.AlreadyPosted);
        Assert.Equal([(3, "amount"), (4, "account"), (5, "date")], outcome.Errors.Select(e => (e.Line, e.Field)).ToArray());
        Assert.Equal("bad.csv line 3, field amount: '12.345' is not an amount in dollars and cents", outcome.Errors[0].ToString());
        Assert.Contains("99999997", outcome.Errors[1].Message, StringComparison.Ordinal);
        Assert.Contains("nothing was posted", outcome.Message, StringComparison.Ordinal);
        await using var db = city.Fresh();
        Assert.Equal(0, await db.Payments.CountAsync());
        Assert.Equal(0, await db.FinancialTransactions.CountAsync());
        Assert.Equal(0, await db.ImportedFiles.CountAsync());

        // Once corrected, the file posts: a rejected file is not remembered as posted.
        var corrected = Csv(
            $"{city.Accounts[0].AccountNumber},45.10,2026-11-20,check,CK1001",
            $"{city.Accounts[1].AccountNumber},12.35,2026-11-20,cash,");
        var retry = await city.Get<PostPaymentFile>().ExecuteAsync("bad.csv", corrected, "cashier");
        Assert.True(retry.Posted);
        Assert.Equal(2, await db.Payments.CountAsync());
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_payment_repeated_with_its_idempotency_key_posts_once(TestProvider provider)
    {
        await using var city = await StartAsync(provider, "payment idempotency");
        var request = new TakePaymentRequest(city.Accounts[0].AccountNumber, Money.FromCents(2500), Tender.MoneyOrder, null, PaymentSource.Api, "key-7f3a");

        var first = await city.Get<TakePayment>().ExecuteAsync(request, "api");
        city.Db.ChangeTracker.Clear();
        var retry = await city.Get<TakePayment>().ExecuteAsync(request, "api");
        city.Db.ChangeTracker.Clear();
        var conflict = await Assert.ThrowsAsync<DomainException>(() => city.Get<TakePayment>().ExecuteAsync(request with { Amount = Money.FromCents(3000) }, "api"));

        Assert.False(first.AlreadyPosted);
        Assert.True(retry.AlreadyPosted);
        Assert.Equal((first.PaymentId, first.ReceiptNumber, first.Amount), (retry.PaymentId, retry.ReceiptNumber, retry.Amount));
        Assert.Equal(-2500, first.NewBalance.Cents);
        Assert.Equal(-2500, retry.NewBalance.Cents);
        Assert.Equal("Idempotency-Key", conflict.Field);
        Assert.Contains(first.ReceiptNumber, conflict.Message, StringComparison.Ordinal);
        await using var db = city.Fresh();
        Assert.Equal(1, await db.Payments.CountAsync());
        Assert.Equal(1, await db.FinancialTransactions.CountAsync());
        Assert.Equal(-2500, await db.OpenItems.SumAsync(o => o.OpenCents));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Identity_numbers_are_stored_encrypted_and_revealing_one_is_audited(TestProvider provider)
    {
        await using var city = await StartAsync(provider, "identity number encryption", accounts: 1);
        var customerId = city.Accounts[0].CustomerId;

        var masked = await city.Get<ChangeIdentityNumber>().ExecuteAsync(customerId, IdentityNumberKind.Ssn, "123-45-6789", "new customer", "clerk");
        city.Db.ChangeTracker.Clear();

        Assert.Equal("***-**-6789", masked);
        var raw = await RawRowAsync(city.Fresh(), customerId);
        Assert.DoesNotContain("123456789", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("123-45-6789", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("12345", raw, StringComparison.Ordinal);

        var revealed = await city.Get<RevealIdentityNumber>().ExecuteAsync(customerId, "customer asked to confirm identity", "supervisor");

        Assert.Equal("123-45-6789", revealed);
        await using var db = city.Fresh();
        var audit = await db.AuditEntries.Where(a => a.EntityType == "Customer" && a.EntityId == customerId).OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(["Change identity number", "Reveal identity number"], audit.Select(a => a.Action).ToArray());
        var reveal = audit[1];
        Assert.Equal(("supervisor", "customer asked to confirm identity", city.Accounts[0].AccountId), (reveal.User, reveal.Reason!, reveal.AccountId!.Value));
        Assert.Equal(FixedClock.DemoToday, reveal.At);
        // The trail records that a number changed and was seen, never the number itself.
        Assert.All(audit, a => Assert.DoesNotContain("123456789", $"{a.Before}{a.After}", StringComparison.Ordinal));
        Assert.All(audit, a => Assert.DoesNotContain("123-45", $"{a.Before}{a.After}", StringComparison.Ordinal));
        Assert.Equal("***-**-6789", audit[0].After);

        await Assert.ThrowsAsync<DomainException>(() => city.Get<RevealIdentityNumber>().ExecuteAsync(customerId, " ", "supervisor"));
    }

    /// <summary>Every column of the customer's row, as the database holds it, joined into one string.</summary>
    private static async Task<string> RawRowAsync(OpenCisDbContext db, long customerId)
    {
        await using (db)
        {
            var connection = db.Database.GetDbConnection();
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM customers WHERE id = {customerId.ToString(CultureInfo.InvariantCulture)}";
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            var values = new StringBuilder();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                values.Append(reader.GetName(i)).Append('=').Append(Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)).Append(';');
            }

            Assert.Contains("identity_last_four=6789", values.ToString(), StringComparison.Ordinal);
            return values.ToString();
        }
    }

    [Fact]
    public async Task A_run_whose_lanes_write_without_foreign_key_checks_leaves_every_connection_checking_them()
    {
        await using var city = await StartAsync(TestProvider.Sqlite, "foreign keys after a run", accounts: 6);
        await TinyCity.AddReadAsync(city.Db, city.Accounts, BillDate.AddDays(-1), 10_000);
        city.Db.ChangeTracker.Clear();

        // Three lanes of two-account chunks: each lane turns SQLite's checks off on its own connection and takes its turn to write.
        var billing = city.Get<RunBilling>();
        billing.ChunkSize = 2;
        billing.Workers = 3;
        var outcome = await billing.ExecuteAsync("C1", BillDate, "clerk");

        Assert.Equal(6, outcome.BillsCreated);
        // The lanes' connections go back to the pool; whoever opens one next has the checks again.
        for (var user = 0; user < 4; user++)
        {
            await using var db = city.Fresh();
            await db.Database.OpenConnectionAsync();
            Assert.Equal(1L, await db.Database.SqlQueryRaw<long>("SELECT foreign_keys AS \"Value\" FROM pragma_foreign_keys").SingleAsync());
            var orphan = await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => db.Database.ExecuteSqlRawAsync(
                "INSERT INTO bill_lines (bill_segment_id, sequence, code, description, amount_cents, trace) VALUES (987654321, 1, 'X', 'X', 0, 'X')"));
            Assert.Contains("FOREIGN KEY constraint failed", orphan.Message, StringComparison.Ordinal);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_run_interrupted_after_its_first_chunk_resumes_and_bills_every_account_exactly_once(TestProvider provider)
    {
        await using var city = await StartAsync(provider, "billing run resume", accounts: 6);
        await TinyCity.AddReadAsync(city.Db, city.Accounts, BillDate.AddDays(-1), 10_000);
        city.Db.ChangeTracker.Clear();

        // The first attempt stops after one chunk of two accounts, as a crash between chunks would.
        using var crash = new CancellationTokenSource();
        var interrupted = city.Get<RunBilling>();
        interrupted.ChunkSize = 2;
        interrupted.Workers = 1;
        var progress = new InlineProgress(p =>
        {
            if (p.Done >= 2)
            {
                crash.Cancel();
            }
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => interrupted.ExecuteAsync("C1", BillDate, "clerk", progress, crash.Token));
        await using (var db = city.Fresh())
        {
            var run = await db.BillingRuns.SingleAsync();
            Assert.Equal(BillingRunStatus.Running, run.Status);
            Assert.Equal(2, await db.Bills.CountAsync());

            // The screens show a run still going with the counts of its chunks done so far.
            var view = await new BillingQueries(db).RunAsync(run.Id);
            Assert.Equal((2, 1, 3), (view!.BillsCreated, view.ChunksDone, view.ChunkCount));
        }

        // A new process picks the run up where it stopped.
        await using var services = city.NewServices();
        await using var scope = services.CreateAsyncScope();
        var resumed = await scope.ServiceProvider.GetRequiredService<RunBilling>().ExecuteAsync("C1", BillDate, "clerk");
        Assert.True(resumed.Resumed);
        Assert.Equal(6, resumed.BillsCreated);
        await using (var db = city.Fresh())
        {
            var billsPerAccount = await db.Bills.GroupBy(b => b.AccountId).Select(g => g.Count()).ToListAsync();
            Assert.Equal(6, billsPerAccount.Count);
            Assert.All(billsPerAccount, count => Assert.Equal(1, count));
            Assert.Equal(6, await db.FinancialTransactions.CountAsync(t => t.Type == OpenCIS.Core.Ledger.FinancialTransactionType.Bill));
        }

        var trialBalance = await scope.ServiceProvider.GetRequiredService<LedgerReports>().TrialBalanceAsync();
        Assert.True(trialBalance.Balances);
        Assert.True(trialBalance.TiesToSubLedger);
    }

    private sealed class InlineProgress(Action<BillingProgress> report) : IProgress<BillingProgress>
    {
        public void Report(BillingProgress value) => report(value);
    }
}
