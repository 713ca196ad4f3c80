using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments.Ach;
using OpenCIS.Storage.Payments.Ach;
using OpenCIS.UseCases.Payments.Ach;
using Spectre.Console;

namespace OpenCIS.Cli.Payments;

/// <summary>
/// ACH autopay from the command line, through the same workflows as the screens and the API:
/// <c>ach enroll</c>, <c>ach generate --date D --out FILE</c>, <c>ach returns --file F</c>.
/// </summary>
public static class AchCommands
{
    public static void AddTo(CliHost host)
    {
        var root = host.Root;
        var console = host.Console;
        Func<Func<IServiceProvider, Task<int>>, Task<int>> withServices = host.WithServices;
        var user = host.User;
        var ach = new Command("ach", "ACH autopay: enrollments, NACHA debit files, return files.");

        var accountOption = new Option<string>("--account") { Description = "Account number", Required = true };
        var routingOption = new Option<string>("--routing") { Description = "The bank's nine-digit routing number", Required = true };
        var bankAccountOption = new Option<string>("--bank-account") { Description = "The customer's bank account number", Required = true };
        var typeOption = new Option<string>("--type") { Description = "checking or savings", DefaultValueFactory = _ => "checking" };
        typeOption.AcceptOnlyFromAmong("checking", "savings");
        var classOption = new Option<string>("--class") { Description = "PPD (signed on paper or by phone) or WEB (online)", DefaultValueFactory = _ => "PPD" };
        classOption.AcceptOnlyFromAmong("PPD", "WEB", "ppd", "web");
        var holderOption = new Option<string>("--holder") { Description = "The name on the bank account", Required = true };
        var enroll = new Command("enroll", "Enroll an account in autopay; a prenote goes out with the next file.") { accountOption, routingOption, bankAccountOption, typeOption, classOption, holderOption };
        enroll.SetAction((parse, cancellationToken) => withServices(async services =>
        {
            var enrollment = await services.GetRequiredService<EnrollAch>().ExecuteAsync(new AchEnrollmentRequest(
                parse.GetValue(accountOption)!, parse.GetValue(routingOption)!, parse.GetValue(bankAccountOption)!,
                Enum.Parse<AchAccountType>(parse.GetValue(typeOption)!, ignoreCase: true), Enum.Parse<AchEntryClass>(parse.GetValue(classOption)!, ignoreCase: true),
                parse.GetValue(holderOption)!), user, cancellationToken);
            console.MarkupLineInterpolated($"Enrolled account {enrollment.AccountNumber} (enrollment {enrollment.Id}): {enrollment.RoutingNumber} {enrollment.MaskedAccountNumber} {enrollment.AccountType}, {enrollment.EntryClass}, {enrollment.Status}.");
            return CliApp.Ok;
        }));
        ach.Add(enroll);

        var enrollmentOption = new Option<long>("--enrollment") { Description = "The enrollment's number", Required = true };
        var reasonOption = new Option<string>("--reason") { Description = "Why (kept with the cancellation)", Required = true };
        var cancel = new Command("cancel", "Cancel an enrollment; no later file debits the account.") { enrollmentOption, reasonOption };
        cancel.SetAction((parse, cancellationToken) => withServices(async services =>
        {
            var enrollment = await services.GetRequiredService<CancelAch>().ExecuteAsync(parse.GetValue(enrollmentOption), parse.GetValue(reasonOption)!, user, cancellationToken);
            console.MarkupLineInterpolated($"Enrollment {enrollment.Id} of account {enrollment.AccountNumber} is {enrollment.Status}.");
            return CliApp.Ok;
        }));
        ach.Add(cancel);

        var dateOption = new Option<string>("--date") { Description = "Settlement date, YYYY-MM-DD", Required = true };
        var outOption = new Option<FileInfo>("--out") { Description = "Where to write the NACHA file", Required = true };
        var generate = new Command("generate", "Write the NACHA debit file for a settlement date (the same file again if it was generated before).") { dateOption, outOption };
        generate.SetAction((parse, cancellationToken) => withServices(async services =>
        {
            var text = parse.GetValue(dateOption)!;
            var date = CliApp.ParseDate(text, "--date");
            var outcome = await services.GetRequiredService<GenerateAchFile>().ExecuteAsync(date, user, cancellationToken);
            if (outcome.Content.Length > 0)
            {
                var file = parse.GetValue(outOption)!;
                await File.WriteAllTextAsync(file.FullName, outcome.Content, cancellationToken);
                console.MarkupLineInterpolated($"Wrote {file.FullName}.");
            }

            console.WriteLine(outcome.Message);
            return CliApp.Ok;
        }));
        ach.Add(generate);

        var fileOption = new Option<FileInfo>("--file") { Description = "The bank's ACH return file (NACHA)", Required = true };
        var returns = new Command("returns", "Post an ACH return file; a bad file posts nothing, the same file twice posts once.") { fileOption };
        returns.SetAction((parse, cancellationToken) => withServices(async services =>
        {
            var file = parse.GetValue(fileOption)!;
            if (!file.Exists)
            {
                console.MarkupLineInterpolated($"[red]{file.FullName} does not exist.[/]");
                return CliApp.BadInput;
            }

            var outcome = await services.GetRequiredService<ProcessAchReturns>().ExecuteAsync(file.Name, await File.ReadAllBytesAsync(file.FullName, cancellationToken), user, cancellationToken);
            foreach (var error in outcome.Errors)
            {
                console.MarkupLineInterpolated($"[red]{error.ToString()}[/]");
            }

            console.WriteLine(outcome.Message);
            return outcome.Errors.Count > 0 ? CliApp.BadInput : CliApp.Ok;
        }));
        ach.Add(returns);
        root.Add(ach);
    }
}
