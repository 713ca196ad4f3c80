using OpenCIS.UseCases.Encryption;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Customers;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage;
using OpenCIS.Storage.Customers;

namespace OpenCIS.UseCases.Customers;

/// <summary>Records or corrects a customer's SSN or tax id. The audit keeps only masked values: the trail must not leak what storage encrypts.</summary>
public sealed class ChangeIdentityNumber(OpenCisDbContext db, FieldProtector protector, TimeProvider clock)
{
    public async Task<string> ExecuteAsync(long customerId, IdentityNumberKind kind, string number, string reason, string user, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainException("Say why the identity number is being changed.", "reason");
        }

        var digits = IdentityNumbers.Normalize(number)
            ?? throw new DomainException("An SSN or tax id has nine digits, written like 123-45-6789 or 12-3456789.", "number");
        var customer = await db.Customers.SingleOrDefaultAsync(c => c.Id == customerId, cancellationToken)
            ?? throw new DomainException($"There is no customer {customerId}.", "customerId");
        var before = customer.MaskedIdentity;
        customer.SetIdentityNumber(kind, protector.Protect(digits), IdentityNumbers.LastFour(digits), protector.Hash(digits));
        var accountId = await db.AccountCustomers.Where(x => x.CustomerId == customerId).Select(x => (long?)x.AccountId).FirstOrDefaultAsync(cancellationToken);
        AuditLog.Record(db, clock.GetUtcNow(), user, "Customer", customerId, accountId, "Change identity number", before, customer.MaskedIdentity, reason);
        await db.SaveChangesAsync(cancellationToken);
        return customer.MaskedIdentity;
    }
}
