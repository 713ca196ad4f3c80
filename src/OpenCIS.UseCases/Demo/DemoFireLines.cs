using System.Collections.Immutable;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Metering;
using OpenCIS.Core.Rating;
using OpenCIS.Storage;
using OpenCIS.Storage.Billing;
using OpenCIS.Storage.Bulk;
using OpenCIS.Storage.Customers;
using OpenCIS.Storage.Metering;

namespace OpenCIS.UseCases.Demo;

/// <summary>
/// Riverbend's private fire lines: one commercial account in five has a fire line, a second water service at its premise
/// with a detector meter (it records the little water the line's tests and flushing use), billed a monthly charge by the line's size
/// (4, 6 or 8 inches). Its water never reaches the sewer, so its agreement says <c>usage_shared=no</c> and the sewer,
/// billed on the account's water, leaves it out. Drawn from a random source of its own, so the rest of the city is the
/// same with or without it.
/// </summary>
public static class DemoFireLines
{
    public const string Schedule = "W-FIRE";
    public const string SizeAttribute = "fire_line_size";

    /// <summary>One commercial account in this many has a fire line.</summary>
    public const int OneIn = 5;

    private static readonly string[] Sizes = ["4in", "6in", "8in"];

    public sealed record FireLine(long AccountId, string CycleCode, long MeterId, long ServicePointId)
    {
        public long InitialReading { get; init; }
    }

    public static IEnumerable<(Service Service, Tariff Tariff)> Tariffs(DateOnly since)
    {
        yield return (Service.Water, new Tariff(Schedule, "Private fire line", since, [
            new FixedCharge("W-FIRE-LINE", "Fire line service", 0m, ImmutableDictionary<string, decimal>.Empty.Add("4in", 28.00m).Add("6in", 52.00m).Add("8in", 85.00m), ChargeFrequency.Month)
            {
                PriceAttribute = SizeAttribute,
            },
        ]));
    }

    /// <summary>The fire lines of one commercial account in <see cref="OneIn"/>, their detector meters set with a first read.</summary>
    public static async Task<List<FireLine>> AttachAsync(OpenCisDbContext db, IReadOnlyList<(long AccountId, string CycleCode, AccountClass Class, long PremiseId)> accounts,
        DateOnly openedOn, string user, DateTimeOffset now, Random random, CancellationToken cancellationToken)
    {
        var rows = new DemoServiceRows();
        var planned = new List<(long AccountId, string Cycle, ServicePoint Point, Meter Meter, string Size)>();
        var commercial = 0;
        foreach (var account in accounts.Where(a => a.Class == AccountClass.Commercial))
        {
            if (commercial++ % OneIn != 1)
            {
                continue;
            }

            var point = new ServicePoint { PremiseId = account.PremiseId, Service = Service.Water, IsMetered = true };
            var meter = Meter.Receive($"F{account.AccountId:D7}", Service.Water, "5/8\"", 6, 1m, Unit.Gallons, "Badger", "DC-4");
            rows.Points.Add(point);
            rows.Meters.Add(meter);
            planned.Add((account.AccountId, account.CycleCode, point, meter, Sizes[random.Next(Sizes.Length)]));
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await rows.NumberAsync(db, cancellationToken);
        var lines = new List<FireLine>();
        foreach (var (accountId, cycle, point, meter, size) in planned)
        {
            rows.Agreements.Add(new ServiceAgreement
            {
                AccountId = accountId, ServicePointId = point.Id, Service = Service.Water, RateScheduleCode = Schedule, StartedOn = openedOn,
                Attributes = ServiceAttributes.Format(new Dictionary<string, string> { [SizeAttribute] = size, [BillCalculator.UsageSharedAttribute] = "no" }),
            });
            var initial = random.Next(0, 50_000);
            rows.Set(meter, point, openedOn, initial, user, now);
            lines.Add(new FireLine(accountId, cycle, meter.Id, point.Id) { InitialReading = initial });
        }

        await rows.WriteAsync(db, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return lines;
    }

    /// <summary>The detector meters' reads of a cycle's read day: the couple of hundred gallons a month of the line's tests and flushing.</summary>
    public static IEnumerable<NewRead> Reads(IEnumerable<FireLine> lines, DateOnly day, Dictionary<long, long> registers, Random random)
    {
        foreach (var line in lines)
        {
            var used = random.Next(150, 230);
            var reading = (registers.GetValueOrDefault(line.MeterId, line.InitialReading) + used) % MeterRegister.MaximumFor(6);
            registers[line.MeterId] = reading;
            yield return new NewRead(line.MeterId, line.ServicePointId, day, reading, ReadSource.Amr, ReadStatus.Valid, DeviceFlags.None, null);
        }
    }
}
