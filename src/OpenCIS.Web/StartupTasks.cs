using System.Diagnostics;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenCIS.UseCases.Demo;
using OpenCIS.Storage;
using OpenCIS.Web.Security;

namespace OpenCIS.Web;

/// <summary>
/// What happens before the host serves: the schema is created or upgraded in place, the roles
/// exist, and either the demo city (demo mode) or the first administrator is ready.
/// </summary>
public static class StartupTasks
{
    public static async Task<bool> RunAsync(IServiceProvider services, IConfiguration configuration, TextWriter output)
    {
        await using var scope = services.CreateAsyncScope();
        var provider = scope.ServiceProvider;
        var settings = provider.GetRequiredService<DatabaseSettings>();
        var migration = await provider.GetRequiredService<SchemaMigrator>().MigrateAsync();
        if (migration.Applied.Count > 0)
        {
            output.WriteLine($"Database ({settings.Describe()}) upgraded from schema version {migration.FromVersion} to {migration.ToVersion}.");
            // Identity numbers from before duplicate detection get their keyed hash; bank accounts from before their encryption are encrypted.
            var protectedFields = await provider.GetRequiredService<OpenCIS.UseCases.Encryption.ProtectStoredFields>().ExecuteAsync();
            if (protectedFields.IdentityNumbersHashed + protectedFields.BankAccountsEncrypted > 0)
            {
                output.WriteLine($"Hashed {protectedFields.IdentityNumbersHashed:N0} identity numbers for duplicate detection; encrypted {protectedFields.BankAccountsEncrypted:N0} bank account numbers.");
            }
        }

        await UserSetup.EnsureRolesAsync(provider.GetRequiredService<RoleManager<IdentityRole>>());
        var users = provider.GetRequiredService<UserManager<IdentityUser>>();
        if (!string.Equals(configuration["OPENCIS_DEMO"], "true", StringComparison.OrdinalIgnoreCase))
        {
            return await UserSetup.EnsureAdministratorAsync(users, configuration["OPENCIS_ADMIN_PASSWORD"], output);
        }

        await UserSetup.EnsureDemoUsersAsync(users);
        var db = provider.GetRequiredService<OpenCisDbContext>();
        if (!await db.Accounts.AnyAsync())
        {
            var count = int.TryParse(configuration["OPENCIS_DEMO_ACCOUNTS"], out var configured) ? configured : 2000;
            output.WriteLine($"Seeding the demo city with {count:N0} accounts and a year of bills and payments (first start only)...");
            var stopwatch = Stopwatch.StartNew();
            var progress = new ConsoleProgress(output, stopwatch);
            var outcome = await provider.GetRequiredService<SeedDemoCity>().ExecuteAsync(count, progress);
            output.WriteLine($"Seeded {outcome.Accounts:N0} accounts: {outcome.Bills:N0} bills, {outcome.Payments:N0} payments in {stopwatch.Elapsed.TotalSeconds:N0} s.");
        }

        output.WriteLine($"Demo users (password '{UserSetup.DemoPassword}'): {string.Join(", ", Roles.All.Select(r => r.ToLowerInvariant()))}.");
        output.WriteLine($"Demo customers at /portal (password '{OpenCIS.UseCases.Demo.DemoPortal.Password}'): {OpenCIS.UseCases.Demo.DemoPortal.Maria} (Spanish, two accounts), {OpenCIS.UseCases.Demo.DemoPortal.Sam}.");
        return true;
    }

    /// <summary>Prints each step of the first-start seed with the time so far, so a newcomer sees it working.</summary>
    private sealed class ConsoleProgress(TextWriter output, Stopwatch stopwatch) : IProgress<string>
    {
        public void Report(string value)
        {
            if (value.StartsWith("Billing", StringComparison.Ordinal) || value.StartsWith("Creating accounts", StringComparison.Ordinal))
            {
                output.WriteLine($"  [{stopwatch.Elapsed:mm\\:ss}] {value}");
            }
        }
    }
}
