using Microsoft.Playwright;

namespace OpenCIS.Tests.Web;

/// <summary>
/// A bankruptcy worked on the real screens in Chromium, from the keyboard: at 1366 px a collector enters a Chapter 13 case
/// from the court's notice on an EMS patient's account; at a phone's width a Supervisor posts the trustee's payment and,
/// the case dismissed, sees what was left of the claim back on the account.
/// </summary>
public sealed class BankruptcyBrowserTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    [SkippableFact]
    public async Task A_collector_enters_a_case_and_a_supervisor_posts_the_trustees_payment_and_dismisses_it_from_the_keyboard()
    {
        BrowserRequirement.EnsureChromium();
        var baseAddress = factory.StartOnRealPort();
        await using var browser = await BrowserLease.TakeAsync();
        var collector = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        await ScreenTests.SignInAsync(collector, "collector");
        await collector.GotoAsync("/Invoices?text=RUN-26-04417");
        await collector.ClickAsync(".invoice-row a");
        var account = (await collector.InnerTextAsync("#invoice-account")).Trim();
        var open = (await collector.InnerTextAsync("#invoice-open")).Trim();

        await collector.GotoAsync("/Collections");
        await collector.FocusAsync("#bankruptcy-link");
        await collector.Keyboard.PressAsync("Enter");
        await collector.WaitForSelectorAsync("#enter-case");
        await collector.FocusAsync("#caseNumber");
        await collector.Keyboard.TypeAsync("26-bk-50002");
        // A date field takes its date whole; the rest is typed and tabbed through.
        await collector.FillAsync("#petitionDate", "2026-11-20");
        await collector.FocusAsync("#court");
        await collector.Keyboard.TypeAsync("Bankr. D. Or.");
        await collector.Keyboard.PressAsync("Tab");
        await collector.Keyboard.PressAsync("Tab");
        await collector.Keyboard.TypeAsync("Lee Park");
        await collector.Keyboard.PressAsync("Tab");
        await collector.Keyboard.TypeAsync("Dana Whitcomb, Chapter 13 trustee");
        await collector.Keyboard.PressAsync("Tab");
        await collector.Keyboard.TypeAsync(account);
        await collector.Keyboard.PressAsync("Enter");
        await collector.WaitForSelectorAsync("#case-description, #bankruptcy-message");
        Assert.Equal(0, await collector.Locator("#bankruptcy-message").CountAsync() is 0 ? 0 : throw new InvalidOperationException(await collector.InnerTextAsync("#bankruptcy-message")));
        Assert.Contains("Chapter 13 case 26-bk-50002 (Bankr. D. Or.), petition Nov 20, 2026", await collector.InnerTextAsync("#case-description"), StringComparison.Ordinal);
        Assert.Equal((open, open), ((await collector.InnerTextAsync("#claim-total")).Trim(), (await collector.InnerTextAsync("#claim-remaining")).Trim()));
        Assert.Equal("In force", (await collector.Locator(".case-account td").Last.InnerTextAsync()).Trim());
        Assert.Equal(0, await collector.Locator("#close-form").CountAsync());
        Assert.Empty((await collector.RunAxeInPageAsync()).Violations.Where(v => v.Impact is "critical" or "serious").Select(v => v.Id));
        var caseUrl = collector.Url;

        var supervisor = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        await ScreenTests.SignInAsync(supervisor, "supervisor");
        await supervisor.GotoAsync(caseUrl);
        await supervisor.FocusAsync("#amount");
        await supervisor.Keyboard.TypeAsync("100.00");
        await supervisor.FocusAsync("#reference");
        await supervisor.Keyboard.TypeAsync("TR-8821");
        await supervisor.Keyboard.PressAsync("Enter");
        await supervisor.WaitForSelectorAsync("#case-message");
        Assert.Contains("Trustee payment of $100.00 (TR-8821) applied to case 26-bk-50002", await supervisor.InnerTextAsync("#case-message"), StringComparison.Ordinal);
        Assert.Equal("$100.00", (await supervisor.InnerTextAsync("#claim-paid")).Trim());
        var left = (await supervisor.InnerTextAsync("#claim-remaining")).Trim();

        await supervisor.FocusAsync("#note");
        await supervisor.Keyboard.TypeAsync("Dismissed for failure to make plan payments");
        await supervisor.FocusAsync("#dismiss");
        await supervisor.Keyboard.PressAsync("Enter");
        await supervisor.WaitForSelectorAsync("#case-message");
        Assert.Contains("back on the accounts for collection", await supervisor.InnerTextAsync("#case-message"), StringComparison.Ordinal);
        Assert.StartsWith("Dismissed", (await supervisor.InnerTextAsync("#case-status")).Trim(), StringComparison.Ordinal);
        Assert.Equal(left, (await supervisor.InnerTextAsync("#claim-closed")).Trim());
        Assert.Equal(left, (await supervisor.Locator(".case-account td.money").Nth(3).InnerTextAsync()).Trim());
        Assert.Empty((await supervisor.RunAxeInPageAsync()).Violations.Where(v => v.Impact is "critical" or "serious").Select(v => v.Id));

        // The account's collections page tells the clerk of the case and where its claim went.
        await supervisor.GotoAsync($"/Accounts/{account}/Collections");
        var told = await supervisor.InnerTextAsync("#account-bankruptcies");
        Assert.Contains("Chapter 13 case 26-bk-50002 (Bankr. D. Or.), petition Nov 20, 2026: dismissed 2026-11-22.", told, StringComparison.Ordinal);
        Assert.Contains("the trustee has paid $100.00; $0.00 of the claim is left", told, StringComparison.Ordinal);
    }
}
