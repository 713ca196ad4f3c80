using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Npgsql;
using OpenCIS.Core.Common;

namespace OpenCIS.Storage;

/// <summary>
/// Backups of the whole database, taken while the system runs.
/// <para>
/// SQLite: SQLite's online backup API copies the database page by page into a new file, a consistent snapshot even
/// while payments post (a write during the copy makes it start again); the copy is checked with
/// <c>PRAGMA integrity_check</c>. A restore copies a backup back the same way, into the live file.
/// </para>
/// <para>
/// PostgreSQL: the documented procedure, <c>pg_dump --format=custom</c> (a consistent snapshot in one transaction,
/// so posting need not stop) and <c>pg_restore --clean --if-exists --no-owner --single-transaction</c>, run here with
/// the connection string's host, port, user, password and database. The tools come with the PostgreSQL client
/// (<c>postgresql-client</c>); their version must be the server's or newer.
/// </para>
/// The encryption key is not in a backup (it is in the environment): keep it, apart from the backups, to read
/// identity and bank account numbers after a restore.
/// </summary>
public static class DatabaseBackup
{
    public static async Task BackupAsync(DatabaseSettings settings, string outputPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var output = Path.GetFullPath(outputPath);
        if (File.Exists(output))
        {
            throw new DomainException($"{output} already exists; a backup never overwrites a file.", "--out");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        if (settings.Provider == DatabaseProvider.Postgres)
        {
            await RunPostgresToolAsync("pg_dump", settings.ConnectionString, ["--format=custom", "--no-owner", $"--file={output}"], cancellationToken);
            return;
        }

        await using (var source = new SqliteConnection(settings.ConnectionString))
        await using (var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = output, Pooling = false }.ToString()))
        {
            await source.OpenAsync(cancellationToken);
            await target.OpenAsync(cancellationToken);
            await CopyAsync(source, target, cancellationToken);
            await using var check = target.CreateCommand();
            check.CommandText = "PRAGMA integrity_check";
            var result = (string?)await check.ExecuteScalarAsync(cancellationToken);
            if (result != "ok")
            {
                throw new InvalidOperationException($"The backup {output} failed SQLite's integrity check: {result}");
            }
        }

        SqliteConnection.ClearAllPools();
    }

    public static async Task RestoreAsync(DatabaseSettings settings, string backupPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var input = Path.GetFullPath(backupPath);
        if (!File.Exists(input))
        {
            throw new DomainException($"There is no backup {input}.", "--from");
        }

        if (settings.Provider == DatabaseProvider.Postgres)
        {
            await RunPostgresToolAsync("pg_restore", settings.ConnectionString, ["--clean", "--if-exists", "--no-owner", "--single-transaction", input], cancellationToken);
            // The restored tables are new ones: pooled connections and their prepared statements belong to the old.
            NpgsqlConnection.ClearAllPools();
            return;
        }

        await using (var source = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = input, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
        await using (var target = new SqliteConnection(settings.ConnectionString))
        {
            await source.OpenAsync(cancellationToken);
            await using (var check = source.CreateCommand())
            {
                check.CommandText = "PRAGMA integrity_check";
                if ((string?)await check.ExecuteScalarAsync(cancellationToken) is not "ok")
                {
                    throw new DomainException($"{input} is not a sound SQLite backup (its integrity check fails); nothing was restored.", "--from");
                }
            }

            await target.OpenAsync(cancellationToken);
            await CopyAsync(source, target, cancellationToken);
        }

        SqliteConnection.ClearAllPools();
    }

    /// <summary>
    /// SQLite's backup of the whole database in one step. A writer holding its lock at that moment makes the step answer
    /// "busy" (the backup API does not wait as statements do): wait a little and take it again, for up to a minute.
    /// </summary>
    private static async Task CopyAsync(SqliteConnection source, SqliteConnection target, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                source.BackupDatabase(target);
                return;
            }
            catch (SqliteException busy) when (busy.SqliteErrorCode is 5 or 6 && attempt < 300)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50 + Random.Shared.Next(150)), cancellationToken);
            }
        }
    }

    private static async Task RunPostgresToolAsync(string tool, string connectionString, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add($"--host={connection.Host ?? "localhost"}");
        start.ArgumentList.Add($"--port={connection.Port}");
        if (!string.IsNullOrEmpty(connection.Username))
        {
            start.ArgumentList.Add($"--username={connection.Username}");
        }

        start.ArgumentList.Add($"--dbname={connection.Database}");
        start.ArgumentList.Add("--no-password");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The password goes by the environment, never on a command line other users can read.
        if (!string.IsNullOrEmpty(connection.Password))
        {
            start.Environment["PGPASSWORD"] = connection.Password;
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start.");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new DomainException($"{tool} is not installed here; install the PostgreSQL client tools (Debian: postgresql-client) in the server's version or newer.", tool);
        }

        using (process)
        {
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            _ = await process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
            {
                throw new DomainException($"{tool} failed (exit {process.ExitCode}): {(await errors).Trim()}", tool);
            }
        }
    }
}
