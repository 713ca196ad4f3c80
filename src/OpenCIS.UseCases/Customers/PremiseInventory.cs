using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Metering;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Customers;
using OpenCIS.Storage.Metering;
using OpenCIS.UseCases.Payments;

namespace OpenCIS.UseCases.Customers;

/// <summary>
/// A premise for inventory (new construction): its address, parcel and owner of record, the services it has a point
/// for (water and electric metered), and optionally the water meter the builder set, with its size, dials and the
/// read it was set at.
/// </summary>
public sealed record PremiseRequest(
    string AddressLine1,
    string City,
    string State,
    string Zip,
    string ParcelId,
    string OwnerOfRecord,
    IReadOnlyList<Service> Services,
    string? MeterSerial = null,
    string? MeterSize = null,
    int? MeterDials = null,
    long? InitialReading = null);

public sealed record PremiseImportOutcome(bool Imported, int Premises, int Meters, IReadOnlyList<FileError> Errors, string Message);

/// <summary>
/// Premises, service points and meters into inventory, one on screen or by API, or a CSV file of them. Every line is
/// checked first (required fields, a state and ZIP that read as such, services the city bills, a parcel and a meter
/// serial not already on file nor twice in the file, a meter only with water service); a file with any bad line
/// imports nothing and names each line and field. The good ones go in one transaction, audited: the premise, a
/// service point per service (ActiveVacant: no one is served yet), and the meter received and, with its initial read,
/// set at the water point that day (a Received and a Set event, the read stored as its first).
/// </summary>
public sealed class PremiseInventory(OpenCisDbContext db, BusinessCalendar calendar, TimeProvider clock)
{
    public static readonly string[] Columns = ["address_line1", "city", "state", "zip", "parcel_id", "owner_of_record", "services", "meter_serial", "meter_size", "meter_dials", "initial_reading"];

    public async Task<long> CreateAsync(PremiseRequest request, string user, CancellationToken cancellationToken = default)
    {
        var errors = new List<FileError>();
        Check(request, "premise", 1, errors, [], []);
        await CheckOnFileAsync([(1, request)], "premise", errors, cancellationToken);
        if (errors.Count > 0)
        {
            // The API and the screen name fields as their forms do: address_line1 is addressLine1.
            var field = string.Concat(errors[0].Field.Split('_').Select((part, i) => i == 0 ? part : char.ToUpperInvariant(part[0]) + part[1..]));
            throw new DomainException(errors[0].Message, field);
        }

        return (await AddAsync([request], user, "screen", cancellationToken))[0];
    }

    public async Task<PremiseImportOutcome> ImportAsync(string fileName, byte[] content, string user, CancellationToken cancellationToken = default)
    {
        var errors = new List<FileError>();
        var rows = new List<(int Line, PremiseRequest Request)>();
        using (var csv = CsvInput.Open(new MemoryStream(content, writable: false)))
        {
            if (CsvInput.ReadHeader(csv, fileName, errors) is not { } header)
            {
                return Refused(fileName, errors);
            }

            foreach (var required in Columns.Take(7).Where(c => !header.Contains(c)))
            {
                errors.Add(new FileError(fileName, 1, required, $"The header has no '{required}' column; the columns are {string.Join(", ", Columns)}."));
            }

            if (errors.Count > 0)
            {
                return Refused(fileName, errors);
            }

            var parcels = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var serials = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            while (CsvInput.Next(csv, fileName, errors))
            {
                var line = (int)csv.LineNumber;
                string? Field(string name)
                {
                    var at = Array.IndexOf(header, name);
                    var value = at >= 0 && csv.FieldCount > at ? csv.GetString(at).Trim() : "";
                    return value.Length > 0 ? value : null;
                }

                var services = new List<Service>();
                foreach (var name in (Field("services") ?? "").Split([';', ',', ' '], StringSplitOptions.RemoveEmptyEntries))
                {
                    if (Enum.TryParse<Service>(name, ignoreCase: true, out var service) && Enum.IsDefined(service))
                    {
                        services.Add(service);
                    }
                    else
                    {
                        errors.Add(new FileError(fileName, line, "services", $"'{name}' is not a service; the services are {string.Join(", ", Enum.GetNames<Service>().Select(n => n.ToLowerInvariant()))}."));
                    }
                }

                int? dials = null;
                if (Field("meter_dials") is { } dialsText)
                {
                    dials = int.TryParse(dialsText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
                    if (dials is null)
                    {
                        errors.Add(new FileError(fileName, line, "meter_dials", $"'{dialsText}' is not a number of dials."));
                    }
                }

                long? initial = null;
                if (Field("initial_reading") is { } readingText)
                {
                    initial = long.TryParse(readingText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
                    if (initial is null)
                    {
                        errors.Add(new FileError(fileName, line, "initial_reading", $"'{readingText}' is not a meter reading."));
                    }
                }

                var request = new PremiseRequest(Field("address_line1") ?? "", Field("city") ?? "", Field("state") ?? "", Field("zip") ?? "", Field("parcel_id") ?? "", Field("owner_of_record") ?? "",
                    services, Field("meter_serial"), Field("meter_size"), dials, initial);
                Check(request, fileName, line, errors, parcels, serials);
                rows.Add((line, request));
            }
        }

        if (rows.Count == 0 && errors.Count == 0)
        {
            errors.Add(new FileError(fileName, 1, "file", "The file has no premises after its header."));
        }

        await CheckOnFileAsync(rows, fileName, errors, cancellationToken);
        if (errors.Count > 0)
        {
            return Refused(fileName, errors);
        }

        await AddAsync([.. rows.Select(r => r.Request)], user, fileName, cancellationToken);
        var meters = rows.Count(r => r.Request.MeterSerial is not null);
        return new PremiseImportOutcome(true, rows.Count, meters, [], $"{fileName}: {rows.Count:N0} premise{(rows.Count == 1 ? "" : "s")} and {meters:N0} meter{(meters == 1 ? "" : "s")} added to inventory.");
    }

    private static PremiseImportOutcome Refused(string fileName, List<FileError> errors) =>
        new(false, 0, 0, [.. errors.OrderBy(e => e.Line)], $"{fileName} has {errors.Count} problem{(errors.Count == 1 ? "" : "s")}; nothing was imported.");

    private static void Check(PremiseRequest request, string fileName, int line, List<FileError> errors, HashSet<string> parcels, HashSet<string> serials)
    {
        void Require(string value, string field, string what)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                errors.Add(new FileError(fileName, line, field, $"Enter the {what}."));
            }
        }

        Require(request.AddressLine1, "address_line1", "street address");
        Require(request.City, "city", "city");
        Require(request.ParcelId, "parcel_id", "parcel id");
        Require(request.OwnerOfRecord, "owner_of_record", "owner of record");
        if (request.State.Trim().Length != 2 || !request.State.Trim().All(char.IsAsciiLetter))
        {
            errors.Add(new FileError(fileName, line, "state", $"'{request.State}' is not a two-letter state."));
        }

        var zip = request.Zip.Trim();
        if (!(zip.Length == 5 && zip.All(char.IsAsciiDigit)) && !(zip.Length == 10 && zip[5] == '-' && zip.Remove(5, 1).All(char.IsAsciiDigit)))
        {
            errors.Add(new FileError(fileName, line, "zip", $"'{request.Zip}' is not a ZIP code (12345 or 12345-6789)."));
        }

        if (request.Services.Count == 0)
        {
            errors.Add(new FileError(fileName, line, "services", "Name at least one service (water, sewer, trash, stormwater, electric, gas)."));
        }

        if (request.Services.Distinct().Count() != request.Services.Count)
        {
            errors.Add(new FileError(fileName, line, "services", "A service is named twice."));
        }

        if (request.ParcelId.Trim().Length > 0 && !parcels.Add(request.ParcelId.Trim()))
        {
            errors.Add(new FileError(fileName, line, "parcel_id", $"Parcel {request.ParcelId} is in the file twice."));
        }

        if (request.MeterSerial is { } serial)
        {
            if (!request.Services.Contains(Service.Water))
            {
                errors.Add(new FileError(fileName, line, "meter_serial", "A meter is set at the water service point; the line has no water service."));
            }

            if (!serials.Add(serial.Trim()))
            {
                errors.Add(new FileError(fileName, line, "meter_serial", $"Meter {serial} is in the file twice."));
            }

            if (request.MeterDials is { } dials && dials is < MeterRegister.DialsMin or > MeterRegister.DialsMax)
            {
                errors.Add(new FileError(fileName, line, "meter_dials", $"A meter has {MeterRegister.DialsMin} to {MeterRegister.DialsMax} dials."));
            }

            var maximum = (long)Math.Pow(10, request.MeterDials ?? 6);
            if (request.InitialReading is { } reading && reading >= maximum)
            {
                errors.Add(new FileError(fileName, line, "initial_reading", $"{reading:N0} does not fit {request.MeterDials ?? 6} dials."));
            }
        }
        else if (request.InitialReading is not null)
        {
            errors.Add(new FileError(fileName, line, "initial_reading", "An initial read needs the meter's serial."));
        }
    }

    /// <summary>Parcels and meter serials already on file.</summary>
    private async Task CheckOnFileAsync(IReadOnlyList<(int Line, PremiseRequest Request)> rows, string fileName, List<FileError> errors, CancellationToken cancellationToken)
    {
        var parcels = rows.Select(r => r.Request.ParcelId.Trim().ToUpperInvariant()).Where(p => p.Length > 0).Distinct().ToList();
        var taken = (await db.Premises.AsNoTracking().Where(p => parcels.Contains(p.ParcelId)).Select(p => new { p.ParcelId, p.AddressLine1 }).ToListAsync(cancellationToken))
            .ToDictionary(p => p.ParcelId, p => p.AddressLine1, StringComparer.OrdinalIgnoreCase);
        var serials = rows.Where(r => r.Request.MeterSerial is not null).Select(r => r.Request.MeterSerial!.Trim()).ToList();
        var meters = (await db.Meters.AsNoTracking().Where(m => serials.Contains(m.Serial)).Select(m => new { m.Serial, m.Status }).ToListAsync(cancellationToken))
            .ToDictionary(m => m.Serial, m => m.Status, StringComparer.OrdinalIgnoreCase);
        foreach (var (line, request) in rows)
        {
            if (taken.TryGetValue(request.ParcelId.Trim(), out var address))
            {
                errors.Add(new FileError(fileName, line, "parcel_id", $"Parcel {request.ParcelId} is already on file ({address})."));
            }

            if (request.MeterSerial is { } serial && meters.TryGetValue(serial.Trim(), out var status))
            {
                errors.Add(new FileError(fileName, line, "meter_serial", $"Meter {serial} is already on file ({status.ToString().ToLowerInvariant()}); a serial is set in one place."));
            }
        }
    }

    private async Task<List<long>> AddAsync(IReadOnlyList<PremiseRequest> requests, string user, string source, CancellationToken cancellationToken)
    {
        var today = calendar.Today();
        var now = clock.GetUtcNow();
        var ids = new List<long>(requests.Count);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var request in requests)
        {
            var premise = new Premise
            {
                AddressLine1 = request.AddressLine1.Trim(),
                City = request.City.Trim(),
                State = request.State.Trim().ToUpperInvariant(),
                Zip = request.Zip.Trim(),
                ParcelId = request.ParcelId.Trim().ToUpperInvariant(),
                OwnerOfRecord = request.OwnerOfRecord.Trim(),
            };
            db.Premises.Add(premise);
            await db.SaveChangesAsync(cancellationToken);
            var points = request.Services.Select(service => new ServicePoint { PremiseId = premise.Id, Service = service, IsMetered = service is Service.Water or Service.Electric or Service.Gas }).ToList();
            foreach (var point in points)
            {
                point.ChangeState(ServicePointState.ActiveVacant);
            }

            db.ServicePoints.AddRange(points);
            await db.SaveChangesAsync(cancellationToken);
            if (request.MeterSerial is { } serial)
            {
                var meter = Meter.Receive(serial.Trim(), Service.Water, string.IsNullOrWhiteSpace(request.MeterSize) ? "5/8\"" : request.MeterSize.Trim(), request.MeterDials ?? 6, 1m, Unit.Gallons);
                db.Meters.Add(meter);
                await db.SaveChangesAsync(cancellationToken);
                db.MeterEvents.Add(new MeterEvent { MeterId = meter.Id, Kind = MeterEventKind.Received, OccurredOn = today, Notes = $"Inventory import ({source})", RecordedBy = user, RecordedAt = now });
                if (request.InitialReading is { } reading)
                {
                    var water = points.Single(p => p.Service == Service.Water);
                    meter.SetAt(water.Id, today);
                    db.MeterEvents.Add(new MeterEvent { MeterId = meter.Id, ServicePointId = water.Id, Kind = MeterEventKind.Set, OccurredOn = today, Reading = reading, Notes = "Set by the builder", RecordedBy = user, RecordedAt = now });
                    db.Reads.Add(MeterRead.Record(meter.Id, water.Id, today, reading, ReadSource.Field, ReadVerdicts.Valid, DeviceFlags.None, user, now));
                }
            }

            AuditLog.Record(db, now, user, "Premise", premise.Id, null, "Add premise to inventory", null,
                new { premise.FullAddress, premise.ParcelId, premise.OwnerOfRecord, Services = request.Services.Select(s => s.ToString()).ToList(), request.MeterSerial, request.InitialReading }, source);
            await db.SaveChangesAsync(cancellationToken);
            ids.Add(premise.Id);
        }

        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return ids;
    }
}
