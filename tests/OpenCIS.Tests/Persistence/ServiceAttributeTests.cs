using System.Collections.Immutable;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Rating;
using OpenCIS.Storage;
using OpenCIS.Storage.Rating;
using OpenCIS.UseCases.Billing;
using OpenCIS.UseCases.Rating;

namespace OpenCIS.Tests.Persistence;

/// <summary>A charge priced by a service's attribute (the cart's size) billed in a run on each database, from the attribute kept on the agreement.</summary>
public sealed class ServiceAttributeTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_run_prices_each_cart_by_its_size_and_names_a_service_without_one(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "service attributes");
        await database.MigrateAsync();
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        var accounts = await TinyCity.BuildAsync(db, 3);

        // Solid waste from 2026 on: a monthly cart charge by the cart's size.
        var carts = new Tariff("T-RES", "Residential solid waste", new DateOnly(2026, 1, 1), [
            new FixedCharge("T-RES-CART", "Garbage cart", 0m, ImmutableDictionary<string, decimal>.Empty.Add("64gal", 18.00m).Add("96gal", 21.50m), ChargeFrequency.Month) { PriceAttribute = "cart_size" },
        ]);
        db.RateSchedules.Add(new RateSchedule { Code = carts.Code, Name = carts.Name, Service = Service.Trash, EffectiveFrom = carts.EffectiveFrom, Definition = TariffYaml.Write(carts, Service.Trash) });
        await db.SaveChangesAsync();
        var trash = await db.ServiceAgreements.Where(a => a.Service == Service.Trash).OrderBy(a => a.AccountId).Select(a => a.Id).ToListAsync();
        var attributes = scope.ServiceProvider.GetRequiredService<AgreementAttributes>();
        await attributes.SetAsync(trash[0], new Dictionary<string, string> { ["cart_size"] = "64gal" }, "clerk");
        await attributes.SetAsync(trash[1], new Dictionary<string, string> { ["cart_size"] = "96gal", ["pickups"] = "1" }, "clerk");
        var bad = await Assert.ThrowsAsync<DomainException>(() => attributes.SetAsync(trash[2], new Dictionary<string, string> { ["Cart Size"] = "96gal" }, "clerk"));
        Assert.Equal("attributes", bad.Field);

        await TinyCity.AddReadAsync(db, accounts, new DateOnly(2026, 10, 4), 2_000);
        db.ChangeTracker.Clear();
        var run = await scope.ServiceProvider.GetRequiredService<RunBilling>().ExecuteAsync("C1", new DateOnly(2026, 10, 5), "clerk");
        Assert.Equal((2, 1), (run.BillsCreated, run.Exceptions));

        await using var fresh = database.Context();
        var lines = await fresh.BillLines.Where(l => l.Code == "T-RES-CART").OrderBy(l => l.Id).Select(l => new { l.AmountCents, l.Trace }).ToListAsync();
        Assert.Equal([1800L, 2150L], lines.Select(l => l.AmountCents).ToArray());
        Assert.Contains("96gal", lines[1].Trace, StringComparison.Ordinal);
        var exception = await fresh.BillingExceptions.SingleAsync();
        Assert.Equal(accounts[2].AccountId, exception.AccountId);
        Assert.Contains("is priced by cart size, and the service has none", exception.Reason, StringComparison.Ordinal);
        Assert.Equal("cart_size=96gal;pickups=1", (await fresh.ServiceAgreements.SingleAsync(a => a.Id == trash[1])).Attributes);
        Assert.Equal(2, await fresh.AuditEntries.CountAsync(e => e.Action == "Set service attributes"));
    }
}
