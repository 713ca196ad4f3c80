namespace OpenCIS.Tests.Cli;

/// <summary><c>invoices types|type|list|show|import|remit|waive|waivers|decide-waiver|statements</c> on the demo city (today 2026-11-22).</summary>
public sealed class InvoiceCliTests(CliCityFixture city) : IClassFixture<CliCityFixture>
{
    [Fact]
    public async Task A_type_is_added_a_file_imported_once_a_bad_one_refused_by_line_and_an_invoice_shown_with_its_pdf()
    {
        var folder = Directory.CreateTempSubdirectory("opencis-invoices-cli").FullName;
        try
        {
            var good = Path.Combine(folder, "boardups.csv");
            await File.WriteAllTextAsync(good, "type,reference,name,line1,city,state,zip,description,quantity,unit_price\n"
                + "CLIBOARD,CE-CLI-1,Avery Cli,4 Cedar St,Riverbend,OR,97401,Board-up,1,640.00\nCLIBOARD,CE-CLI-1,Avery Cli,4 Cedar St,Riverbend,OR,97401,Admin fee,1,50.00\n");
            var bad = Path.Combine(folder, "boardups-bad.csv");
            await File.WriteAllTextAsync(bad, "type,reference,name,line1,city,state,zip,description,unit_price\nCLIBOARD,CE-CLI-2,Avery Cli,4 Cedar St,Riverbend,OR,97401,Board-up,-5\n");
            var pdf = Path.Combine(folder, "invoice.pdf");

            var badType = await city.RunAsync("invoices", "type", "clibord", "--name", "Board-up (CLI)", "--revenue-account", "9999");
            var type = await city.RunAsync("invoices", "type", "cliboard", "--name", "Board-up (CLI)", "--revenue-account", "4840", "--terms", "21", "--collection-policy", "riverbend-receivables");
            var types = await city.RunAsync("invoices", "types");
            var refused = await city.RunAsync("invoices", "import", "--file", bad);
            var imported = await city.RunAsync("invoices", "import", "--file", good);
            var again = await city.RunAsync("invoices", "import", "--file", good);
            var list = await city.RunAsync("invoices", "list", "--type", "CLIBOARD");
            var pastDue = await city.RunAsync("invoices", "list", "--standing", "pastdue");

            Assert.Equal(1, badType.ExitCode);
            Assert.Contains("9999", badType.Output, StringComparison.Ordinal);
            Assert.True(type.ExitCode == 0, type.Output);
            Assert.Contains("Invoice type CLIBOARD (Board-up (CLI)) saved: revenue to 4840 Code enforcement abatement, net 21 days, collected under policy RIVERBEND-RECEIVABLES.", type.Output, StringComparison.Ordinal);
            Assert.Contains("Ambulance transport fees", types.Output, StringComparison.Ordinal);
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("boardups-bad.csv line 2, field unit_price", refused.Output, StringComparison.Ordinal);
            Assert.True(imported.ExitCode == 0, imported.Output);
            Assert.Contains("boardups.csv: 1 invoice posted, $690.00 in all.", imported.Output, StringComparison.Ordinal);
            Assert.Equal(0, again.ExitCode);
            Assert.Contains("nothing was posted again", again.Output, StringComparison.Ordinal);
            Assert.Contains("CE-CLI-1", list.Output, StringComparison.Ordinal);
            Assert.Contains("1 invoices (page 1); open $690.00.", list.Output, StringComparison.Ordinal);
            Assert.Contains("RUN-26-04417", pastDue.Output, StringComparison.Ordinal);
            Assert.Contains("CE-26-0907", pastDue.Output, StringComparison.Ordinal);

            var number = System.Text.RegularExpressions.Regex.Match(list.Output, @"│\s*(\d+)\s*│\s*CLIBOARD").Groups[1].Value;
            var show = await city.RunAsync("invoices", "show", number, "--pdf", pdf);
            Assert.True(show.ExitCode == 0, show.Output);
            Assert.Contains("Total $690.00; open $690.00 (Open).", show.Output, StringComparison.Ordinal);
            Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString((await File.ReadAllBytesAsync(pdf))[..4]));
            var missing = await city.RunAsync("invoices", "show", "999999");
            Assert.Equal(1, missing.ExitCode);

            var debts = await city.RunAsync("debt-check", "--name", "Whitcomb");
            Assert.True(debts.ExitCode == 0, debts.Output);
            Assert.Contains("RUN-26-04417", debts.Output, StringComparison.Ordinal);
            Assert.Contains("they owe the city $1,286.90 as of 2026-11-22", debts.Output, StringComparison.Ordinal);
            var twoKeys = await city.RunAsync("debt-check", "--name", "Whitcomb", "--parcel", "R-1");
            Assert.Equal(1, twoKeys.ExitCode);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_payers_remittance_posts_once_a_waiver_waits_for_a_supervisor_and_a_days_statements_print()
    {
        var folder = Directory.CreateTempSubdirectory("opencis-ems-cli").FullName;
        try
        {
            var list = await city.RunAsync("invoices", "list", "--text", "RUN-26-04417");
            var number = System.Text.RegularExpressions.Regex.Match(list.Output, @"│\s*(\d+)\s*│\s*EMS").Groups[1].Value;
            var remit = await city.RunAsync("invoices", "remit", number, "--payer", "medicare", "--claim", "MCR-CLI-1", "--paid", "700.00", "--adjustment", "400.00",
                "--tender", "ach", "--reference", "EFT 77", "--idempotency-key", "cli-mcr-1");
            var again = await city.RunAsync("invoices", "remit", number, "--payer", "medicare", "--claim", "MCR-CLI-1", "--paid", "700.00", "--adjustment", "400.00",
                "--tender", "ach", "--reference", "EFT 77", "--idempotency-key", "cli-mcr-1");
            var medicaid = await city.RunAsync("invoices", "remit", number, "--payer", "medicaid", "--claim", "OHP-CLI", "--paid", "10.00", "--adjustment", "1.00", "--reference", "12");
            var show = await city.RunAsync("invoices", "show", number);
            var waive = await city.RunAsync("invoices", "waive", number, "--reason", "Hardship: fixed income, letter on file");
            var selfApproval = await city.RunAsync("invoices", "decide-waiver", System.Text.RegularExpressions.Regex.Match(waive.Output, @"Waiver (\d+)").Groups[1].Value, "--approve");
            var waiting = await city.RunAsync("invoices", "waivers");
            var print = Path.Combine(folder, "statements.pdf");
            var statements = await city.RunAsync("invoices", "statements", "--date", "2026-11-12", "--print-file", print);

            Assert.True(remit.ExitCode == 0, remit.Output);
            Assert.Contains("Medicare claim MCR-CLI-1 on invoice", remit.Output, StringComparison.Ordinal);
            Assert.Contains("the patient owes $186.90", remit.Output, StringComparison.Ordinal);
            Assert.Contains("already posted; nothing was posted again", again.Output, StringComparison.Ordinal);
            Assert.Equal(1, medicaid.ExitCode);
            Assert.Contains("payment in full", medicaid.Output, StringComparison.Ordinal);
            Assert.Contains("Total $1,286.90; open $186.90", show.Output, StringComparison.Ordinal);
            Assert.Contains("Contractual adjustment: Medicare claim MCR-CLI-1", show.Output, StringComparison.Ordinal);
            Assert.True(waive.ExitCode == 0, waive.Output);
            Assert.Contains("waits for a Supervisor", waive.Output, StringComparison.Ordinal);
            // The CLI's user asked for it, so the CLI's user cannot approve it.
            Assert.Equal(1, selfApproval.ExitCode);
            Assert.Contains("someone other than who asked", selfApproval.Output, StringComparison.Ordinal);
            Assert.Contains("Lindqvist", waiting.Output, StringComparison.Ordinal);
            Assert.Contains("2 waiver(s).", waiting.Output, StringComparison.Ordinal);
            // That day's statements were written by the seed: nothing again, and the mailed ones print.
            Assert.True(statements.ExitCode == 0, statements.Output);
            Assert.Contains("Statements and notices for 2026-11-12: 0 written", statements.Output, StringComparison.Ordinal);
            Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString((await File.ReadAllBytesAsync(print))[..4]));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
