using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Storage;

namespace OpenCIS.UseCases.Reports;

/// <summary>A database at a glance, to compare a backup or a restore with its source: row counts and the trial balance.</summary>
public sealed record DatabaseSummaryView(IReadOnlyList<(string Table, long Rows)> Counts, Money Debits, Money Credits, Money ReceivableControl, Money SubLedger, bool Balances, bool TiesOut);

public sealed class DatabaseSummary(OpenCisDbContext db, LedgerReports ledger)
{
    /// <summary>The summary of another database than the host's: a backup file, read where it lies.</summary>
    public static async Task<DatabaseSummaryView> OfAsync(DatabaseSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        await using var other = settings.CreateContext();
        return await new DatabaseSummary(other, new LedgerReports(other)).ExecuteAsync(cancellationToken);
    }

    /// <summary>
    /// Everything a file import can add, as one comparable text: counts and sums of payments, transactions, GL entries,
    /// open items, reads, suspense items, returns, tariffs and collection policies. A refused file must leave it unchanged.
    /// </summary>
    public async Task<string> ImportFingerprintAsync(CancellationToken cancellationToken = default)
    {
        var parts = new long[]
        {
            await db.Payments.LongCountAsync(cancellationToken),
            await db.Payments.SumAsync(p => (long?)p.AmountCents, cancellationToken) ?? 0,
            await db.FinancialTransactions.LongCountAsync(cancellationToken),
            await db.FinancialTransactions.SumAsync(t => (long?)t.AmountCents, cancellationToken) ?? 0,
            await db.GlEntries.LongCountAsync(cancellationToken),
            await db.OpenItems.LongCountAsync(cancellationToken),
            await db.OpenItems.SumAsync(o => (long?)o.OpenCents, cancellationToken) ?? 0,
            await db.Reads.LongCountAsync(cancellationToken),
            await db.SuspenseItems.LongCountAsync(cancellationToken),
            await db.AchReturns.LongCountAsync(cancellationToken),
            await db.RateSchedules.LongCountAsync(cancellationToken),
            await db.CollectionPolicies.LongCountAsync(cancellationToken),
        };
        return string.Join(",", parts);
    }

    public async Task<DatabaseSummaryView> ExecuteAsync(CancellationToken cancellationToken = default)
    {
        var counts = new List<(string, long)>
        {
            ("accounts", await db.Accounts.LongCountAsync(cancellationToken)),
            ("customers", await db.Customers.LongCountAsync(cancellationToken)),
            ("bills", await db.Bills.LongCountAsync(cancellationToken)),
            ("payments", await db.Payments.LongCountAsync(cancellationToken)),
            ("financial_transactions", await db.FinancialTransactions.LongCountAsync(cancellationToken)),
            ("gl_entries", await db.GlEntries.LongCountAsync(cancellationToken)),
            ("open_items", await db.OpenItems.LongCountAsync(cancellationToken)),
            ("meter_reads", await db.Reads.LongCountAsync(cancellationToken)),
            ("audit_entries", await db.AuditEntries.LongCountAsync(cancellationToken)),
        };
        var trial = await ledger.TrialBalanceAsync(null, cancellationToken);
        return new DatabaseSummaryView(counts, trial.TotalDebits, trial.TotalCredits, trial.ReceivableControl, trial.SubLedgerTotal, trial.Balances, trial.TiesToSubLedger);
    }
}
