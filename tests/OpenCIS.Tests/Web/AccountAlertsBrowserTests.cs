using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenCIS.Core.Customers;
using OpenCIS.Storage;
using OpenCIS.Storage.Collections;

namespace OpenCIS.Tests.Web;

/// <summary>
/// The alert strip on the real screens in Chromium: a clerk opening an account sees the dispute, the certificate and
/// the latest note before anything else, at 1366px and on a phone, every line readable; a cashier keying the same
/// account at the counter sees the same strip.
/// </summary>
public sealed class AccountAlertsBrowserTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(OpenCisWebFactory.Today.UtcDateTime);

    [SkippableFact]
    public async Task A_clerk_sees_the_accounts_alerts_first_and_a_cashier_sees_the_same_at_the_counter()
    {
        BrowserRequirement.EnsureChromium();
        var baseAddress = factory.StartOnRealPort();
        var number = AccountNumbers.Create(14);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
            var id = db.Accounts.Single(a => a.AccountNumber == number).Id;
            db.AccountProtections.Add(AccountProtection.Enter(id, ProtectionKind.MedicalCertificate, Today.AddDays(-3), Today.AddDays(18), "Dr. Ada Lane", null, null, null, "", "clerk", OpenCisWebFactory.Today));
            db.AccountProtections.Add(AccountProtection.Enter(id, ProtectionKind.Dispute, Today.AddDays(-3), null, null, 31_25, null, null, "Disputes the sewer cap", "clerk", OpenCisWebFactory.Today));
            db.AccountNotes.Add(AccountNote.Write(id, "Prefers a call after 5 p.m.", "collector", OpenCisWebFactory.Today));
            await db.SaveChangesAsync();
        }

        await using var browser = await BrowserLease.TakeAsync();
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1366, Height = 768 } });
        var page = await context.NewPageAsync();
        await ScreenTests.SignInAsync(page, "clerk");
        await page.GotoAsync($"/Accounts/{number}");
        var strip = page.Locator("#alert-strip");
        Assert.Equal(
            [
                "Warning: Medical certificate until Dec 10, 2026 (Dr. Ada Lane)",
                "Warning: Open dispute: $31.25 held out of collections since Nov 19, 2026",
            ],
            (await strip.Locator("li[data-alert]").AllInnerTextsAsync()).Where(t => t.Contains("Medical", StringComparison.Ordinal) || t.Contains("dispute", StringComparison.Ordinal)).Select(Words));
        Assert.Contains("Note by collector on Nov 22, 2026: Prefers a call after 5 p.m.", await strip.InnerTextAsync(), StringComparison.Ordinal);
        // The strip comes before the page's cards, under its heading, so a screen reader meets it first.
        Assert.True(await page.EvaluateAsync<bool>("() => document.querySelector('#alert-strip').compareDocumentPosition(document.querySelector('.card')) & Node.DOCUMENT_POSITION_FOLLOWING"));
        await CollectionWorkBrowserTests.AssertAccessibleAsync(page, "account alerts");

        // A call logged in a few keystrokes: how, about what, the outcome, a note, Enter.
        await page.FocusAsync("#contact-kind");
        await page.Keyboard.PressAsync("Tab");
        await page.SelectOptionAsync("#contact-category", "billing");
        await page.SelectOptionAsync("#contact-outcome", "callback-requested");
        await page.FillAsync("#contact-note", "Wants the supervisor to call back");
        await page.FocusAsync("#contact-note");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#contact-list");
        Assert.Contains("clerk: call, billing, callback-requested (Wants the supervisor to call back)", await page.InnerTextAsync("#contact-list"), StringComparison.Ordinal);

        // At the counter, keyed from the keyboard.
        var counterContext = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1366, Height = 768 } });
        var counter = await counterContext.NewPageAsync();
        await ScreenTests.SignInAsync(counter, "cashier");
        await counter.GotoAsync("/Cashier");
        await counter.FillAsync("#starting-float", "25");
        await counter.ClickAsync("#open-drawer");
        await counter.WaitForSelectorAsync("#drawer-status");
        await counter.FocusAsync("#account");
        await counter.Keyboard.TypeAsync(number);
        await counter.WaitForSelectorAsync("#cashier-account");
        var counterStrip = Words(await counter.Locator("#alert-strip").InnerTextAsync());
        foreach (var line in await strip.Locator("li[data-alert]").AllInnerTextsAsync())
        {
            Assert.Contains(Words(line), counterStrip, StringComparison.Ordinal);
        }

        await CollectionWorkBrowserTests.AssertAccessibleAsync(counter, "cashier alerts");
    }

    [SkippableFact]
    public async Task A_clerk_finds_an_account_by_its_customers_phone_as_the_customer_says_it_and_opens_it_from_the_keyboard()
    {
        BrowserRequirement.EnsureChromium();
        var baseAddress = factory.StartOnRealPort();
        var number = AccountNumbers.Create(21);
        string phone;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
            var id = db.Accounts.Single(a => a.AccountNumber == number).Id;
            var customerId = db.AccountCustomers.First(ac => ac.AccountId == id && ac.Role == OpenCIS.Storage.Customers.AccountRole.Main).CustomerId;
            phone = db.Customers.Single(c => c.Id == customerId).PhoneDigits!;
        }

        await using var browser = await BrowserLease.TakeAsync();
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 375, Height = 740 } });
        await ScreenTests.SignInAsync(page, "clerk");
        await page.GotoAsync("/");
        await page.FocusAsync("#search");
        var typed = $"({phone[..3]}) {phone[3..6]}-{phone[6..]}";
        // The results follow the typing: wait for the search of the whole number, and for its results to be swapped in.
        await page.RunAndWaitForResponseAsync(
            () => page.Keyboard.TypeAsync(typed),
            response => response.Url.Contains("handler=Results", StringComparison.Ordinal) && Uri.UnescapeDataString(response.Url.Replace('+', ' ')).Contains(typed, StringComparison.Ordinal));
        // An earlier search's results (the number half typed lists the account too) may still be swapping in: wait until htmx is idle,
        // so the link focused is the one that stays.
        await page.WaitForFunctionAsync("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')");
        var link = page.Locator("#search-results a", new PageLocatorOptions { HasText = number });
        await link.WaitForAsync();
        await CollectionWorkBrowserTests.AssertAccessibleAsync(page, "search by phone");
        await link.FocusAsync();
        await Assertions.Expect(link).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => url.EndsWith($"/Accounts/{number}", StringComparison.Ordinal));
        Assert.Equal(number, await page.InnerTextAsync("#account-number"));
    }

    /// <summary>The text as read aloud: the level's hidden word and the line, one space apart.</summary>
    private static string Words(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ").Trim();
}
