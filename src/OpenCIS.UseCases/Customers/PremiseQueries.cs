using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Customers;
using OpenCIS.Core.Metering;
using OpenCIS.Storage;
using OpenCIS.Storage.Customers;
using OpenCIS.Storage.Metering;

namespace OpenCIS.UseCases.Customers;

public sealed record PremiseMeter(string Serial, string Size, int Dials, long? LastReading, DateOnly? LastReadOn);

public sealed record PremisePoint(long ServicePointId, string Service, bool IsMetered, string State, PremiseMeter? Meter, string? LastRateSchedule);

/// <summary>A premise as start service shows it: its points and meters, who is served there now, when service last stopped, its landlord.</summary>
public sealed record PremiseView(long PremiseId, string Address, string ParcelId, string OwnerOfRecord, IReadOnlyList<PremisePoint> Points,
    string? ServedUnder, string? ServedFor, bool ServedByOwnerRevert, DateOnly? LastStoppedOn, string? CycleCode, string? Landlord, long? LandlordCustomerId);

/// <summary>Premises by address or parcel (prefixes, by their indexes), and one premise whole.</summary>
public sealed class PremiseQueries(OpenCisDbContext db)
{
    public const int ResultsMax = 20;

    public async Task<IReadOnlyList<PremiseView>> FindAsync(string text, CancellationToken cancellationToken = default)
    {
        var typed = (text ?? "").Trim();
        if (typed.Length < 2)
        {
            return [];
        }

        var key = SearchKeys.Address(typed);
        var upper = key + "\uffff";
        var parcel = typed.ToUpperInvariant();
        var ids = await db.Premises.AsNoTracking()
            .Where(p => (string.Compare(p.AddressKey, key) >= 0 && string.Compare(p.AddressKey, upper) < 0) || p.ParcelId == parcel)
            .OrderBy(p => p.AddressKey).Select(p => p.Id).Take(ResultsMax).ToListAsync(cancellationToken);
        var views = new List<PremiseView>(ids.Count);
        foreach (var id in ids)
        {
            views.Add((await GetAsync(id, cancellationToken))!);
        }

        return views;
    }

    /// <summary>The billing cycles, for a premise never served (which takes the cycle a clerk chooses).</summary>
    public async Task<IReadOnlyList<string>> CycleCodesAsync(CancellationToken cancellationToken = default) =>
        await db.BillingCycles.AsNoTracking().OrderBy(c => c.Code).Select(c => c.Code).ToListAsync(cancellationToken);

    public async Task<PremiseView?> GetAsync(long premiseId, CancellationToken cancellationToken = default)
    {
        var premise = await db.Premises.AsNoTracking().SingleOrDefaultAsync(p => p.Id == premiseId, cancellationToken);
        if (premise is null)
        {
            return null;
        }

        var points = await db.ServicePoints.AsNoTracking().Where(p => p.PremiseId == premiseId).OrderBy(p => p.Service).ThenBy(p => p.Id).ToListAsync(cancellationToken);
        var pointIds = points.Select(p => p.Id).ToList();
        var meters = await db.Meters.AsNoTracking().Where(m => m.ServicePointId != null && pointIds.Contains(m.ServicePointId.Value) && m.Status == MeterStatus.Installed).ToListAsync(cancellationToken);
        var meterIds = meters.Select(m => m.Id).ToList();
        var lastReads = (await db.Reads.AsNoTracking().Where(r => meterIds.Contains(r.MeterId))
                .GroupBy(r => r.MeterId).Select(g => g.OrderByDescending(r => r.ReadOn).ThenByDescending(r => r.Id).First()).ToListAsync(cancellationToken))
            .ToDictionary(r => r.MeterId);
        var agreements = await db.ServiceAgreements.AsNoTracking().Where(a => pointIds.Contains(a.ServicePointId)).OrderByDescending(a => a.Id).ToListAsync(cancellationToken);
        var openAccountIds = agreements.Where(a => a.EndedOn == null).Select(a => a.AccountId).Distinct().ToList();
        var serving = await db.Accounts.AsNoTracking().Where(a => openAccountIds.Contains(a.Id) && a.Status == AccountStatus.Active).OrderBy(a => a.OwnerRevert).FirstOrDefaultAsync(cancellationToken);
        var servedFor = serving is null ? null : await db.AccountCustomers.AsNoTracking().Where(ac => ac.AccountId == serving.Id && ac.Role == AccountRole.Main)
            .Join(db.Customers, ac => ac.CustomerId, c => c.Id, (ac, c) => c.DisplayName).FirstOrDefaultAsync(cancellationToken);
        var cycle = await db.Accounts.AsNoTracking().Where(a => a.PremiseId == premiseId).OrderByDescending(a => a.Id).Select(a => a.CycleCode).FirstOrDefaultAsync(cancellationToken);
        var landlord = (await db.LandlordAgreements.AsNoTracking().Where(l => l.PremiseId == premiseId && l.EndedOn == null).ToListAsync(cancellationToken)).FirstOrDefault();
        var landlordName = landlord is null ? null : await db.Customers.AsNoTracking().Where(c => c.Id == landlord.OwnerCustomerId).Select(c => c.DisplayName).FirstOrDefaultAsync(cancellationToken);
        return new PremiseView(premise.Id, premise.FullAddress, premise.ParcelId, premise.OwnerOfRecord,
            [.. points.Select(p =>
            {
                var meter = meters.FirstOrDefault(m => m.ServicePointId == p.Id);
                var read = meter is null ? null : lastReads.GetValueOrDefault(meter.Id);
                return new PremisePoint(p.Id, p.Service.ToString(), p.IsMetered, p.State.ToString(),
                    meter is null ? null : new PremiseMeter(meter.Serial, meter.Size, meter.Dials, read?.Reading, read?.ReadOn),
                    agreements.FirstOrDefault(a => a.ServicePointId == p.Id)?.RateScheduleCode);
            })],
            serving?.AccountNumber, servedFor, serving?.OwnerRevert ?? false,
            agreements.Where(a => a.EndedOn != null).Select(a => a.EndedOn).Max(), cycle, landlordName, landlord?.OwnerCustomerId);
    }
}
