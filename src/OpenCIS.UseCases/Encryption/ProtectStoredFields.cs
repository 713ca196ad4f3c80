using Microsoft.EntityFrameworkCore;
using OpenCIS.Storage;
using OpenCIS.Storage.Payments.Ach;

namespace OpenCIS.UseCases.Encryption;

public sealed record ProtectedFieldsOutcome(int IdentityNumbersHashed, int BankAccountsEncrypted);

/// <summary>
/// Brings rows stored before a protection existed up to it, a thousand at a time, after the schema is upgraded
/// (the host's start, <c>opencis db migrate</c>): identity numbers from before duplicate detection (migration 0035)
/// get their keyed hash, and bank account numbers from before their encryption (migration 0037) are encrypted and
/// their last four kept apart. Nothing is written in clear; with nothing to do it is two indexed queries.
/// </summary>
public sealed class ProtectStoredFields(OpenCisDbContext db, FieldProtector protector)
{
    public const int BatchSize = 1000;

    public async Task<ProtectedFieldsOutcome> ExecuteAsync(CancellationToken cancellationToken = default)
    {
        var hashed = 0;
        for (var after = 0L; ;)
        {
            var batch = await db.Customers.Where(c => c.Id > after && c.IdentityCipher != null && c.IdentityHash == null)
                .OrderBy(c => c.Id).Take(BatchSize).ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var customer in batch)
            {
                customer.SetIdentityNumber(customer.IdentityKind!.Value, customer.IdentityCipher!, customer.IdentityLastFour!, protector.Hash(protector.Unprotect(customer.IdentityCipher!)));
            }

            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            hashed += batch.Count;
            after = batch[^1].Id;
        }

        var encrypted = 0;
        for (var after = 0L; ;)
        {
            var batch = await db.AchEnrollments.Where(e => e.Id > after && e.DfiAccountLastFour == null).OrderBy(e => e.Id).Take(BatchSize).ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var enrollment in batch)
            {
                var clear = enrollment.DfiAccountCipher;
                enrollment.Protect(protector.Protect(clear), AchEnrollment.LastFour(clear));
            }

            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            encrypted += batch.Count;
            after = batch[^1].Id;
        }

        return new ProtectedFieldsOutcome(hashed, encrypted);
    }
}
