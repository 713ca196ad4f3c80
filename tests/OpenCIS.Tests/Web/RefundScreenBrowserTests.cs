using System.Text.Json;
using Microsoft.Playwright;
using OpenCIS.Core.Customers;
using OpenCIS.Web.Api;

namespace OpenCIS.Tests.Web;

/// <summary>A refund on the real screens in Chromium: a clerk requests it from the account's balance page, a Supervisor approves it from the queue.</summary>
public sealed class RefundScreenBrowserTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    private static async Task<IPage> SignInAsync(BrowserLease browser, Uri baseAddress, string user)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString() });
        var page = await context.NewPageAsync();
        await ScreenTests.SignInAsync(page, user);
        return page;
    }

    [SkippableFact]
    public async Task A_clerk_requests_a_refund_on_the_balance_page_and_a_supervisor_approves_it_from_the_queue()
    {
        BrowserRequirement.EnsureChromium();
        var baseAddress = factory.StartOnRealPort();
        var number = AccountNumbers.Create(31);

        await using var browser = await BrowserLease.TakeAsync();

        // The customer overpays by $30.00 at the counter (through the API, with the cashier's sign-in).
        var cashier = await SignInAsync(browser, baseAddress, "cashier");
        var account = await cashier.APIRequest.GetAsync($"/api/accounts/{number}");
        using (var json = JsonDocument.Parse(await account.TextAsync()))
        {
            var owed = Math.Max(0, json.RootElement.GetProperty("balanceCents").GetInt64());
            var paid = await cashier.APIRequest.PostAsync("/api/payments", new APIRequestContextOptions
            {
                DataObject = new TakePaymentBody(number, ((owed + 3_000) / 100m).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), "money order", null),
            });
            Assert.True(paid.Ok, await paid.TextAsync());
        }

        var clerk = await SignInAsync(browser, baseAddress, "clerk");
        await clerk.GotoAsync($"/Accounts/{number}");
        await clerk.ClickAsync("#balance-actions");
        await clerk.WaitForSelectorAsync("#refund-form");
        Assert.Equal("30.00", await clerk.InputValueAsync("#refund-form input[name=amount]"));
        Assert.Equal(0, await clerk.Locator("#write-off-form").CountAsync());
        await clerk.FillAsync("#refund-form input[name=note]", "Overpaid at the counter");
        await clerk.ClickAsync("#refund-submit");
        await clerk.WaitForSelectorAsync("#balance-message");
        Assert.Contains("waits for a Supervisor", await clerk.InnerTextAsync("#balance-message"), StringComparison.Ordinal);
        Assert.Contains("Pending", await clerk.InnerTextAsync("#refunds"), StringComparison.Ordinal);

        var supervisor = await SignInAsync(browser, baseAddress, "supervisor");
        await supervisor.ClickAsync("#nav-refunds");
        await supervisor.WaitForSelectorAsync("#pending-refunds");
        var row = supervisor.Locator("#pending-refunds tbody tr", new PageLocatorOptions { HasText = number });
        Assert.Contains("$30.00", await row.InnerTextAsync(), StringComparison.Ordinal);
        await row.Locator("button.approve").ClickAsync();
        await supervisor.WaitForSelectorAsync("#decision-message");
        Assert.Contains("approved and posted", await supervisor.InnerTextAsync("#decision-message"), StringComparison.Ordinal);
        Assert.Equal(0, await supervisor.Locator("#pending-refunds tbody tr", new PageLocatorOptions { HasText = number }).CountAsync());

        await clerk.ReloadAsync();
        Assert.Contains("Approved", await clerk.InnerTextAsync("#refunds"), StringComparison.Ordinal);
        Assert.Contains("There is no credit to refund", await clerk.InnerTextAsync("#refund"), StringComparison.Ordinal);
    }
}
