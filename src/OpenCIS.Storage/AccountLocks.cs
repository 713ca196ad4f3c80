using Microsoft.EntityFrameworkCore;

namespace OpenCIS.Storage;

/// <summary>
/// Serialises money-moving work on one account inside the current database transaction, so two
/// cashiers posting at once both see the other's payment. PostgreSQL takes a row lock; SQLite has
/// a single writer, and a no-op write at the start takes that lock before anything is read.
/// </summary>
public static class AccountLocks
{
    public static async Task LockAccountAsync(OpenCisDbContext db, long accountId, CancellationToken cancellationToken)
    {
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlInterpolatedAsync($"SELECT id FROM accounts WHERE id = {accountId} FOR UPDATE", cancellationToken);
        }
        else
        {
            await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE accounts SET cash_only = cash_only WHERE id = {accountId}", cancellationToken);
        }
    }

    /// <summary>
    /// Locks many accounts in one statement, in id order (so two batches never wait on each other in
    /// a circle), for a batch that posts to all of them in the current transaction.
    /// </summary>
    public static async Task LockAccountsAsync(OpenCisDbContext db, IReadOnlyCollection<long> accountIds, CancellationToken cancellationToken)
    {
        if (accountIds.Count == 0)
        {
            return;
        }

        if (db.Database.IsNpgsql())
        {
            var ids = accountIds.Distinct().Order().ToArray();
            await db.Database.ExecuteSqlInterpolatedAsync($"SELECT id FROM accounts WHERE id = ANY({ids}) ORDER BY id FOR UPDATE", cancellationToken);
        }
        else
        {
            // SQLite has one writer: taking the write lock on any row serialises against every other writer.
            await LockAccountAsync(db, accountIds.First(), cancellationToken);
        }
    }
}
