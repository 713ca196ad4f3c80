using Microsoft.Playwright;

namespace OpenCIS.Tests.Web;

public sealed class DrawerScreenTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    [SkippableFact]
    public async Task A_cashier_opens_a_drawer_takes_mixed_tenders_closes_blind_and_a_supervisor_approves_the_short()
    {
        BrowserRequirement.EnsureChromium();
        var baseAddress = factory.StartOnRealPort();
        await using var browser = await BrowserLease.TakeAsync();
        var options = new BrowserNewContextOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } };
        await using var cashierContext = await browser.NewContextAsync(options);
        var page = await cashierContext.NewPageAsync();
        await ScreenTests.SignInAsync(page, "cashier");

        // Open the drawer with a $100.00 float.
        await page.GotoAsync("/Cashier?account=00000018");
        await page.FillAsync("#starting-float", "100.00");
        await page.ClickAsync("#open-drawer");
        await page.WaitForSelectorAsync("#drawer-status");

        // $50.00: $40.00 cash handed over plus a $30.00 check, so $20.00 change.
        await page.WaitForSelectorAsync("#cashier-account");
        await page.SelectOptionAsync("#tender", "Cash");
        await page.FillAsync("#amount", "50.00");
        await page.FillAsync("#amountTendered", "40.00");
        await page.SelectOptionAsync("#tender2", "Check");
        await page.FillAsync("#amount2", "30.00");
        await page.FillAsync("#reference2", "5512");
        await page.ClickAsync("#post-payment");
        await page.WaitForSelectorAsync("#receipt");
        Assert.Equal("$20.00", await page.InnerTextAsync("#change-due"));
        Assert.Equal(2, await page.Locator(".receipt-tender").CountAsync());

        // $25.00 by card: token and last four only.
        await page.FillAsync("#account", "00000034");
        await page.WaitForSelectorAsync("#cashier-account");
        await page.SelectOptionAsync("#tender", "Card");
        await page.FillAsync("#amount", "25.00");
        await page.FillAsync("#card-token", "tok_screen_1");
        await page.FillAsync("#card-last-four", "4242");
        await page.ClickAsync("#post-payment");
        await page.WaitForSelectorAsync("text=Card ending 4242");
        Assert.Equal("2", await page.InnerTextAsync("#drawer-payments"));

        // The blind count: nothing expected is on the page until the count is in. Cash is $1.00 short.
        await page.ClickAsync("#close-drawer-link");
        await page.WaitForSelectorAsync("#count-form");
        var countPage = await page.InnerTextAsync("main");
        Assert.DoesNotContain("120.00", countPage, StringComparison.Ordinal);
        Assert.DoesNotContain("Over/short", countPage, StringComparison.Ordinal);
        Assert.DoesNotContain("25.00", countPage, StringComparison.Ordinal);
        await page.FillAsync("#count-Cash", "119.00");
        await page.FillAsync("#count-Check", "30.00");
        await page.FillAsync("#count-Card", "25.00");
        await page.ClickAsync("#submit-count");
        await page.WaitForSelectorAsync("#close-result");
        Assert.Equal("-$1.00", await page.InnerTextAsync("#over-short"));

        // A closed drawer takes no payment.
        await page.GotoAsync("/Cashier?account=00000018");
        await page.WaitForSelectorAsync("#open-drawer-form");

        // The supervisor approves the short with a note and sees the deposit slip.
        await using var supervisorContext = await browser.NewContextAsync(options);
        var supervisor = await supervisorContext.NewPageAsync();
        await ScreenTests.SignInAsync(supervisor, "supervisor");
        await supervisor.ClickAsync("#nav-drawers");
        await supervisor.WaitForSelectorAsync(".drawer-awaiting");
        var form = supervisor.Locator(".drawer-awaiting").First;
        Assert.Equal("-$1.00", await form.Locator(".over-short").InnerTextAsync());
        await form.Locator("button[type=submit]").ClickAsync();
        await supervisor.WaitForSelectorAsync(".approval-error");
        form = supervisor.Locator(".drawer-awaiting").First;
        await form.Locator("input[name=Note]").FillAsync("Recounted; one dollar short.");
        await form.Locator("button[type=submit]").ClickAsync();
        await supervisor.WaitForSelectorAsync("#deposit-slip");
        Assert.Equal("$19.00", await supervisor.InnerTextAsync("#deposit-cash"));
        Assert.Equal("$30.00", await supervisor.InnerTextAsync("#deposit-checks"));
        Assert.Equal("$49.00", await supervisor.InnerTextAsync("#deposit-total"));
        Assert.Contains("5512", await supervisor.InnerTextAsync("#deposit-items"), StringComparison.Ordinal);
        Assert.Equal(0, await supervisor.Locator(".drawer-awaiting").CountAsync());
    }
}
