using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenCIS.Core.Customers;
using OpenCIS.Storage;

namespace OpenCIS.Tests.Web;

/// <summary>
/// Rate values and parcel areas on the real screens in Chromium, from the keyboard: a supervisor sets next month's rider
/// value and sees it listed as still to come, and a CSV with a bad line is refused by line and field; a clerk sets a
/// parcel's impervious area and the account page shows it.
/// </summary>
public sealed class RateValuesBrowserTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    [SkippableFact]
    public async Task A_supervisor_sets_a_value_from_the_keyboard_and_a_csv_with_a_bad_line_is_named_by_line_and_field()
    {
        BrowserRequirement.EnsureChromium();
        var baseAddress = factory.StartOnRealPort();
        await using var browser = await BrowserLease.TakeAsync();
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1366, Height = 768 } });
        await ScreenTests.SignInAsync(page, "supervisor");

        await page.GotoAsync("/Billing");
        await page.FocusAsync("#rate-values-link");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => url.EndsWith("/Billing/RateValues", StringComparison.Ordinal));
        // The date offered is the first of next month (the host's business date is 2026-11-22).
        Assert.Equal("2026-12-01", await page.InputValueAsync("#rate-value-from"));

        await page.FocusAsync("#rate-value-name");
        await page.Keyboard.TypeAsync("BROWSER_PPA");
        await page.FocusAsync("#rate-value-value");
        await page.Keyboard.TypeAsync("0.0142");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#rate-value-message");
        Assert.Equal("BROWSER_PPA is 0.0142 from 2026-12-01.", (await page.InnerTextAsync("#rate-value-message")).Trim());
        var row = await page.InnerTextAsync("#rate-values tbody tr:has-text('BROWSER_PPA')");
        Assert.Equal(["BROWSER_PPA", "2026-12-01", "0.0142", "To come", "supervisor"], row.Split('\t').Take(5).Select(c => c.Trim()));

        await page.SetViewportSizeAsync(390, 844);
        await page.SetInputFilesAsync("#rate-value-file", new FilePayload
        {
            Name = "ppa.csv",
            MimeType = "text/csv",
            Buffer = System.Text.Encoding.UTF8.GetBytes("name,effective_from,value\nBROWSER_PPA,2027-01-01,0.015\nBROWSER_PPA,2027-02-01,cheap\n"),
        });
        await page.FocusAsync("#rate-value-upload");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#rate-value-file-errors");
        Assert.Equal("Line 3, value: 'cheap' is not a number", (await page.InnerTextAsync("#rate-value-file-errors li")).Trim());
        Assert.Equal("ppa.csv has 1 problem; nothing was imported.", (await page.InnerTextAsync("#rate-value-error")).Trim());
        Assert.DoesNotContain("2027-01-01", await page.InnerTextAsync("#rate-values"), StringComparison.Ordinal);

        // With its errors listed and a value in the table, at a phone's width: no serious accessibility problem.
        var violations = (await page.RunAxeInPageAsync()).Violations.Where(v => v.Impact is "critical" or "serious").Select(v => v.Id).ToList();
        Assert.Empty(violations);
    }

    [SkippableFact]
    public async Task A_clerk_sets_a_parcels_impervious_area_and_the_account_page_shows_it()
    {
        BrowserRequirement.EnsureChromium();
        var baseAddress = factory.StartOnRealPort();
        var number = AccountNumbers.Create(19);
        string parcel;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
            parcel = await db.Accounts.Where(a => a.AccountNumber == number).Join(db.Premises, a => a.PremiseId, p => p.Id, (a, p) => p.ParcelId).SingleAsync();
        }

        await using var browser = await BrowserLease.TakeAsync();
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        await ScreenTests.SignInAsync(page, "clerk");

        await page.GotoAsync($"/Accounts/{number}");
        Assert.Equal("no impervious area on file", (await page.InnerTextAsync("#impervious-area")).Trim());

        await page.GotoAsync("/Premises");
        await page.FocusAsync("#area-parcel");
        await page.Keyboard.TypeAsync(parcel.ToLowerInvariant());
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("3250");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#premise-message");
        Assert.Equal($"Parcel {parcel}: impervious area 3,250 sq ft on 1 premise.", (await page.InnerTextAsync("#premise-message")).Trim());

        await page.GotoAsync($"/Accounts/{number}");
        Assert.Equal("impervious area 3,250 sq ft", (await page.InnerTextAsync("#impervious-area")).Trim());
    }
}
