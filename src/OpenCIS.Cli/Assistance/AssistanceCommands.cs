using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Assistance;
using OpenCIS.Core.Common;
using OpenCIS.UseCases;
using OpenCIS.UseCases.Assistance;
using Spectre.Console;

namespace OpenCIS.Cli.Assistance;

/// <summary>
/// Assistance programs from the command line, through the use cases the screens and the API call:
/// <c>programs list|add|enroll|end</c> and <c>pledges list|add|report</c>.
/// </summary>
public static class AssistanceCommands
{
    public static void AddTo(CliHost host)
    {
        var programs = host.Group("programs", "Assistance programs (senior, low-income, medical) and accounts' enrollments.");
        programs.Add(ListPrograms(host));
        programs.Add(AddProgram(host));
        programs.Add(Enroll(host));
        programs.Add(End(host));
        var pledges = host.Group("pledges", "Agencies' energy-assistance pledges to accounts.");
        pledges.Add(ListPledges(host));
        pledges.Add(AddPledge(host));
        pledges.Add(Report(host));
    }

    private static Command ListPrograms(CliHost host)
    {
        var list = new Command("list", "Every program with its eligibility, re-verification, accounts enrolled today and the tariff charges limited to it.");
        list.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var table = new Table().AddColumns("Code", "Name", "Re-verify", "Enrolled", "Tariff charges", "Active");
            foreach (var p in await services.GetRequiredService<AssistancePrograms>().ListAsync(cancellationToken))
            {
                table.AddRow(p.Code, Markup.Escape(p.Name), p.VerificationMonths is { } m ? $"{m} months" : "never", p.EnrolledAccounts.ToString(CultureInfo.InvariantCulture),
                    Markup.Escape(p.Charges.Count == 0 ? "none" : string.Join("\n", p.Charges.Select(c => $"{c.ScheduleCode} {c.EffectiveFrom:yyyy-MM-dd} {c.ChargeCode}"))), p.Active ? "yes" : "no");
            }

            host.Console.Write(table);
            return CliApp.Ok;
        }));
        return list;
    }

    private static Command AddProgram(CliHost host)
    {
        var code = new Argument<string>("code") { Description = "The program's code as tariffs name it in for_programs: SENIOR, LOWINCOME, MEDICAL" };
        var name = new Option<string>("--name") { Description = "The program's name", Required = true };
        var eligibility = new Option<string?>("--eligibility") { Description = "Who is eligible" };
        var months = new Option<int?>("--verify-months") { Description = "Months an enrollment counts after its verification; none: never re-verified" };
        var inactive = new Option<bool>("--inactive") { Description = "Takes no new enrollments" };
        var add = new Command("add", "Add a program, or change one with the same code.") { code, name, eligibility, months, inactive };
        add.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var saved = await services.GetRequiredService<AssistancePrograms>().SaveAsync(
                new ProgramDefinition(parse.GetValue(code)!, parse.GetValue(name)!, parse.GetValue(eligibility), parse.GetValue(months), !parse.GetValue(inactive)), host.User, cancellationToken);
            host.Console.WriteLine($"Program {saved.Code} saved; {saved.Charges.Count} tariff charge(s) name it.");
            return CliApp.Ok;
        }));
        return add;
    }

    private static Command Enroll(CliHost host)
    {
        var account = new Option<string>("--account") { Description = "The account number", Required = true };
        var program = new Option<string>("--program") { Description = "The program's code", Required = true };
        var on = new Option<string?>("--on") { Description = "Enrolled on, YYYY-MM-DD (default: the business date)" };
        var verified = new Option<string?>("--verified") { Description = "Eligibility verified on, YYYY-MM-DD" };
        var expires = new Option<string?>("--expires") { Description = "Expires on (the last day it counts), YYYY-MM-DD" };
        var note = new Option<string?>("--note") { Description = "A note" };
        var enroll = new Command("enroll", "Enroll an account in a program.") { account, program, on, verified, expires, note };
        enroll.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var e = await services.GetRequiredService<ProgramEnrollmentWork>().EnrollAsync(new EnrollRequest(parse.GetValue(account)!, parse.GetValue(program)!,
                Date(parse.GetValue(on), "--on"), Date(parse.GetValue(verified), "--verified"), Date(parse.GetValue(expires), "--expires"), parse.GetValue(note)), host.User, cancellationToken);
            host.Console.WriteLine($"Account {e.AccountNumber} enrolled in {e.ProgramCode} from {e.EnrolledOn:yyyy-MM-dd}: {e.State}" + (e.CountsThrough is { } t ? $" through {t:yyyy-MM-dd}." : "."));
            return CliApp.Ok;
        }));
        return enroll;
    }

    private static Command End(CliHost host)
    {
        var account = new Option<string>("--account") { Description = "The account number", Required = true };
        var program = new Option<string>("--program") { Description = "The program's code", Required = true };
        var on = new Option<string?>("--on") { Description = "Ended on (the first day it no longer counts), YYYY-MM-DD (default: the business date)" };
        var note = new Option<string?>("--note") { Description = "Why" };
        var end = new Command("end", "End an account's open enrollment in a program.") { account, program, on, note };
        end.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var work = services.GetRequiredService<ProgramEnrollmentWork>();
            var code = ProgramCodes.Normalize(parse.GetValue(program), "--program");
            var open = (await work.OfAccountAsync(parse.GetValue(account)!, cancellationToken)).FirstOrDefault(e => e.ProgramCode == code && e.EndedOn is null)
                ?? throw new DomainException($"--program: account {parse.GetValue(account)} has no open enrollment in {code}.", "--program");
            var ended = await work.EndAsync(open.Id, Date(parse.GetValue(on), "--on"), parse.GetValue(note), host.User, cancellationToken);
            host.Console.WriteLine($"Enrollment of {ended.AccountNumber} in {ended.ProgramCode} ended on {ended.EndedOn:yyyy-MM-dd}.");
            return CliApp.Ok;
        }));
        return end;
    }

    private static Command ListPledges(CliHost host)
    {
        var account = new Option<string>("--account") { Description = "The account number", Required = true };
        var list = new Command("list", "The account's pledges, open ones first.") { account };
        list.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var pledges = await services.GetRequiredService<PledgeQueries>().OfAccountAsync(parse.GetValue(account)!, cancellationToken);
            host.Console.Write(PledgeTable(pledges));
            host.Console.WriteLine($"{pledges.Count} pledge(s).");
            return CliApp.Ok;
        }));
        return list;
    }

    private static Command AddPledge(CliHost host)
    {
        var account = new Option<string>("--account") { Description = "The account number", Required = true };
        var agency = new Option<string>("--agency") { Description = "The agency pledging", Required = true };
        var amount = new Option<string>("--amount") { Description = "The amount pledged, in dollars", Required = true };
        var expected = new Option<string>("--expected-by") { Description = "The day the agency's payment is expected by, YYYY-MM-DD", Required = true };
        var on = new Option<string?>("--on") { Description = "Pledged on, YYYY-MM-DD (default: the business date)" };
        var add = new Command("add", "Record an agency's pledge to an account.") { account, agency, amount, expected, on };
        add.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var money = Money.TryParse(parse.GetValue(amount), out var parsed) ? parsed : throw new DomainException($"--amount: '{parse.GetValue(amount)}' is not an amount in dollars and cents.", "--amount");
            var pledge = await services.GetRequiredService<AssistancePledgeWork>().RecordAsync(new RecordPledgeRequest(parse.GetValue(account)!, parse.GetValue(agency)!, money,
                Date(parse.GetValue(on), "--on"), CliApp.ParseDate(parse.GetValue(expected)!, "--expected-by"), null), host.User, cancellationToken);
            host.Console.WriteLine($"Pledge {pledge.Id}: {Money.FromCents(pledge.AmountCents)} from {pledge.Agency}, expected by {pledge.ExpectedBy:yyyy-MM-dd}.");
            return CliApp.Ok;
        }));
        return add;
    }

    private static Command Report(CliHost host)
    {
        var from = new Option<string?>("--from") { Description = "Pledged from, YYYY-MM-DD (default: the year's first day)" };
        var to = new Option<string?>("--to") { Description = "Pledged through, YYYY-MM-DD (default: the business date)" };
        var agency = new Option<string?>("--agency") { Description = "Only this agency's pledges" };
        var report = new Command("report", "Pledges made in a range of dates: open, overdue, paid and closed by agency, with totals.") { from, to, agency };
        report.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var today = services.GetRequiredService<BusinessCalendar>().Today();
            var result = await services.GetRequiredService<PledgeQueries>().ReportAsync(Date(parse.GetValue(from), "--from") ?? today.AddDays(1 - today.DayOfYear),
                Date(parse.GetValue(to), "--to") ?? today, parse.GetValue(agency), cancellationToken);
            var table = new Table().AddColumns("Agency", "Open", "Open amount", "Overdue", "Overdue amount", "Paid", "Paid amount", "Closed");
            foreach (var t in result.Agencies.Append(result.Total))
            {
                table.AddRow(Markup.Escape(t.Agency), $"{t.OpenCount}", $"{Money.FromCents(t.OpenCents)}", $"{t.OverdueCount}", $"{Money.FromCents(t.OverdueCents)}",
                    $"{t.PaidCount}", $"{Money.FromCents(t.PaidCents)}", $"{t.ClosedCount}");
            }

            host.Console.WriteLine($"Pledges made {result.From:yyyy-MM-dd} through {result.Through:yyyy-MM-dd}, as of {result.AsOf:yyyy-MM-dd}:");
            host.Console.Write(table);
            return CliApp.Ok;
        }));
        return report;
    }

    private static Table PledgeTable(IEnumerable<PledgeView> pledges)
    {
        var table = new Table().AddColumns("Pledge", "Agency", "Amount", "Pledged", "Expected by", "Status", "Receipt");
        foreach (var p in pledges)
        {
            table.AddRow(p.Id.ToString(CultureInfo.InvariantCulture), Markup.Escape(p.Agency), Money.FromCents(p.AmountCents).ToString(), $"{p.PledgedOn:yyyy-MM-dd}",
                $"{p.ExpectedBy:yyyy-MM-dd}", p.Overdue ? "Overdue" : p.Status.ToString(), p.ReceiptNumber ?? "");
        }

        return table;
    }

    private static DateOnly? Date(string? text, string option) => string.IsNullOrWhiteSpace(text) ? null : CliApp.ParseDate(text, option);
}
