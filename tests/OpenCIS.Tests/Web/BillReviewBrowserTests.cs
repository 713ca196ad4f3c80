using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Billing;

namespace OpenCIS.Tests.Web;

/// <summary>
/// A clerk on the pre-bill review page, from the keyboard alone, releases one held bill and cancels another with a reason;
/// the run page shows what is still held. The pages pass axe with held bills on them, at desktop and phone width. Starting
/// a run asks that the reads were checked and warns of a date before the cycle's read date.
/// </summary>
public sealed class BillReviewBrowserTests
{
    private static readonly DateOnly BillDate = new(2026, 12, 8);

    [SkippableFact]
    public async Task A_clerk_releases_one_held_bill_and_cancels_another_from_the_keyboard()
    {
        BrowserRequirement.EnsureChromium();
        await using var factory = new OpenCisWebFactory();
        var baseAddress = factory.StartOnRealPort();
        await BillingJobTests.ReadCycleAsync(factory);
        long runId;
        using (var scope = factory.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<ReviewHeldBills>().SetRulesAsync(AccountClass.Residential, new BillReviewRules { VeryLarge = Money.Zero }, "supervisor");
            var run = await scope.ServiceProvider.GetRequiredService<RunBilling>().ExecuteAsync("C1", BillDate, "clerk");
            runId = run.RunId;
        }

        await using var browser = await BrowserLease.TakeAsync();
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        await ScreenTests.SignInAsync(page, "clerk");

        await page.GotoAsync("/Billing");
        await page.ClickAsync("#review-link");
        await page.WaitForSelectorAsync("#held-bills");
        await BrowserAxe.AssertCleanAsync(page);
        var rows = page.Locator("#held-bills tbody tr");
        var before = await rows.CountAsync();
        Assert.True(before >= 2, $"{before} held");
        var first = await rows.Nth(0).GetAttributeAsync("data-bill");
        var second = await rows.Nth(1).GetAttributeAsync("data-bill");
        Assert.Contains("Very large:", await rows.Nth(0).InnerTextAsync(), StringComparison.Ordinal);
        // A clerk reviews bills but does not set the rules.
        Assert.Equal(0, await page.Locator("form.rules-form").CountAsync());

        // Release: reach the button with Tab from the cell before it and press Enter.
        await page.Locator($"#held-{first} a").First.FocusAsync();
        await TabToAsync(page, $"#held-{first} button.release");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#review-message");
        Assert.Contains($"Bill {first} of account", await page.InnerTextAsync("#review-message"), StringComparison.Ordinal);
        Assert.Contains("released", await page.InnerTextAsync("#review-message"), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator($"#held-{first}").CountAsync());

        // Cancel: Tab to the reason, type it, Enter submits.
        await page.Locator($"#held-{second} button.release").FocusAsync();
        await TabToAsync(page, $"#cancel-reason-{second}");
        await page.Keyboard.TypeAsync("Meter misread; a field check is ordered");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForFunctionAsync($"() => document.querySelector('#review-message')?.innerText.includes('Bill {second} canceled')");
        Assert.Equal(0, await page.Locator($"#held-{second}").CountAsync());
        Assert.Equal(before - 2, await rows.CountAsync());

        // The run page shows what is still held, with its actions.
        await page.GotoAsync($"/Billing/Runs/{runId}");
        await page.WaitForSelectorAsync("#held");
        Assert.Equal(before - 2, await page.Locator("#held-bills tbody tr").CountAsync());
        Assert.Contains("Held for review", await page.InnerTextAsync("#held"), StringComparison.Ordinal);
        await BrowserAxe.AssertCleanAsync(page);

        // Starting a run: the reads must be confirmed (the server checks it too), and an early date is warned about.
        await page.GotoAsync("/Billing");
        await page.SelectOptionAsync("#cycle", "C1");
        await page.FillAsync("#businessDate", "2026-12-01");
        await page.EvalOnSelectorAsync("#confirm-reads", "e => e.required = false");
        await page.ClickAsync("#run-submit");
        await page.WaitForSelectorAsync(".alert-danger");
        Assert.Contains("Confirm that you have checked", await page.InnerTextAsync(".alert-danger"), StringComparison.Ordinal);
        await page.CheckAsync("#confirm-reads");
        await page.ClickAsync("#run-submit");
        await page.WaitForSelectorAsync("#early-warning");
        Assert.Contains("read on Mon 2026-12-07", await page.InnerTextAsync("#early-warning"), StringComparison.Ordinal);
        Assert.Equal("Run billing anyway", await page.InnerTextAsync("#run-submit"));
        Assert.Equal("2026-12-01", await page.InputValueAsync("#businessDate"));
        await BrowserAxe.AssertCleanAsync(page);
    }

    /// <summary>Presses Tab until the element is focused (at most 12 times).</summary>
    private static async Task TabToAsync(IPage page, string selector)
    {
        for (var i = 0; i < 12; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvalOnSelectorAsync<bool>(selector, "e => e === document.activeElement"))
            {
                return;
            }
        }

        Assert.Fail($"{selector} is not reached with Tab");
    }
}
