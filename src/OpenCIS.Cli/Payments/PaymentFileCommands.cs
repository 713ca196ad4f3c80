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

namespace OpenCIS.Cli.Payments;

/// <summary>`opencis payments post` and `payments import`: payment and lockbox files.</summary>
public static class PaymentFileCommands
{
    public static void AddTo(CliHost host)
    {
        var console = host.Console;
        var user = host.User;
        var payments = host.Group("payments", "Payments.");
        var fileOption = new Option<FileInfo>("--file") { Description = "CSV file: account,amount,date,tender,reference", Required = true };
        var post = new Command("post", "Post a CSV payment file; a bad file posts nothing, the same file twice posts once.") { fileOption };
        post.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var file = parse.GetValue(fileOption)!;
            if (!file.Exists)
            {
                console.MarkupLineInterpolated($"[red]{file.FullName} does not exist.[/]");
                return BadInput;
            }

            var outcome = await services.GetRequiredService<PostPaymentFile>().ExecuteAsync(file.Name, await File.ReadAllBytesAsync(file.FullName, cancellationToken), user, cancellationToken);
            foreach (var error in outcome.Errors)
            {
                console.MarkupLineInterpolated($"[red]{error.ToString()}[/]");
            }

            console.WriteLine(outcome.Message);
            return outcome.Errors.Count > 0 ? BadInput : Ok;
        }));
        payments.Add(post);
        var lockboxFormatOption = new Option<string>("--format") { Description = "bai2 or csv", Required = true };
        var lockboxFileOption = new Option<FileInfo>("--file") { Description = "A lockbox file: BAI2, or CSV (account,amount,date,tender,reference)", Required = true };
        var lockboxChunkOption = new Option<int>("--chunk-size") { Description = "Payments posted per transaction", DefaultValueFactory = _ => ImportLockbox.DefaultChunkSize };
        var lockboxPauseOption = new Option<int>("--pause-ms") { Description = "Milliseconds to rest after each chunk, to leave the database room for online work", DefaultValueFactory = _ => 0 };
        var lockboxImport = new Command("import", "Import a lockbox file; a bad file posts nothing, unknown accounts go to suspense, the same file twice posts once, a re-run resumes.") { lockboxFormatOption, lockboxFileOption, lockboxChunkOption, lockboxPauseOption };
        lockboxImport.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var file = parse.GetValue(lockboxFileOption)!;
            LockboxFormat? format = parse.GetValue(lockboxFormatOption)?.ToLowerInvariant() switch { "bai2" => LockboxFormat.Bai2, "csv" => LockboxFormat.Csv, _ => null };
            if (format is null)
            {
                console.MarkupLine("[red]--format is bai2 or csv.[/]");
                return BadInput;
            }

            if (!file.Exists)
            {
                console.MarkupLineInterpolated($"[red]{file.FullName} does not exist.[/]");
                return BadInput;
            }

            var lockbox = services.GetRequiredService<ImportLockbox>();
            lockbox.ChunkSize = parse.GetValue(lockboxChunkOption) is var size and >= 1 and <= 100_000 ? size : throw new DomainException("--chunk-size is 1 to 100,000.", "--chunk-size");
            lockbox.PauseBetweenChunks = TimeSpan.FromMilliseconds(parse.GetValue(lockboxPauseOption) is var pause and >= 0 ? pause : throw new DomainException("--pause-ms cannot be negative.", "--pause-ms"));
            var outcome = await lockbox.ExecuteAsync(format.Value, file.Name, await File.ReadAllBytesAsync(file.FullName, cancellationToken), user, cancellationToken);
            foreach (var error in outcome.Errors)
            {
                console.MarkupLineInterpolated($"[red]{error.ToString()}[/]");
            }

            console.WriteLine(outcome.Message);
            return outcome.Errors.Count > 0 ? BadInput : Ok;
        }));
        payments.Add(lockboxImport);
    }
}
