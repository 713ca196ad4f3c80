using OpenCIS.UseCases.Encryption;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Customers;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage;
using OpenCIS.Storage.Customers;

namespace OpenCIS.UseCases.Customers;

/// <summary>Shows a full identity number to a role allowed to see it, and records that it was seen.</summary>
public sealed class RevealIdentityNumber(OpenCisDbContext db, FieldProtector protector, TimeProvider clock)
{
    public async Task<string> ExecuteAsync(long customerId, string reason, string user, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainException("Say why the full identity number is needed.", "reason");
        }

        var customer = await db.Customers.AsNoTracking().SingleOrDefaultAsync(c => c.Id == customerId, cancellationToken)
            ?? throw new DomainException($"There is no customer {customerId}.", "customerId");
        if (customer.IdentityCipher is null || customer.IdentityKind is null)
        {
            throw new DomainException("This customer has no identity number on file.", "customerId");
        }

        var accountId = await db.AccountCustomers.Where(x => x.CustomerId == customerId).Select(x => (long?)x.AccountId).FirstOrDefaultAsync(cancellationToken);
        AuditLog.Record(db, clock.GetUtcNow(), user, "Customer", customerId, accountId, "Reveal identity number", null, null, reason);
        await db.SaveChangesAsync(cancellationToken);
        return IdentityNumbers.Formatted(customer.IdentityKind.Value, protector.Unprotect(customer.IdentityCipher));
    }
}
