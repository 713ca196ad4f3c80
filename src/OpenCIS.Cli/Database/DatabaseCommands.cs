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
        root.Add(db);
    }
}
