using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Metering;
using OpenCIS.Storage;
using OpenCIS.Storage.Customers;
using OpenCIS.Storage.Metering;

namespace OpenCIS.UseCases.Demo;

/// <summary>
/// The demo city's premise for start service: new construction at 1 Harvest Lane (parcel R-NEW-00001), its water
/// meter set by the builder a month before the last day with its set read, and its sewer and trash points, never
/// served; a clerk starts the first customer there (choosing its cycle, since no account ever had one).
/// </summary>
public static class DemoPremises
{
    public const string NewConstructionAddress = "1 Harvest Lane";
    public const string NewConstructionParcel = "R-NEW-00001";
    public const string NewConstructionMeter = "NC000001";

    public static async Task SeedAsync(OpenCisDbContext db, DateOnly through, string user, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await db.Premises.AnyAsync(p => p.ParcelId == NewConstructionParcel, cancellationToken))
        {
            return;
        }

        var premise = new Premise { AddressLine1 = NewConstructionAddress, City = "Riverbend", State = "OR", Zip = "97401", ParcelId = NewConstructionParcel, OwnerOfRecord = "Harvest Homes LLC" };
        var meter = Meter.Receive(NewConstructionMeter, Service.Water, "5/8\"", 6, 1m, Unit.Gallons, "Neptune", "T-10");
        db.AddRange(premise, meter);
        await db.SaveChangesAsync(cancellationToken);
        var water = new ServicePoint { PremiseId = premise.Id, Service = Service.Water, IsMetered = true };
        var sewer = new ServicePoint { PremiseId = premise.Id, Service = Service.Sewer, IsMetered = false };
        var trash = new ServicePoint { PremiseId = premise.Id, Service = Service.Trash, IsMetered = false };
        foreach (var point in new[] { water, sewer, trash })
        {
            point.ChangeState(ServicePointState.Inactive);
        }

        db.ServicePoints.AddRange(water, sewer, trash);
        await db.SaveChangesAsync(cancellationToken);
        var setOn = through.AddDays(-30);
        meter.SetAt(water.Id, setOn);
        db.MeterEvents.Add(new MeterEvent { MeterId = meter.Id, ServicePointId = null, Kind = MeterEventKind.Received, OccurredOn = setOn, Notes = "Neptune T-10", RecordedBy = user, RecordedAt = now });
        db.MeterEvents.Add(new MeterEvent { MeterId = meter.Id, ServicePointId = water.Id, Kind = MeterEventKind.Set, OccurredOn = setOn, Reading = 12, Notes = "Set by the builder", RecordedBy = user, RecordedAt = now });
        db.Reads.Add(MeterRead.Record(meter.Id, water.Id, setOn, 12, ReadSource.Field, ReadVerdicts.Valid, DeviceFlags.None, user, now));
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }
}
