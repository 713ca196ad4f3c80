using OpenCIS.Core.Metering;
using OpenCIS.Storage;
using OpenCIS.Storage.Billing;
using OpenCIS.Storage.Bulk;
using OpenCIS.Storage.Metering;

namespace OpenCIS.UseCases.Demo;

/// <summary>
/// The service rows a demo city sets up, gathered and written in bulk (<see cref="EntityBulkWriter"/>) inside the caller's
/// transaction: first the new service points and meters are numbered (<see cref="NumberAsync"/>), so agreements, first reads
/// and set events can name them; then everything is written (<see cref="WriteAsync"/>). The rows are those SaveChanges
/// would write, in the order it would number them.
/// </summary>
internal sealed class DemoServiceRows
{
    public List<ServicePoint> Points { get; } = [];
    public List<Meter> Meters { get; } = [];
    public List<ServiceAgreement> Agreements { get; } = [];
    private readonly List<MeterRead> reads = [];
    private readonly List<MeterEvent> events = [];

    /// <summary>Numbers the new points (and writes them: nothing else is written into their table meanwhile) and the new meters.</summary>
    public async Task NumberAsync(OpenCisDbContext db, CancellationToken cancellationToken)
    {
        await EntityBulkWriter.AddAsync(db, Points, cancellationToken);
        await EntityBulkWriter.NumberAsync(db, Meters, cancellationToken);
    }

    /// <summary>A numbered meter set at its numbered point, with the field read it was set at.</summary>
    public void Set(Meter meter, ServicePoint point, DateOnly on, long reading, string user, DateTimeOffset now)
    {
        meter.SetAt(point.Id, on);
        reads.Add(MeterRead.Record(meter.Id, point.Id, on, reading, ReadSource.Field, ReadVerdicts.Valid, DeviceFlags.None, user, now));
        events.Add(new MeterEvent { MeterId = meter.Id, ServicePointId = point.Id, Kind = MeterEventKind.Set, OccurredOn = on, Reading = reading, RecordedBy = user, RecordedAt = now });
    }

    /// <summary>The meters (as set), agreements, reads and events.</summary>
    public async Task WriteAsync(OpenCisDbContext db, CancellationToken cancellationToken)
    {
        await EntityBulkWriter.InsertAsync(db, Meters, cancellationToken);
        await EntityBulkWriter.AddAsync(db, Agreements, cancellationToken);
        await EntityBulkWriter.AddAsync(db, reads, cancellationToken);
        await EntityBulkWriter.AddAsync(db, events, cancellationToken);
    }
}
