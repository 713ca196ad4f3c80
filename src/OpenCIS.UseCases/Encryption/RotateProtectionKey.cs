using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;

namespace OpenCIS.UseCases.Encryption;

public sealed record KeyRotationOutcome(string KeyId, int IdentityNumbers, int BankAccounts, int AlreadyCurrent);

/// <summary>
/// Re-encrypts every protected field under the current key (<c>OPENCIS_ENCRYPTION_KEY</c>), opening each with the
/// key it names (the retired ones listed in <c>OPENCIS_ENCRYPTION_KEY_PREVIOUS</c>), and recomputes identity numbers'
/// keyed hashes under the new key. Work commits a batch at a time and skips values already under the current key, so
/// a rotation stopped part way resumes where it stopped when run again. While it runs, duplicate detection may miss a
/// customer whose hash is still under the old key; run it in a quiet hour.
/// </summary>
public sealed class RotateProtectionKey(OpenCisDbContext db, FieldProtector protector, TimeProvider clock)
{
    public const int BatchSize = 500;

    public async Task<KeyRotationOutcome> ExecuteAsync(string user, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var identities = 0;
        var banks = 0;
        var current = 0;
        for (var after = 0L; ;)
        {
            var batch = await db.Customers.Where(c => c.Id > after && c.IdentityCipher != null).OrderBy(c => c.Id).Take(BatchSize).ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var customer in batch)
            {
                if (protector.IsCurrent(customer.IdentityCipher!))
                {
                    current++;
                    continue;
                }

                var digits = Open(customer.IdentityCipher!, $"customer {customer.Id}'s identity number");
                customer.SetIdentityNumber(customer.IdentityKind!.Value, protector.Protect(digits), customer.IdentityLastFour!, protector.Hash(digits));
                identities++;
            }

            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            after = batch[^1].Id;
            progress?.Report($"identity numbers through customer {after}");
        }

        for (var after = 0L; ;)
        {
            var batch = await db.AchEnrollments.Where(e => e.Id > after).OrderBy(e => e.Id).Take(BatchSize).ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var enrollment in batch)
            {
                if (protector.IsCurrent(enrollment.DfiAccountCipher))
                {
                    current++;
                    continue;
                }

                var clear = enrollment.DfiAccountLastFour is null ? enrollment.DfiAccountCipher : Open(enrollment.DfiAccountCipher, $"ACH enrollment {enrollment.Id}'s bank account");
                enrollment.Protect(protector.Protect(clear), Storage.Payments.Ach.AchEnrollment.LastFour(clear));
                banks++;
            }

            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            after = batch[^1].Id;
            progress?.Report($"bank accounts through enrollment {after}");
        }

        // Customers' e-checks keep their bank account number only while they wait for the ACH file.
        for (var after = 0L; ;)
        {
            var batch = await db.OneTimeDebits.Where(d => d.Id > after && d.Status == Storage.Portal.OneTimeDebitStatus.Pending).OrderBy(d => d.Id).Take(BatchSize).ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var debit in batch)
            {
                if (protector.IsCurrent(debit.DfiAccountCipher))
                {
                    current++;
                    continue;
                }

                debit.Protect(protector.Protect(Open(debit.DfiAccountCipher, $"e-check {debit.Id}'s bank account")));
                banks++;
            }

            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            after = batch[^1].Id;
            progress?.Report($"bank accounts through e-check {after}");
        }

        AuditLog.Record(db, clock.GetUtcNow(), user, "EncryptionKey", 0, null, "Rotate encryption key", null,
            new { KeyId = protector.CurrentKeyId, IdentityNumbers = identities, BankAccounts = banks, AlreadyCurrent = current }, "Protected fields re-encrypted under the current key");
        await db.SaveChangesAsync(cancellationToken);
        return new KeyRotationOutcome(protector.CurrentKeyId, identities, banks, current);
    }

    private string Open(string cipher, string what)
    {
        try
        {
            return protector.Unprotect(cipher);
        }
        catch (System.Security.Cryptography.CryptographicException failed)
        {
            throw new DomainException($"Cannot open {what}: {failed.Message}", FieldProtector.PreviousKeysVariable);
        }
    }
}
