using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenCIS.Core.Common;
using OpenCIS.Core.Customers;
using OpenCIS.Storage;

namespace OpenCIS.Tests.Web;

/// <summary>
/// Final-bill pursuit on the real screens in Chromium, from the keyboard: at 1366 px a Supervisor enters the collection agency and
/// a collector makes its placement file; at a phone's width the collector refers a final account by hand and recalls it.
/// </summary>
public sealed class PursuitBrowserTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    [SkippableFact]
    public async Task A_supervisor_enters_an_agency_and_a_collector_refers_a_final_account_sends_it_and_recalls_it_from_the_keyboard()
    {
        BrowserRequirement.EnsureChromium();
        var number = AccountNumbers.Create(16);
        var baseAddress = factory.StartOnRealPort();
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            await OpenCIS.Tests.Persistence.FinalAccounts.OweAsync(scope.ServiceProvider.GetRequiredService<OpenCisDbContext>(), number, Money.FromCents(65_40));
        }

        await using var browser = await BrowserLease.TakeAsync();
        var supervisor = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        await ScreenTests.SignInAsync(supervisor, "supervisor");
        await supervisor.GotoAsync("/Pursuit/Agencies");
        await supervisor.FocusAsync("#code");
        await supervisor.Keyboard.TypeAsync("crs");
        await supervisor.Keyboard.PressAsync("Tab");
        await supervisor.Keyboard.TypeAsync("Cascade Recovery Services");
        await supervisor.FillAsync("#commissionPercent", "25");
        await supervisor.FocusAsync("#contact");
        await supervisor.Keyboard.TypeAsync("PO Box 4410, Salem, OR");
        await supervisor.Keyboard.PressAsync("Enter");
        await supervisor.WaitForSelectorAsync("#agency-message");
        Assert.Equal("Cascade Recovery Services (CRS) saved.", (await supervisor.InnerTextAsync("#agency-message")).Trim());
        Assert.Contains("25%", await supervisor.InnerTextAsync(".agency-row[data-agency='CRS']"), StringComparison.Ordinal);

        var collector = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        await ScreenTests.SignInAsync(collector, "collector");
        await collector.GotoAsync("/Collections");
        await collector.FocusAsync("#pursuit-link");
        await collector.Keyboard.PressAsync("Enter");
        await collector.WaitForSelectorAsync("#refer-form");
        Assert.Equal("No final account is ready to write off.", (await collector.InnerTextAsync("#no-ready")).Trim());

        // An active account is refused with the reason; the final one is referred.
        await collector.FocusAsync("#accountNumber");
        await collector.Keyboard.TypeAsync(AccountNumbers.Create(3));
        await collector.FocusAsync("#reason");
        await collector.Keyboard.TypeAsync("Moved out of state");
        await collector.Keyboard.PressAsync("Enter");
        await collector.WaitForSelectorAsync("#pursuit-message");
        Assert.Contains("is active", await collector.InnerTextAsync("#pursuit-message"), StringComparison.Ordinal);
        await collector.FillAsync("#accountNumber", "");
        await collector.FocusAsync("#accountNumber");
        await collector.Keyboard.TypeAsync(number);
        await collector.FocusAsync("#reason");
        await collector.Keyboard.TypeAsync("Moved out of state");
        await collector.Keyboard.PressAsync("Enter");
        await collector.WaitForSelectorAsync($".referral-row[data-account='{number}']");
        Assert.Contains($"Account {number}: $65.40 referred to Cascade Recovery Services", await collector.InnerTextAsync("#pursuit-message"), StringComparison.Ordinal);
        Assert.Empty((await collector.RunAxeInPageAsync()).Violations.Where(v => v.Impact is "critical" or "serious").Select(v => v.Id));

        // The placement file, made from the agencies page at the desk.
        var desk = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        await ScreenTests.SignInAsync(desk, "collector");
        await desk.GotoAsync("/Pursuit/Agencies");
        await desk.FocusAsync(".agency-row[data-agency='CRS'] button");
        await desk.Keyboard.PressAsync("Enter");
        await desk.WaitForSelectorAsync("#agency-message");
        Assert.Contains("1 placement ($65.40), 0 recalls", await desk.InnerTextAsync("#agency-message"), StringComparison.Ordinal);
        Assert.Equal(1, await desk.Locator(".file-row").CountAsync());

        // Recalled at the phone, with the reason.
        await collector.ReloadAsync();
        await collector.FocusAsync($".referral-row[data-account='{number}'] input[name=reason]");
        await collector.Keyboard.TypeAsync("Customer set up a payment plan");
        await collector.Keyboard.PressAsync("Enter");
        await collector.WaitForSelectorAsync("#pursuit-message");
        Assert.Contains("recalled: Customer set up a payment plan", await collector.InnerTextAsync("#pursuit-message"), StringComparison.Ordinal);
        await collector.SelectOptionAsync("#Status", "Recalled");
        await collector.FocusAsync("#show-referrals");
        await collector.Keyboard.PressAsync("Enter");
        await collector.WaitForSelectorAsync($".referral-row[data-account='{number}'][data-status='Recalled']");

        // The account's collections page tells the clerk where the balance went.
        await collector.GotoAsync($"/Accounts/{number}/Collections");
        Assert.Contains("to Cascade Recovery Services on 2026-11-22 for $65.40: recalled 2026-11-22 (Customer set up a payment plan)", await collector.InnerTextAsync("#account-referrals"), StringComparison.Ordinal);
        Assert.Empty((await collector.RunAxeInPageAsync()).Violations.Where(v => v.Impact is "critical" or "serious").Select(v => v.Id));
    }
}
