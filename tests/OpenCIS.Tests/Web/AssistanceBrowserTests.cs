using Microsoft.Playwright;
using OpenCIS.Core.Customers;

namespace OpenCIS.Tests.Web;

/// <summary>
/// Assistance programs on the real screens in Chromium, from the keyboard at a phone's width: the program screen shows
/// what the senior program gives (the residential water tariff's discount line); a clerk enrolls an account and records
/// an agency's pledge on the account's page, and the pledges report lists it.
/// </summary>
public sealed class AssistanceBrowserTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    [SkippableFact]
    public async Task A_clerk_enrolls_an_account_and_records_a_pledge_from_the_keyboard_and_the_report_lists_it()
    {
        BrowserRequirement.EnsureChromium();
        var baseAddress = factory.StartOnRealPort();
        await using var browser = await BrowserLease.TakeAsync();
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        await ScreenTests.SignInAsync(page, "clerk");

        await page.GotoAsync("/Billing/Programs");
        Assert.Contains("W-RES-SENIOR", await page.InnerTextAsync("tr[data-program='SENIOR'] .program-charges"), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("#program-form").CountAsync());

        var number = AccountNumbers.Create(23);
        await page.GotoAsync($"/Accounts/{number}");
        await page.FocusAsync("#account-assistance");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => url.EndsWith($"/Accounts/{number}/Assistance", StringComparison.Ordinal));

        await page.SelectOptionAsync("#programCode", "SENIOR");
        await page.FillAsync("#enrolledOn", "2026-11-01");
        await page.FillAsync("#verifiedOn", "2026-11-01");
        await page.FocusAsync("#enroll");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#assistance-message");
        Assert.Equal("Enrolled in Senior discount from 2026-11-01.", (await page.InnerTextAsync("#assistance-message")).Trim());
        Assert.Equal("Counts", (await page.InnerTextAsync("tr[data-program='SENIOR'] .enrollment-state")).Trim());

        await page.FocusAsync("#agency");
        await page.Keyboard.TypeAsync("Browser Agency");
        await page.FocusAsync("#amount");
        await page.Keyboard.TypeAsync("65.00");
        await page.FillAsync("#pledgedOn", "2026-11-02");
        await page.FillAsync("#expectedBy", "2026-11-12");
        await page.FocusAsync("#record-pledge");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#assistance-message");
        Assert.Contains("$65.00 from Browser Agency recorded, expected by 2026-11-12.", await page.InnerTextAsync("#assistance-message"), StringComparison.Ordinal);
        Assert.Equal("Overdue", (await page.InnerTextAsync(".pledge-row .pledge-status")).Trim());

        var violations = (await page.RunAxeInPageAsync()).Violations.Where(v => v.Impact is "critical" or "serious").Select(v => v.Id).ToList();
        Assert.Empty(violations);

        var supervisor = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        await ScreenTests.SignInAsync(supervisor, "supervisor");
        await supervisor.GotoAsync("/Reports/Pledges?from=2026-11-01&to=2026-11-22&agency=Browser%20Agency");
        Assert.Contains(number, await supervisor.InnerTextAsync("#pledge-list"), StringComparison.Ordinal);
        Assert.DoesNotContain((await supervisor.RunAxeInPageAsync()).Violations, v => v.Impact is "critical" or "serious");
    }
}
