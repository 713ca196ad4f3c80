using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Metering;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage;
using OpenCIS.Storage.Metering;

namespace OpenCIS.UseCases.Metering;

public sealed record ReceiveMeterRequest(string Serial, Service Service, string Size, int Dials, decimal Multiplier, Unit Unit, string Make, string Model);

/// <summary>
/// The life of a meter: received into inventory, set at a service point with an initial read,
/// removed with a final read, exchanged (both in one transaction), tested, retired. Each public
/// method is one use case: it checks the move is legal, records the meter event, the read and the
/// audit entry, and saves them together.
/// </summary>
public sealed class MeterLifecycle(OpenCisDbContext db, TimeProvider clock)
{
    public async Task<Meter> ReceiveAsync(ReceiveMeterRequest request, string user, CancellationToken cancellationToken = default)
    {
        var serial = (request.Serial ?? "").Trim();
        if (serial.Length is 0 or > 40)
        {
            throw new DomainException("A meter serial has 1 to 40 characters.", "serial");
        }

        if (await db.Meters.AnyAsync(m => m.Serial == serial, cancellationToken))
        {
            throw new DomainException($"Meter {serial} is already on file.", "serial");
        }

        var meter = Meter.Receive(serial, request.Service, request.Size.Trim(), request.Dials, request.Multiplier, request.Unit, request.Make.Trim(), request.Model.Trim());
        db.Meters.Add(meter);
        await db.SaveChangesAsync(cancellationToken);
        Event(meter, null, MeterEventKind.Received, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), null, $"{request.Make} {request.Model}".Trim(), user);
        AuditLog.Record(db, clock.GetUtcNow(), user, "Meter", meter.Id, null, "Receive meter", null, request, null);
        await db.SaveChangesAsync(cancellationToken);
        return meter;
    }

    /// <summary>Sets a meter from inventory at a service point with its initial read; in the caller's transaction when there is one (a service order's completion).</summary>
    public Task<Meter> SetAsync(string serial, long servicePointId, DateOnly setOn, long initialReading, string user, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async () =>
        {
            var meter = await FindAsync(serial, cancellationToken);
            await SetCoreAsync(meter, servicePointId, setOn, initialReading, user, cancellationToken);
            return meter;
        }, cancellationToken);

    /// <summary>Removes an installed meter with its final read; in the caller's transaction when there is one.</summary>
    public Task RemoveAsync(string serial, DateOnly removedOn, long finalReading, string user, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async () =>
        {
            await RemoveCoreAsync(await FindAsync(serial, cancellationToken), removedOn, finalReading, user, cancellationToken);
            return true;
        }, cancellationToken);

    /// <summary>Final read of the old meter and initial read of the new one, on the same day, in one transaction (the caller's when there is one).</summary>
    public Task<Meter> ExchangeAsync(string oldSerial, string newSerial, DateOnly exchangedOn, long oldFinalReading, long newInitialReading, string user, CancellationToken cancellationToken = default) =>
        InTransactionAsync(() => ExchangeCoreAsync(oldSerial, newSerial, exchangedOn, oldFinalReading, newInitialReading, user, cancellationToken), cancellationToken);

    /// <summary>A meter tested where it stands (a field test): the result is a Tested event at its service point; the meter stays installed.</summary>
    public async Task RecordFieldTestAsync(string serial, DateOnly testedOn, bool passed, string results, string user, CancellationToken cancellationToken = default)
    {
        var meter = await FindAsync(serial, cancellationToken);
        if (meter.ServicePointId is not { } servicePointId)
        {
            throw new DomainException($"Meter {meter.Serial} is {meter.Status}; a field test is of an installed meter.", "serial");
        }

        Event(meter, servicePointId, MeterEventKind.Tested, testedOn, null, $"{(passed ? "Passed" : "Failed")} in the field: {results.Trim()}", user);
        AuditLog.Record(db, clock.GetUtcNow(), user, "Meter", meter.Id, await AccountAtAsync(servicePointId, cancellationToken), "Record field meter test", null, new { Passed = passed }, results);
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<T> InTransactionAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            var joined = await work();
            await db.SaveChangesAsync(cancellationToken);
            return joined;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var result = await work();
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    private async Task<Meter> ExchangeCoreAsync(string oldSerial, string newSerial, DateOnly exchangedOn, long oldFinalReading, long newInitialReading, string user, CancellationToken cancellationToken)
    {
        var old = await FindAsync(oldSerial, cancellationToken);
        var replacement = await FindAsync(newSerial, cancellationToken);
        if (old.ServicePointId is not { } servicePointId)
        {
            throw new DomainException($"Meter {old.Serial} is {old.Status}, not installed; there is nothing to exchange.", "oldSerial");
        }

        if (replacement.Service != old.Service)
        {
            throw new DomainException($"Meter {replacement.Serial} measures {replacement.Service}, not {old.Service}.", "newSerial");
        }

        await RemoveCoreAsync(old, exchangedOn, oldFinalReading, user, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await SetCoreAsync(replacement, servicePointId, exchangedOn, newInitialReading, user, cancellationToken);
        return replacement;
    }

    public async Task RecordTestAsync(string serial, bool passed, string results, string user, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(results))
        {
            throw new DomainException("Record the test results (accuracy at low, medium and high flow, or the failure).", "results");
        }

        var meter = await FindAsync(serial, cancellationToken);
        var before = meter.Status;
        meter.CompleteTest(passed);
        Event(meter, null, MeterEventKind.Tested, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), null, $"{(passed ? "Passed" : "Failed")}: {results.Trim()}", user);
        AuditLog.Record(db, clock.GetUtcNow(), user, "Meter", meter.Id, null, "Record meter test", before.ToString(), meter.Status.ToString(), results);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task RetireAsync(string serial, string reason, string user, CancellationToken cancellationToken = default)
    {
        var meter = await FindAsync(serial, cancellationToken);
        var before = meter.Status;
        meter.Retire();
        Event(meter, null, MeterEventKind.Retired, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), null, reason, user);
        AuditLog.Record(db, clock.GetUtcNow(), user, "Meter", meter.Id, null, "Retire meter", before.ToString(), meter.Status.ToString(), reason);
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task SetCoreAsync(Meter meter, long servicePointId, DateOnly setOn, long initialReading, string user, CancellationToken cancellationToken)
    {
        var point = await db.ServicePoints.SingleOrDefaultAsync(p => p.Id == servicePointId, cancellationToken)
            ?? throw new DomainException($"There is no service point {servicePointId}.", "servicePointId");
        if (!point.IsMetered || point.Service != meter.Service)
        {
            throw new DomainException($"Service point {servicePointId} is {(point.IsMetered ? $"for {point.Service}" : "unmetered")}; meter {meter.Serial} measures {meter.Service}.", "servicePointId");
        }

        var occupant = await db.Meters.Where(m => m.ServicePointId == servicePointId && m.Status == MeterStatus.Installed).Select(m => m.Serial).FirstOrDefaultAsync(cancellationToken);
        if (occupant is not null)
        {
            throw new DomainException($"Meter {occupant} is still installed at service point {servicePointId}; remove or exchange it.", "servicePointId");
        }

        CheckRegister(meter, initialReading, "initialReading");
        meter.SetAt(servicePointId, setOn);
        db.Reads.Add(MeterRead.Record(meter.Id, servicePointId, setOn, initialReading, ReadSource.Field, ReadVerdicts.Valid, DeviceFlags.None, user, clock.GetUtcNow()));
        Event(meter, servicePointId, MeterEventKind.Set, setOn, initialReading, null, user);
        var accountId = await AccountAtAsync(servicePointId, cancellationToken);
        AuditLog.Record(db, clock.GetUtcNow(), user, "Meter", meter.Id, accountId, "Set meter", null, new { ServicePointId = servicePointId, SetOn = setOn, InitialReading = initialReading }, null);
    }

    private async Task RemoveCoreAsync(Meter meter, DateOnly removedOn, long finalReading, string user, CancellationToken cancellationToken)
    {
        if (meter.ServicePointId is not { } servicePointId)
        {
            throw new DomainException($"Meter {meter.Serial} is {meter.Status}; only an installed meter can be removed.", "serial");
        }

        CheckRegister(meter, finalReading, "finalReading");
        var last = await db.Reads.Where(r => r.MeterId == meter.Id && r.Status != ReadStatus.Rejected)
            .OrderByDescending(r => r.ReadOn).ThenByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken);
        if (last is not null)
        {
            if (removedOn < last.ReadOn)
            {
                throw new DomainException($"Meter {meter.Serial} has a read on {last.ReadOn:yyyy-MM-dd}, after the removal date {removedOn:yyyy-MM-dd}.", "removedOn");
            }

            if (ConsumptionCalculator.Calculate(meter.Register, last.Reading, finalReading).Problem is { } problem)
            {
                throw new DomainException($"Final read: {problem}", "finalReading");
            }
        }

        meter.Remove(removedOn);
        db.Reads.Add(MeterRead.Record(meter.Id, servicePointId, removedOn, finalReading, ReadSource.Field, ReadVerdicts.Valid, DeviceFlags.None, user, clock.GetUtcNow()));
        Event(meter, servicePointId, MeterEventKind.Removed, removedOn, finalReading, null, user);
        var accountId = await AccountAtAsync(servicePointId, cancellationToken);
        AuditLog.Record(db, clock.GetUtcNow(), user, "Meter", meter.Id, accountId, "Remove meter", new { ServicePointId = servicePointId }, new { RemovedOn = removedOn, FinalReading = finalReading }, null);
    }

    private static void CheckRegister(Meter meter, long reading, string field)
    {
        if (!meter.Register.Fits(reading))
        {
            throw new DomainException($"{reading:N0} does not fit the {meter.Dials} dials of meter {meter.Serial}.", field);
        }
    }

    private async Task<Meter> FindAsync(string serial, CancellationToken cancellationToken) =>
        await db.Meters.SingleOrDefaultAsync(m => m.Serial == serial, cancellationToken)
        ?? throw new DomainException($"There is no meter {serial}.", "serial");

    private async Task<long?> AccountAtAsync(long servicePointId, CancellationToken cancellationToken) =>
        await db.ServiceAgreements.Where(a => a.ServicePointId == servicePointId && a.EndedOn == null).Select(a => (long?)a.AccountId).FirstOrDefaultAsync(cancellationToken);

    private void Event(Meter meter, long? servicePointId, MeterEventKind kind, DateOnly on, long? reading, string? notes, string user) =>
        db.MeterEvents.Add(new MeterEvent
        {
            MeterId = meter.Id,
            ServicePointId = servicePointId,
            Kind = kind,
            OccurredOn = on,
            Reading = reading,
            Notes = notes,
            RecordedBy = user,
            RecordedAt = clock.GetUtcNow(),
        });
}
