using Microsoft.EntityFrameworkCore;

namespace OpenCIS.Data.Storage;

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
}
