using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Metering;
using OpenCIS.Storage;
using OpenCIS.Storage.Metering;

namespace OpenCIS.UseCases.Metering;

/// <summary>
/// One read a field worker takes at a service point while on an order (a disconnect or a reconnect), stored as the
/// meter's read of that day, source Field. It is judged by <see cref="ReadValidator"/> against the meter's history,
/// exactly as an imported or keyed read is, so billing, estimation and the review queue see it like any other read:
/// <list type="bullet">
/// <item>lower than the meter's last billable read: refused, naming the last read (at the door no one can tell a
/// rollover from a misread; the office confirms one through a correction);</item>
/// <item>rejected by validation (a second read of the day, a read before the meter was set, a register that does not
/// fit): refused with validation's reasons;</item>
/// <item>suspect (high or low use, use while disconnected): stored as suspect, so it waits in the review queue as any
/// suspect read does, and bills only once a clerk accepts it.</item>
/// </list>
/// The read joins the caller's unit of work (its transaction and save), so it commits with the order it belongs to.
/// </summary>
public sealed class RecordFieldRead(OpenCisDbContext db, ReadValidator validator, TimeProvider clock)
{
    /// <summary>Adds the read of the account's one installed meter (at <paramref name="servicePointIds"/>); the caller saves.</summary>
    /// <param name="field">The request field a refusal names ("reading").</param>
    public async Task<MeterRead> AddAsync(IReadOnlyCollection<long> servicePointIds, DateOnly readOn, long reading, string field, string user, CancellationToken cancellationToken = default)
    {
        var meters = await db.Meters.AsNoTracking()
            .Where(m => m.ServicePointId != null && servicePointIds.Contains(m.ServicePointId.Value) && m.Status == MeterStatus.Installed)
            .OrderBy(m => m.Serial).ToListAsync(cancellationToken);
        var meter = meters.Count switch
        {
            0 => throw new DomainException("There is no installed meter at the account's service points to take a read from; leave the reading empty.", field),
            1 => meters[0],
            _ => throw new DomainException($"The account has {meters.Count} meters ({string.Join(", ", meters.Select(m => m.Serial))}); one reading cannot say which. Leave it empty and enter each read on the meter's route.", field),
        };
        if (reading < 0 || !meter.Register.Fits(reading))
        {
            throw new DomainException($"{reading:N0} does not fit the {meter.Dials} dials of meter {meter.Serial}.", field);
        }

        var last = await db.Reads.AsNoTracking().Where(r => r.MeterId == meter.Id && ReadStatuses.Billable.Contains(r.Status))
            .OrderByDescending(r => r.ReadOn).ThenByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken);
        if (last is not null && reading < last.Reading)
        {
            throw new DomainException($"Meter {meter.Serial}: {reading:N0} is lower than its last read, {last.Reading:N0} on {last.ReadOn:yyyy-MM-dd}. Check the dials and enter the reading again.", field);
        }

        var (_, verdict) = (await validator.JudgeAsync([new ReadToJudge(meter, meter.ServicePointId!.Value, readOn, reading, DeviceFlags.None, ReadSource.Field)], null, cancellationToken)).Single();
        if (verdict.Status == ReadStatus.Rejected)
        {
            throw new DomainException($"Meter {meter.Serial}: the reading {reading:N0} is rejected. {verdict.ReasonText}", field);
        }

        var read = MeterRead.Record(meter.Id, meter.ServicePointId.Value, readOn, reading, ReadSource.Field, verdict, DeviceFlags.None, user, clock.GetUtcNow());
        db.Reads.Add(read);
        return read;
    }
}
