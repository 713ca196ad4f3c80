using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenCIS.Storage;

namespace OpenCIS.Tests.Web;

/// <summary>
/// A clerk sets a trash service's attributes from the account page, from the keyboard: a line without '=' is refused
/// naming it and keeps what was typed; a good set is saved and shown. An auditor sees them but has no form. The page
/// passes axe at desktop and phone width.
/// </summary>
public sealed class AgreementAttributesBrowserTests
{
    [SkippableFact]
    public async Task A_clerk_sets_a_services_attributes_from_the_keyboard()
    {
        BrowserRequirement.EnsureChromium();
        await using var factory = new OpenCisWebFactory();
        var baseAddress = factory.StartOnRealPort();
        string account;
        long agreement;
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
            var trash = await db.ServiceAgreements.Where(a => a.Service == OpenCIS.Core.Billing.Service.Trash && a.EndedOn == null).OrderBy(a => a.Id)
                .Select(a => new { a.Id, a.AccountId }).FirstAsync();
            agreement = trash.Id;
            account = await db.Accounts.Where(a => a.Id == trash.AccountId).Select(a => a.AccountNumber).SingleAsync();
        }

        await using var browser = await BrowserLease.TakeAsync();
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        await ScreenTests.SignInAsync(page, "clerk");
        await page.GotoAsync($"/Accounts/{account}");
        await page.FocusAsync($"#attributes-{agreement}");
        await page.Keyboard.PressAsync("Enter");
        // Every demo trash service has its cart: the page lists it, and the clerk rewrites the list.
        await page.WaitForSelectorAsync("#attributes-list");
        Assert.Contains("cart_size", await page.InnerTextAsync("#attributes-list"), StringComparison.Ordinal);
        await BrowserAxe.AssertCleanAsync(page);

        await page.FillAsync("#text", "");
        await page.FocusAsync("#text");
        await page.Keyboard.TypeAsync("cart_size=96gal");
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.TypeAsync("weekly");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#attributes-message.alert-danger");
        Assert.Contains("Line 2, 'weekly': write name=value", await page.InnerTextAsync("#attributes-message"), StringComparison.Ordinal);
        Assert.Equal("cart_size=96gal\nweekly", await page.InputValueAsync("#text"));

        await page.FillAsync("#text", "cart_size=96gal\npickups=2");
        await page.FocusAsync("#attributes-save");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#attributes-message.alert-success");
        Assert.Equal("Saved: cart_size=96gal; pickups=2.", await page.InnerTextAsync("#attributes-message"));
        Assert.Contains("96gal", await page.InnerTextAsync("#attributes-list"), StringComparison.Ordinal);
        await BrowserAxe.AssertCleanAsync(page);

        var auditor = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString() });
        await ScreenTests.SignInAsync(auditor, "auditor");
        await auditor.GotoAsync($"/Accounts/{account}/Agreements/{agreement}/Attributes");
        await auditor.WaitForSelectorAsync("#attributes-list");
        Assert.Equal(0, await auditor.Locator("#text").CountAsync());
    }
}
