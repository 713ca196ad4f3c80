using Microsoft.Playwright;

namespace OpenCIS.Tests.Web;

/// <summary>
/// An ambulance bill worked on the real screens in Chromium, from the keyboard: at 1366 px a clerk posts an insurer's
/// remittance from its explanation of benefits and asks for the rest to be waived; at a phone's width a Supervisor finds
/// it waiting beside the demo's and approves it, and the invoice shows itself paid, line by line.
/// </summary>
public sealed class EmsBrowserTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    [SkippableFact]
    public async Task A_clerk_posts_a_remittance_and_asks_a_waiver_and_a_supervisor_approves_it_from_the_keyboard()
    {
        BrowserRequirement.EnsureChromium();
        var baseAddress = factory.StartOnRealPort();
        await using var browser = await BrowserLease.TakeAsync();
        var clerk = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        await ScreenTests.SignInAsync(clerk, "clerk");

        await clerk.GotoAsync("/Invoices?text=RUN-26-04417");
        await clerk.FocusAsync(".invoice-row a");
        await clerk.Keyboard.PressAsync("Enter");
        await clerk.WaitForSelectorAsync("#remittance-form");
        var invoiceUrl = clerk.Url;
        await clerk.FocusAsync("#payerKind");
        await clerk.SelectOptionAsync("#payerKind", "Insurance");
        await clerk.FocusAsync("#payerName");
        await clerk.Keyboard.TypeAsync("Cascade Mutual");
        await clerk.Keyboard.PressAsync("Tab");
        await clerk.Keyboard.TypeAsync("CM-9001");
        await clerk.Keyboard.PressAsync("Tab");
        await clerk.Keyboard.TypeAsync("500.00");
        await clerk.Keyboard.PressAsync("Tab");
        await clerk.Keyboard.TypeAsync("600.00");
        await clerk.FocusAsync("#reference");
        await clerk.Keyboard.TypeAsync("20417");
        await clerk.Keyboard.PressAsync("Enter");
        await clerk.WaitForSelectorAsync("#invoice-message");
        Assert.Contains("the patient owes $186.90", await clerk.InnerTextAsync("#invoice-message"), StringComparison.Ordinal);
        Assert.Equal("$186.90", (await clerk.InnerTextAsync("#invoice-open")).Trim());
        Assert.Equal(["Payment", "ContractualAdjustment"], (await clerk.Locator(".activity-row").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.type)")));
        Assert.Equal(2, await clerk.Locator(".statement-row").CountAsync());

        await clerk.FocusAsync("#waiver-reason");
        await clerk.Keyboard.TypeAsync("Fixed income; Medicare supplement lapsed. Letter on file.");
        await clerk.Keyboard.PressAsync("Enter");
        await clerk.WaitForSelectorAsync("#invoice-message");
        Assert.Contains("waits for a Supervisor", await clerk.InnerTextAsync("#invoice-message"), StringComparison.Ordinal);
        Assert.Equal("Pending", await clerk.GetAttributeAsync(".waiver-row", "data-status"));
        Assert.Empty((await clerk.RunAxeInPageAsync()).Violations.Where(v => v.Impact is "critical" or "serious").Select(v => v.Id));

        var supervisor = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        await ScreenTests.SignInAsync(supervisor, "supervisor");
        await supervisor.GotoAsync("/Invoices/Waivers");
        Assert.Equal(2, await supervisor.Locator(".waiver").CountAsync());
        var mine = supervisor.Locator(".waiver", new PageLocatorOptions { HasText = "Harold Whitcomb" });
        await mine.Locator("input[name='note']").FocusAsync();
        await supervisor.Keyboard.TypeAsync("Meets the hardship policy");
        await supervisor.Keyboard.PressAsync("Tab");
        await supervisor.Keyboard.PressAsync("Enter");
        await supervisor.WaitForSelectorAsync("#waivers-message");
        Assert.Contains("$186.90 waived", await supervisor.InnerTextAsync("#waivers-message"), StringComparison.Ordinal);
        Assert.Equal(1, await supervisor.Locator(".waiver").CountAsync());
        Assert.Empty((await supervisor.RunAxeInPageAsync()).Violations.Where(v => v.Impact is "critical" or "serious").Select(v => v.Id));

        await clerk.GotoAsync(invoiceUrl);
        Assert.Equal(("Paid", "$0.00"), ((await clerk.InnerTextAsync("#invoice-standing")).Trim(), (await clerk.InnerTextAsync("#invoice-open")).Trim()));
        Assert.Equal("HardshipWaiver", await clerk.Locator(".activity-row").Last.GetAttributeAsync("data-type"));
    }
}
