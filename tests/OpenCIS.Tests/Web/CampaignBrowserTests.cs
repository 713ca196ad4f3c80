using Microsoft.Playwright;
using OpenCIS.Core.Customers;

namespace OpenCIS.Tests.Web;

/// <summary>
/// Calling campaigns on the real screens in Chromium, from the keyboard: at 1366 px a Supervisor builds a campaign; at a phone's width
/// the collector opens their list from the collections page, logs a call with a promise, and sees it counted.
/// </summary>
public sealed class CampaignBrowserTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    [SkippableFact]
    public async Task A_supervisor_builds_a_campaign_and_the_collector_logs_a_promise_on_it_from_the_keyboard()
    {
        BrowserRequirement.EnsureChromium();
        var number = AccountNumbers.Create(25);
        var baseAddress = factory.StartOnRealPort();
        await OpenCIS.Tests.Persistence.TestCampaigns.OweAsync(factory.Services, new DateOnly(2026, 11, 22), number);

        await using var browser = await BrowserLease.TakeAsync();
        var supervisor = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        await ScreenTests.SignInAsync(supervisor, "supervisor");
        await supervisor.GotoAsync("/Campaigns");
        await supervisor.FocusAsync("#name");
        await supervisor.Keyboard.TypeAsync("Large balances");
        await supervisor.SelectOptionAsync("#bucket", "31-60");
        await supervisor.FillAsync("#minimumBalance", "1000.00");
        await supervisor.FocusAsync("#script");
        await supervisor.Keyboard.TypeAsync("Hello, this is the city utility office.");
        await supervisor.FocusAsync("#build-button");
        await supervisor.Keyboard.PressAsync("Enter");
        await supervisor.WaitForSelectorAsync("#campaign-targets");
        Assert.Contains("31–60 days past due, owing $1,000.00 or more", await supervisor.InnerTextAsync("#campaign-criteria"), StringComparison.Ordinal);
        Assert.Equal(1, await supervisor.Locator($".campaign-target[data-account='{number}']").CountAsync());
        Assert.Empty((await supervisor.RunAxeInPageAsync()).Violations.Where(v => v.Impact is "critical" or "serious").Select(v => v.Id));

        var collector = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        await ScreenTests.SignInAsync(collector, "collector");
        await collector.GotoAsync("/Collections");
        await collector.FocusAsync("#campaigns-link");
        await collector.Keyboard.PressAsync("Enter");
        await collector.WaitForSelectorAsync(".campaign-row");
        await collector.FocusAsync(".campaign-row a");
        await collector.Keyboard.PressAsync("Enter");
        await collector.WaitForSelectorAsync("#campaign-targets");
        Assert.Contains("collector's list", await collector.InnerTextAsync("#list-heading"), StringComparison.Ordinal);
        var target = $".campaign-target[data-account='{number}']";
        await collector.SelectOptionAsync($"{target} select", "promise-to-pay");
        await collector.FocusAsync($"{target} input[name=promiseAmount]");
        await collector.Keyboard.TypeAsync("800.00");
        await collector.FillAsync($"{target} input[name=promiseDate]", "2026-12-04");
        await collector.FocusAsync($"{target} input[name=note]");
        await collector.Keyboard.TypeAsync("Pays on the 4th");
        await collector.Keyboard.PressAsync("Enter");
        await collector.WaitForSelectorAsync("#campaign-message");
        Assert.Contains("the promise to pay $800.00 by 2026-12-04", await collector.InnerTextAsync("#campaign-message"), StringComparison.Ordinal);
        Assert.Contains("done", await collector.InnerTextAsync($"{target} .target-state"), StringComparison.Ordinal);
        Assert.Contains("$800.00", await collector.InnerTextAsync(".result-row[data-collector='collector']"), StringComparison.Ordinal);
        Assert.Empty((await collector.RunAxeInPageAsync()).Violations.Where(v => v.Impact is "critical" or "serious").Select(v => v.Id));
    }
}
