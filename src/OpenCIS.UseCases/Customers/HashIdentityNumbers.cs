using Microsoft.EntityFrameworkCore;
using OpenCIS.Storage;

namespace OpenCIS.UseCases.Customers;

/// <summary>
/// Gives every customer whose identity number was stored before duplicate detection (migration 0035) its keyed hash,
/// a thousand at a time: each number is decrypted, hashed and dropped, never written in clear. Runs after the schema
/// is upgraded (the host's start, <c>opencis db migrate</c>); with nothing to do it is one indexed query.
/// </summary>
public sealed class HashIdentityNumbers(OpenCisDbContext db, IdentityNumberProtector protector)
{
    public const int BatchSize = 1000;

    /// <summary>How many customers were given their hash.</summary>
    public async Task<int> ExecuteAsync(CancellationToken cancellationToken = default)
    {
        var done = 0;
        var after = 0L;
        while (true)
        {
            var batch = await db.Customers.Where(c => c.Id > after && c.IdentityCipher != null && c.IdentityHash == null)
                .OrderBy(c => c.Id).Take(BatchSize).ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                return done;
            }

            foreach (var customer in batch)
            {
                customer.SetIdentityNumber(customer.IdentityKind!.Value, customer.IdentityCipher!, customer.IdentityLastFour!, protector.Hash(protector.Unprotect(customer.IdentityCipher!)));
            }

            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            done += batch.Count;
            after = batch[^1].Id;
        }
    }
}
