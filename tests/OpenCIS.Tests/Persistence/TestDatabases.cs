using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenCIS.Storage;
using OpenCIS.UseCases;

namespace OpenCIS.Tests.Persistence;

public enum TestProvider
{
    Sqlite,
    Postgres,
}

/// <summary>
/// Where the persistence suite gets its databases. SQLite: a temporary file. PostgreSQL: a new,
/// uniquely named database on the server named by <c>OPENCIS_TEST_POSTGRES</c>, dropped afterwards.
/// Without that variable a PostgreSQL test is skipped, except in CI (<c>CI=true</c>), where it
/// fails: CI must never pass by silently not testing PostgreSQL. Browser and API tests use the same
/// <see cref="RequirePostgres"/> rule.
/// </summary>
public static class TestDatabases
{
    public const string PostgresVariable = "OPENCIS_TEST_POSTGRES";

    /// <summary>A base64 32-byte key, fixed so a test can read what another part of it encrypted.</summary>
    public static readonly string EncryptionKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    public static TheoryData<TestProvider> Providers => new() { TestProvider.Sqlite, TestProvider.Postgres };

    /// <summary>Returns the PostgreSQL server's connection string, or skips (locally) or fails (in CI) the calling test.</summary>
    public static string RequirePostgres(string what)
    {
        var connectionString = Environment.GetEnvironmentVariable(PostgresVariable);
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return connectionString;
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail($"PostgreSQL is required in CI: set {PostgresVariable} to a server connection string to run {what}.");
        }

        Skip.If(true, $"{what} on PostgreSQL skipped: set {PostgresVariable} (e.g. \"Host=localhost;Username=opencis;Password=opencis;Database=postgres\") to run it.");
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>Skips or fails the test now if the provider is not available, before any expensive setup.</summary>
    public static void Require(TestProvider provider, string what)
    {
        if (provider == TestProvider.Postgres)
        {
            RequirePostgres(what);
        }
    }

    /// <summary>
    /// A copy of the 100-account demo city, as <c>SeedDemoCity.ExecuteAsync(100)</c> seeds it under the default fixed clock, with
    /// the seed's outcome (see <see cref="CopyOfSeededAsync{T}"/>). For the tests that read the seeded city, and for those that
    /// change their own copy.
    /// </summary>
    public static Task<(TestDatabase Database, OpenCIS.UseCases.Demo.DemoSeedOutcome Outcome)> SeededCity100Async(TestProvider provider = TestProvider.Sqlite) =>
        CopyOfSeededAsync(provider, "the demo city", async template =>
        {
            await using var services = template.Services();
            await using var scope = services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<OpenCIS.UseCases.Demo.SeedDemoCity>().ExecuteAsync(100);
        });

    /// <summary>The seeded templates by name and database kind: each seeded on first use, by the first caller (the others wait).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Name, TestProvider Provider), Lazy<Task<(string Source, object? Seeded)>>> Templates = new();

    /// <summary>
    /// A new database holding what <paramref name="seed"/> put into a migrated empty one, with what it returned: the seed runs once
    /// per test run, <paramref name="name"/> and database kind (the first caller waits), then the result is only copied (SQLite:
    /// the file; PostgreSQL: <c>CREATE DATABASE ... TEMPLATE</c>). Each caller owns its copy and may change it. The same name must
    /// always come with the same seed.
    /// </summary>
    public static async Task<(TestDatabase Database, T Seeded)> CopyOfSeededAsync<T>(TestProvider provider, string name, Func<TestDatabase, Task<T>> seed)
    {
        var server = provider == TestProvider.Postgres ? RequirePostgres(name) : null;
        var (source, seeded) = await Templates.GetOrAdd((name, provider), _ => new Lazy<Task<(string, object?)>>(async () =>
        {
            var template = await CreateAsync(provider, name);
            // Kept for the run, dropped when the test process ends.
            AppDomain.CurrentDomain.ProcessExit += (_, _) => template.DisposeAsync().AsTask().GetAwaiter().GetResult();
            await template.MigrateAsync(migrated: false);
            object? outcome = await seed(template);
            // No connection may stay open on the template: a SQLite file is whole only once they close (its pooling is off), and
            // PostgreSQL copies only a database no one is connected to.
            if (provider == TestProvider.Sqlite)
            {
                SqliteConnection.ClearAllPools();
                return (new SqliteConnectionStringBuilder(template.ConnectionString).DataSource!, outcome);
            }

            NpgsqlConnection.ClearAllPools();
            return (new NpgsqlConnectionStringBuilder(template.ConnectionString).Database!, outcome);
        }, LazyThreadSafetyMode.ExecutionAndPublication)).Value;

        if (server is null)
        {
            var database = await CreateAsync(TestProvider.Sqlite, name);
            var copy = new SqliteConnectionStringBuilder(database.ConnectionString).DataSource;
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                if (File.Exists(source + suffix))
                {
                    File.Copy(source + suffix, copy + suffix);
                }
            }

            return (database, (T)seeded!);
        }

        var copyName = $"opencis_test_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {copyName} TEMPLATE {source}", admin);
            await create.ExecuteNonQueryAsync();
        }

        return (Dropped(server, copyName), (T)seeded!);
    }

    /// <summary>
    /// Makes the new, still empty <paramref name="database"/> a copy of one migrated to the latest schema (migrated once per run
    /// and database kind, then copied: far cheaper than running every migration for each test). False when it is not empty
    /// any more (a SQLite file already written), and the caller migrates it itself.
    /// </summary>
    internal static async Task<bool> CopyMigratedAsync(TestDatabase database)
    {
        if (database.Provider == TestProvider.Sqlite)
        {
            var path = new SqliteConnectionStringBuilder(database.ConnectionString).DataSource;
            if (File.Exists(path) && new FileInfo(path).Length > 0)
            {
                return false;
            }
        }
        else
        {
            await using var probe = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString);
            await probe.OpenAsync();
            await using var tables = new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'", probe);
            if ((long)(await tables.ExecuteScalarAsync())! > 0)
            {
                return false;
            }
        }

        // A copy of the migrated template, which becomes the test's database: its file moved into place, or renamed.
        var (copy, _) = await CopyOfSeededAsync<object?>(database.Provider, "the migrated schema", _ => Task.FromResult<object?>(null));
        if (database.Provider == TestProvider.Sqlite)
        {
            var from = new SqliteConnectionStringBuilder(copy.ConnectionString).DataSource;
            var to = new SqliteConnectionStringBuilder(database.ConnectionString).DataSource;
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(to + suffix);
                if (File.Exists(from + suffix))
                {
                    File.Move(from + suffix, to + suffix);
                }
            }

            return true;
        }

        var name = new NpgsqlConnectionStringBuilder(database.ConnectionString).Database!;
        var copied = new NpgsqlConnectionStringBuilder(copy.ConnectionString).Database!;
        await using var admin = new NpgsqlConnection(RequirePostgres("a migrated database"));
        await admin.OpenAsync();
        await using (var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin))
        {
            await drop.ExecuteNonQueryAsync();
        }

        await using (var rename = new NpgsqlCommand($"ALTER DATABASE {copied} RENAME TO {name}", admin))
        {
            await rename.ExecuteNonQueryAsync();
        }

        return true;
    }

    public static async Task<TestDatabase> CreateAsync(TestProvider provider, string what)
    {
        if (provider == TestProvider.Sqlite)
        {
            var path = Path.Combine(Path.GetTempPath(), $"opencis-test-{Guid.NewGuid():N}.db");
            return new TestDatabase(provider, $"Data Source={path};Pooling=False", async () =>
            {
                await Task.Yield();
                foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
                {
                    File.Delete(file);
                }
            });
        }

        var server = RequirePostgres(what);
        var name = $"opencis_test_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }

        return Dropped(server, name);
    }

    /// <summary>The PostgreSQL database <paramref name="name"/> on <paramref name="server"/>, dropped when disposed.</summary>
    private static TestDatabase Dropped(string server, string name) =>
        new(TestProvider.Postgres, new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString, async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(server);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        });
}

/// <summary>One database for one test (or one test class); disposing it deletes it.</summary>
public sealed class TestDatabase(TestProvider provider, string connectionString, Func<Task> drop) : IAsyncDisposable
{
    public TestProvider Provider { get; } = provider;
    public string ConnectionString { get; } = connectionString;

    public IConfiguration Configuration() => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            [DatabaseSettings.EnvironmentVariable] = ConnectionString,
            ["OPENCIS_ENCRYPTION_KEY"] = TestDatabases.EncryptionKey,
        })
        .Build();

    /// <summary>The same registrations the hosts make, with a fixed clock.</summary>
    public ServiceProvider Services(TimeProvider? clock = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(clock ?? new FixedClock(FixedClock.DemoToday));
        services.AddOpenCisUseCases(Configuration());
        return services.BuildServiceProvider();
    }

    public OpenCisDbContext Context() => DatabaseSettings.FromConnectionString(ConnectionString).CreateContext();

    /// <summary>
    /// Migrates the database to <paramref name="version"/>, running the migrations; to the latest (no version) an empty
    /// database is instead made a copy of one migrated once for the run (<see cref="TestDatabases.CopyMigratedAsync"/>), unless
    /// <paramref name="migrated"/> is false.
    /// </summary>
    public async Task MigrateAsync(int? version = null, bool migrated = true)
    {
        if (version is null && migrated && await TestDatabases.CopyMigratedAsync(this))
        {
            return;
        }

        await using var db = Context();
        await new SchemaMigrator(db).MigrateAsync(version);
    }

    public async ValueTask DisposeAsync()
    {
        if (Provider == TestProvider.Sqlite)
        {
            SqliteConnection.ClearAllPools();
        }

        await drop();
    }
}

/// <summary>A clock stopped at one instant, in UTC, so business dates do not depend on when or where tests run.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public static readonly DateTimeOffset DemoToday = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => now;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
}
