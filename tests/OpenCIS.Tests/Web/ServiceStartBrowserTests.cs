using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenCIS.Storage;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Demo;

namespace OpenCIS.Tests.Web;

/// <summary>
/// Start service on the real screen in Chromium, from the keyboard: a clerk finds the demo's new-construction premise
/// by its street address, keys a new customer, the start date and the move-in read, and starts service;
/// the new account opens with its welcome letter listed. Every control labelled, at 1366 px and at phone width.
/// </summary>
public sealed class ServiceStartBrowserTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    [SkippableFact]
    public async Task A_clerk_starts_service_for_a_new_customer_at_a_vacant_premise()
    {
        BrowserRequirement.EnsureChromium();
        var start = DateOnly.FromDateTime(OpenCisWebFactory.Today.UtcDateTime);
        var baseAddress = factory.StartOnRealPort();
        await using var browser = await BrowserLease.TakeAsync();
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1366, Height = 768 } });
        await ScreenTests.SignInAsync(page, "clerk");
        await page.GotoAsync("/");
        await page.FocusAsync("#nav-start-service");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#premise-search");
        await page.FocusAsync("#premise-q");
        await page.Keyboard.TypeAsync("1 harvest");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#premise-results");
        await CollectionWorkBrowserTests.AssertAccessibleAsync(page, "start service premise search");
        await page.Locator("#premise-results a", new PageLocatorOptions { HasText = "Start here" }).First.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#start-form");
        Assert.Contains("Vacant", await page.InnerTextAsync("#premise-served"), StringComparison.Ordinal);

        await page.FocusAsync("#display-name");
        await page.Keyboard.TypeAsync("Casey Keyboard");
        await page.FillAsync("#birth-date", "1979-03-14");
        await page.FillAsync("#phone", "541-555-0133");
        await page.FillAsync("#identity-document", "Oregon ID ending 7710");
        await page.FillAsync("#start-date", start.ToString("yyyy-MM-dd"));
        await page.SelectOptionAsync("#cycle-code", "C2");
        await page.FillAsync($"#read-{DemoPremises.NewConstructionMeter}", "75");
        await CollectionWorkBrowserTests.AssertAccessibleAsync(page, "start service form");
        await page.FocusAsync("#start-submit");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#start-message");
        var message = await page.InnerTextAsync("#start-message");
        Assert.Contains("opened for Casey Keyboard", message, StringComparison.Ordinal);
        Assert.Contains("Welcome letter", message, StringComparison.Ordinal);

        await page.FocusAsync("#open-new-account");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#letter-list");
        var number = page.Url.Split('/')[^1];
        Assert.Contains("Welcome", await page.InnerTextAsync("#letter-list"), StringComparison.Ordinal);

        // New construction into inventory from the keyboard, then on to start service there.
        await page.GotoAsync("/Premises");
        await CollectionWorkBrowserTests.AssertAccessibleAsync(page, "premises");
        await page.FocusAsync("#address-line1");
        await page.Keyboard.TypeAsync("9 Harvest Lane");
        await page.FillAsync("#premise-zip", "97401");
        await page.FillAsync("#parcel-id", "R-NEW-00009");
        await page.FillAsync("#owner-of-record", "Harvest Homes LLC");
        await page.FillAsync("#meter-serial", "NC000009");
        await page.FillAsync("#initial-reading", "0");
        await page.FocusAsync("#add-premise-submit");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#premise-message");
        Assert.Contains("Added 9 Harvest Lane", await page.InnerTextAsync("#premise-message"), StringComparison.Ordinal);
        await page.ClickAsync("#start-at-added");
        await page.WaitForSelectorAsync("#start-form");
        Assert.Contains("NC000009", await page.InnerTextAsync("#service-points"), StringComparison.Ordinal);

        // Its builder rents it out: a landlord agreement, so service reverts to them between tenants.
        long ownerId;
        using (var scope = factory.Services.CreateScope())
        {
            ownerId = await scope.ServiceProvider.GetRequiredService<OpenCisDbContext>().Customers.Where(c => c.Kind == CustomerKind.Person).OrderBy(c => c.Id).Select(c => c.Id).FirstAsync();
        }

        await page.GotoAsync("/Premises");
        await page.FillAsync("#landlord-parcel", "R-NEW-00009");
        await page.FillAsync("#landlord-owner", ownerId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.ClickAsync("#landlord-submit");
        await page.WaitForSelectorAsync("#premise-message");
        Assert.Contains("reverts to", await page.InnerTextAsync("#premise-message"), StringComparison.Ordinal);

        // Casey moves there the next day: a transfer from the account's corrections page.
        await page.GotoAsync($"/Accounts/{number}");
        await page.ClickAsync("#transfer-service");
        await page.WaitForSelectorAsync("#transfer-form");
        await page.FillAsync("#transfer-stop", start.ToString("yyyy-MM-dd"));
        await page.FillAsync($"#transfer-final-{DemoPremises.NewConstructionMeter}", "90");
        await page.FillAsync("#transfer-premise", "R-NEW-00009");
        await CollectionWorkBrowserTests.AssertAccessibleAsync(page, "transfer service");
        await page.FocusAsync("#transfer-submit");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#correction-message");
        var transferred = await page.InnerTextAsync("#correction-message");
        Assert.True(transferred.Contains("Service stopped", StringComparison.Ordinal), transferred);
        Assert.Contains($"Service stopped on {start:yyyy-MM-dd}", transferred, StringComparison.Ordinal);
        Assert.Contains("opened for Casey Keyboard at 9 Harvest Lane", transferred, StringComparison.Ordinal);
    }
}
