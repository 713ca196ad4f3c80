using Microsoft.Playwright;
using OpenCIS.Core.Customers;

namespace OpenCIS.Tests.Web;

/// <summary>
/// A clerk's case on the real screens in Chromium, from the keyboard: open a high-bill investigation from the
/// account page, take it, see it under My work with its count, set it waiting on the field, resolve it; every
/// control labelled and nothing wider than a phone.
/// </summary>
public sealed class CasesBrowserTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    [SkippableFact]
    public async Task A_clerk_opens_a_high_bill_investigation_takes_it_works_it_from_my_work_and_resolves_it()
    {
        BrowserRequirement.EnsureChromium();
        var baseAddress = factory.StartOnRealPort();
        var number = AccountNumbers.Create(17);
        await using var browser = await BrowserLease.TakeAsync();
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1366, Height = 768 } });
        await ScreenTests.SignInAsync(page, "clerk");
        await page.GotoAsync($"/Accounts/{number}");
        await page.FocusAsync("#account-cases");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => url.EndsWith($"/Accounts/{number}/Cases", StringComparison.Ordinal));
        Assert.True(await page.IsVisibleAsync("#no-cases"));

        await page.FocusAsync("#case-kind");
        await page.SelectOptionAsync("#case-kind", "high-bill-investigation");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("November bill twice the usual");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("No guests, no new appliances");
        await page.FillAsync("#case-assign", "clerk");
        await page.FocusAsync("#open-case-submit");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#case-message");
        Assert.Contains("Opened high-bill investigation", await page.InnerTextAsync("#case-message"), StringComparison.Ordinal);
        var card = page.Locator("article.case").First;
        Assert.Contains("Assigned", await card.Locator(".case-status").InnerTextAsync(), StringComparison.Ordinal);
        await CollectionWorkBrowserTests.AssertAccessibleAsync(page, "account cases");

        // My work shows it, with the count in the navigation.
        await page.GotoAsync("/Work");
        Assert.Equal("1", (await page.InnerTextAsync("#nav-work-count")).Trim());
        var row = page.Locator("#my-cases tbody tr", new PageLocatorOptions { HasText = "November bill twice the usual" });
        await CollectionWorkBrowserTests.AssertAccessibleAsync(page, "my work");
        await row.Locator("a").First.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => url.Contains($"/Accounts/{number}/Cases", StringComparison.Ordinal));

        await card.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Waiting on the field" }).ClickAsync();
        await page.WaitForSelectorAsync(".case-message");
        Assert.Contains("waiting on the field", await page.InnerTextAsync(".case-message"), StringComparison.Ordinal);
        await card.Locator("select[name=resolution]").SelectOptionAsync("leak-found");
        await card.Locator("input[name=note][id^=resolve-note]").FillAsync("Toilet flapper leaking; customer fixed it");
        await card.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Resolve" }).ClickAsync();
        await page.WaitForFunctionAsync("() => document.querySelector('.case-resolution') !== null");
        Assert.StartsWith("leak-found on ", await page.InnerTextAsync(".case-resolution"), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("#nav-work-count").CountAsync());
    }
}
