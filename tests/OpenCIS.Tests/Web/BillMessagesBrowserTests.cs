using Microsoft.Playwright;
using OpenCIS.UseCases.Demo;

namespace OpenCIS.Tests.Web;

/// <summary>
/// Bill messages on the real screens in Chromium, from the keyboard: a supervisor adds a message for commercial accounts,
/// sees it listed as current and ends it today, at a desktop's and a phone's width with no serious accessibility problem;
/// a clerk sees a demo bill's messages on the bill screen. The host's business date is 2026-11-22.
/// </summary>
public sealed class BillMessagesBrowserTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    [SkippableFact]
    public async Task A_supervisor_adds_a_message_and_ends_it_from_the_keyboard_at_desktop_and_phone_width()
    {
        BrowserRequirement.EnsureChromium();
        await using var browser = await BrowserLease.TakeAsync();
        var page = await SignedInPageAsync(browser, "supervisor", 1366, 768);

        await page.GotoAsync("/Billing");
        await page.FocusAsync("#bill-messages-link");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => url.EndsWith("/Billing/Messages", StringComparison.Ordinal));
        // The form offers a month of bills from today.
        Assert.Equal(("2026-11-22", "2026-12-21"), (await page.InputValueAsync("#bill-message-starts"), await page.InputValueAsync("#bill-message-ends")));

        await page.FocusAsync("#bill-message-text");
        await page.Keyboard.TypeAsync("Browser: commercial customers may now pay by ACH debit.");
        await page.FocusAsync("#bill-message-class");
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("ArrowDown");
        Assert.Equal("Commercial", await page.InputValueAsync("#bill-message-class"));
        await page.FocusAsync("#bill-message-save");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#bill-message-notice");
        Assert.Matches(@"^Message \d+ added: on bills of commercial accounts dated 2026-11-22 to 2026-12-21\.$", (await page.InnerTextAsync("#bill-message-notice")).Trim());
        var row = page.Locator("#bill-messages tr.bill-message-row:has-text('Browser: commercial customers')");
        Assert.Equal("commercial accounts", (await row.Locator(".message-audience").InnerTextAsync()).Trim());
        Assert.Equal("Current", (await row.Locator(".message-standing").InnerTextAsync()).Trim());
        await ScreenTests.ScreenshotAsync(page, "bill-messages.png");
        Assert.Empty(await SeriousViolationsAsync(page));

        await page.SetViewportSizeAsync(390, 844);
        await row.Locator("button.end-message").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#bill-message-notice:has-text('ends today')");
        Assert.Contains("2026-11-22 to 2026-11-22", await page.Locator("#bill-messages tr.bill-message-row:has-text('Browser: commercial customers')").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("#bill-messages tr.bill-message-row:has-text('Browser: commercial customers') button.end-message").CountAsync());

        // A bad message at a phone's width: the field is marked and the reason said.
        await page.FocusAsync("#bill-message-text");
        await page.Keyboard.TypeAsync("Backwards.");
        await page.FillAsync("#bill-message-ends", "2026-11-01");
        await page.FocusAsync("#bill-message-save");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#bill-message-error");
        Assert.Equal("The message ends on 2026-11-01, before it starts on 2026-11-22.", (await page.InnerTextAsync("#bill-message-error")).Trim());
        Assert.Contains("is-invalid", await page.GetAttributeAsync("#bill-message-ends", "class") ?? "", StringComparison.Ordinal);
        Assert.Empty(await SeriousViolationsAsync(page));
    }

    [SkippableFact]
    public async Task A_clerk_sees_the_messages_a_demo_bill_printed_on_the_bill_screen()
    {
        BrowserRequirement.EnsureChromium();
        await using var browser = await BrowserLease.TakeAsync();
        var page = await SignedInPageAsync(browser, "clerk", 390, 844);

        // The account's latest bill is of the demo city's last three months: it printed the city-wide message.
        await page.GotoAsync("/Accounts/00000018");
        await page.ClickAsync("#bill-list .accordion-item:first-child .accordion-button");
        await page.ClickAsync("#bill-list .accordion-item:first-child a.bill-explain");
        await page.WaitForSelectorAsync("#bill-messages");
        var everyone = DemoBillMessages.For(new DateOnly(2026, 11, 22))[0].Text;
        Assert.Equal([everyone], (await page.Locator("#bill-messages li.bill-message").AllInnerTextsAsync()).Select(t => t.Trim()));
        Assert.Empty(await SeriousViolationsAsync(page));
    }

    private async Task<IPage> SignedInPageAsync(BrowserLease browser, string user, int width, int height)
    {
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = factory.StartOnRealPort().ToString(), ViewportSize = new ViewportSize { Width = width, Height = height } });
        await ScreenTests.SignInAsync(page, user);
        return page;
    }

    private static async Task<List<string>> SeriousViolationsAsync(IPage page) =>
        [.. (await page.RunAxeInPageAsync()).Violations.Where(v => v.Impact is "critical" or "serious").Select(v => v.Id)];
}
