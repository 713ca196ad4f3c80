using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace OpenCIS.Storage;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>
/// Which database to use, from one connection string: the environment variable
/// <c>OPENCIS_DATABASE</c>, else <c>ConnectionStrings:OpenCIS</c>, else the embedded SQLite file
/// <c>data/opencis.db</c>. A PostgreSQL connection string (Host=...) selects PostgreSQL.
/// </summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString)
{
    public const string EnvironmentVariable = "OPENCIS_DATABASE";
    public const string DefaultSqlitePath = "data/opencis.db";

    /// <summary>How many statements each PostgreSQL connection keeps prepared (Npgsql warns above 256).</summary>
    public const int MaxAutoPrepared = 200;

    /// <summary>Each connection string as <see cref="PostgresConnectionString"/> gives it, worked out once: every request's context asks.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> PreparingConnectionStrings = new(StringComparer.Ordinal);

    public static DatabaseSettings FromConfiguration(IConfiguration configuration)
    {
        var connectionString = configuration[EnvironmentVariable]
            ?? configuration.GetConnectionString("OpenCIS")
            ?? $"Data Source={DefaultSqlitePath}";
        return FromConnectionString(connectionString);
    }

    public static DatabaseSettings FromConnectionString(string connectionString)
    {
        var isPostgres = connectionString.Contains("Host=", StringComparison.OrdinalIgnoreCase)
            || connectionString.StartsWith("postgres", StringComparison.OrdinalIgnoreCase);
        return new DatabaseSettings(isPostgres ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite, connectionString);
    }

    public void Configure(DbContextOptionsBuilder options)
    {
        if (Provider == DatabaseProvider.Postgres)
        {
            // A list in a query (ids.Contains(x.Id)) goes as one array parameter, not one parameter per
            // element: a chunk of a batch names thousands of ids, and binding each by name cost more than the query.
            options.UseNpgsql(PostgresConnectionString(), o => o.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter));
        }
        else
        {
            EnsureSqliteFolder();
            options.UseSqlite(ConnectionString, o => o.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter)).AddInterceptors(SqlitePragmas.Instance);
        }
    }

    /// <summary>
    /// The connection string EF Core opens PostgreSQL with: as given, plus Npgsql's automatic preparation unless the string
    /// says otherwise (<c>Max Auto Prepare=0</c> turns it off, as a pooler that cannot keep prepared statements needs).
    /// A statement run five times on a connection is prepared there and kept while the pooled connection lives, so
    /// PostgreSQL parses and plans it once, not on every request; the debt check at the permit counters spent more of
    /// the server's time planning its statements than running them.
    /// </summary>
    public string PostgresConnectionString() => PreparingConnectionStrings.GetOrAdd(ConnectionString, given =>
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(given);
        if (!given.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase) && !given.Contains("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxAutoPrepare = MaxAutoPrepared;
        }

        return builder.ConnectionString;
    });


    public OpenCisDbContext CreateContext()
    {
        var options = new DbContextOptionsBuilder<OpenCisDbContext>();
        Configure(options);
        return new OpenCisDbContext(options.Options);
    }

    /// <summary>
    /// Builds the EF model of the contexts <see cref="CreateContext"/> makes (a batch's lanes), once per process:
    /// it is not shared with the contexts of the service container, and the first lane would otherwise build it
    /// while the others wait.
    /// </summary>
    public void BuildModel()
    {
        using var context = CreateContext();
        _ = context.Model;
    }

    /// <summary>The CREATE script of the EF model for this provider (an aid for writing a migration by hand).</summary>
    public string CreateScript()
    {
        using var context = CreateContext();
        return context.Database.GenerateCreateScript();
    }

    /// <summary>
    /// What went wrong, in a sentence for the person at the terminal, when <paramref name="exception"/> says the
    /// database could not be reached or opened (no server, a wrong password, a database that does not exist, a
    /// file that cannot be opened); null for any other failure. Never shows the password.
    /// </summary>
    public string? ExplainConnectionFailure(Exception exception)
    {
        var where = Where();
        return exception switch
        {
            Npgsql.PostgresException { SqlState: "3D000" } => $"The PostgreSQL database {where} does not exist: create it (createdb) or point {EnvironmentVariable} at another.",
            Npgsql.PostgresException { SqlState: "28P01" or "28000" } => $"PostgreSQL refused the login for {where}: check the user and password in {EnvironmentVariable}.",
            Npgsql.NpgsqlException { InnerException: System.Net.Sockets.SocketException or TimeoutException } => $"No PostgreSQL server answered for {where}: start it, or check the host and port in {EnvironmentVariable}.",
            Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 14 } => $"The SQLite database {where} cannot be opened (SQLite error 14): check that its folder exists and can be written.",
            _ => null,
        };
    }

    private string Where()
    {
        if (Provider == DatabaseProvider.Postgres)
        {
            var builder = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString);
            return $"'{builder.Database}' on {builder.Host}:{builder.Port} (user {builder.Username})";
        }

        return $"'{new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(ConnectionString).DataSource}'";
    }

    /// <summary>A short description for logs and benchmark lines, never showing a password.</summary>
    public string Describe() => Provider == DatabaseProvider.Postgres ? "postgres" : "sqlite";

    private void EnsureSqliteFolder()
    {
        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(ConnectionString);
        var folder = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (!string.IsNullOrEmpty(folder) && builder.DataSource != ":memory:")
        {
            Directory.CreateDirectory(folder);
        }
    }
}

/// <summary>
/// Every SQLite connection uses write-ahead logging (readers never wait for the writer, which a
/// web host with several clerks needs) and synchronous=NORMAL, which in WAL mode loses no
/// committed transaction on a crash of the process, only possibly the last ones on a power cut.
/// A busy timeout lets a second writer wait for the first instead of failing. Foreign keys are checked:
/// a pooled connection comes back with them on even if its last user (a billing lane) turned them off.
/// </summary>
internal sealed class SqlitePragmas : Microsoft.EntityFrameworkCore.Diagnostics.DbConnectionInterceptor
{
    public static readonly SqlitePragmas Instance = new();

    public override void ConnectionOpened(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(System.Data.Common.DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 30000; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY; PRAGMA foreign_keys = ON;";
        command.ExecuteNonQuery();
    }
}

public static class StorageServiceCollectionExtensions
{
    /// <summary>Registers the database (settings from the registered <see cref="IConfiguration"/>, read when first needed), the migrator and the idempotency store.</summary>
    public static IServiceCollection AddOpenCisStorage(this IServiceCollection services)
    {
        services.AddSingleton(provider => DatabaseSettings.FromConfiguration(provider.GetRequiredService<IConfiguration>()));
        services.AddDbContext<OpenCisDbContext>((provider, options) => provider.GetRequiredService<DatabaseSettings>().Configure(options));
        services.AddSingleton<IdempotentRequests>();
        services.AddScoped<SchemaMigrator>();
        return services;
    }
}
