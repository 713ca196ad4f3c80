using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using OpenCIS.Cli.Benchmarks;
using OpenCIS.Cli.Billing;
using OpenCIS.Cli.Collections;
using OpenCIS.Cli.Database;
using OpenCIS.Cli.Demo;
using OpenCIS.Cli.Deposits;
using OpenCIS.Cli.Mail;
using OpenCIS.Cli.Ledger;
using OpenCIS.Cli.Metering;
using OpenCIS.Cli.Payments;
using OpenCIS.Cli.Rating;
using OpenCIS.Cli.Receivables;
using OpenCIS.Cli.Reports;
using OpenCIS.Core.Common;
using Spectre.Console;

namespace OpenCIS.Cli;

/// <summary>
/// The <c>opencis</c> command line for batch work. Every command calls the same use cases as the
/// web host. Exit codes: 0 done, 1 bad input (nothing posted), 2 the books do not tie out.
/// </summary>
public static class CliApp
{
    public const int Ok = 0;
    public const int BadInput = 1;
    public const int OutOfBalance = 2;

    public static async Task<int> RunAsync(string[] args, IAnsiConsole console, IConfiguration? configuration = null, TimeProvider? clock = null)
    {
        var root = new RootCommand("OpenCIS batch work: database, demo data, billing runs, payment files and reports.");
        var host = new CliHost(console, configuration ?? new ConfigurationBuilder().AddEnvironmentVariables().Build(), clock, root);

        // The capabilities, one line each: each adds its own commands (under a shared group where several meet).
        DatabaseCommands.AddTo(host);
        DemoCommands.AddTo(host);
        ReadCommands.AddTo(host);
        TariffCommands.AddTo(host);
        BillingCommands.AddTo(host);
        BillDocumentCommands.AddTo(host);
        CorrectionCommands.AddTo(host);
        BillReviewCommands.AddTo(host);
        BudgetCommands.AddTo(host);
        AgreementAttributeCommands.AddTo(host);
        BillMessageCommands.AddTo(host);
        CycleCommands.AddTo(host);
        LedgerCommands.AddTo(host);
        ReceivablesCommands.AddTo(host);
        PaymentFileCommands.AddTo(host);
        PaymentReturnCommands.AddTo(host);
        AchCommands.AddTo(host);
        DepositCommands.AddTo(host);
        MailCommands.AddTo(host);
        CollectionCommands.AddTo(host);
        CollectionRunCommands.AddTo(host);
        ServiceOrders.OrderCommands.AddTo(host);
        Customers.PremiseCommands.AddTo(host);
        Encryption.KeyCommands.AddTo(host);
        Users.UserCommands.AddTo(host);
        ReportCommands.AddTo(host);
        TrendCommands.AddTo(host);
        Assistance.AssistanceCommands.AddTo(host);
        Invoices.InvoiceCommands.AddTo(host);
        Bankruptcy.BankruptcyCommands.AddTo(host);
        Pursuit.PursuitCommands.AddTo(host);
        Liens.LienCommands.AddTo(host);
        Campaigns.CampaignCommands.AddTo(host);
        Customers.SkipTraceCommands.AddTo(host);
        BenchmarkCommands.AddTo(host);

        try
        {
            // Failures other than the database's keep the default handler (the exception printed, exit code 1).
            return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception exception) when (Storage.DatabaseSettings.FromConfiguration(host.Configuration).ExplainConnectionFailure(exception) is { } problem)
        {
            // A database that cannot be reached or opened is the operator's to fix: say which and why, without a stack trace.
            console.MarkupLineInterpolated($"[red]{problem}[/]");
            return BadInput;
        }
        catch (Exception exception)
        {
            // As the default handler does: the exception on standard error (a cancellation quietly), exit code 1.
            if (exception is not OperationCanceledException)
            {
                await Console.Error.WriteLineAsync($"Unhandled exception: {exception}");
            }

            return 1;
        }
    }

    /// <summary>Prints each problem of a file that was refused (line and field named) and gives the bad-input exit code.</summary>
    internal static int Refused(IAnsiConsole console, IEnumerable<UseCases.Payments.FileError> errors)
    {
        foreach (var error in errors)
        {
            console.MarkupLineInterpolated($"[red]{error.ToString()}[/]");
        }

        return BadInput;
    }

    /// <summary>An import's outcome: its errors in red and its message; the exit code is <see cref="Ok"/> only when nothing was refused.</summary>
    internal static int Imported(IAnsiConsole console, IReadOnlyCollection<UseCases.Payments.FileError> errors, string message)
    {
        var exitCode = errors.Count == 0 ? Ok : Refused(console, errors);
        console.WriteLine(message);
        return exitCode;
    }

    /// <summary>Text kept exactly as imported (a policy's YAML, a template), written to <paramref name="outFile"/> or, without one, to standard output.</summary>
    internal static async Task<int> ExportAsync(IAnsiConsole console, FileInfo? outFile, string text, string what, CancellationToken cancellationToken)
    {
        if (outFile is null)
        {
            console.Profile.Out.Writer.Write(text);
            return Ok;
        }

        await File.WriteAllTextAsync(outFile.FullName, text, cancellationToken);
        console.WriteLine($"Wrote {what} to {outFile.FullName}.");
        return Ok;
    }

    /// <summary>
    /// A workflow's refusal, which names its field as the API does, said with the command's option for that field
    /// ("--to: The message ends ..."); unchanged when the field is not one of them.
    /// </summary>
    internal static DomainException NamingOption(DomainException exception, params (string Field, string Option)[] options) =>
        options.FirstOrDefault(o => o.Field == exception.Field) is { Option: { } option }
            ? new DomainException($"{option}: {exception.Message}", exception.Field)
            : exception;

    /// <summary>A YYYY-MM-DD option, or the error naming it; every command reads dates through here.</summary>
    internal static DateOnly ParseDate(string text, string option) =>
        IsoDate.TryParse(text, out var date)
            ? date
            : throw new DomainException($"{option}: '{text}' is not a date in the form YYYY-MM-DD.", option);
}
