using Microsoft.Playwright;
using OpenCIS.UseCases.Demo;

namespace OpenCIS.Tests.Web;

/// <summary>
/// A clerk's day on the real screens in Chromium: start service for a new customer at the demo's vacant new
/// construction, log the customer's call, open a high-bill investigation and ask for a re-read; a field user on a
/// phone (375 px) completes the re-read with the read; the clerk sees the read on the account's orders, resolves the
/// case and finds the result letter on the account. The dispatch board shows the order in the field user's lane.
/// </summary>
public sealed class CustomerServiceWalkBrowserTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    [SkippableFact]
    public async Task A_move_in_a_call_a_high_bill_case_and_a_re_read_completed_in_the_field_end_with_the_case_resolved()
    {
        BrowserRequirement.EnsureChromium();
        var baseAddress = factory.StartOnRealPort();
        var today = DateOnly.FromDateTime(OpenCisWebFactory.Today.UtcDateTime);
        await using var browser = await BrowserLease.TakeAsync();
        var clerk = await (await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1366, Height = 768 } })).NewPageAsync();
        await ScreenTests.SignInAsync(clerk, "clerk");

        // Start service at the vacant premise.
        await clerk.GotoAsync($"/Service/Start?q={DemoPremises.NewConstructionParcel}");
        await clerk.Locator("#premise-results a", new PageLocatorOptions { HasText = "Start here" }).First.ClickAsync();
        await clerk.WaitForSelectorAsync("#start-form");
        await clerk.FillAsync("#display-name", "Riley Walkthrough");
        await clerk.FillAsync("#birth-date", "1991-06-02");
        await clerk.FillAsync("#phone", "541-555-0188");
        await clerk.FillAsync("#start-date", today.ToString("yyyy-MM-dd"));
        await clerk.SelectOptionAsync("#cycle-code", "C1");
        await clerk.FillAsync($"#read-{DemoPremises.NewConstructionMeter}", "60");
        await clerk.FocusAsync("#start-submit");
        await clerk.Keyboard.PressAsync("Enter");
        await clerk.WaitForSelectorAsync("#open-new-account");
        await clerk.ClickAsync("#open-new-account");
        await clerk.WaitForSelectorAsync("#contacts");
        var number = clerk.Url.Split('/')[^1];

        // The customer calls about the first bill: logged in a few keystrokes.
        await clerk.SelectOptionAsync("#contact-kind", "call");
        await clerk.SelectOptionAsync("#contact-category", "billing");
        await clerk.FillAsync("#contact-note", "Worried the first bill will be high");
        await clerk.FocusAsync("#log-contact-submit");
        await clerk.Keyboard.PressAsync("Enter");
        await clerk.WaitForSelectorAsync("#contact-list");
        Assert.Contains("Worried the first bill will be high", await clerk.InnerTextAsync("#contact-list"), StringComparison.Ordinal);

        // A high-bill investigation, and a re-read for the field.
        await clerk.GotoAsync($"/Accounts/{number}/Cases");
        await clerk.SelectOptionAsync("#case-kind", "high-bill-investigation");
        await clerk.FillAsync("#case-subject", "First bill looks high");
        await clerk.FillAsync("#case-assign", "clerk");
        await clerk.ClickAsync("#open-case-submit");
        await clerk.WaitForSelectorAsync("#case-message");
        await clerk.GotoAsync($"/Accounts/{number}/Orders");
        await clerk.SelectOptionAsync("#order-kind", "re-read");
        await clerk.FillAsync("#order-notes", "Check the read for the high-bill case");
        await CollectionWorkBrowserTests.AssertAccessibleAsync(clerk, "account orders");
        await clerk.FocusAsync("#new-order-submit");
        await clerk.Keyboard.PressAsync("Enter");
        await clerk.WaitForSelectorAsync("#order-message");
        Assert.Contains("Re-read order", await clerk.InnerTextAsync("#order-message"), StringComparison.Ordinal);
        var reRead = clerk.Locator("#order-list tr", new PageLocatorOptions { HasText = "Re-read" });
        await reRead.Locator("input[name=note]").FillAsync("Customer home after 3 p.m.");
        await reRead.GetByRole(AriaRole.Button).ClickAsync();
        await clerk.WaitForSelectorAsync("#order-message");
        Assert.Contains("Customer home after 3 p.m.", await clerk.Locator("#order-list tr", new PageLocatorOptions { HasText = "Re-read" }).Locator(".order-history").InnerTextAsync(), StringComparison.Ordinal);

        // The dispatcher puts it in the field user's lane.
        var supervisor = await (await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1366, Height = 768 } })).NewPageAsync();
        await ScreenTests.SignInAsync(supervisor, "dispatcher");
        await supervisor.GotoAsync($"/ServiceOrders/Board?day={today.AddDays(2):yyyy-MM-dd}");
        var row = supervisor.Locator("#unassigned .board-order", new PageLocatorOptions { HasText = number });
        await row.Locator("select[name=crew]").SelectOptionAsync("field");
        await row.GetByRole(AriaRole.Button).ClickAsync();
        await supervisor.WaitForSelectorAsync("#board-message");
        Assert.Equal(1, await supervisor.Locator("#crew-field .board-order", new PageLocatorOptions { HasText = number }).CountAsync());
        await CollectionWorkBrowserTests.AssertAccessibleAsync(supervisor, "dispatch board");

        // The field user completes it on a phone.
        var field = await (await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 375, Height = 740 } })).NewPageAsync();
        await ScreenTests.SignInAsync(field, "field");
        await field.GotoAsync("/Field?mine=true");
        var card = field.Locator($"article.field-order[data-account='{number}']");
        await card.Locator("select[name=result]").SelectOptionAsync("done");
        await card.Locator("input[name=reading]").FillAsync("64");
        await card.Locator("button[type=submit]", new LocatorLocatorOptions { HasText = "Complete" }).ClickAsync();
        await field.WaitForSelectorAsync("#field-message");
        Assert.Contains("read 64 stored", await field.InnerTextAsync("#field-message"), StringComparison.Ordinal);

        // The clerk sees the read and resolves the case; the result letter is on the account.
        await clerk.GotoAsync($"/Accounts/{number}/Orders");
        var done = clerk.Locator("#order-list tr", new PageLocatorOptions { HasText = "Re-read" });
        Assert.Contains("Completed", await done.Locator(".order-status").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("read 64", await done.Locator(".order-result").InnerTextAsync(), StringComparison.Ordinal);
        await clerk.GotoAsync($"/Accounts/{number}/Cases");
        var caseCard = clerk.Locator("article.case").First;
        await caseCard.Locator("select[name=resolution]").SelectOptionAsync("usage-confirmed");
        await caseCard.Locator("input[name=note][id^=resolve-note]").FillAsync("Re-read of 64 confirms the bill's read");
        await caseCard.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Resolve" }).ClickAsync();
        await clerk.WaitForFunctionAsync("() => document.querySelector('.case-resolution') !== null");
        await clerk.GotoAsync($"/Accounts/{number}");
        var letters = await clerk.InnerTextAsync("#letter-list");
        Assert.Contains("Welcome", letters, StringComparison.Ordinal);
        Assert.Contains("Result of your high-bill investigation", letters, StringComparison.Ordinal);
    }
}
