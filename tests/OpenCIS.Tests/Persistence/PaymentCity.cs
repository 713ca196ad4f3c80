using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Billing;
using OpenCIS.UseCases.Billing;
using OpenCIS.UseCases.Collections;
using OpenCIS.Storage;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// A tiny city billed on 2026-11-05, for the payment workflows: its accounts, their bills' scan lines,
/// a clock the test moves, and a fresh scope per workflow call (as each request or command has).
/// </summary>
public sealed class PaymentCity : IAsyncDisposable
{
    public static readonly DateOnly BillDate = new(2026, 11, 5);

    private readonly TestDatabase database;
    private readonly ServiceProvider services;

    private PaymentCity(TestDatabase database, ServiceProvider services, PaymentCityClock clock, List<TinyCity.TinyAccount> accounts)
    {
        this.database = database;
        this.services = services;
        Clock = clock;
        Accounts = accounts;
    }

    public List<TinyCity.TinyAccount> Accounts { get; }
    public PaymentCityClock Clock { get; }

    public static async Task<PaymentCity> StartAsync(TestProvider provider, string what, int accounts = 3)
    {
        var database = await TestDatabases.CreateAsync(provider, what);
        await database.MigrateAsync();
        var clock = new PaymentCityClock(FixedClock.DemoToday);
        clock.MoveTo(BillDate);
        var services = database.Services(clock);
        List<TinyCity.TinyAccount> built;
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
            built = await TinyCity.BuildAsync(db, accounts);
            await TinyCity.AddReadAsync(db, built, BillDate.AddDays(-1), 10_000);
        }

        var city = new PaymentCity(database, services, clock, built);
        await city.RunAsync<RunBilling, BillingRunOutcome>(run => run.ExecuteAsync("C1", BillDate, "clerk"));
        return city;
    }

    /// <summary>The tiny city under the demo collection policy (riverbend.yaml), imported by a Supervisor.</summary>
    public static async Task<PaymentCity> StartUnderPolicyAsync(TestProvider provider, string what, int accounts)
    {
        var city = await StartAsync(provider, what, accounts);
        var imported = await city.RunAsync<ImportCollectionPolicy, CollectionPolicyImportOutcome>(i => i.ExecuteAsync("riverbend.yaml", CollectionsRunTests.Policy(), "supervisor"));
        if (!imported.Imported)
        {
            await city.DisposeAsync();
            Assert.Fail(imported.Message);
        }

        return city;
    }

    public long[] AccountIds => [.. Accounts.Select(a => a.AccountId)];

    /// <summary>When the account's first bill falls due.</summary>
    public async Task<DateOnly> FirstDueAsync(long accountId)
    {
        await using var db = Fresh();
        return await db.Bills.Where(b => b.AccountId == accountId).OrderBy(b => b.Id).Select(b => b.DueDate).FirstAsync();
    }

    public async Task<TResult> RunAsync<T, TResult>(Func<T, Task<TResult>> use) where T : notnull
    {
        await using var scope = services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<T>());
    }

    public OpenCisDbContext Fresh() => database.Context();

    /// <summary>The database's settings, for a test that builds its own services (with an SMTP server, say).</summary>
    public Microsoft.Extensions.Configuration.IConfiguration Configuration() => database.Configuration();

    /// <summary>The scan line printed on the stub of the account's latest bill.</summary>
    public async Task<ScanLine> ScanLineAsync(int account)
    {
        await using var db = Fresh();
        var accountId = Accounts[account].AccountId;
        var bill = await db.Bills.Where(b => b.AccountId == accountId).OrderByDescending(b => b.Id).FirstAsync();
        return ScanLine.For(Accounts[account].AccountNumber, bill.Id, Money.FromCents(bill.AmountDueCents), bill.DueDate);
    }

    public async ValueTask DisposeAsync()
    {
        await services.DisposeAsync();
        await database.DisposeAsync();
    }
}

/// <summary>A clock the test moves forward, as the days of a month go by.</summary>
public sealed class PaymentCityClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public void MoveTo(DateOnly date) => Now = new DateTimeOffset(date.ToDateTime(new TimeOnly(15, 0)), TimeSpan.Zero);
}
