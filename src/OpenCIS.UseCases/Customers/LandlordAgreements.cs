using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Customers;

namespace OpenCIS.UseCases.Customers;

public sealed record LandlordAgreementView(long Id, long PremiseId, string Address, long OwnerCustomerId, string OwnerName, DateOnly StartedOn, DateOnly? EndedOn);

/// <summary>Landlord agreements by premise: make one (one running at a time per premise), end one, list a premise's or an owner's.</summary>
public sealed class LandlordAgreements(OpenCisDbContext db, BusinessCalendar calendar, TimeProvider clock)
{
    public async Task<LandlordAgreementView> CreateAsync(long premiseId, long ownerCustomerId, DateOnly? startedOn, string user, CancellationToken cancellationToken = default)
    {
        var premise = await db.Premises.AsNoTracking().SingleOrDefaultAsync(p => p.Id == premiseId, cancellationToken)
            ?? throw new DomainException($"There is no premise {premiseId}.", "premiseId");
        var owner = await db.Customers.AsNoTracking().SingleOrDefaultAsync(c => c.Id == ownerCustomerId, cancellationToken)
            ?? throw new DomainException($"There is no customer {ownerCustomerId}.", "ownerCustomerId");
        var start = startedOn ?? calendar.Today();
        var running = (await db.LandlordAgreements.AsNoTracking().Where(l => l.PremiseId == premiseId).ToListAsync(cancellationToken))
            .FirstOrDefault(l => l.EndedOn is null || l.EndedOn >= start);
        if (running is not null)
        {
            throw new DomainException($"{premise.FullAddress} already has landlord agreement {running.Id} from {running.StartedOn:yyyy-MM-dd}; end it first.", "premiseId");
        }

        var now = clock.GetUtcNow();
        var row = new LandlordAgreement { PremiseId = premiseId, OwnerCustomerId = owner.Id, StartedOn = start, CreatedBy = user, CreatedAt = now };
        db.LandlordAgreements.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        AuditLog.Record(db, now, user, "LandlordAgreement", row.Id, null, "Make landlord agreement", null, new { premiseId, premise.FullAddress, OwnerCustomerId = owner.Id, owner.DisplayName, StartedOn = start }, null);
        await db.SaveChangesAsync(cancellationToken);
        return new LandlordAgreementView(row.Id, premiseId, premise.FullAddress, owner.Id, owner.DisplayName, start, null);
    }

    public async Task EndAsync(long agreementId, DateOnly endedOn, string user, CancellationToken cancellationToken = default)
    {
        var row = await db.LandlordAgreements.SingleOrDefaultAsync(l => l.Id == agreementId, cancellationToken)
            ?? throw new DomainException($"There is no landlord agreement {agreementId}.", "agreementId");
        row.End(endedOn);
        AuditLog.Record(db, clock.GetUtcNow(), user, "LandlordAgreement", row.Id, null, "End landlord agreement", null, new { EndedOn = endedOn }, null);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<LandlordAgreementView>> ForPremiseAsync(long premiseId, CancellationToken cancellationToken = default) =>
        await db.LandlordAgreements.AsNoTracking().Where(l => l.PremiseId == premiseId)
            .Join(db.Customers, l => l.OwnerCustomerId, c => c.Id, (l, c) => new { l, c.DisplayName })
            .Join(db.Premises, x => x.l.PremiseId, p => p.Id, (x, p) => new LandlordAgreementView(x.l.Id, p.Id, p.AddressLine1 + ", " + p.City, x.l.OwnerCustomerId, x.DisplayName, x.l.StartedOn, x.l.EndedOn))
            .OrderByDescending(v => v.StartedOn).ToListAsync(cancellationToken);
}
