using System.Collections.Immutable;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Metering;
using OpenCIS.Core.Rating;
using OpenCIS.Storage;
using OpenCIS.Storage.Billing;
using OpenCIS.Storage.Bulk;
using OpenCIS.Storage.Customers;
using OpenCIS.Storage.Metering;
using OpenCIS.Storage.Rating;

namespace OpenCIS.UseCases.Demo;

/// <summary>
/// Riverbend's electric utility and stormwater fee. Every parcel has an impervious area and pays stormwater on it; one
/// residential account in ten takes electric on the time-of-use schedule and every fourth commercial account on the
/// demand schedule with its ratchet and power factor adjustment, all on AMI meters whose interval reads come in daily (a
/// demand meter's reactive energy too, in kvarh, which gives each bill's power factor); the purchased-power
/// adjustment changes on the first of each month, so every electric bill's period spans a change. Drawn from a random
/// source of its own, so the rest of the city is the same with or without it.
/// </summary>
public static class DemoElectric
{
    public const string PpaRider = "PPA";

    /// <summary>Accounts whose stormwater and electric rows are made and written at a time.</summary>
    private const int AccountsPerWrite = 50_000;

    /// <summary>The electric account whose intervals miss two days before the last read: the last run lists it, naming the intervals.</summary>
    public const string MissingIntervalsPlant = "missing-intervals";

    /// <summary>The commercial account whose demand fell in its last three months: billed on its ratchet.</summary>
    public const string RatchetPlant = "ratchet";

    /// <summary>The demand account whose meter delivered no reactive energy before the last read: the last run lists it, naming the kvarh days.</summary>
    public const string MissingReactivePlant = "missing-kvarh";

    /// <summary>The demand schedule's power factor target: below it the billing demand is raised.</summary>
    public const decimal PowerFactorTarget = 0.90m;

    /// <summary>
    /// A demand meter's power factor: one meter in three (by id) runs motors at 0.84, below the target, and is billed the
    /// adjustment; the others run at 0.95. Chosen by the meter, not drawn, so the city's random draws stay as they were.
    /// </summary>
    public static decimal PowerFactorOf(long meterId) => meterId % 3 == 0 ? 0.84m : 0.95m;

    public enum Kind
    {
        TimeOfUse,
        Demand,
    }

    public sealed record ElectricAccount(long AccountId, string CycleCode, long MeterId, long ServicePointId, Kind Kind, double Factor, string? Plant)
    {
        public long InitialReading { get; init; }
    }

    public static IEnumerable<(Service Service, Tariff Tariff)> Tariffs(DateOnly since)
    {
        yield return (Service.Electric, new Tariff("E-TOU", "Residential time-of-use electric", since, [
            new FixedCharge("E-TOU-CUST", "Customer charge", 12.00m, Per: ChargeFrequency.Month),
            new RegisterCharge("E-TOU-ENERGY", "Energy", Unit.Kwh, ImmutableDictionary<string, decimal>.Empty.Add("ON", 0.2450m).Add("OFF", 0.0890m))
            {
                TimeOfUse = [new TimeOfUsePeriod("ON", 14, 19, [DayType.Weekday], [6, 7, 8, 9]), new TimeOfUsePeriod("ON", 6, 9, [DayType.Weekday], [1, 2, 3, 4, 5, 10, 11, 12]), new TimeOfUsePeriod("ON", 17, 20, [DayType.Weekday], [1, 2, 3, 4, 5, 10, 11, 12])],
                OtherHours = "OFF",
                Holidays = TimeOfUseHolidays.Nerc,
            },
            new RiderCharge("E-TOU-PPA", "Purchased power adjustment", PpaRider, Unit.Kwh),
        ]));
        yield return (Service.Electric, new Tariff("E-GSD", "General service demand electric", since, [
            new FixedCharge("E-GSD-CUST", "Customer charge", 45.00m, Per: ChargeFrequency.Month),
            new BlockCharge("E-GSD-ENERGY", "Energy", Unit.Kwh, 1m, [new Block(10_000m, 0.0780m), new Block(null, 0.0650m)]),
            new DemandCharge("E-GSD-DEMAND", "Demand", Unit.Kw, [new Block(null, 9.50m)]) { Ratchet = new DemandRatchet(80m, 11, 20m), PowerFactorTarget = PowerFactorTarget },
            new RiderCharge("E-GSD-PPA", "Purchased power adjustment", PpaRider, Unit.Kwh),
        ]));
        yield return (Service.Stormwater, new Tariff("SW", "Stormwater", since, [
            new AreaCharge("SW-ERU", "Stormwater (impervious area)", 2_500m, AreaRounding.Up, 6.25m, 1m),
        ]));
    }

    /// <summary>The purchased-power adjustment for each month from <paramref name="from"/>'s through <paramref name="through"/>'s.</summary>
    public static IEnumerable<RateValue> PpaValues(DateOnly from, DateOnly through)
    {
        var month = new DateOnly(from.Year, from.Month, 1);
        for (var i = 0; month <= through; i++, month = month.AddMonths(1))
        {
            // A summer-heavy fuel cost: $0.0100 to $0.0190 per kWh.
            yield return new RateValue(PpaRider, month, 0.0100m + (0.0010m * ((i * 7) % 10)));
        }
    }

    /// <summary>Stormwater on every premise (with its impervious area), and the electric services with their meters set.</summary>
    public static async Task<List<ElectricAccount>> AttachAsync(OpenCisDbContext db, IReadOnlyList<(long AccountId, string CycleCode, AccountClass Class, long PremiseId)> accounts,
        DateOnly openedOn, string user, DateTimeOffset now, Random random, CancellationToken cancellationToken)
    {
        // First every account's draws, in account order; then the rows, a slice of accounts at a time (each slice's
        // electric meters drawing their first reads in the same order), so a large city never holds them all at once.
        var areas = new List<(long PremiseId, decimal? Area)>(accounts.Count);
        var planned = new List<(long AccountId, string Cycle, long PremiseId, Kind? Kind, double Factor)>(accounts.Count);
        var residential = 0;
        var commercial = 0;
        foreach (var account in accounts)
        {
            var isCommercial = account.Class == AccountClass.Commercial;
            areas.Add((account.PremiseId, isCommercial ? random.Next(8_000, 80_000) : random.Next(1_500, 4_800)));
            var kind = isCommercial ? (commercial++ % 4 == 0 ? Kind.Demand : (Kind?)null) : (residential++ % 10 == 0 ? Kind.TimeOfUse : null);
            planned.Add((account.AccountId, account.CycleCode, account.PremiseId, kind, 0.6 + (random.NextDouble() * 0.9)));
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await EntityBulkWriter.UpdateAsync<Premise, decimal?>(db, areas, nameof(Premise.ImperviousArea), cancellationToken);
        var electricAccounts = new List<ElectricAccount>();
        foreach (var slice in planned.Chunk(AccountsPerWrite))
        {
            var rows = new DemoServiceRows();
            var services = new List<(ServicePoint Storm, ServicePoint? Point, Meter? Meter)>(slice.Length);
            foreach (var (accountId, _, premiseId, kind, _) in slice)
            {
                var storm = new ServicePoint { PremiseId = premiseId, Service = Service.Stormwater, IsMetered = false };
                rows.Points.Add(storm);
                if (kind is not { } electric)
                {
                    services.Add((storm, null, null));
                    continue;
                }

                var point = new ServicePoint { PremiseId = premiseId, Service = Service.Electric, IsMetered = true };
                var meter = Meter.Receive($"E{accountId:D7}", Service.Electric, electric == Kind.Demand ? "CT" : "2S", 7, 1m, Unit.Kwh, "Itron", "Riva");
                rows.Points.Add(point);
                rows.Meters.Add(meter);
                services.Add((storm, point, meter));
            }

            await rows.NumberAsync(db, cancellationToken);
            for (var i = 0; i < slice.Length; i++)
            {
                var (accountId, cycle, _, kind, factor) = slice[i];
                var (storm, point, meter) = services[i];
                rows.Agreements.Add(new ServiceAgreement { AccountId = accountId, ServicePointId = storm.Id, Service = Service.Stormwater, RateScheduleCode = "SW", StartedOn = openedOn });
                if (kind is not { } electric)
                {
                    continue;
                }

                rows.Agreements.Add(new ServiceAgreement { AccountId = accountId, ServicePointId = point!.Id, Service = Service.Electric, RateScheduleCode = electric == Kind.Demand ? "E-GSD" : "E-TOU", StartedOn = openedOn });
                var initial = random.Next(10_000, 900_000);
                rows.Set(meter!, point, openedOn, initial, user, now);
                electricAccounts.Add(new ElectricAccount(accountId, cycle, meter!.Id, point.Id, electric, factor, null) { InitialReading = initial });
            }

            await rows.WriteAsync(db, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);

        // The plants: the first time-of-use account loses two days of intervals; the first demand account's use falls; the
        // second demand account's meter delivers no reactive energy before the last read.
        var missing = electricAccounts.FindIndex(a => a.Kind == Kind.TimeOfUse);
        if (missing >= 0)
        {
            electricAccounts[missing] = electricAccounts[missing] with { Plant = MissingIntervalsPlant };
        }

        var ratchet = electricAccounts.FindIndex(a => a.Kind == Kind.Demand);
        if (ratchet >= 0)
        {
            electricAccounts[ratchet] = electricAccounts[ratchet] with { Plant = RatchetPlant };
            var noReactive = electricAccounts.FindIndex(ratchet + 1, a => a.Kind == Kind.Demand);
            if (noReactive >= 0)
            {
                electricAccounts[noReactive] = electricAccounts[noReactive] with { Plant = MissingReactivePlant };
            }
        }

        return electricAccounts;
    }

    /// <summary>
    /// One account's interval days after <paramref name="after"/> through <paramref name="through"/> (kWh by hour, with the
    /// day's peak 15-minute demand), and the reading its register shows at the end.
    /// </summary>
    public static List<IntervalDay> Days(ElectricAccount account, DateOnly after, DateOnly through, bool lastMonths, Random random)
    {
        var days = new List<IntervalDay>();
        for (var day = after.AddDays(1); day <= through; day = day.AddDays(1))
        {
            var summer = day.Month is >= 6 and <= 9;
            var weekday = day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
            var hours = new decimal[IntervalDay.HoursInDay];
            for (var hour = 0; hour < IntervalDay.HoursInDay; hour++)
            {
                double kwh;
                if (account.Kind == Kind.TimeOfUse)
                {
                    kwh = 0.55 + (hour is >= 17 and < 21 ? 0.9 : 0) + (hour is >= 6 and < 9 ? 0.4 : 0) + (summer && hour is >= 13 and < 20 ? 1.4 : 0);
                }
                else
                {
                    var open = weekday && hour is >= 7 and < 19;
                    kwh = (open ? 38 : 9) + (summer && open ? 14 : 0);
                    if (account.Plant == RatchetPlant && lastMonths)
                    {
                        kwh *= 0.35;
                    }
                }

                hours[hour] = decimal.Round((decimal)(kwh * account.Factor * (0.85 + (random.NextDouble() * 0.3))), 3);
            }

            var peakHour = Array.IndexOf(hours, hours.Max());
            var peak = decimal.Round(hours[peakHour] * (1.10m + ((decimal)random.Next(0, 20) / 100m)), 3);
            days.Add(new IntervalDay(day, Unit.Kwh, [.. hours], peak, (peakHour * 60) + (15 * random.Next(0, 4))));
        }

        return days;
    }

    /// <summary>
    /// The reactive energy (kvarh) a demand meter measured on the same days, from its real energy at the meter's power
    /// factor: kvarh = kWh x tan(acos(power factor)). None for a time-of-use meter, whose schedule has no power factor.
    /// </summary>
    public static List<IntervalDay> Reactive(ElectricAccount account, IEnumerable<IntervalDay> days)
    {
        if (account.Kind != Kind.Demand)
        {
            return [];
        }

        var factor = (double)PowerFactorOf(account.MeterId);
        var ratio = (decimal)Math.Tan(Math.Acos(factor));
        return [.. days.Select(d => new IntervalDay(d.Day, Unit.Kvarh, [.. d.Hours.Select(h => decimal.Round(h * ratio, 3))], decimal.Round(d.PeakDemand * ratio, 3), d.PeakMinute))];
    }

    /// <summary>Interval days as the AMI head end delivers them: 15-minute intervals summed by hour.</summary>
    public static IEnumerable<NewIntervalDay> Delivered(long meterId, IEnumerable<IntervalDay> days) =>
        days.Select(d => new NewIntervalDay(meterId, 15, d, null));

    /// <summary>
    /// The interval days a cycle's electric meters delivered after their last kept day through <paramref name="through"/>,
    /// written as the head end's daily files would be: for a benchmark or a test that bills past the seeded year.
    /// </summary>
    public static async Task<int> DeliverNextDaysAsync(OpenCisDbContext db, string cycle, DateOnly through, CancellationToken cancellationToken)
    {
        var meters = await db.ServiceAgreements.AsNoTracking().Where(a => a.EndedOn == null && a.Service == Service.Electric)
            .Join(db.Accounts.Where(a => a.CycleCode == cycle), sa => sa.AccountId, a => a.Id, (sa, a) => new { sa.AccountId, sa.ServicePointId, sa.RateScheduleCode })
            .Join(db.Meters.Where(m => m.Status == MeterStatus.Installed), x => x.ServicePointId, m => m.ServicePointId, (x, m) => new { x.AccountId, x.ServicePointId, x.RateScheduleCode, MeterId = m.Id })
            // In meter order, so the draws fall to the same meters on either database.
            .OrderBy(x => x.MeterId)
            .ToListAsync(cancellationToken);
        var meterIds = meters.Select(m => m.MeterId).ToList();
        var lastDays = await db.IntervalDays.AsNoTracking().Where(d => meterIds.Contains(d.MeterId)).GroupBy(d => d.MeterId)
            .Select(g => new { MeterId = g.Key, Last = g.Max(d => d.Day) }).ToDictionaryAsync(x => x.MeterId, x => x.Last, cancellationToken);
        var random = new Random(through.DayNumber);
        var rows = new List<NewIntervalDay>();
        foreach (var meter in meters.Where(m => lastDays.ContainsKey(m.MeterId)))
        {
            var account = new ElectricAccount(meter.AccountId, cycle, meter.MeterId, meter.ServicePointId, meter.RateScheduleCode == "E-GSD" ? Kind.Demand : Kind.TimeOfUse,
                0.6 + (meter.MeterId % 10 * 0.09), null);
            var days = Days(account, lastDays[meter.MeterId], through, false, random);
            rows.AddRange(Delivered(meter.MeterId, days));
            rows.AddRange(Delivered(meter.MeterId, Reactive(account, days)));
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await IntervalDayBulkWriter.WriteAsync(db, rows, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return rows.Count;
    }
}
