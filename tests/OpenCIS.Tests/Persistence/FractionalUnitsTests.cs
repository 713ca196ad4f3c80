using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Billing;
using OpenCIS.Storage;
using OpenCIS.UseCases.Billing;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// Fractional counted units on each database: an agreement of 2.45 units keeps them exactly, and a run bills them
/// (2.45 carts x $21.50 = $52.68, rounded once), its trace saying the units as kept.
/// </summary>
public sealed class FractionalUnitsTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task An_agreement_of_fractional_units_keeps_and_bills_them_exactly(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "fractional units");
        await database.MigrateAsync();
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        var account = (await TinyCity.BuildAsync(db, 1))[0];
        await db.ServiceAgreements.Where(a => a.AccountId == account.AccountId && a.Service == Service.Trash).ExecuteUpdateAsync(s => s.SetProperty(a => a.Units, 2.45m));
        await using (var fresh = database.Context())
        {
            Assert.Equal(2.45m, await fresh.ServiceAgreements.Where(a => a.Service == Service.Trash).Select(a => a.Units).SingleAsync());
        }

        await TinyCity.AddReadAsync(db, [account], new DateOnly(2026, 10, 4), 3_000);
        db.ChangeTracker.Clear();
        var run = await scope.ServiceProvider.GetRequiredService<RunBilling>().ExecuteAsync("C1", new DateOnly(2026, 10, 5), "clerk");
        Assert.Equal(1, run.BillsCreated);
        await using var check = database.Context();
        var line = await check.BillLines.SingleAsync(l => l.Code == "T-RES-CART");
        Assert.Equal(5268, line.AmountCents);
        Assert.Equal("2.45 carts x $21.50 = $52.68", line.Trace);
    }
}
