using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Storage;
using OpenCIS.Storage.Billing;
using OpenCIS.Storage.Bulk;
using OpenCIS.UseCases.Billing;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// The billing benchmark's write limit writes a finished run's rows again, by the same writer, into
/// scratch copies of the tables: the copies must end up holding the same rows as the run (counted
/// and summed table by table), the real tables must not change, and the copies must be gone after.
/// </summary>
public sealed class BillingWriteLimitTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_write_limit_writes_a_runs_rows_again_into_copies_and_leaves_the_real_tables_alone(TestProvider provider)
    {
        var (database, _) = await TestDatabases.SeededCity100Async(provider);
        await using var owned = database;
        var settings = DatabaseSettings.FromConnectionString(database.ConnectionString);
        long runId;
        await using (var db = database.Context())
        {
            runId = await db.BillingRuns.Where(r => r.Status == BillingRunStatus.Completed && r.BillsCreated > 0).OrderByDescending(r => r.Id).Select(r => r.Id).FirstAsync();
        }

        var run = await FiguresAsync(settings, runId);
        var everything = await TotalsAsync(settings);
        await using var services = database.Services();

        await using (var scope = services.CreateAsyncScope())
        {
            var measure = scope.ServiceProvider.GetRequiredService<MeasureBillingWriteLimit>();
            measure.KeepCopies = true;
            var outcome = await measure.ExecuteAsync(runId, workers: 2);

            Assert.Equal(run["bills"].Count, outcome.Bills);
            Assert.True(outcome.Bills > 0 && outcome.BillsPerSecond > 0 && outcome.Indexed.Writing > TimeSpan.Zero && outcome.Bare.Writing > TimeSpan.Zero, $"{outcome}");
        }

        foreach (var indexed in new[] { true, false })
        {
            var copies = await FiguresAsync(ScratchTables.Copies(settings, indexed), runId);
            Assert.Equal(run, copies);
        }

        Assert.Equal(everything, await TotalsAsync(settings));
        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<MeasureBillingWriteLimit>().ExecuteAsync(runId, workers: 1);
        }

        Assert.False(await CopiesExistAsync(settings), "the copies are dropped after a measurement");
        Assert.Equal(everything, await TotalsAsync(settings));
    }

    /// <summary>A run's rows, table by table: how many and their amounts. The same query reads the real tables and the copies.</summary>
    private static async Task<Dictionary<string, (long Count, long Cents)>> FiguresAsync(DatabaseSettings settings, long runId)
    {
        var postings = $"(SELECT financial_transaction_id FROM bills WHERE billing_run_id = {runId})";
        return await QueryAsync(settings, new()
        {
            ["bills"] = $"SELECT COUNT(*), COALESCE(SUM(current_charges_cents), 0) FROM bills WHERE billing_run_id = {runId}",
            ["bill segments"] = $"SELECT COUNT(*), COALESCE(SUM(s.amount_cents), 0) FROM bill_segments s JOIN bills b ON b.id = s.bill_id WHERE b.billing_run_id = {runId}",
            ["bill lines"] = $"SELECT COUNT(*), COALESCE(SUM(l.amount_cents), 0) FROM bill_lines l JOIN bill_segments s ON s.id = l.bill_segment_id JOIN bills b ON b.id = s.bill_id WHERE b.billing_run_id = {runId}",
            ["transactions"] = $"SELECT COUNT(*), COALESCE(SUM(amount_cents), 0) FROM financial_transactions WHERE id IN {postings}",
            ["GL lines"] = $"SELECT COUNT(*), COALESCE(SUM(debit_cents), 0) FROM gl_entries WHERE financial_transaction_id IN {postings}",
            ["open items"] = $"SELECT COUNT(*), COALESCE(SUM(amount_cents), 0) FROM open_items WHERE financial_transaction_id IN {postings}",
            ["exceptions"] = $"SELECT COUNT(*), COUNT(DISTINCT account_id) FROM billing_exceptions WHERE billing_run_id = {runId}",
        });
    }

    private static Task<Dictionary<string, (long Count, long Cents)>> TotalsAsync(DatabaseSettings settings) =>
        QueryAsync(settings, ScratchTables.Billing.ToDictionary(t => t, t => $"SELECT COUNT(*), COALESCE(MAX(id), 0) FROM {t}"));

    private static async Task<Dictionary<string, (long Count, long Cents)>> QueryAsync(DatabaseSettings settings, Dictionary<string, string> queries)
    {
        await using var db = settings.CreateContext();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        var figures = new Dictionary<string, (long, long)>();
        foreach (var (name, sql) in queries)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            figures[name] = (reader.GetInt64(0), reader.GetInt64(1));
        }

        return figures;
    }

    private static async Task<bool> CopiesExistAsync(DatabaseSettings settings)
    {
        if (settings.Provider == DatabaseProvider.Sqlite)
        {
            return new[] { true, false }.Any(indexed => File.Exists(ScratchTables.SqliteScratchPath(settings, indexed)));
        }

        await using var db = settings.CreateContext();
        DbConnection connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM pg_namespace WHERE nspname LIKE 'bench_scratch%'";
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }
}
