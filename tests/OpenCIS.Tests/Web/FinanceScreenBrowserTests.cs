using System.Text;
using Microsoft.Playwright;
using OpenCIS.Core.Common;
using OpenCIS.Core.Customers;
using OpenCIS.Core.Payments;

namespace OpenCIS.Tests.Web;

/// <summary>
/// The back office on the real screens in Chromium: a clerk posts a bank lockbox file whose one check
/// names no account and works it out of suspense; a Supervisor moves a GL account to another fund on
/// the chart and runs the period reports, which tie out and carry the new fund.
/// </summary>
public sealed class FinanceScreenBrowserTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    private static async Task<IPage> SignInAsync(BrowserLease browser, Uri baseAddress, string user)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        var page = await context.NewPageAsync();
        await ScreenTests.SignInAsync(page, user);
        return page;
    }

    [SkippableFact]
    public async Task A_clerk_posts_a_lockbox_file_and_resolves_its_unknown_check_from_suspense()
    {
        BrowserRequirement.EnsureChromium();
        var baseAddress = factory.StartOnRealPort();
        await using var browser = await BrowserLease.TakeAsync();
        var known = AccountNumbers.Create(21);
        var intended = AccountNumbers.Create(22);
        var bai2 = Bai2Writer.Write("121000248", "RIVERBEND", new DateTime(2026, 11, 20, 6, 0, 0), "4711", new DateOnly(2026, 11, 20),
            [new Bai2Account("LBX00001", [new Bai2Item(Money.FromCents(4_200), known, "CHK501"), new Bai2Item(Money.FromCents(3_150), "12345678", "CHK502")])]);

        var cashier = await SignInAsync(browser, baseAddress, "cashier");
        await cashier.GotoAsync("/Payments/Files");
        await cashier.SelectOptionAsync("#format", "bai2");
        await cashier.SetInputFilesAsync("#file", new FilePayload { Name = "lockbox-1120.bai", MimeType = "text/plain", Buffer = Encoding.ASCII.GetBytes(bai2) });
        await cashier.ClickAsync("#file-form button[type=submit]");
        await cashier.WaitForSelectorAsync("#job-message");
        var outcome = await cashier.InnerTextAsync("#job-message");
        Assert.NotNull(await cashier.QuerySelectorAsync("#job-suspense"));
        Assert.Contains("suspense", outcome, StringComparison.OrdinalIgnoreCase);

        var clerk = await SignInAsync(browser, baseAddress, "clerk");
        await clerk.GotoAsync($"/Accounts/{intended}");
        var before = ScreenTests.ParseMoney(await clerk.InnerTextAsync("#account-balance"));
        await clerk.GotoAsync("/Payments/Suspense");
        var row = clerk.Locator("#suspense-items tr", new PageLocatorOptions { HasText = "12345678" });
        Assert.Contains("$31.50", await row.InnerTextAsync(), StringComparison.Ordinal);
        await row.Locator("input[name=accountNumber]").FillAsync(intended);
        await row.Locator("input[name=note][placeholder=Note]").FillAsync("Stub torn; found by the payer's name");
        await row.Locator("button:has-text('Post')").ClickAsync();
        await clerk.WaitForSelectorAsync("#suspense-message");
        Assert.Equal(1, await clerk.Locator("#suspense-empty").CountAsync());
        await clerk.GotoAsync($"/Accounts/{intended}");
        Assert.Equal(before - 31.50m, ScreenTests.ParseMoney(await clerk.InnerTextAsync("#account-balance")));

        // Posting the same file again posts nothing and says when it was first posted.
        await cashier.GotoAsync("/Payments/Files");
        await cashier.SelectOptionAsync("#format", "bai2");
        await cashier.SetInputFilesAsync("#file", new FilePayload { Name = "lockbox-1120-again.bai", MimeType = "text/plain", Buffer = Encoding.ASCII.GetBytes(bai2) });
        await cashier.ClickAsync("#file-form button[type=submit]");
        await cashier.WaitForSelectorAsync("#job-message.alert-info");
    }

    [SkippableFact]
    public async Task A_supervisor_moves_an_account_to_another_fund_and_the_period_reports_carry_it_and_tie_out()
    {
        BrowserRequirement.EnsureChromium();
        var baseAddress = factory.StartOnRealPort();
        await using var browser = await BrowserLease.TakeAsync();
        var supervisor = await SignInAsync(browser, baseAddress, "supervisor");

        await supervisor.GotoAsync("/Reports");
        await supervisor.ClickAsync("#chart-of-accounts");
        await supervisor.WaitForSelectorAsync("#chart-accounts");
        var electric = supervisor.Locator("#chart-accounts tr[data-code='4500'] form");
        await electric.Locator("input[name=fundCode]").FillAsync("44");
        await electric.Locator("input[name=fundName]").FillAsync("Electric utility");
        await electric.Locator("input[name=department]").FillAsync("4410");
        await electric.Locator("button[type=submit]").ClickAsync();
        await supervisor.WaitForSelectorAsync("#chart-message");
        Assert.Contains("44-4410-4500", await supervisor.InnerTextAsync("#chart-message"), StringComparison.Ordinal);
        Assert.Contains("44 Electric utility", await supervisor.InnerTextAsync("#chart-accounts"), StringComparison.Ordinal);

        // A bad department is refused with the reason, and nothing changes.
        var water = supervisor.Locator("#chart-accounts tr[data-code='4100'] form");
        await water.Locator("input[name=department]").FillAsync("40");
        await water.Locator("button[type=submit]").ClickAsync();
        await supervisor.WaitForSelectorAsync("#chart-error");
        Assert.Contains("four digits", await supervisor.InnerTextAsync("#chart-error"), StringComparison.Ordinal);

        await supervisor.GotoAsync("/Reports/Finance?from=2026-10-01&through=2026-10-31");
        await supervisor.WaitForSelectorAsync("#period-trial-balance");
        Assert.Equal("Ties out to the cent", await supervisor.InnerTextAsync("#period-tie-out"));
        Assert.Contains("4010", await supervisor.InnerTextAsync("#period-trial-balance"), StringComparison.Ordinal);
        var download = await supervisor.RunAndWaitForDownloadAsync(() => supervisor.ClickAsync("#gl-export-fixed"));
        var records = (await File.ReadAllLinesAsync((await download.PathAsync())!)).Where(l => l.Length > 0).ToList();
        Assert.NotEmpty(records);
        Assert.All(records, r => Assert.Equal(80, r.Length));
    }
}
