using Microsoft.Extensions.Configuration;
using OpenCIS.Storage;
using OpenCIS.Tests.Persistence;

namespace OpenCIS.Tests.Cli;

/// <summary>A database the command line cannot reach or open is named with the reason, never shown as a stack trace.</summary>
public sealed class DatabaseConnectionCliTests
{
    private static IConfiguration Pointing(string connectionString) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            [DatabaseSettings.EnvironmentVariable] = connectionString,
            ["OPENCIS_ENCRYPTION_KEY"] = TestDatabases.EncryptionKey,
        })
        .Build();

    [Fact]
    public async Task A_sqlite_file_that_cannot_be_created_is_named_with_the_reason()
    {
        // /proc exists, and no one may create a file in it.
        var run = await CliRun.ExecuteAsync(Pointing("Data Source=/proc/opencis-cannot-be-here.db"), "db", "migrate");

        Assert.Equal(1, run.ExitCode);
        var output = Flat(run.Output);
        Assert.Contains("The SQLite database '/proc/opencis-cannot-be-here.db' cannot be opened (SQLite error 14)", output, StringComparison.Ordinal);
        Assert.DoesNotContain(" at OpenCIS.", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_postgres_database_that_does_not_exist_is_named_and_a_wrong_password_is_refused_without_showing_it()
    {
        var server = new Npgsql.NpgsqlConnectionStringBuilder(TestDatabases.RequirePostgres("the database connection CLI test"));
        var missing = new Npgsql.NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = $"opencis_missing_{Guid.NewGuid():N}" };

        var run = await CliRun.ExecuteAsync(Pointing(missing.ConnectionString), "db", "migrate");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"The PostgreSQL database '{missing.Database}' on {server.Host}:{server.Port} (user {server.Username}) does not exist: create it (createdb)", Flat(run.Output), StringComparison.Ordinal);

        var wrong = new Npgsql.NpgsqlConnectionStringBuilder(server.ConnectionString) { Password = "not-the-password-" + Guid.NewGuid().ToString("N") };
        var refused = await CliRun.ExecuteAsync(Pointing(wrong.ConnectionString), "db", "migrate");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("PostgreSQL refused the login for", Flat(refused.Output), StringComparison.Ordinal);
        Assert.DoesNotContain(wrong.Password, refused.Output, StringComparison.Ordinal);
    }

    private static string Flat(string output) => System.Text.RegularExpressions.Regex.Replace(output, @"\s+", " ");
}
