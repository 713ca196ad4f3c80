using Microsoft.EntityFrameworkCore;
using OpenCIS.Storage;
using OpenCIS.Storage.Metering;

namespace OpenCIS.UseCases.Metering;

public sealed record MeterEventView(DateOnly OccurredOn, string Kind, long? ServicePointId, long? Reading, string? Notes, string RecordedBy);
public sealed record MeterReadView(long ReadId, DateOnly ReadOn, long Reading, string Source, string Status, string? Reasons, string? ReviewedBy);
public sealed record MeterView(long MeterId, string Serial, string Service, string Make, string Model, string Size, int Dials, decimal Multiplier, string Unit, string Status, long? ServicePointId, DateOnly? SetOn, string? AccountNumber, IReadOnlyList<MeterEventView> History, IReadOnlyList<MeterReadView> Reads);

/// <summary>A meter with its history and recent reads, for the meter page and the API.</summary>
public sealed class MeterQueries(OpenCisDbContext db)
{
    public async Task<MeterView?> FindAsync(string serial, CancellationToken cancellationToken = default)
    {
        var meter = await db.Meters.AsNoTracking().SingleOrDefaultAsync(m => m.Serial == serial, cancellationToken);
        if (meter is null)
        {
            return null;
        }

        var events = await db.MeterEvents.AsNoTracking().Where(e => e.MeterId == meter.Id).OrderBy(e => e.OccurredOn).ThenBy(e => e.Id).ToListAsync(cancellationToken);
        var reads = await db.Reads.AsNoTracking().Where(r => r.MeterId == meter.Id).OrderByDescending(r => r.ReadOn).ThenByDescending(r => r.Id).Take(48).ToListAsync(cancellationToken);
        var accountNumber = meter.ServicePointId is { } point
            ? await db.ServiceAgreements.Where(a => a.ServicePointId == point && a.EndedOn == null)
                .Join(db.Accounts, a => a.AccountId, a => a.Id, (a, account) => account.AccountNumber).FirstOrDefaultAsync(cancellationToken)
            : null;
        return new MeterView(meter.Id, meter.Serial, meter.Service.ToString(), meter.Make, meter.Model, meter.Size, meter.Dials, meter.Multiplier, meter.Unit.ToString(), meter.Status.ToString(),
            meter.ServicePointId, meter.SetOn, accountNumber,
            events.Select(e => new MeterEventView(e.OccurredOn, e.Kind.ToString(), e.ServicePointId, e.Reading, e.Notes, e.RecordedBy)).ToList(),
            reads.Select(r => new MeterReadView(r.Id, r.ReadOn, r.Reading, r.Source.ToString(), r.Status.ToString(), r.Reasons, r.ReviewedBy)).ToList());
    }
}
