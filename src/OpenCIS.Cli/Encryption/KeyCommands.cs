using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.UseCases.Encryption;
using Spectre.Console;

namespace OpenCIS.Cli.Encryption;

/// <summary>
/// <c>opencis keys generate</c> prints a new encryption key; <c>opencis keys rotate</c> re-encrypts every protected
/// field (identity numbers, bank account numbers) under <c>OPENCIS_ENCRYPTION_KEY</c>, opening old values with the
/// keys in <c>OPENCIS_ENCRYPTION_KEY_PREVIOUS</c>; stopped part way, it resumes when run again.
/// </summary>
public static class KeyCommands
{
    public static void AddTo(CliHost host)
    {
        var keys = host.Group("keys", "The encryption key of protected fields: generate a new one, rotate to it.");
        var generate = new Command("generate", "Print a new random key (base64 of 32 bytes) for OPENCIS_ENCRYPTION_KEY.");
        generate.SetAction(_ =>
        {
            host.Console.WriteLine(FieldProtector.NewKey());
            return CliApp.Ok;
        });
        keys.Add(generate);

        var rotate = new Command("rotate",
            $"Re-encrypt every protected field under {FieldProtector.KeyVariable}, opening old values with the keys in {FieldProtector.PreviousKeysVariable} (comma-separated). Resumable: run it again after a stop.");
        rotate.SetAction((_, cancellationToken) => host.WithServices(async services =>
        {
            var protector = services.GetRequiredService<FieldProtector>();
            var outcome = await host.Console.Status().StartAsync($"Re-encrypting under key {protector.CurrentKeyId}...", async context =>
                await services.GetRequiredService<RotateProtectionKey>().ExecuteAsync(host.User, new Progress<string>(step => context.Status($"Re-encrypting under key {protector.CurrentKeyId}: {step}")), cancellationToken));
            host.Console.MarkupLineInterpolated(
                $"Every protected field is under key [bold]{outcome.KeyId}[/]: re-encrypted {outcome.IdentityNumbers:N0} identity numbers and {outcome.BankAccounts:N0} bank account numbers; {outcome.AlreadyCurrent:N0} were already under it.");
            host.Console.WriteLine($"The retired keys can now be removed from {FieldProtector.PreviousKeysVariable}.");
            return CliApp.Ok;
        }));
        keys.Add(rotate);
    }
}
