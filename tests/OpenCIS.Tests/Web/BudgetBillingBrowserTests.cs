using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenCIS.Storage;
using OpenCIS.UseCases.Billing;

namespace OpenCIS.Tests.Web;

/// <summary>
/// A clerk on an account's budget billing page, from the keyboard alone, enrolls it at the amount its year suggests; the
/// next run's bill shows actual charges and the budget side by side; the clerk ends the plan with a reason. The pages pass
/// axe at desktop and phone width.
/// </summary>
public sealed class BudgetBillingBrowserTests
{
    [SkippableFact]
    public async Task A_clerk_enrolls_an_account_sees_its_budget_bill_and_ends_the_plan_from_the_keyboard()
    {
        BrowserRequirement.EnsureChromium();
        await using var factory = new OpenCisWebFactory();
        var baseAddress = factory.StartOnRealPort();
        await BillingJobTests.ReadCycleAsync(factory);
        string account;
        using (var scope = factory.Services.CreateScope())
        {
            account = await scope.ServiceProvider.GetRequiredService<OpenCisDbContext>().Accounts
                .Where(a => a.CycleCode == "C1" && a.Status == OpenCIS.Storage.Customers.AccountStatus.Active).OrderBy(a => a.Id).Select(a => a.AccountNumber).FirstAsync();
        }

        await using var browser = await BrowserLease.TakeAsync();
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        await ScreenTests.SignInAsync(page, "clerk");

        await page.GotoAsync($"/Accounts/{account}");
        await page.ClickAsync("#account-budget");
        await page.WaitForSelectorAsync("#budget-none");
        await BrowserAxe.AssertCleanAsync(page);
        var suggested = await page.GetAttributeAsync("#monthlyAmount", "placeholder");
        Assert.Matches(@"^\d+\.00$", suggested!);

        // Enroll: focus the amount, Tab through the month and review, Enter on the button; the suggested amount is taken.
        await page.FocusAsync("#monthlyAmount");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        Assert.True(await page.EvalOnSelectorAsync<bool>("#budget-enroll-submit", "e => e === document.activeElement"));
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#budget-message");
        Assert.Contains($"Enrolled in budget billing at ${suggested} a month.", await page.InnerTextAsync("#budget-message"), StringComparison.Ordinal);
        Assert.Equal($"${suggested}", await page.InnerTextAsync("#budget-amount"));

        long billId;
        using (var scope = factory.Services.CreateScope())
        {
            var run = await scope.ServiceProvider.GetRequiredService<RunBilling>().ExecuteAsync("C1", new DateOnly(2026, 12, 8), "clerk");
            var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
            billId = await db.Bills.Where(b => b.BillingRunId == run.RunId && db.Accounts.Any(a => a.Id == b.AccountId && a.AccountNumber == account)).Select(b => b.Id).SingleAsync();
        }

        await page.ReloadAsync();
        Assert.Equal(1, await page.Locator("#budget-bills tbody tr").CountAsync());
        await page.ClickAsync($"#budget-bills a[href='/Billing/Bills/{billId}']");
        await page.WaitForSelectorAsync("#bill-budget");
        Assert.Contains($"${suggested}", await page.InnerTextAsync("#bill-budget"), StringComparison.Ordinal);
        Assert.Contains("Budget billing: charges deferred", await page.InnerTextAsync("#bill-budget-line"), StringComparison.Ordinal);
        await BrowserAxe.AssertCleanAsync(page);

        // End: Tab from the reason to the button is one step; Enter in the reason submits.
        await page.GotoAsync($"/Accounts/{account}/Budget");
        await page.FocusAsync("#reason");
        await page.Keyboard.TypeAsync("Customer asked to leave the plan");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForFunctionAsync("() => document.querySelector('#budget-message')?.innerText.includes('Budget billing ended')");
        Assert.Equal(1, await page.Locator("#budget-none").CountAsync());
        Assert.Equal("$0.00", await page.InnerTextAsync("#budget-deferred"));
        Assert.Contains("Customer asked to leave the plan", await page.InnerTextAsync("#budget-plans"), StringComparison.Ordinal);
        await BrowserAxe.AssertCleanAsync(page);
    }
}
