using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Billing;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Demo;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// The demo city's electric utility and stormwater fee billed by the real run: time-of-use registers from AMI interval
/// days, demand from the highest interval with its ratchet on earlier bills, the purchased-power adjustment prorated
/// across its monthly change, gas in therms through the monthly heating value with the purchased gas adjustment prorated
/// across its change, the power factor from the demand meters' kWh and kvarh interval days, stormwater on each
/// parcel's impervious area, residential trash by cart size with the backyard add-on, commercial fire lines by their size
/// kept out of the sewer; and the planted accounts whose intervals miss two days, or whose kvarh days are missing,
/// are the last run's exceptions, naming them.
/// </summary>
public sealed class ElectricDemoTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Electric_and_stormwater_bill_from_intervals_demand_history_rider_values_and_parcel_areas(TestProvider provider)
    {
        TestDatabases.Require(provider, "electric demo");
        var (database, _) = await TestDatabases.SeededCity100Async(provider);
        await using var owned = database;

        await using var db = database.Context();
        var lines = await db.Bills.Where(b => b.Status == BillStatus.Issued).SelectMany(b => b.Segments, (b, s) => new { b.AccountId, b.BillDate, b.PeriodStart, b.PeriodEnd, s.Service, s.TariffCode, s.BillingDemand, s.Lines })
            .ToListAsync();

        // Stormwater on every bill of every account, on its parcel's area in units of 2,500 sq ft.
        var bills = await db.Bills.CountAsync(b => b.Status == BillStatus.Issued);
        var storm = lines.Where(l => l.Service == Service.Stormwater).ToList();
        Assert.Equal(bills, storm.Count);
        Assert.All(storm, s => Assert.Matches(@"^[\d,]+ sq ft / 2,500 sq ft per unit = [\d.]+, rounded up to \d+: \d+ x \$6\.25 = \$[\d.]+$", s.Lines.Single().Trace));

        // Time of use: on- and off-peak from the interval days, and the adjustment prorated across the first of the month.
        var tou = lines.Where(l => l.TariffCode == "E-TOU").ToList();
        Assert.NotEmpty(tou);
        Assert.All(tou, s => Assert.Contains(s.Lines, l => l.Code == "E-TOU-ENERGY-ON" && l.Trace.Contains("days of interval reads", StringComparison.Ordinal)));
        Assert.All(tou, s => Assert.Contains(s.Lines, l => l.Code == "E-TOU-PPA" && l.Trace.StartsWith("PPA changed during the period: (", StringComparison.Ordinal)));

        // Demand: the highest interval, and for the account whose use fell, its ratchet on the summer's demand.
        var demand = lines.Where(l => l.TariffCode == "E-GSD").ToList();
        Assert.NotEmpty(demand);
        Assert.All(demand, s => Assert.Contains(s.Lines, l => l.Code.StartsWith("E-GSD-DEMAND", StringComparison.Ordinal) && l.Trace.StartsWith("Highest interval demand ", StringComparison.Ordinal)));
        Assert.All(demand, s => Assert.NotNull(s.BillingDemand));
        var ratchetAccount = demand.Min(d => d.AccountId);
        var last = demand.Where(d => d.AccountId == ratchetAccount).MaxBy(d => d.BillDate)!;
        var ratcheted = last.Lines.Single(l => l.Code.StartsWith("E-GSD-DEMAND", StringComparison.Ordinal));
        Assert.Contains("80% of the highest", ratcheted.Trace, StringComparison.Ordinal);
        var history = demand.Where(d => d.AccountId == ratchetAccount && d.PeriodEnd < last.PeriodStart && d.PeriodEnd >= last.PeriodStart.AddMonths(-11)).Max(d => d.BillingDemand!.Value);
        Assert.Equal(decimal.Round(history * 0.8m, 6), decimal.Round(last.BillingDemand!.Value, 6));

        // The power factor: every demand bill measures it from the meter's kWh and kvarh interval days, and exactly the
        // meters that run below the 0.90 target (one in three, by id) have their billing demand raised by it.
        var meters = await db.Meters.Where(m => m.Service == Service.Electric && m.ServicePointId != null)
            .Join(db.ServiceAgreements.Where(a => a.RateScheduleCode == "E-GSD"), m => m.ServicePointId!.Value, a => a.ServicePointId, (m, a) => new { a.AccountId, MeterId = m.Id })
            .ToDictionaryAsync(x => x.AccountId, x => x.MeterId);
        var intervals = await db.IntervalDays.Where(d => meters.Values.Contains(d.MeterId)).ToListAsync();
        foreach (var bill in demand)
        {
            var line = bill.Lines.Single(l => l.Code.StartsWith("E-GSD-DEMAND", StringComparison.Ordinal));
            var days = intervals.Where(d => d.MeterId == meters[bill.AccountId] && d.Day >= bill.PeriodStart && d.Day <= bill.PeriodEnd).ToList();
            var kwh = days.Where(d => d.Unit == Unit.Kwh).Sum(d => d.ToDay().Total);
            var kvarh = days.Where(d => d.Unit == Unit.Kvarh).Sum(d => d.ToDay().Total);
            var factor = decimal.Round(kwh / (decimal)Math.Sqrt((double)((kwh * kwh) + (kvarh * kvarh))), 3, MidpointRounding.AwayFromZero);
            Assert.Contains($"Power factor {factor.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)} = ", line.Trace, StringComparison.Ordinal);
            Assert.Equal(factor < DemoElectric.PowerFactorTarget, line.Trace.Contains(" target / ", StringComparison.Ordinal));
        }

        var demandAccounts = demand.Select(d => d.AccountId).Distinct().ToList();
        var lowFactor = demandAccounts.Where(a => DemoElectric.PowerFactorOf(meters[a]) < DemoElectric.PowerFactorTarget).Order().ToList();
        Assert.NotEmpty(lowFactor);
        Assert.Equal(lowFactor, demand.Where(d => d.Lines.Any(l => l.Code.StartsWith("E-GSD-DEMAND", StringComparison.Ordinal) && l.Trace.Contains(" target / ", StringComparison.Ordinal)))
            .Select(d => d.AccountId).Distinct().Order().ToList());

        // The planted demand account whose meter sent no kvarh before its last read: the last run's one such exception, naming them.
        var noKvarh = await db.BillingExceptions.Where(e => e.Reason.Contains("kvarh")).ToListAsync();
        var planted = Assert.Single(noKvarh);
        Assert.Equal(demandAccounts.Order().Skip(1).First(), planted.AccountId);
        Assert.StartsWith("Electric cannot be rated under E-GSD: Charge E-GSD-DEMAND adjusts for power factor, and the service has none: no reactive energy (kvarh) interval reads for ", planted.Reason, StringComparison.Ordinal);

        // Gas: exactly one residential account in thirty, each billed on every bill in therms, its CCF times the period's
        // heating value (both it and the purchased gas adjustment change on the first of the month, so weighted by days).
        var residential = await db.Accounts.Where(a => a.Class == AccountClass.Residential).OrderBy(a => a.Id).Select(a => a.Id).ToListAsync();
        var gasAccounts = residential.Where((_, i) => i % DemoGas.OneIn == DemoGas.OneIn / 2).ToList();
        Assert.NotEmpty(gasAccounts);
        var gas = lines.Where(l => l.Service == Service.Gas).ToList();
        Assert.Equal(gasAccounts, gas.Where(g => g.Lines.Any(l => l.Code == "G-RES-PGA")).Select(g => g.AccountId).Distinct().Order().ToList());
        var values = await db.RateValues.Select(v => new { v.Name, v.EffectiveFrom, v.Value }).ToListAsync();
        decimal Weighted(string name, DateOnly start, DateOnly end)
        {
            var days = Enumerable.Range(0, end.DayNumber - start.DayNumber + 1).Select(start.AddDays).ToList();
            return days.Sum(d => values.Where(v => v.Name == name && v.EffectiveFrom <= d).MaxBy(v => v.EffectiveFrom)!.Value) / days.Count;
        }

        static string Number(decimal value) => value.ToString("#,##0.###", System.Globalization.CultureInfo.InvariantCulture);
        var gasSegments = await db.Bills.Where(b => b.Status == BillStatus.Issued).SelectMany(b => b.Segments.Where(s => s.Service == Service.Gas), (b, s) => new { b.PeriodStart, b.PeriodEnd, s.UsageQuantity, s.UsageUnit, s.Lines })
            .ToListAsync();
        Assert.Equal(gas.Count, gasSegments.Count);
        foreach (var segment in gasSegments)
        {
            Assert.Equal(Unit.Ccf, segment.UsageUnit);
            var ccf = segment.UsageQuantity!.Value;
            var heat = Weighted(OpenCIS.Core.Rating.RateValues.HeatingValue, segment.PeriodStart, segment.PeriodEnd);
            var therms = ccf * heat;
            var distribution = segment.Lines.Single(l => l.Code == "G-RES-DIST-1");
            Assert.Contains($"{Number(ccf)} CCF x {Number(heat)} therms per CCF = {Number(therms)} therms. ", distribution.Trace, StringComparison.Ordinal);
            Assert.Equal((long)decimal.Round(therms * 42m, MidpointRounding.AwayFromZero), distribution.AmountCents);
            var pga = segment.Lines.Single(l => l.Code == "G-RES-PGA");
            Assert.StartsWith("heating_value changed during the period: (", pga.Trace, StringComparison.Ordinal);
            Assert.Contains("PGA changed during the period: (", pga.Trace, StringComparison.Ordinal);
            Assert.Equal((long)decimal.Round(therms * Weighted(DemoGas.PgaRider, segment.PeriodStart, segment.PeriodEnd) * 100m, MidpointRounding.AwayFromZero), pga.AmountCents);
        }

        // Gas revenue is the gas fund's.
        Assert.Equal(gas.Sum(g => g.Lines.Sum(l => l.AmountCents)), await db.GlEntries.Where(g => g.GlAccount == OpenCIS.Core.Ledger.GlAccounts.GasSales).SumAsync(g => g.CreditCents - g.DebitCents));

        // Residential trash by the cart's size (every agreement has one, of all three sizes), and the backyard add-on on
        // exactly the agreements that take it, on every one of their bills.
        var trashAgreements = (await db.ServiceAgreements.Where(a => a.RateScheduleCode == "T-RES").Select(a => new { a.AccountId, a.Attributes }).ToListAsync())
            .ToDictionary(a => a.AccountId, a => ServiceAttributes.Parse(a.Attributes));
        var cartPrices = new Dictionary<string, long> { ["35gal"] = 1650, ["64gal"] = 2150, ["96gal"] = 2600 };
        Assert.All(trashAgreements.Values, a => Assert.Contains(a[DemoTariffs.CartSize], cartPrices.Keys));
        Assert.Equal(3, trashAgreements.Values.Select(a => a[DemoTariffs.CartSize]).Distinct().Count());
        var trash = lines.Where(l => l.TariffCode == "T-RES").ToList();
        foreach (var segment in trash)
        {
            var size = trashAgreements[segment.AccountId][DemoTariffs.CartSize];
            var cart = segment.Lines.Single(l => l.Code == "T-RES-CART");
            Assert.StartsWith($"cart size {size}, ", cart.Trace, StringComparison.Ordinal);
            if (!cart.Trace.Contains("/30 days", StringComparison.Ordinal))
            {
                Assert.Equal(cartPrices[size], cart.AmountCents);
            }
        }

        var backyard = trashAgreements.Where(a => a.Value.GetValueOrDefault(DemoTariffs.Backyard) == "yes").Select(a => a.Key).Order().ToList();
        Assert.NotEmpty(backyard);
        Assert.Equal(backyard, trash.Where(t => t.Lines.Any(l => l.Code == "T-RES-BACKYARD")).Select(t => t.AccountId).Distinct().Order().ToList());
        Assert.All(trash.Where(t => backyard.Contains(t.AccountId)), t => Assert.Contains(t.Lines, l => l.Code == "T-RES-BACKYARD" && l.Trace.StartsWith("backyard yes, ", StringComparison.Ordinal)));

        // Fire lines: exactly one commercial account in five, a monthly charge by the line's size on every bill, and its
        // water (usage_shared=no) left out of the sewer, which is billed on the account's own water use alone.
        var commercialAccounts = await db.Accounts.Where(a => a.Class == AccountClass.Commercial).OrderBy(a => a.Id).Select(a => a.Id).ToListAsync();
        var fireAgreements = (await db.ServiceAgreements.Where(a => a.RateScheduleCode == DemoFireLines.Schedule).Select(a => new { a.AccountId, a.Attributes }).ToListAsync())
            .ToDictionary(a => a.AccountId, a => ServiceAttributes.Parse(a.Attributes));
        var expectedFire = commercialAccounts.Where((_, i) => i % DemoFireLines.OneIn == 1).ToList();
        Assert.NotEmpty(expectedFire);
        Assert.Equal(expectedFire, fireAgreements.Keys.Order().ToList());
        Assert.All(fireAgreements.Values, a => Assert.Equal("no", a[BillCalculator.UsageSharedAttribute]));
        var fireBills = lines.Where(l => l.TariffCode == DemoFireLines.Schedule).ToList();
        Assert.Equal(expectedFire, fireBills.Select(f => f.AccountId).Distinct().Order().ToList());
        var firePrices = new Dictionary<string, long> { ["4in"] = 2800, ["6in"] = 5200, ["8in"] = 8500 };
        foreach (var segment in fireBills)
        {
            var line = segment.Lines.Single();
            var size = fireAgreements[segment.AccountId][DemoFireLines.SizeAttribute];
            Assert.Equal(("W-FIRE-LINE", true), (line.Code, line.Trace.StartsWith($"fire line size {size}, ", StringComparison.Ordinal)));
            if (!line.Trace.Contains("/30 days", StringComparison.Ordinal))
            {
                Assert.Equal(firePrices[size], line.AmountCents);
            }
        }

        var fireAccountIds = expectedFire.ToArray();
        var fireAccountBills = await db.Bills.Where(b => b.Status == BillStatus.Issued && fireAccountIds.Contains(b.AccountId))
            .Select(b => b.Segments.Select(s => new { s.TariffCode, s.UsageQuantity, s.UsageUnit }).ToList()).ToListAsync();
        Assert.NotEmpty(fireAccountBills);
        foreach (var segments in fireAccountBills)
        {
            var water = segments.Single(s => s.TariffCode == "W-COM");
            var fireLine = segments.Single(s => s.TariffCode == DemoFireLines.Schedule);
            var sewer = segments.Single(s => s.TariffCode == "S-COM");
            Assert.True(fireLine.UsageQuantity > 0m);
            decimal Gallons(decimal? quantity, Unit? unit) => UnitConversion.Default.Convert(new Quantity(quantity!.Value, unit!.Value), Unit.Gallons).Value;
            Assert.Equal(decimal.Round(Gallons(water.UsageQuantity, water.UsageUnit), 3), decimal.Round(Gallons(sewer.UsageQuantity, sewer.UsageUnit), 3));
        }

        // The pre-bill review is set for the runs after the seeded year, which billed without it.
        Assert.Equal(2, await db.BillReviewRules.CountAsync());
        Assert.Equal(0, await db.Bills.CountAsync(b => b.Status == BillStatus.Held));

        // The planted account missing two days of intervals: the last run's exception, naming them.
        var touAccount = tou.Min(t => t.AccountId);
        var exception = await db.BillingExceptions.Where(e => e.AccountId == touAccount).OrderByDescending(e => e.Id).FirstAsync();
        Assert.Contains("interval reads for every day", exception.Reason, StringComparison.Ordinal);
        Assert.Contains("2 days have none", exception.Reason, StringComparison.Ordinal);
    }
}
