using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;

namespace OpenCIS.UseCases.Billing;

/// <summary>A service agreement's attributes, as screens and the API show them.</summary>
public sealed record AgreementAttributesView(long AgreementId, long AccountId, Service Service, string RateScheduleCode, IReadOnlyDictionary<string, string> Attributes);

/// <summary>
/// Sets the attributes that choose a service's prices (cart_size=96gal, pickups=2, fire_line_size=6in): the billing run
/// gives them to the charges priced by them, and a charge priced by an attribute the service lacks is an exception naming
/// it. Each change is audited with the attributes before.
/// </summary>
public sealed class AgreementAttributes(OpenCisDbContext db, TimeProvider clock)
{
    public async Task<AgreementAttributesView> GetAsync(long agreementId, CancellationToken cancellationToken = default)
    {
        var agreement = await db.ServiceAgreements.AsNoTracking().SingleOrDefaultAsync(a => a.Id == agreementId, cancellationToken)
            ?? throw new DomainException($"There is no service agreement {agreementId}.", "agreementId");
        return new AgreementAttributesView(agreement.Id, agreement.AccountId, agreement.Service, agreement.RateScheduleCode, ServiceAttributes.Parse(agreement.Attributes));
    }

    /// <summary>Replaces the agreement's attributes (none clears them); a bad name or value is refused naming "attributes".</summary>
    public async Task<AgreementAttributesView> SetAsync(long agreementId, IReadOnlyDictionary<string, string> attributes, string user, CancellationToken cancellationToken = default)
    {
        var text = ServiceAttributes.Format(attributes);
        var agreement = await db.ServiceAgreements.SingleOrDefaultAsync(a => a.Id == agreementId, cancellationToken)
            ?? throw new DomainException($"There is no service agreement {agreementId}.", "agreementId");
        if (agreement.Attributes != text)
        {
            AuditLog.Record(db, clock.GetUtcNow(), user, "ServiceAgreement", agreement.Id, agreement.AccountId, "Set service attributes",
                new { agreement.Attributes }, new { Attributes = text }, $"{agreement.Service} under {agreement.RateScheduleCode}");
            agreement.Attributes = text;
            await db.SaveChangesAsync(cancellationToken);
        }

        return new AgreementAttributesView(agreement.Id, agreement.AccountId, agreement.Service, agreement.RateScheduleCode, ServiceAttributes.Parse(text));
    }
}
