using OpenCIS.Core.Metering;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Customers;
using OpenCIS.Storage.Billing;
using OpenCIS.UseCases.Billing;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Customers;
using OpenCIS.UseCases.Demo;
using OpenCIS.Storage.Metering;
using OpenCIS.UseCases.Metering;
using OpenCIS.Storage.Rating;
using OpenCIS.UseCases.Rating;
using OpenCIS.Storage;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// A handful of residential accounts written row by row, for workflow tests that need a known
/// account rather than a whole demo year: water on a six-dial gallon meter, sewer on water usage,
/// one trash cart, cycle C1 (due in 21 days, 10-day read window), the demo rates at their 2020 level.
/// </summary>
public static class TinyCity
{
    public static readonly DateOnly OpenedOn = new(2026, 9, 1);

    public sealed record TinyAccount(long AccountId, string AccountNumber, long CustomerId, long MeterId, long WaterServicePointId);

    public static async Task<List<TinyAccount>> BuildAsync(OpenCisDbContext db, int accounts)
    {
        db.BillingCycles.Add(new BillingCycle { Code = "C1", Name = "Cycle 1", ReadDayOfMonth = 5, DueDays = 21, ReadWindowDays = 10 });
        // The demo's schedules, but trash by the cart as it was (a flat price per cart, the agreement counting them): the
        // demo city prices its carts by size now, and the tiny city's tests count carts.
        foreach (var (service, tariff) in DemoTariffs.All(rateIncreaseOn: new DateOnly(2035, 1, 1))
            .Select(t => t.Tariff.Code == "T-RES" ? (t.Service, OpenCIS.Tests.Core.Rating.TestTariffs.ResidentialTrash) : t))
        {
            db.RateSchedules.Add(new RateSchedule { Code = tariff.Code, Name = tariff.Name, Service = service, EffectiveFrom = tariff.EffectiveFrom, Definition = TariffCatalog.Serialize(tariff) });
        }

        var result = new List<TinyAccount>();
        for (var sequence = 1; sequence <= accounts; sequence++)
        {
            var premise = new Premise { AddressLine1 = $"{sequence} Test St", City = "Riverbend", State = "OR", Zip = "97401", ParcelId = $"P{sequence}", OwnerOfRecord = "Owner" };
            var customer = Customer.Create(CustomerKind.Person, $"Customer {sequence}", null, null, $"{sequence} Test St", "Riverbend", "OR", "97401", FixedClock.DemoToday);
            var meter = Meter.Receive($"T{sequence:D7}", Service.Water, "5/8\"", 6, 1m, Unit.Gallons);
            db.AddRange(premise, customer, meter);
            await db.SaveChangesAsync();

            var account = Account.Open(AccountNumbers.Create(sequence), AccountClass.Residential, "C1", premise.Id, OpenedOn);
            var water = new ServicePoint { PremiseId = premise.Id, Service = Service.Water, IsMetered = true };
            var sewer = new ServicePoint { PremiseId = premise.Id, Service = Service.Sewer };
            var trash = new ServicePoint { PremiseId = premise.Id, Service = Service.Trash };
            db.AddRange(account, water, sewer, trash);
            await db.SaveChangesAsync();

            db.AccountCustomers.Add(new AccountCustomer { AccountId = account.Id, CustomerId = customer.Id, Role = AccountRole.Main, StartedOn = OpenedOn });
            db.ServiceAgreements.AddRange(
                new ServiceAgreement { AccountId = account.Id, ServicePointId = water.Id, Service = Service.Water, RateScheduleCode = "W-RES", StartedOn = OpenedOn },
                new ServiceAgreement { AccountId = account.Id, ServicePointId = sewer.Id, Service = Service.Sewer, RateScheduleCode = "S-RES", StartedOn = OpenedOn, UsageFromService = Service.Water },
                new ServiceAgreement { AccountId = account.Id, ServicePointId = trash.Id, Service = Service.Trash, RateScheduleCode = "T-RES", StartedOn = OpenedOn, Units = 1 });
            meter.SetAt(water.Id, OpenedOn);
            await db.SaveChangesAsync();
            result.Add(new TinyAccount(account.Id, account.AccountNumber, customer.Id, meter.Id, water.Id));
        }

        await AddReadAsync(db, result, OpenedOn, 1000);
        db.ChangeTracker.Clear();
        return result;
    }

    public static async Task AddReadAsync(OpenCisDbContext db, IEnumerable<TinyAccount> accounts, DateOnly readOn, long reading)
    {
        foreach (var account in accounts)
        {
            db.Reads.Add(MeterRead.Record(account.MeterId, account.WaterServicePointId, readOn, reading, ReadSource.Handheld, ReadVerdicts.Valid, DeviceFlags.None, "test", FixedClock.DemoToday));
        }

        await db.SaveChangesAsync();
    }
}
