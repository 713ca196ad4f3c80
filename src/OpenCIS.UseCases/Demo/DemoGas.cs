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
/// Riverbend's gas utility: one residential account in thirty also takes gas, on a CCF meter read with the water each
/// month, and is billed in therms through the month's heating value, with the purchased gas adjustment (a rider per
/// therm) that changes on the first of each month, as the heating value does, so every gas bill's period spans a change
/// of both. Drawn from a random source of its own, so the rest of the city is the same with or without it.
/// </summary>
public static class DemoGas
{
    public const string PgaRider = "PGA";

    /// <summary>One residential account in this many takes gas.</summary>
    public const int OneIn = 30;

    public sealed record GasAccount(long AccountId, string CycleCode, long MeterId, long ServicePointId, double Factor)
    {
        public long InitialReading { get; init; }
    }

    public static IEnumerable<(Service Service, Tariff Tariff)> Tariffs(DateOnly since)
    {
        yield return (Service.Gas, new Tariff("G-RES", "Residential gas", since, [
            new FixedCharge("G-RES-CUST", "Customer charge", 11.00m, Per: ChargeFrequency.Month),
            new BlockCharge("G-RES-DIST", "Distribution charge", Unit.Therm, 1m, [new Block(null, 0.4200m)]),
            new RiderCharge("G-RES-PGA", "Purchased gas adjustment", PgaRider, Unit.Therm),
        ]));
    }

    /// <summary>
    /// The heating value (therms per CCF) and the purchased gas adjustment (per therm) for each month from
    /// <paramref name="from"/>'s through <paramref name="through"/>'s.
    /// </summary>
    public static IEnumerable<RateValue> Values(DateOnly from, DateOnly through)
    {
        var month = new DateOnly(from.Year, from.Month, 1);
        for (var i = 0; month <= through; i++, month = month.AddMonths(1))
        {
            // The pipeline's gas: 1.020 to 1.056 therms per CCF; its cost $0.450 to $0.675 a therm.
            yield return new RateValue(RateValues.HeatingValue, month, 1.020m + (0.004m * ((i * 3) % 10)));
            yield return new RateValue(PgaRider, month, 0.450m + (0.025m * ((i * 7) % 10)));
        }
    }

    /// <summary>The gas services of one residential account in <see cref="OneIn"/>, with their meters set and first reads.</summary>
    public static async Task<List<GasAccount>> AttachAsync(OpenCisDbContext db, IReadOnlyList<(long AccountId, string CycleCode, AccountClass Class, long PremiseId)> accounts,
        DateOnly openedOn, string user, DateTimeOffset now, Random random, CancellationToken cancellationToken)
    {
        var rows = new DemoServiceRows();
        var planned = new List<(long AccountId, string Cycle, ServicePoint Point, Meter Meter, double Factor)>();
        var residential = 0;
        foreach (var account in accounts.Where(a => a.Class == AccountClass.Residential))
        {
            if (residential++ % OneIn != OneIn / 2)
            {
                continue;
            }

            var point = new ServicePoint { PremiseId = account.PremiseId, Service = Service.Gas, IsMetered = true };
            var meter = Meter.Receive($"G{account.AccountId:D7}", Service.Gas, "250", 4, 1m, Unit.Ccf, "Sensus", "R-275");
            rows.Points.Add(point);
            rows.Meters.Add(meter);
            planned.Add((account.AccountId, account.CycleCode, point, meter, 0.6 + (random.NextDouble() * 0.9)));
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await rows.NumberAsync(db, cancellationToken);
        var gas = new List<GasAccount>();
        foreach (var (accountId, cycle, point, meter, factor) in planned)
        {
            rows.Agreements.Add(new ServiceAgreement { AccountId = accountId, ServicePointId = point.Id, Service = Service.Gas, RateScheduleCode = "G-RES", StartedOn = openedOn });
            var initial = random.Next(100, 9_000);
            rows.Set(meter, point, openedOn, initial, user, now);
            gas.Add(new GasAccount(accountId, cycle, meter.Id, point.Id, factor) { InitialReading = initial });
        }

        await rows.WriteAsync(db, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return gas;
    }

    /// <summary>A month's CCF read on <paramref name="day"/>: heating in winter, water heating and cooking all year.</summary>
    public static long MonthlyCcf(GasAccount account, DateOnly day, Random random)
    {
        var winter = Math.Max(0, Math.Cos((day.Month - 1) / 12.0 * 2 * Math.PI));
        return (long)Math.Round((18 + (85 * winter)) * account.Factor * (0.85 + (random.NextDouble() * 0.3)));
    }

    /// <summary>The gas meters' reads of a cycle's read day, their registers carried from one month to the next.</summary>
    public static IEnumerable<NewRead> Reads(IEnumerable<GasAccount> accounts, DateOnly day, Dictionary<long, long> registers, Random random)
    {
        foreach (var account in accounts)
        {
            var reading = (registers.GetValueOrDefault(account.MeterId, account.InitialReading) + MonthlyCcf(account, day, random)) % MeterRegister.MaximumFor(4);
            registers[account.MeterId] = reading;
            yield return new NewRead(account.MeterId, account.ServicePointId, day, reading, ReadSource.Amr, ReadStatus.Valid, DeviceFlags.None, null);
        }
    }
}
