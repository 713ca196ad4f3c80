using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using OpenCIS.Tests.Persistence;
using OpenCIS.UseCases.Encryption;

namespace OpenCIS.Tests.Cli;

/// <summary>`opencis keys rotate`: every identity and bank account number re-encrypted under the new key, readable without the old one, and a second run finds nothing to do.</summary>
public sealed class KeyRotationCliTests
{
    [Fact]
    public async Task Rotating_the_key_re_encrypts_every_protected_field_and_resumes_to_nothing()
    {
        await using var database = await TestDatabases.CreateAsync(TestProvider.Sqlite, "key rotation");
        Assert.Equal(0, (await CliRun.ExecuteAsync(database.Configuration(), "demo", "seed", "--accounts", "40")).ExitCode);
        int identities, banks;
        await using (var db = database.Context())
        {
            identities = await db.Customers.CountAsync(c => c.IdentityCipher != null);
            banks = await db.AchEnrollments.CountAsync();
        }

        Assert.True(identities + banks > 0, "the demo city has protected fields to rotate");
        var newKey = FieldProtector.NewKey();
        IConfiguration With(Dictionary<string, string?> settings) =>
            new ConfigurationBuilder().AddConfiguration(database.Configuration()).AddInMemoryCollection(settings).Build();

        // Without the old key listed, nothing can be opened: refused, naming the setting.
        var refused = await CliRun.ExecuteAsync(With(new() { [FieldProtector.KeyVariable] = newKey }), "keys", "rotate");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains(FieldProtector.PreviousKeysVariable, refused.Output, StringComparison.Ordinal);

        var rotation = With(new() { [FieldProtector.KeyVariable] = newKey, [FieldProtector.PreviousKeysVariable] = TestDatabases.EncryptionKey });
        var rotated = await CliRun.ExecuteAsync(rotation, "keys", "rotate");
        Assert.True(rotated.ExitCode == 0, rotated.Output);
        Assert.Contains("identity numbers", rotated.Output, StringComparison.Ordinal);

        // The new key alone opens everything now.
        var protector = new FieldProtector(Convert.FromBase64String(newKey));
        await using (var db = database.Context())
        {
            foreach (var cipher in await db.Customers.Where(c => c.IdentityCipher != null).Select(c => c.IdentityCipher!).ToListAsync())
            {
                Assert.True(protector.IsCurrent(cipher));
                Assert.Equal(9, protector.Unprotect(cipher).Count(char.IsAsciiDigit));
            }

            foreach (var enrollment in await db.AchEnrollments.ToListAsync())
            {
                Assert.True(protector.IsCurrent(enrollment.DfiAccountCipher));
                Assert.EndsWith(enrollment.DfiAccountLastFour!, protector.Unprotect(enrollment.DfiAccountCipher), StringComparison.Ordinal);
            }

            // A customer's e-check waiting for the ACH file keeps its bank account number, under the new key too.
            var eCheck = await db.OneTimeDebits.SingleAsync(d => d.Status == OpenCIS.Storage.Portal.OneTimeDebitStatus.Pending);
            Assert.True(protector.IsCurrent(eCheck.DfiAccountCipher));
            Assert.Equal(OpenCIS.UseCases.Demo.DemoPortal.SamBankAccount, protector.Unprotect(eCheck.DfiAccountCipher));
        }

        var again = await CliRun.ExecuteAsync(rotation, "keys", "rotate");
        Assert.Contains("re-encrypted 0 identity numbers and 0 bank account numbers", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void In_demo_mode_the_key_file_is_made_readable_by_its_owner_only_and_elsewhere_a_key_is_required()
    {
        var folder = Directory.CreateTempSubdirectory("opencis-key").FullName;
        try
        {
            var file = Path.Combine(folder, "opencis.key");
            var production = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Encryption:KeyFile"] = file }).Build();
            Assert.Equal(FieldProtector.KeyVariable, Assert.Throws<OpenCIS.Core.Common.DomainException>(() => FieldProtector.FromConfiguration(production)).Field);
            Assert.False(File.Exists(file));

            var demo = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Encryption:KeyFile"] = file, ["OPENCIS_DEMO"] = "true" }).Build();
            var protector = FieldProtector.FromConfiguration(demo);
            Assert.Equal("123-45-6789", protector.Unprotect(protector.Protect("123-45-6789")));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
