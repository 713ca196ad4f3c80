using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Core.Customers;
using OpenCIS.Core.Payments;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Customers;
using OpenCIS.Storage.Payments;
using OpenCIS.UseCases.Payments;
using OpenCIS.UseCases.Reports;
using OpenCIS.Storage;

namespace OpenCIS.Tests.Persistence;

public sealed class LockboxImportTests
{
    private static readonly DateOnly Deposit = new(2026, 11, 20);

    private sealed class City(TestDatabase database, ServiceProvider services, AsyncServiceScope scope, List<TinyCity.TinyAccount> accounts) : IAsyncDisposable
    {
        public List<TinyCity.TinyAccount> Accounts { get; } = accounts;
        public T Get<T>() where T : notnull => scope.ServiceProvider.GetRequiredService<T>();
        public OpenCisDbContext Fresh() => database.Context();
        public ServiceProvider NewServices() => database.Services();

        public async ValueTask DisposeAsync()
        {
            await scope.DisposeAsync();
            await services.DisposeAsync();
            await database.DisposeAsync();
        }
    }

    private static async Task<City> StartAsync(TestProvider provider, string what, int accounts = 3)
    {
        var database = await TestDatabases.CreateAsync(provider, what);
        await database.MigrateAsync();
        var services = database.Services();
        var scope = services.CreateAsyncScope();
        var tiny = await TinyCity.BuildAsync(scope.ServiceProvider.GetRequiredService<OpenCisDbContext>(), accounts);
        return new City(database, services, scope, tiny);
    }

    private static byte[] Bai2(params (string Account, long Cents)[] items) => Encoding.UTF8.GetBytes(Bai2Writer.Write(
        "121000248", "RIVERBEND", new DateTime(2026, 11, 20, 6, 0, 0), "1", Deposit,
        [new Bai2Account("5550001", items.Select((i, n) => new Bai2Item(Money.FromCents(i.Cents), i.Account, $"CHK{n + 1}")).ToList())]));

    private static async Task AssertTiesOutAsync(OpenCisDbContext db)
    {
        var trialBalance = await new LedgerReports(db).TrialBalanceAsync();
        Assert.True(trialBalance.Balances);
        Assert.True(trialBalance.TiesToSubLedger);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Two_clerks_resolving_the_same_suspense_item_at_once_post_its_check_once(TestProvider provider)
    {
        await using var city = await StartAsync(provider, "suspense race", accounts: 2);
        var file = Bai2((AccountNumbers.Create(9_999_001), 2000));
        await city.Get<ImportLockbox>().ExecuteAsync(LockboxFormat.Bai2, "race.bai", file, "cashier");
        var item = (await city.Get<ResolveSuspense>().ListAsync(openOnly: true)).Single();

        async Task<string> ResolveAsync(int account)
        {
            await using var services = city.NewServices();
            await using var scope = services.CreateAsyncScope();
            try
            {
                await scope.ServiceProvider.GetRequiredService<ResolveSuspense>().ResolveAsync(item.Id, city.Accounts[account].AccountNumber, null, $"clerk{account}");
                return "resolved";
            }
            catch (DomainException exception)
            {
                return exception.Message;
            }
            catch (Exception exception) when (exception.ToString().Contains("database is locked", StringComparison.OrdinalIgnoreCase))
            {
                return "busy";
            }
        }

        var outcomes = await Task.WhenAll(ResolveAsync(0), ResolveAsync(1));

        Assert.Equal(1, outcomes.Count(o => o == "resolved"));
        await using var check = city.Fresh();
        Assert.Equal(1, await check.Payments.CountAsync());
        Assert.Equal(SuspenseStatus.Resolved, (await check.SuspenseItems.SingleAsync()).Status);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_good_file_posts_ties_out_and_the_same_file_again_posts_nothing(TestProvider provider)
    {
        await using var city = await StartAsync(provider, "lockbox import");
        var file = Bai2((city.Accounts[0].AccountNumber, 4510), (city.Accounts[1].AccountNumber, 120000), (city.Accounts[0].AccountNumber, 500));

        var posted = await city.Get<ImportLockbox>().ExecuteAsync(LockboxFormat.Bai2, "lockbox-1120.bai", file, "cashier");
        var again = await city.Get<ImportLockbox>().ExecuteAsync(LockboxFormat.Bai2, "lockbox-1120-copy.bai", file, "cashier");

        Assert.True(posted.Posted, posted.Message);
        Assert.Equal((3, 125010L, 0), (posted.PaymentCount, posted.PostedTotal.Cents, posted.SuspenseCount));
        Assert.True(again.AlreadyPosted);
        Assert.Contains("already posted on 2026-11-22", again.Message, StringComparison.Ordinal);
        Assert.Contains("lockbox-1120.bai", again.Message, StringComparison.Ordinal);
        await using var db = city.Fresh();
        Assert.Equal(3, await db.Payments.CountAsync(p => p.Tender == Tender.Check && p.Source == PaymentSource.File && p.ReceivedOn == Deposit));
        Assert.Equal(["CHK1", "CHK2", "CHK3"], (await db.Payments.OrderBy(p => p.Id).Select(p => p.Reference).ToListAsync())!);
        Assert.Equal(-5010L, await db.OpenItems.Where(o => o.AccountId == city.Accounts[0].AccountId).SumAsync(o => o.OpenCents));
        await AssertTiesOutAsync(db);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_wrong_control_total_posts_nothing_and_names_the_record_and_field(TestProvider provider)
    {
        await using var city = await StartAsync(provider, "lockbox control total");
        var text = Encoding.UTF8.GetString(Bai2((city.Accounts[0].AccountNumber, 4510), (city.Accounts[1].AccountNumber, 1000)));
        var bad = Encoding.UTF8.GetBytes(text.Replace("16,115,1000,", "16,115,1001,", StringComparison.Ordinal));

        var outcome = await city.Get<ImportLockbox>().ExecuteAsync(LockboxFormat.Bai2, "bad.bai", bad, "cashier");

        Assert.False(outcome.Posted);
        Assert.Contains(outcome.Errors, e => e.FileName == "bad.bai" && e.Line == 6 && e.Field == "account control total");
        Assert.Contains("nothing was posted", outcome.Message, StringComparison.Ordinal);
        await using var db = city.Fresh();
        Assert.Equal(0, await db.Payments.CountAsync());
        Assert.Equal(0, await db.ImportedFiles.CountAsync());
        Assert.Equal(0, await db.SuspenseItems.CountAsync());
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Unknown_closed_and_cash_only_accounts_go_to_suspense_and_a_clerk_resolves_or_returns_them(TestProvider provider)
    {
        await using var city = await StartAsync(provider, "lockbox suspense");
        await using (var db = city.Fresh())
        {
            await db.Accounts.Where(a => a.Id == city.Accounts[1].AccountId).ExecuteUpdateAsync(s => s.SetProperty(a => a.CashOnly, true));
            await db.Accounts.Where(a => a.Id == city.Accounts[2].AccountId).ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, AccountStatus.Closed));
        }

        var unknown = AccountNumbers.Create(9_999_001);
        var file = Bai2((city.Accounts[0].AccountNumber, 1000), (unknown, 2000), (city.Accounts[1].AccountNumber, 3000), (city.Accounts[2].AccountNumber, 4000), ("12345", 500));

        var outcome = await city.Get<ImportLockbox>().ExecuteAsync(LockboxFormat.Bai2, "mixed.bai", file, "cashier");

        Assert.True(outcome.Posted, outcome.Message);
        Assert.Equal((1, 1000L, 4, 9500L), (outcome.PaymentCount, outcome.PostedTotal.Cents, outcome.SuspenseCount, outcome.SuspenseTotal.Cents));
        var queue = await city.Get<ResolveSuspense>().ListAsync(openOnly: true);
        Assert.Equal(
            [SuspenseReason.UnknownAccount, SuspenseReason.CashOnly, SuspenseReason.ClosedAccount, SuspenseReason.NotAnAccountNumber],
            queue.Select(q => q.Reason));
        Assert.All(queue, q => Assert.Equal("mixed.bai", q.FileName));
        Assert.Equal(5, queue[0].RecordNumber);

        // The clerk finds the right account for the unknown one; the cash-only check cannot go to its account.
        var resolved = await city.Get<ResolveSuspense>().ResolveAsync(queue[0].Id, city.Accounts[0].AccountNumber, "customer called", "clerk");
        Assert.Equal(SuspenseStatus.Resolved, resolved.Status);
        Assert.NotNull(resolved.ReceiptNumber);
        var refused = await Assert.ThrowsAsync<DomainException>(() => city.Get<ResolveSuspense>().ResolveAsync(queue[1].Id, city.Accounts[1].AccountNumber, null, "clerk"));
        Assert.Contains("cash-only", refused.Message, StringComparison.Ordinal);
        var returned = await city.Get<ResolveSuspense>().ReturnAsync(queue[1].Id, "cash-only account: check mailed back", "clerk");
        Assert.Equal(SuspenseStatus.Returned, returned.Status);
        await Assert.ThrowsAsync<DomainException>(() => city.Get<ResolveSuspense>().ResolveAsync(queue[0].Id, city.Accounts[0].AccountNumber, null, "clerk"));

        await using var check = city.Fresh();
        Assert.Equal(2, await check.Payments.CountAsync(p => p.AccountId == city.Accounts[0].AccountId));
        Assert.Equal(-3000L, await check.OpenItems.Where(o => o.AccountId == city.Accounts[0].AccountId).SumAsync(o => o.OpenCents));
        Assert.Equal(2, await check.SuspenseItems.CountAsync(s => s.Status == SuspenseStatus.Open));
        Assert.Equal(1, await check.AuditEntries.CountAsync(a => a.Action == "Resolve suspense item"));
        Assert.Equal(1, await check.AuditEntries.CountAsync(a => a.Action == "Return suspense item"));
        await AssertTiesOutAsync(check);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_csv_lockbox_file_sends_unknown_accounts_to_suspense(TestProvider provider)
    {
        await using var city = await StartAsync(provider, "lockbox csv");
        var unknown = AccountNumbers.Create(9_999_002);
        var csv = Encoding.UTF8.GetBytes($"account,amount,date,tender,reference\n{city.Accounts[0].AccountNumber},12.34,2026-11-20,check,C1\n{unknown},5.00,2026-11-20,check,C2\n");

        var outcome = await city.Get<ImportLockbox>().ExecuteAsync(LockboxFormat.Csv, "lockbox.csv", csv, "cashier");

        Assert.Equal((1, 1), (outcome.PaymentCount, outcome.SuspenseCount));
        var item = Assert.Single(await city.Get<ResolveSuspense>().ListAsync(openOnly: true));
        Assert.Equal((3, unknown, 500L), (item.RecordNumber, item.AccountReference, item.Amount.Cents));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task An_import_interrupted_after_its_first_chunk_resumes_and_posts_every_payment_exactly_once(TestProvider provider)
    {
        await using var city = await StartAsync(provider, "lockbox resume", accounts: 4);
        var unknown = AccountNumbers.Create(9_999_003);
        var items = Enumerable.Range(0, 10).Select(n => (n == 7 ? unknown : city.Accounts[n % 4].AccountNumber, 1000L + n)).ToArray();
        var file = Bai2(items);

        using var crash = new CancellationTokenSource();
        var interrupted = new ImportLockbox(city.Get<OpenCisDbContext>(), city.Get<PaymentBatchPoster>(), TimeProvider.System)
        {
            ChunkSize = 3,
            OnChunkPosted = (_, _) => crash.Cancel(),
        };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => interrupted.ExecuteAsync(LockboxFormat.Bai2, "big.bai", file, "cashier", crash.Token));
        await using (var db = city.Fresh())
        {
            Assert.Equal(3, await db.Payments.CountAsync());
        }

        // A new process, with another chunk size, picks it up where it stopped.
        await using var services = city.NewServices();
        await using var scope = services.CreateAsyncScope();
        var resumed = await new ImportLockbox(scope.ServiceProvider.GetRequiredService<OpenCisDbContext>(), scope.ServiceProvider.GetRequiredService<PaymentBatchPoster>(), TimeProvider.System) { ChunkSize = 4 }
            .ExecuteAsync(LockboxFormat.Bai2, "big.bai", file, "cashier");
        Assert.True(resumed.Resumed);
        Assert.Equal((6, 1), (resumed.PaymentCount, resumed.SuspenseCount));
        var again = await scope.ServiceProvider.GetRequiredService<ImportLockbox>().ExecuteAsync(LockboxFormat.Bai2, "big.bai", file, "cashier");
        Assert.True(again.AlreadyPosted);

        await using var check = city.Fresh();
        var references = await check.Payments.Select(p => p.Reference).ToListAsync();
        Assert.Equal(9, references.Count);
        Assert.Equal(9, references.Distinct().Count());
        Assert.Equal(items.Where(i => i.Item1 != unknown).Sum(i => i.Item2), await check.Payments.SumAsync(p => p.AmountCents));
        Assert.Equal(1, await check.SuspenseItems.CountAsync());
        await AssertTiesOutAsync(check);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Two_imports_of_one_file_at_once_post_every_payment_exactly_once(TestProvider provider)
    {
        await using var city = await StartAsync(provider, "lockbox concurrent runs", accounts: 4);
        var items = Enumerable.Range(0, 10).Select(n => (city.Accounts[n % 4].AccountNumber, 2000L + n)).ToArray();
        var file = Bai2(items);
        await using var services = city.NewServices();
        LockboxOutcome? other = null;

        // Right after the first run's first chunk commits, a second run of the same file (another
        // process, another chunk size) posts the rest; the first must then find nothing left to post.
        var first = new ImportLockbox(city.Get<OpenCisDbContext>(), city.Get<PaymentBatchPoster>(), TimeProvider.System)
        {
            ChunkSize = 3,
            OnChunkPosted = (_, _) =>
            {
                if (other is null)
                {
                    other = Task.Run(async () =>
                    {
                        await using var scope = services.CreateAsyncScope();
                        return await new ImportLockbox(scope.ServiceProvider.GetRequiredService<OpenCisDbContext>(), scope.ServiceProvider.GetRequiredService<PaymentBatchPoster>(), TimeProvider.System) { ChunkSize = 2 }
                            .ExecuteAsync(LockboxFormat.Bai2, "twice.bai", file, "cashier");
                    }).GetAwaiter().GetResult();
                }
            },
        };
        var outcome = await first.ExecuteAsync(LockboxFormat.Bai2, "twice.bai", file, "cashier");

        Assert.Equal(3, outcome.PaymentCount);
        Assert.Equal(7, other!.PaymentCount);
        await using var check = city.Fresh();
        Assert.Equal(10, await check.Payments.CountAsync());
        Assert.Equal(10, await check.Payments.Select(p => p.Reference).Distinct().CountAsync());
        await AssertTiesOutAsync(check);
    }
}
