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
        return await ManyAsync(ids, cancellationToken);
    }

    /// <summary>The billing cycles, for a premise never served (which takes the cycle a clerk chooses).</summary>
    public async Task<IReadOnlyList<string>> CycleCodesAsync(CancellationToken cancellationToken = default) =>
        await db.BillingCycles.AsNoTracking().OrderBy(c => c.Code).Select(c => c.Code).ToListAsync(cancellationToken);

    public async Task<PremiseView?> GetAsync(long premiseId, CancellationToken cancellationToken = default) =>
        (await ManyAsync([premiseId], cancellationToken)).SingleOrDefault();

    /// <summary>The premises whole, in the order asked, in a fixed number of queries however many there are.</summary>
    private async Task<IReadOnlyList<PremiseView>> ManyAsync(IReadOnlyList<long> premiseIds, CancellationToken cancellationToken)
    {
        var premises = await db.Premises.AsNoTracking().Where(p => premiseIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        var points = (await db.ServicePoints.AsNoTracking().Where(p => premiseIds.Contains(p.PremiseId)).ToListAsync(cancellationToken))
            .OrderBy(p => p.Service).ThenBy(p => p.Id).ToList();
        var pointIds = points.Select(p => p.Id).ToList();
        var meters = await db.Meters.AsNoTracking().Where(m => m.ServicePointId != null && pointIds.Contains(m.ServicePointId.Value) && m.Status == MeterStatus.Installed).ToListAsync(cancellationToken);
        var meterIds = meters.Select(m => m.Id).ToList();
        var lastReads = (await db.Reads.AsNoTracking().Where(r => meterIds.Contains(r.MeterId))
                .GroupBy(r => r.MeterId).Select(g => g.OrderByDescending(r => r.ReadOn).ThenByDescending(r => r.Id).First()).ToListAsync(cancellationToken))
            .ToDictionary(r => r.MeterId);
        var agreements = await db.ServiceAgreements.AsNoTracking().Where(a => pointIds.Contains(a.ServicePointId)).OrderByDescending(a => a.Id).ToListAsync(cancellationToken);
        var openAccountIds = agreements.Where(a => a.EndedOn == null).Select(a => a.AccountId).Distinct().ToList();
        var serving = await db.Accounts.AsNoTracking().Where(a => openAccountIds.Contains(a.Id) && a.Status == AccountStatus.Active).ToListAsync(cancellationToken);
        var servingIds = serving.Select(a => a.Id).ToList();
        var mainNames = (await db.AccountCustomers.AsNoTracking().Where(ac => servingIds.Contains(ac.AccountId) && ac.Role == AccountRole.Main)
                .Join(db.Customers, ac => ac.CustomerId, c => c.Id, (ac, c) => new { ac.AccountId, c.DisplayName }).ToListAsync(cancellationToken))
            .GroupBy(x => x.AccountId).ToDictionary(g => g.Key, g => g.First().DisplayName);
        var cycles = (await db.Accounts.AsNoTracking().Where(a => a.PremiseId != null && premiseIds.Contains(a.PremiseId.Value)).Select(a => new { a.Id, PremiseId = a.PremiseId!.Value, a.CycleCode }).ToListAsync(cancellationToken))
            .GroupBy(a => a.PremiseId).ToDictionary(g => g.Key, g => g.MaxBy(a => a.Id)!.CycleCode);
        var landlords = (await db.LandlordAgreements.AsNoTracking().Where(l => premiseIds.Contains(l.PremiseId) && l.EndedOn == null)
                .Join(db.Customers, l => l.OwnerCustomerId, c => c.Id, (l, c) => new { l.PremiseId, l.OwnerCustomerId, c.DisplayName }).ToListAsync(cancellationToken))
            .GroupBy(l => l.PremiseId).ToDictionary(g => g.Key, g => g.First());
        var views = new List<PremiseView>(premiseIds.Count);
        foreach (var premise in premiseIds.Where(premises.ContainsKey).Select(id => premises[id]))
        {
            var here = points.Where(p => p.PremiseId == premise.Id).ToList();
            var hereAgreements = agreements.Where(a => here.Any(p => p.Id == a.ServicePointId)).ToList();
            var served = serving.Where(a => hereAgreements.Any(g => g.EndedOn == null && g.AccountId == a.Id)).OrderBy(a => a.OwnerRevert).FirstOrDefault();
            var landlord = landlords.GetValueOrDefault(premise.Id);
            views.Add(new PremiseView(premise.Id, premise.FullAddress, premise.ParcelId, premise.OwnerOfRecord,
                [.. here.Select(p =>
                {
                    var meter = meters.FirstOrDefault(m => m.ServicePointId == p.Id);
                    var read = meter is null ? null : lastReads.GetValueOrDefault(meter.Id);
                    return new PremisePoint(p.Id, p.Service.ToString(), p.IsMetered, p.State.ToString(),
                        meter is null ? null : new PremiseMeter(meter.Serial, meter.Size, meter.Dials, read?.Reading, read?.ReadOn),
                        hereAgreements.FirstOrDefault(a => a.ServicePointId == p.Id)?.RateScheduleCode);
                })],
                served?.AccountNumber, served is null ? null : mainNames.GetValueOrDefault(served.Id), served?.OwnerRevert ?? false,
                hereAgreements.Where(a => a.EndedOn != null).Select(a => a.EndedOn).Max(), cycles.GetValueOrDefault(premise.Id), landlord?.DisplayName, landlord?.OwnerCustomerId));
        }

        return views;
    }
}
