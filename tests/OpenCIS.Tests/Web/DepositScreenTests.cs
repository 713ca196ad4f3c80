using Microsoft.Playwright;
using OpenCIS.Core.Customers;

namespace OpenCIS.Tests.Web;

/// <summary>A supervisor requires a deposit from the account page, then sees it on the deposit report, tied to GL 2200.</summary>
public sealed class DepositScreenTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    [SkippableFact]
    public async Task A_supervisor_requires_a_deposit_on_the_account_and_finds_it_on_the_deposit_report_tied_to_GL_2200()
    {
        BrowserRequirement.EnsureChromium();
        var baseAddress = factory.StartOnRealPort();
        await using var browser = await BrowserLease.TakeAsync();
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        var number = AccountNumbers.Create(12);

        await ScreenTests.SignInAsync(page, "supervisor");

        await page.GotoAsync($"/Accounts/{number}");
        await page.ClickAsync("#account-deposits");
        await page.WaitForSelectorAsync("#no-deposits");
        await page.ClickAsync("#require-deposit");
        await page.WaitForSelectorAsync("#deposit-message");
        var message = await page.InnerTextAsync("#deposit-message");
        // The demo account has no record elsewhere and no returns: the standard deposit is billed.
        Assert.Matches(@"Deposit of \$[\d,.]+ billed to account " + number, message);
        Assert.Equal(1, await page.Locator("#deposits tr.deposit-row").CountAsync());
        Assert.Equal("Billed", await page.InnerTextAsync("#deposits tr.deposit-row .deposit-status"));
        // The form to require another is gone while this one is open.
        Assert.Equal(0, await page.Locator("#require-deposit").CountAsync());

        await page.GotoAsync("/Reports");
        await page.ClickAsync("#deposit-report");
        await page.WaitForSelectorAsync("#deposit-totals");
        Assert.Equal("Ties to GL 2200 to the cent", await page.InnerTextAsync("#deposit-tie-out"));
        Assert.Contains(number, await page.InnerTextAsync("#deposits-outstanding"), StringComparison.Ordinal);

        Assert.Equal(await page.InnerTextAsync("#outstanding-total"), await page.InnerTextAsync("#gl-total"));
    }
}
