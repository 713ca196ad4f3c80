using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenCIS.Core.Common;
using OpenCIS.Core.Customers;
using OpenCIS.Core.Payments;
using OpenCIS.Storage;
using OpenCIS.UseCases.Payments;

namespace OpenCIS.Tests.Web;

/// <summary>
/// Liens on the real screens in Chromium, from the keyboard: at a phone's width a collector finds a filed lien from the collections
/// page and reads what it secures; at 1366 px a Supervisor certifies it to the tax roll; once it is paid the collector runs the day's
/// liens and records its release.
/// </summary>
public sealed class LienBrowserTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    [SkippableFact]
    public async Task A_collector_finds_a_filed_lien_a_supervisor_certifies_it_and_once_paid_the_collector_records_its_release_from_the_keyboard()
    {
        BrowserRequirement.EnsureChromium();
        var number = AccountNumbers.Create(23);
        var baseAddress = factory.StartOnRealPort();
        var lien = await OpenCIS.Tests.Persistence.TestLiens.LienAsync(factory.Services, number, new DateOnly(2026, 11, 22));

        await using var browser = await BrowserLease.TakeAsync();
        var collector = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        await ScreenTests.SignInAsync(collector, "collector");
        await collector.GotoAsync("/Collections");
        await collector.FocusAsync("#liens-link");
        await collector.Keyboard.PressAsync("Enter");
        await collector.WaitForSelectorAsync($".lien-row[data-lien='{lien}']");
        Assert.Contains("filed", await collector.InnerTextAsync($".lien-row[data-lien='{lien}']"), StringComparison.Ordinal);
        Assert.Empty((await collector.RunAxeInPageAsync()).Violations.Where(v => v.Impact is "critical" or "serious").Select(v => v.Id));
        await collector.FocusAsync($".lien-row[data-lien='{lien}'] a");
        await collector.Keyboard.PressAsync("Enter");
        await collector.WaitForSelectorAsync("#lien-items");
        Assert.Equal("filed", (await collector.InnerTextAsync("#lien-status")).Trim());
        Assert.Contains("Lien filing fee", await collector.InnerTextAsync("#lien-items"), StringComparison.Ordinal);
        Assert.Equal(0, await collector.Locator("#release-form").CountAsync());
        Assert.Equal(2, await collector.Locator("#lien-documents a").CountAsync());
        Assert.Empty((await collector.RunAxeInPageAsync()).Violations.Where(v => v.Impact is "critical" or "serious").Select(v => v.Id));

        // The Supervisor certifies the unpaid filed liens to next year's tax roll.
        var supervisor = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        await ScreenTests.SignInAsync(supervisor, "supervisor");
        await supervisor.GotoAsync("/Liens");
        await supervisor.FocusAsync("#taxYear");
        await supervisor.Keyboard.PressAsync("Enter");
        await supervisor.WaitForSelectorAsync("#lien-message");
        Assert.Contains("certified to the 2027 tax roll", await supervisor.InnerTextAsync("#lien-message"), StringComparison.Ordinal);
        Assert.Contains("2027:", await supervisor.InnerTextAsync($".lien-row[data-lien='{lien}']"), StringComparison.Ordinal);
        Assert.Equal(1, await supervisor.Locator(".certification-row").CountAsync());

        // Paid in full at the counter; the collector runs the day's liens and records the release.
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
            var accountId = db.Accounts.Single(a => a.AccountNumber == number).Id;
            var owed = db.OpenItems.Where(o => o.AccountId == accountId).Sum(o => o.OpenCents);
            await scope.ServiceProvider.GetRequiredService<PaymentBatchPoster>().PostAsync(
                [new PaymentInstruction(accountId, Money.FromCents(owed), new DateOnly(2026, 11, 22), Tender.Cash, PaymentSource.Counter, null)], "cashier", default);
        }

        await collector.GotoAsync("/Liens");
        await collector.FocusAsync("#run-liens-button");
        await collector.Keyboard.PressAsync("Enter");
        await collector.WaitForSelectorAsync("#lien-steps");
        Assert.Contains("paid in full; its release can be recorded", await collector.InnerTextAsync("#lien-steps"), StringComparison.Ordinal);
        await collector.GotoAsync($"/Liens/Lien/{lien}");
        await collector.FocusAsync("#reason");
        await collector.Keyboard.PressAsync("Enter");
        await collector.WaitForSelectorAsync("#lien-message");
        Assert.Contains($"Lien {lien} released on 2026-11-22", await collector.InnerTextAsync("#lien-message"), StringComparison.Ordinal);
        Assert.Equal("released", (await collector.InnerTextAsync("#lien-status")).Trim());
        Assert.Contains("Release of lien (PDF)", await collector.InnerTextAsync("#lien-documents"), StringComparison.Ordinal);
    }
}
