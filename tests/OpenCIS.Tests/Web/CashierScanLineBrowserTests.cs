using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace OpenCIS.Tests.Web;

/// <summary>The cashier scans a remittance stub into the account box: the account comes up with the stub's amount due, which is what posts when no amount is keyed; a misread stub is refused.</summary>
public sealed class CashierScanLineBrowserTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    [SkippableFact]
    public async Task A_scanned_stub_finds_the_account_and_pays_its_amount_due_and_a_misread_one_is_refused()
    {
        BrowserRequirement.EnsureChromium();
        var baseAddress = factory.StartOnRealPort();
        var stub = (await MailBatchApiTests.StubsAsync(factory, 1, skip: 3)).Single();
        await using var browser = await BrowserLease.TakeAsync();
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString() });
        await ScreenTests.SignInAsync(page, "cashier");
        await page.GotoAsync("/Cashier");
        await page.FillAsync("#starting-float", "50");
        await page.ClickAsync("#open-drawer");
        await page.WaitForSelectorAsync("#drawer-status");

        // A misread digit fails the check digit: refused, no account shown.
        var digits = stub.Digits;
        var misread = digits[..5] + (char)('0' + ((digits[5] - '0' + 1) % 10)) + digits[6..];
        await page.FillAsync("#account", misread);
        await page.WaitForSelectorAsync("#cashier-stub-error");

        await page.FillAsync("#account", stub.ToString());
        await page.WaitForSelectorAsync("#cashier-stub");
        Assert.Contains(stub.AmountDue.ToString(), await page.InnerTextAsync("#cashier-stub"), StringComparison.Ordinal);
        var balanceBefore = ScreenTests.ParseMoney(await page.InnerTextAsync("#cashier-balance"));
        await page.SelectOptionAsync("#tender", "Check");
        await page.FillAsync("#reference", "3321");
        await page.ClickAsync("#post-payment");
        await page.WaitForSelectorAsync("#receipt");
        Assert.Equal(balanceBefore - stub.AmountDue.Dollars, ScreenTests.ParseMoney(await page.InnerTextAsync("#new-balance")));
        // The account box is cleared for the next customer, the receipt staying in view.
        Assert.Equal("", await page.InputValueAsync("#account"));
    }

    [SkippableFact]
    public async Task An_invoice_is_paid_from_its_page_at_the_counter_and_the_payment_pays_that_invoice()
    {
        BrowserRequirement.EnsureChromium();
        var baseAddress = factory.StartOnRealPort();
        long permit;
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OpenCIS.Storage.OpenCisDbContext>();
            permit = await db.Invoices.Where(i => i.Reference == "BP-26-1182").Select(i => i.Id).SingleAsync();
        }

        await using var browser = await BrowserLease.TakeAsync();
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        await ScreenTests.SignInAsync(page, "supervisor");
        await page.GotoAsync("/Cashier");
        await page.FillAsync("#starting-float", "50");
        await page.ClickAsync("#open-drawer");
        await page.WaitForSelectorAsync("#drawer-status");

        // From the permit invoice's page, from the keyboard: the counter comes up with the invoice's stub.
        await page.GotoAsync($"/Invoices/{permit}");
        var open = (await page.InnerTextAsync("#invoice-open")).Trim();
        await page.FocusAsync("#invoice-pay");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#cashier-stub");
        Assert.Contains($"Stub for invoice {permit}", await page.InnerTextAsync("#cashier-stub"), StringComparison.Ordinal);
        Assert.Contains(open, await page.InnerTextAsync("#cashier-stub"), StringComparison.Ordinal);
        await page.SelectOptionAsync("#tender", "Check");
        await page.FocusAsync("#reference");
        await page.Keyboard.TypeAsync("8812");
        await page.FocusAsync("#post-payment");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#receipt");

        await page.GotoAsync($"/Invoices/{permit}");
        Assert.Equal(("Paid", "$0.00"), ((await page.InnerTextAsync("#invoice-standing")).Trim(), (await page.InnerTextAsync("#invoice-open")).Trim()));
        Assert.Equal(0, await page.Locator("#invoice-pay").CountAsync());
    }
}
