using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Billing;
using OpenCIS.Storage.Metering;
using OpenCIS.Storage.Payments;
using OpenCIS.Storage;
using OpenCIS.UseCases.Billing;
using OpenCIS.UseCases.Demo;
using OpenCIS.UseCases.Metering.Import;
using OpenCIS.UseCases.Metering;
using OpenCIS.UseCases.Payments;
using OpenCIS.UseCases.Reports;
using OpenCIS.UseCases;
using Spectre.Console;
using System.CommandLine;
using System.Globalization;
using static OpenCIS.Cli.CliApp;

namespace OpenCIS.Cli.Database;

/// <summary>`opencis db`: create or upgrade the schema, and print the EF model's CREATE script.</summary>
public static class DatabaseCommands
{
    public static void AddTo(CliHost host)
    {
        var console = host.Console;
        var root = host.Root;
        var db = new Command("db", "Database schema.");
        var migrate = new Command("migrate", "Create the database or upgrade it in place to the latest schema, keeping its data.");
        migrate.SetAction(async (_, cancellationToken) =>
        {
            await using var provider = host.Services();
            await using var scope = provider.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<SchemaMigrator>().MigrateAsync(null, cancellationToken);
            var settings = scope.ServiceProvider.GetRequiredService<DatabaseSettings>();
            console.MarkupLineInterpolated($"Database ({settings.Describe()}) at schema version [bold]{result.ToVersion}[/]; applied {result.Applied.Count} migration(s){(result.Applied.Count > 0 ? ": " + string.Join(", ", result.Applied.Select(m => $"{m.Version:D4} {m.Name}")) : ".")}");
            if (result.Applied.Count > 0)
            {
                // Identity numbers from before duplicate detection get their keyed hash; bank accounts from before their encryption are encrypted.
                var protectedFields = await scope.ServiceProvider.GetRequiredService<OpenCIS.UseCases.Encryption.ProtectStoredFields>().ExecuteAsync(cancellationToken);
                console.MarkupLineInterpolated($"Hashed {protectedFields.IdentityNumbersHashed:N0} identity numbers for duplicate detection; encrypted {protectedFields.BankAccountsEncrypted:N0} bank account numbers.");
            }
            return Ok;
        });
        var providerOption = new Option<string>("--provider") { Description = "sqlite or postgres", DefaultValueFactory = _ => "sqlite" };
        providerOption.AcceptOnlyFromAmong("sqlite", "postgres");
        var script = new Command("script", "Print the CREATE script of the current EF model (an aid for writing a new migration by hand).") { providerOption };
        script.SetAction(parse =>
        {
            var settings = parse.GetValue(providerOption) == "postgres"
                ? DatabaseSettings.FromConnectionString("Host=localhost;Database=opencis_script")
                : DatabaseSettings.FromConnectionString("Data Source=:memory:");
            Console.Out.Write(settings.CreateScript());
            return Ok;
        });
        db.Add(migrate);
        db.Add(script);
        AddBackup(host, db);
        root.Add(db);
    }

    /// <summary>
    /// <c>opencis db backup --out F</c> and <c>opencis db restore --from F --yes</c>: a consistent copy while the system
    /// runs (SQLite's online backup API; PostgreSQL's pg_dump), and its return. Each prints the row counts and the trial
    /// balance of what it wrote, to compare with the source.
    /// </summary>
    private static void AddBackup(CliHost host, Command db)
    {
        var console = host.Console;
        var outOption = new Option<FileInfo>("--out") { Description = "The backup file to write (never overwritten)", Required = true };
        var backup = new Command("backup", "Back up the whole database while it runs: SQLite's online backup API, or pg_dump for PostgreSQL. The encryption key is not in it; keep the key apart.") { outOption };
        backup.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var settings = services.GetRequiredService<DatabaseSettings>();
            var file = parse.GetValue(outOption)!;
            await DatabaseBackup.BackupAsync(settings, file.FullName, cancellationToken);
            console.MarkupLineInterpolated($"Backed up the {settings.Describe()} database to [bold]{file.FullName}[/] ({new FileInfo(file.FullName).Length:N0} bytes).");
            if (settings.Provider == DatabaseProvider.Sqlite)
            {
                Summary(console, "The backup holds", await DatabaseSummary.OfAsync(DatabaseSettings.FromConnectionString($"Data Source={file.FullName};Pooling=False"), cancellationToken));
            }

            return Ok;
        }));

        var fromOption = new Option<FileInfo>("--from") { Description = "The backup file to restore", Required = true };
        var yesOption = new Option<bool>("--yes") { Description = "Confirm that the database's present contents are replaced by the backup's" };
        var restore = new Command("restore", "Replace the database's contents with a backup's, then upgrade it to this build's schema. Stop the web host first.") { fromOption, yesOption };
        restore.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            if (!parse.GetValue(yesOption))
            {
                throw new DomainException("A restore replaces everything in the database with the backup's contents: stop the web host, then run again with --yes.", "--yes");
            }

            var settings = services.GetRequiredService<DatabaseSettings>();
            var file = parse.GetValue(fromOption)!;
            await DatabaseBackup.RestoreAsync(settings, file.FullName, cancellationToken);
            await using var scope = services.CreateAsyncScope();
            var upgraded = await scope.ServiceProvider.GetRequiredService<SchemaMigrator>().MigrateAsync(null, cancellationToken);
            console.MarkupLineInterpolated($"Restored the {settings.Describe()} database from [bold]{file.FullName}[/] (schema version {upgraded.ToVersion}).");
            Summary(console, "The database now holds", await scope.ServiceProvider.GetRequiredService<DatabaseSummary>().ExecuteAsync(cancellationToken));
            return Ok;
        }));
        db.Add(backup);
        db.Add(restore);
    }

    private static void Summary(IAnsiConsole console, string heading, DatabaseSummaryView summary)
    {
        console.MarkupLineInterpolated($"{heading}:");
        var table = new Table().AddColumns("Table", "Rows");
        foreach (var (name, rows) in summary.Counts)
        {
            table.AddRow(name, rows.ToString("N0", CultureInfo.InvariantCulture));
        }

        console.Write(table);
        console.MarkupLineInterpolated($"Trial balance: debits {summary.Debits}, credits {summary.Credits} ({(summary.Balances ? "balanced" : "NOT BALANCED")}); receivable {summary.ReceivableControl}, sub-ledger {summary.SubLedger} ({(summary.TiesOut ? "tied" : "NOT TIED")}).");
    }
}
