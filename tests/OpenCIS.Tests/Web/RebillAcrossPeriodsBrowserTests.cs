using Microsoft.Playwright;

namespace OpenCIS.Tests.Web;

/// <summary>
/// A clerk corrects a bill before the latest from the Corrections page, from the keyboard: chooses it, enters the corrected
/// read, previews every period billed again, confirms. The page passes axe with the preview on it, at desktop and phone width.
/// </summary>
public sealed class RebillAcrossPeriodsBrowserTests
{
    [SkippableFact]
    public async Task A_clerk_rebills_an_earlier_bill_and_the_one_after_it_from_the_keyboard()
    {
        BrowserRequirement.EnsureChromium();
        await using var factory = new OpenCisWebFactory();
        var baseAddress = factory.StartOnRealPort();
        await using var browser = await BrowserLease.TakeAsync();
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        await ScreenTests.SignInAsync(page, "clerk");
        var number = OpenCIS.Core.Customers.AccountNumbers.Create(17);

        await page.GotoAsync($"/Accounts/{number}/Corrections");
        var choices = page.Locator("#rebill-choose a");
        Assert.Equal(2, await choices.CountAsync());
        await choices.First.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#rebill-form");
        Assert.Contains("the 1 later bill(s) are rebilled with it", await page.InnerTextAsync("#rebill-form"), StringComparison.Ordinal);

        var corrected = page.Locator("#rebill-form input[name^='corrected']").First;
        var billed = long.Parse((await corrected.GetAttributeAsync("placeholder"))!.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture);
        await corrected.FocusAsync();
        await page.Keyboard.TypeAsync((billed - 1_000).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Space");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("The reader keyed a read 1,000 high");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#rebill-preview");
        Assert.Equal(2, await page.Locator("#preview-periods tbody tr").CountAsync());
        await BrowserAxe.AssertCleanAsync(page);

        await page.FocusAsync("#rebill-confirm");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#rebill-periods");
        Assert.Equal(2, await page.Locator("#rebill-periods li").CountAsync());
        Assert.Contains("canceled and rebilled as bills", await page.InnerTextAsync("#correction-message"), StringComparison.Ordinal);
    }
}
