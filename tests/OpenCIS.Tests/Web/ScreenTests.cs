using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenCIS.Storage;

namespace OpenCIS.Tests.Web;

/// <summary>Drives Debian's Chromium through a cashier's and a clerk's day on the real screens.</summary>
public sealed class ScreenTests : IClassFixture<OpenCisWebFactory>
{
    private readonly OpenCisWebFactory factory;

    public ScreenTests(OpenCisWebFactory factory) => this.factory = factory;

    [SkippableFact]
    public async Task A_cashier_signs_in_finds_an_account_takes_a_payment_and_sees_the_new_balance()
    {
        BrowserRequirement.EnsureChromium();
        var baseAddress = factory.StartOnRealPort();
        await using var browser = await BrowserLease.TakeAsync();
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        var screenshots = Environment.GetEnvironmentVariable("OPENCIS_SCREENSHOTS");

        // Sign in.
        await page.GotoAsync("/");
        Assert.EndsWith("/Login?ReturnUrl=%2F", page.Url, StringComparison.Ordinal);
        await page.FillAsync("#userName", "cashier");
        await page.FillAsync("#password", OpenCIS.Web.Security.UserSetup.DemoPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForSelectorAsync("#search");
        Assert.Equal("cashier", await page.InnerTextAsync("#signed-in-user"));

        // Search by account number prefix; the results come in as you type.
        await page.FillAsync("#search", "0000003");
        await page.WaitForSelectorAsync("#search-results a");
        await page.ClickAsync("#search-results a >> text=00000034");
        await page.WaitForSelectorAsync("#account-balance");
        Assert.Equal("00000034", await page.InnerTextAsync("#account-number"));
        var balanceBefore = ParseMoney(await page.InnerTextAsync("#account-balance"));
        Assert.True(await page.Locator("#bill-list .accordion-item").CountAsync() > 0, "the account page shows the account's bills");
        if (screenshots is not null)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "account.png"), FullPage = true });
        }

        // Take a cash payment with change due.
        await page.ClickAsync("#take-payment");
        await page.WaitForSelectorAsync("#cashier-account");
        // A counter payment goes into the cashier's open drawer.
        await page.FillAsync("#starting-float", "100");
        await page.ClickAsync("#open-drawer");
        await page.WaitForSelectorAsync("#drawer-status");
        await page.WaitForSelectorAsync("#cashier-account");
        await page.SelectOptionAsync("#tender", "Cash");
        await page.FillAsync("#amount", "25.50");
        await page.FillAsync("#amountTendered", "30");
        await page.ClickAsync("#post-payment");
        await page.WaitForSelectorAsync("#receipt");
        Assert.StartsWith("R", await page.InnerTextAsync("#receipt-number"), StringComparison.Ordinal);
        Assert.Equal("$4.50", await page.InnerTextAsync("#change-due"));
        var newBalance = ParseMoney(await page.InnerTextAsync("#new-balance"));
        Assert.Equal(balanceBefore - 25.50m, newBalance);
        if (screenshots is not null)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "cashier.png"), FullPage = true });
        }

        // The account page shows the payment and the same new balance.
        await page.GotoAsync("/Accounts/00000034");
        Assert.Equal(newBalance, ParseMoney(await page.InnerTextAsync("#account-balance")));
        await page.ClickAsync("#payments-tab");
        Assert.Contains("$25.50", await page.InnerTextAsync("#payment-list"), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_supervisor_fixes_a_tariff_the_screen_faults_by_line_saves_it_and_quotes_a_bill()
    {
        BrowserRequirement.EnsureChromium();
        var baseAddress = factory.StartOnRealPort();
        await using var browser = await BrowserLease.TakeAsync();
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        await SignInAsync(page, "supervisor");

        await page.GotoAsync("/Billing");
        await page.ClickAsync("#tariffs-link");
        await page.WaitForSelectorAsync("#tariff-versions");
        var yaml = """
            code: SCREEN-W
            name: Screen test water
            service: water
            effective: 2026-10-01
            charges:
              - code: BASE
                description: Base charge
                fixed: 9.00
              - code: USE
                description: Water use
                blocks:
                  unit: kgal
                  tiers:
                    - { up_to: 3, price: 0 }
                    - { price: 4.2.5 }
            """;
        await page.FillAsync("#tariff-yaml", yaml);
        await page.ClickAsync("#tariff-import");
        await page.WaitForSelectorAsync("#tariff-errors");
        Assert.Contains("Line 15, price:", await page.InnerTextAsync("#tariff-errors"), StringComparison.Ordinal);

        await page.FillAsync("#tariff-yaml", yaml.Replace("4.2.5", "4.25", StringComparison.Ordinal));
        await page.ClickAsync("#tariff-import");
        await page.WaitForSelectorAsync("#tariff-versions tr.table-active");
        Assert.Contains("SCREEN-W", await page.InnerTextAsync("#tariff-versions tr.table-active"), StringComparison.Ordinal);

        await page.FillAsync("#quote-from", "2026-10-01");
        await page.FillAsync("#quote-to", "2026-10-31");
        await page.FillAsync("#quote-usage", "5000 gal");
        await page.ClickAsync("#tariff-quote");
        await page.WaitForSelectorAsync("#quote-total");
        // $9.00 + 3 kgal free + 2 kgal x $4.25 = $17.50
        Assert.Equal("$17.50", await page.InnerTextAsync("#quote-total"));
        Assert.Contains("2 kgal x $4.25 per kgal = $8.50", await page.InnerTextAsync("#quote-lines"), StringComparison.Ordinal);

        // A demand tariff quoted from the form's further inputs: 100 kW at a 0.75 power factor against 0.90 bills
        // 120 kW, as does 80% of the prior 150 kW: 50 kW x $10 + 70 kW x $8 = $1,060.00.
        await page.FillAsync("#tariff-yaml", OpenCIS.Tests.Core.Rating.TestTariffs.DemandYaml);
        await page.ClickAsync("details summary");
        await page.FillAsync("#quote-usage", "");
        await page.FillAsync("#quote-demand", "100kw");
        await page.FillAsync("#quote-history", "150");
        await page.FillAsync("#quote-pf", "0.75");
        await page.ClickAsync("#tariff-quote");
        await page.WaitForSelectorAsync("#quote-total");
        Assert.Equal("$1060.00", await page.InnerTextAsync("#quote-total"));
        Assert.Contains("80% of the highest 150 kW", await page.InnerTextAsync("#quote-lines"), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_supervisor_runs_billing_sees_counts_and_exceptions_and_the_books_still_tie_out()
    {
        BrowserRequirement.EnsureChromium();
        var baseAddress = factory.StartOnRealPort();
        await using var browser = await BrowserLease.TakeAsync();
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        await SignInAsync(page, "supervisor");

        await page.GotoAsync("/Billing");
        await page.SelectOptionAsync("#cycle", "C2");
        await page.FillAsync("#businessDate", "2026-11-22");
        await page.CheckAsync("#confirm-reads");
        await page.ClickAsync("#run-form button[type=submit]");
        // The run goes on as a job; its page follows it and links the run once it has finished.
        await page.WaitForFunctionAsync("() => ['Completed', 'Failed'].includes(document.querySelector('#job-status')?.innerText)");
        await ScreenshotAsync(page, "billing-job.png");
        Assert.Equal("Completed", await page.InnerTextAsync("#job-status"));
        Assert.Contains("completed", await page.InnerTextAsync("#job-message"), StringComparison.Ordinal);
        await page.ClickAsync("#job-result");
        await page.WaitForSelectorAsync("#bills-created");
        // C2 was read and billed on 2026-11-20 and nothing was read since: every account is an exception with its reason.
        Assert.Equal("0", await page.InnerTextAsync("#bills-created"));
        Assert.Contains("No new read on meter", await page.InnerTextAsync("#exceptions"), StringComparison.Ordinal);
        await ScreenshotAsync(page, "billing-run.png");

        await page.GotoAsync("/Billing");
        await page.SelectOptionAsync("#cycle", "C2");
        await page.FillAsync("#businessDate", "2026-11-22");
        await page.CheckAsync("#confirm-reads");
        await page.ClickAsync("#run-form button[type=submit]");
        await page.WaitForSelectorAsync("#run-message");
        Assert.Contains("nothing was billed again", await page.InnerTextAsync("#run-message"), StringComparison.Ordinal);

        // A payment file with a bad line: the screen names the line and field, and nothing posts.
        await page.GotoAsync("/Payments/Files");
        await page.SetInputFilesAsync("#file", new FilePayload
        {
            Name = "lockbox-bad.csv",
            MimeType = "text/csv",
            Buffer = System.Text.Encoding.UTF8.GetBytes("account,amount,date,tender,reference\n00000018,10.00,2026-11-21,check,CK5\n00000026,1O.00,2026-11-21,check,CK6\n"),
        });
        await page.ClickAsync("#file-form button[type=submit]");
        await page.WaitForSelectorAsync("#job-message");
        Assert.Contains("nothing was posted", await page.InnerTextAsync("#job-message"), StringComparison.Ordinal);
        Assert.NotNull(await page.QuerySelectorAsync("#job-message.alert-danger"));
        var errors = await page.InnerTextAsync("#job-errors");
        Assert.Contains("3\tamount", errors, StringComparison.Ordinal);

        await page.GotoAsync("/Reports");
        Assert.Equal("Ties out to the cent", await page.InnerTextAsync("#tie-out"));
        await ScreenshotAsync(page, "reports.png");
    }

    [SkippableFact]
    public async Task A_clerk_exchanges_a_meter_imports_reads_and_clears_the_review_queue()
    {
        BrowserRequirement.EnsureChromium();
        var baseAddress = factory.StartOnRealPort();
        long lastReading;
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
            var meterId = await db.Meters.Where(m => m.Serial == "W0000007").Select(m => m.Id).SingleAsync();
            lastReading = await db.Reads.Where(r => r.MeterId == meterId).OrderByDescending(r => r.ReadOn).Select(r => r.Reading).FirstAsync();
        }

        await using var browser = await BrowserLease.TakeAsync();
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        await SignInAsync(page, "clerk");

        // Receive a new meter, then exchange W0000007 for it.
        await page.GotoAsync("/Metering/Meters");
        await page.FillAsync("#receive-form input[name=serial]", "N7777777");
        await page.FillAsync("#receive-form input[name=size]", "5/8\"");
        await page.ClickAsync("#receive-form button[type=submit]");
        await page.WaitForSelectorAsync("#meter-status");
        Assert.Equal("Inventory", await page.InnerTextAsync("#meter-status"));

        await page.GotoAsync("/Metering/Meters/W0000007");
        await page.FillAsync("#newSerial", "N7777777");
        await page.FillAsync("#exchangedOn", "2026-11-15");
        await page.FillAsync("#oldFinalReading", (lastReading + 1234).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.FillAsync("#newInitialReading", "10");
        await page.ClickAsync("#exchange-form button[type=submit]");
        await page.WaitForSelectorAsync("#meter-message");
        Assert.Contains("Exchanged W0000007 for N7777777", await page.InnerTextAsync("#meter-message"), StringComparison.Ordinal);
        Assert.Equal("Installed", await page.InnerTextAsync("#meter-status"));
        Assert.Contains("Set", await page.InnerTextAsync("#meter-history"), StringComparison.Ordinal);

        // Import a read file with a tamper flag: the read waits for review.
        await page.GotoAsync("/Metering/Import");
        await page.SetInputFilesAsync("#file", new FilePayload
        {
            Name = "ami-2026-11-20.csv",
            MimeType = "text/csv",
            Buffer = System.Text.Encoding.UTF8.GetBytes("meter,read,read_time,tamper_flag\nN7777777,400,2026-11-20T06:00:00Z,1\n"),
        });
        await page.ClickAsync("#import-form button[type=submit]");
        await page.WaitForSelectorAsync("#job-message");
        Assert.Contains("1 suspect", await page.InnerTextAsync("#job-message"), StringComparison.Ordinal);

        await page.ClickAsync("#job-review");
        await page.WaitForSelectorAsync("#review-queue");
        var row = page.Locator("#review-queue tr", new PageLocatorOptions { HasText = "N7777777" });
        Assert.Contains("tampering", await row.InnerTextAsync(), StringComparison.Ordinal);
        await row.Locator("input.pick").CheckAsync();
        await page.FillAsync("#bulk-form input[name=reason]", "Seal checked on site, no tampering");
        await page.ClickAsync("#bulk-form button[value=Accept]");
        await page.WaitForSelectorAsync("#review-message");
        Assert.Equal("Accepted 1 read.", await page.InnerTextAsync("#review-message"));
        Assert.Equal(0, await page.Locator("#review-queue tr", new PageLocatorOptions { HasText = "N7777777" }).CountAsync());
        await ScreenshotAsync(page, "review.png");
    }

    [SkippableFact]
    public async Task A_reader_keys_a_route_in_route_order_and_the_reads_are_validated()
    {
        BrowserRequirement.EnsureChromium();
        var baseAddress = factory.StartOnRealPort();
        await using var browser = await BrowserLease.TakeAsync();
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        await SignInAsync(page, "clerk");

        // A C1 route on its next read day (C2 is billed again by another test, which must not see this read).
        await page.GotoAsync("/Metering/Route?Route=C1-R1&ReadOn=2026-12-04");
        await page.WaitForSelectorAsync("#route-stops");
        var inputs = page.Locator("input.read-entry");
        var rows = page.Locator("#route-stops tbody tr");
        var count = await rows.CountAsync();
        Assert.True(count >= 2, "the route has at least two meters");
        // The first meter with an expected range, as the screen shows it: key a read in the middle of it.
        var index = 0;
        while (string.IsNullOrWhiteSpace(await rows.Nth(index).Locator("td").Nth(5).InnerTextAsync()))
        {
            index++;
        }

        var expected = await rows.Nth(index).Locator("td").Nth(5).InnerTextAsync();
        var bounds = expected.Split(" - ").Select(t => long.Parse(t.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        await inputs.Nth(index).FillAsync(((bounds[0] + bounds[1]) / 2).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await inputs.Nth(index).PressAsync("Enter");
        // Enter moves to the next meter instead of posting the form.
        var next = index + 1 < count ? await inputs.Nth(index + 1).GetAttributeAsync("name") : "";
        Assert.Equal(next, await page.EvaluateAsync<string>("document.activeElement.name ?? ''"));
        await page.ClickAsync("#post-reads");
        await page.WaitForSelectorAsync("#route-outcome");
        Assert.Contains("imported 1 reads: 1 valid", await page.InnerTextAsync("#route-outcome"), StringComparison.Ordinal);
        await ScreenshotAsync(page, "route.png");
    }

    [SkippableFact]
    public async Task A_clerk_cancels_and_rebills_a_bill_and_asks_for_an_adjustment_that_a_supervisor_approves()
    {
        BrowserRequirement.EnsureChromium();
        var baseAddress = factory.StartOnRealPort();
        await using var browser = await BrowserLease.TakeAsync();
        var number = OpenCIS.Core.Customers.AccountNumbers.Create(21);

        // The clerk opens the account's latest bill and cancels and rebills it with a corrected read 5 units lower.
        var clerk = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        await SignInAsync(clerk, "clerk");
        await clerk.GotoAsync($"/Accounts/{number}");
        await clerk.ClickAsync("#bill-list .accordion-item:first-child .accordion-button");
        await clerk.ClickAsync("#bill-list .accordion-item:first-child >> text=Cancel & rebill");
        await clerk.WaitForSelectorAsync("#rebill-form");
        var corrected = clerk.Locator("#rebill-form input[name^='corrected']").First;
        var billed = long.Parse((await corrected.GetAttributeAsync("placeholder"))!.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture);
        await corrected.FillAsync((billed - 5).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await clerk.FillAsync("#rebill-form input[name=reason]", "Misread on the route sheet");
        // The rebill is previewed first: the difference shows and nothing is posted until the clerk confirms.
        await clerk.ClickAsync("#rebill-submit");
        await clerk.WaitForSelectorAsync("#rebill-preview");
        Assert.StartsWith("-$", await clerk.InnerTextAsync("#preview-difference"), StringComparison.Ordinal);
        Assert.Equal(0, await clerk.Locator("#rebill-result").CountAsync());
        await clerk.ClickAsync("#rebill-confirm");
        await clerk.WaitForSelectorAsync("#rebill-result");
        Assert.StartsWith("-$", await clerk.InnerTextAsync("#rebill-difference"), StringComparison.Ordinal);
        Assert.Contains("canceled and rebilled", await clerk.InnerTextAsync("#correction-message"), StringComparison.Ordinal);
        await ScreenshotAsync(clerk, "rebill.png");

        // A $180.00 courtesy credit is above the $100.00 threshold: it waits.
        var balanceBefore = ParseMoney(await clerk.InnerTextAsync("#account-balance"));
        await clerk.SelectOptionAsync("#adjust-form select[name=reasonCode]", "COURTESY");
        await clerk.FillAsync("#adjust-form input[name=amount]", "180.00");
        await clerk.FillAsync("#adjust-form input[name=note]", "Billed during the main break");
        await clerk.ClickAsync("#adjust-submit");
        await clerk.WaitForSelectorAsync("#correction-message");
        Assert.Contains("waits for a Supervisor", await clerk.InnerTextAsync("#correction-message"), StringComparison.Ordinal);
        Assert.Equal(balanceBefore, ParseMoney(await clerk.InnerTextAsync("#account-balance")));

        // The supervisor approves it from Billing > Adjustments; it posts.
        var supervisor = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        await SignInAsync(supervisor, "supervisor");
        await supervisor.ClickAsync("#nav-adjustments");
        await supervisor.WaitForSelectorAsync("#pending-adjustments");
        var row = supervisor.Locator("#pending-adjustments tr", new PageLocatorOptions { HasText = number });
        Assert.Contains("COURTESY", await row.InnerTextAsync(), StringComparison.Ordinal);
        await ScreenshotAsync(supervisor, "adjustments.png");
        await row.Locator("button.approve").ClickAsync();
        await supervisor.WaitForSelectorAsync("#decision-message");
        Assert.Contains("approved and posted", await supervisor.InnerTextAsync("#decision-message"), StringComparison.Ordinal);

        await clerk.GotoAsync($"/Accounts/{number}");
        Assert.Equal(balanceBefore - 180m, ParseMoney(await clerk.InnerTextAsync("#account-balance")));
    }

    internal static async Task SignInAsync(IPage page, string user)
    {
        await page.GotoAsync("/Login");
        await page.FillAsync("#userName", user);
        await page.FillAsync("#password", OpenCIS.Web.Security.UserSetup.DemoPassword);
        await page.ClickAsync("button[type=submit]");
        // Attached, not visible: at phone width the menu (and the user in it) is folded behind the Menu button.
        await page.WaitForSelectorAsync("#signed-in-user", new() { State = WaitForSelectorState.Attached });
    }

    internal static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("OPENCIS_SCREENSHOTS") is { } folder)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name), FullPage = true });
        }
    }

    internal static decimal ParseMoney(string text) =>
        decimal.Parse(text.Replace("$", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal).Trim(), System.Globalization.CultureInfo.InvariantCulture);
}
