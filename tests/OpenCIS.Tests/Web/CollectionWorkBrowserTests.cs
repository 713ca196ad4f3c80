using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenCIS.Core.Customers;
using OpenCIS.Storage;
using OpenCIS.Storage.Collections;

namespace OpenCIS.Tests.Web;

/// <summary>
/// The collector's day on the real screens in Chromium: the queue, an account's collections page, a call with its
/// outcome, a promise, a note; every form control labelled, and no sideways scrolling at 1366px or on a phone.
/// </summary>
public sealed class CollectionWorkBrowserTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(OpenCisWebFactory.Today.UtcDateTime);

    private async Task<long> PutInQueueAsync(string accountNumber)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        var id = db.Accounts.Single(a => a.AccountNumber == accountNumber).Id;
        var standing = AccountCollection.For(id);
        standing.Update("RIVERBEND-UTIL", CollectionStatus.FinalNotice, 27, 48_250, false, null, null, null, Today.AddDays(-6), Today.AddDays(8),
            "door hanger on Nov 30, 2026 once the shut-off notice's 10 days have run", Today, OpenCisWebFactory.Today);
        db.AccountCollections.Add(standing);
        await db.SaveChangesAsync();
        return id;
    }

    /// <summary>Fails naming the controls a screen reader could not name, and any sideways scroll of the page.</summary>
    internal static async Task AssertAccessibleAsync(IPage page, string where)
    {
        var unlabelled = await page.EvaluateAsync<string[]>(@"() => [...document.querySelectorAll('main input:not([type=hidden]), main select, main textarea, main button')]
            .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !(e.tagName === 'BUTTON' && e.textContent.trim()))
            .map(e => e.outerHTML)");
        Assert.True(unlabelled.Length == 0, $"{where}: unlabelled controls: {string.Join(" ", unlabelled)}");
        var duplicateIds = await page.EvaluateAsync<string[]>("() => { const ids = [...document.querySelectorAll('[id]')].map(e => e.id); return ids.filter((id, i) => ids.indexOf(id) !== i); }");
        Assert.True(duplicateIds.Length == 0, $"{where}: duplicate ids {string.Join(", ", duplicateIds)}");
        foreach (var (width, height) in new[] { (1366, 768), (375, 740) })
        {
            await page.SetViewportSizeAsync(width, height);
            // The main content: nothing in it reaches past the window, except inside a table that scrolls in its own box.
            // (The shared navigation bar does not collapse on a phone; that is the layout's, not this screen's.)
            const string PastTheWindow = @"() => [...document.querySelectorAll('main *')]
                .filter(e => !e.closest('.table-responsive') && e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
                .map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className)";
            // A chart follows the window a moment later (Chart.js resizes after its observer fires): give the layout a second to settle.
            try
            {
                await page.WaitForFunctionAsync($"() => ({PastTheWindow})().length === 0", null, new PageWaitForFunctionOptions { Timeout = 1500 });
            }
            catch (TimeoutException)
            {
            }

            await ScreenTests.ScreenshotAsync(page, $"{where.Replace(' ', '-')}-{width}.png");
            var overflowing = await page.EvaluateAsync<string[]>(PastTheWindow);
            Assert.True(overflowing.Length == 0, $"{where} at {width}px wide: past the window: {string.Join(", ", overflowing.Take(5))}");
        }

        await page.SetViewportSizeAsync(1366, 768);
    }

    [SkippableFact]
    public async Task A_collector_opens_the_queue_opens_an_account_logs_a_call_takes_a_promise_and_writes_a_note()
    {
        BrowserRequirement.EnsureChromium();
        var baseAddress = factory.StartOnRealPort();
        var number = AccountNumbers.Create(12);
        await PutInQueueAsync(number);

        await using var browser = await BrowserLease.TakeAsync();
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1366, Height = 768 } });
        var page = await context.NewPageAsync();
        await ScreenTests.SignInAsync(page, "collector");

        await page.GotoAsync("/Collections/Queue");
        await page.SelectOptionAsync("#status", "FinalNotice");
        await page.FillAsync("#minPastDue", "100.00");
        await page.ClickAsync("#apply-filters");
        await page.WaitForURLAsync(url => url.Contains("status=FinalNotice", StringComparison.Ordinal));
        var row = page.Locator("#queue tbody tr", new PageLocatorOptions { HasText = number });
        Assert.Contains("$482.50", await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("door hanger on Nov 30, 2026", await row.InnerTextAsync(), StringComparison.Ordinal);
        await AssertAccessibleAsync(page, "the queue");

        await row.Locator("a.queue-account").ClickAsync();
        await page.WaitForSelectorAsync("#standing");
        await page.ClickAsync("h1 a");
        await page.ClickAsync("#account-collections");
        await page.WaitForSelectorAsync("#standing");
        Assert.Contains("Final notice", await page.InnerTextAsync("#collection-status"), StringComparison.Ordinal);
        Assert.Contains("door hanger on Nov 30, 2026", await page.InnerTextAsync("#explanation"), StringComparison.Ordinal);
        await AssertAccessibleAsync(page, "the account's collections page");

        // A call, by keyboard: the outcome chosen, a note typed, the form sent with Enter on its button.
        await page.SelectOptionAsync("#contact-kind", "call");
        await page.SelectOptionAsync("#contact-outcome", "left-message");
        await page.FillAsync("#contact-note", "Left a message with the balance");
        await page.FocusAsync("#log-contact");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#contacts .contact-row");
        Assert.Contains("Logged the call (left-message)", await page.InnerTextAsync("#collections-message"), StringComparison.Ordinal);
        Assert.Contains("Left a message with the balance", await page.InnerTextAsync("#contacts"), StringComparison.Ordinal);

        // A promise dated today is refused, naming the date; then one for next week is taken.
        await page.FillAsync("#promise-date", Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await page.FillAsync("#promise-amount", "200.00");
        await page.ClickAsync("#take-promise");
        await page.WaitForSelectorAsync("#collections-message.alert-danger");
        Assert.Contains("after today", await page.InnerTextAsync("#collections-message"), StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator("#promise-date.is-invalid").CountAsync());
        await page.FillAsync("#promise-date", Today.AddDays(7).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await page.FillAsync("#promise-amount", "200.00");
        await page.ClickAsync("#take-promise");
        await page.WaitForSelectorAsync("#promises .promise-row");
        Assert.Contains("$200.00", await page.InnerTextAsync("#promises"), StringComparison.Ordinal);
        Assert.Contains("Open", await page.InnerTextAsync("#promises"), StringComparison.Ordinal);

        await page.FillAsync("#note-text", "Customer starts a new job on the 1st");
        await page.ClickAsync("#write-note");
        await page.WaitForSelectorAsync("#notes .note-item");
        Assert.Contains("Customer starts a new job on the 1st", await page.InnerTextAsync("#notes"), StringComparison.Ordinal);
        await AssertAccessibleAsync(page, "the account's collections page after the work");
        await ScreenTests.ScreenshotAsync(page, "account-collections.png");

        // Back in the queue, the account shows the last contact and the open promise.
        await page.GotoAsync($"/Collections/Queue?status=FinalNotice");
        var worked = page.Locator("#queue tbody tr", new PageLocatorOptions { HasText = number });
        Assert.Contains($"$200.00 by {Today.AddDays(7):yyyy-MM-dd}", await worked.InnerTextAsync(), StringComparison.Ordinal);

        // An Auditor sees the account's collections but no form to change them.
        var auditor = await (await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString() })).NewPageAsync();
        await ScreenTests.SignInAsync(auditor, "auditor");
        await auditor.GotoAsync($"/Accounts/{number}/Collections");
        await auditor.WaitForSelectorAsync("#read-only");
        Assert.Equal(0, await auditor.Locator("form#contact-form, form#promise-form, form#note-form, form#protect-form, form.end-protection").CountAsync());
    }
}
