using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace OpenCIS.Tests.Web;

/// <summary>The counter as a cashier works it all day: a customer found by name, a big cash overpayment confirmed first, the form cleared for the next one.</summary>
public sealed class CashierCounterBrowserTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    [SkippableFact]
    public async Task A_cashier_finds_a_customer_by_name_confirms_a_large_cash_overpayment_and_the_form_is_ready_for_the_next()
    {
        BrowserRequirement.EnsureChromium();
        var baseAddress = factory.StartOnRealPort();
        string name;
        using (var scope = factory.Services.CreateScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<OpenCIS.UseCases.Customers.AccountQueries>();
            var summary = await accounts.SummariesAsync([(await accounts.FindAccountIdAsync("00000042"))!.Value], CancellationToken.None);
            name = summary.Single().CustomerName;
        }

        await using var browser = await BrowserLease.TakeAsync();
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1366, Height = 768 } });
        var page = await context.NewPageAsync();
        await ScreenTests.SignInAsync(page, "cashier");
        await page.GotoAsync("/Cashier");
        await page.FillAsync("#starting-float", "50.00");
        await page.ClickAsync("#open-drawer");
        await page.WaitForSelectorAsync("#drawer-status");
        Assert.Equal("Money order", (await page.Locator("#tender option[value=MoneyOrder]").InnerTextAsync()).Trim());

        // The customer gives a name, not a number: the matches are offered, and one is chosen from the keyboard.
        await page.FocusAsync("#account");
        await page.Keyboard.TypeAsync(name);
        await page.WaitForSelectorAsync("#cashier-matches");
        var match = page.Locator($"#cashier-matches [data-fill-value='00000042']");
        await match.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#cashier-account");
        Assert.Equal("00000042", await page.InputValueAsync("#account"));

        // $50,000 in cash on a small balance: nothing posts until the cashier confirms, and the reporting duty is named.
        await page.SelectOptionAsync("#tender", "Cash");
        await page.FillAsync("#amount", "50000.00");
        await page.ClickAsync("#post-payment");
        await page.WaitForSelectorAsync("#confirm-payment");
        var warning = await page.InnerTextAsync("#confirm-payment");
        Assert.Contains("leaves the account in credit", warning, StringComparison.Ordinal);
        Assert.Contains("Form 8300", warning, StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("#receipt").CountAsync());
        await page.CheckAsync("#confirmed");
        await page.ClickAsync("#post-payment");
        await page.WaitForSelectorAsync("#receipt");
        Assert.Matches(@"\d{4}-\d{2}-\d{2} at \d{1,2}:\d{2} (AM|PM) by cashier", await page.InnerTextAsync("#receipt-received"));

        // Ready for the next customer: the account box is empty and has the caret.
        Assert.Equal("", await page.InputValueAsync("#account"));
        Assert.Equal("account", await page.EvaluateAsync<string>("document.activeElement.id"));
        await CollectionWorkBrowserTests.AssertAccessibleAsync(page, "cashier after a payment");
    }
}
