using System.Data.Common;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;

namespace OpenCIS.Storage;

/// <summary>One numbered schema change, with its SQL for each database.</summary>
public sealed record SchemaMigration(int Version, string Name, string SqliteSql, string PostgresSql);

public sealed record MigrationResult(int FromVersion, int ToVersion, IReadOnlyList<SchemaMigration> Applied);

/// <summary>
/// Creates or upgrades the database in place. Migrations are SQL scripts embedded in this
/// assembly (<c>Storage/Migrations/NNNN_name.sqlite.sql</c> and <c>.postgres.sql</c>), applied in
/// order inside one transaction and recorded in <c>schema_migrations</c>. We write them by hand
/// because the EF Core design tools cannot be installed here; a test checks that the migrated
/// schema matches the EF model exactly, so the two cannot drift apart.
/// </summary>
public sealed partial class SchemaMigrator(OpenCisDbContext db)
{
    private const long PostgresLockKey = 0x4F50454E434953; // "OPENCIS"

    public static IReadOnlyList<SchemaMigration> All { get; } = Discover();

    public static int LatestVersion => All[^1].Version;

    public async Task<int> CurrentVersionAsync(CancellationToken cancellationToken = default)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            if (!await HistoryTableExistsAsync(connection, cancellationToken))
            {
                return 0;
            }

            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
            return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Applies every pending migration up to <paramref name="targetVersion"/> (default: the latest).</summary>
    public async Task<MigrationResult> MigrateAsync(int? targetVersion = null, CancellationToken cancellationToken = default)
    {
        var target = targetVersion ?? LatestVersion;
        var isPostgres = db.Database.IsNpgsql();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var connection = db.Database.GetDbConnection();
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            if (isPostgres)
            {
                // Two hosts starting at once must not both create the schema.
                await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({PostgresLockKey})", cancellationToken);
            }

            await ExecuteAsync(connection, transaction,
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name VARCHAR(200) NOT NULL, applied_at VARCHAR(40) NOT NULL)",
                cancellationToken);

            await using var versionCommand = connection.CreateCommand();
            versionCommand.Transaction = transaction;
            versionCommand.CommandText = "SELECT version FROM schema_migrations";
            var recorded = new HashSet<int>();
            await using (var reader = await versionCommand.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    recorded.Add(Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture));
                }
            }

            var current = recorded.Count == 0 ? 0 : recorded.Max();
            if (current > LatestVersion)
            {
                throw new InvalidOperationException($"The database is at schema version {current}, newer than this program knows ({LatestVersion}). Upgrade OpenCIS.");
            }

            // Every migration not yet recorded is applied, in number order, not only those above the highest
            // recorded: features are built side by side, so a lower number can arrive after a higher one.
            var applied = new List<SchemaMigration>();
            foreach (var migration in All.Where(m => !recorded.Contains(m.Version) && m.Version <= target))
            {
                await ExecuteAsync(connection, transaction, isPostgres ? migration.PostgresSql : migration.SqliteSql, cancellationToken);
                await using var record = connection.CreateCommand();
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @at)";
                AddParameter(record, "@version", migration.Version);
                AddParameter(record, "@name", migration.Name);
                AddParameter(record, "@at", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
                await record.ExecuteNonQueryAsync(cancellationToken);
                applied.Add(migration);
            }

            await transaction.CommitAsync(cancellationToken);
            return new MigrationResult(current, applied.Count > 0 ? applied[^1].Version : current, applied);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<bool> HistoryTableExistsAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = connection.GetType().Name.StartsWith("Npgsql", StringComparison.Ordinal)
            ? "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'schema_migrations' AND table_schema = current_schema()"
            : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) > 0;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        // A migration that fills a new column on a city's history can take minutes; it runs once, in the upgrade's window.
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static List<SchemaMigration> Discover()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        var scripts = assembly.GetManifestResourceNames()
            .Select(name => (Resource: name, Match: ScriptName().Match(name)))
            .Where(x => x.Match.Success)
            .GroupBy(x => (Version: int.Parse(x.Match.Groups["version"].Value, CultureInfo.InvariantCulture), Name: x.Match.Groups["name"].Value))
            .OrderBy(g => g.Key.Version)
            .Select(g =>
            {
                var sqlite = g.SingleOrDefault(x => x.Match.Groups["provider"].Value == "sqlite").Resource
                    ?? throw new InvalidOperationException($"Migration {g.Key.Version} has no SQLite script.");
                var postgres = g.SingleOrDefault(x => x.Match.Groups["provider"].Value == "postgres").Resource
                    ?? throw new InvalidOperationException($"Migration {g.Key.Version} has no PostgreSQL script.");
                return new SchemaMigration(g.Key.Version, g.Key.Name, Read(assembly, sqlite), Read(assembly, postgres));
            })
            .ToList();
        // Numbers are reserved per feature while features are built side by side (0004 may land after 0005),
        // so a gap is allowed; two scripts with one number are not.
        for (var i = 0; i < scripts.Count; i++)
        {
            if (scripts[i].Version < 1 || (i > 0 && scripts[i].Version == scripts[i - 1].Version))
            {
                throw new InvalidOperationException($"Migrations must have distinct positive numbers; found {scripts[i].Version} at position {i + 1}.");
            }
        }

        return scripts;
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"Migrations\.(?<version>\d{4})_(?<name>[a-z0-9_]+)\.(?<provider>sqlite|postgres)\.sql$")]
    private static partial Regex ScriptName();
}
