using Microsoft.Playwright;
using OpenCIS.Core.Customers;

namespace OpenCIS.Tests.Web;

/// <summary>
/// Skip tracing on the real screens in Chromium, from the keyboard: at 1366 px a clerk imports the mail room's returned-mail file and
/// opens the account whose mail stopped; at a phone's width a collector records the address the credit bureau found and makes it the
/// one on file, which starts the mail again, and marks the phone failed.
/// </summary>
public sealed class SkipTraceBrowserTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    [SkippableFact]
    public async Task A_clerk_imports_returned_mail_and_a_collector_makes_the_bureaus_address_the_one_on_file_from_the_keyboard()
    {
        BrowserRequirement.EnsureChromium();
        var number = AccountNumbers.Create(29);
        var baseAddress = factory.StartOnRealPort();
        var file = Path.Combine(Directory.CreateTempSubdirectory("opencis-returned").FullName, "returned-2026-11-22.csv");
        await File.WriteAllTextAsync(file, $"account_number,returned_on,reason\n{number},2026-11-21,\"Moved, left no address\"\n");

        await using var browser = await BrowserLease.TakeAsync();
        var clerk = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        await ScreenTests.SignInAsync(clerk, "clerk");
        await clerk.GotoAsync("/Collections/ReturnedMail");
        await clerk.SetInputFilesAsync("#returned-file", file);
        await clerk.FocusAsync("#returned-upload-button");
        await clerk.Keyboard.PressAsync("Enter");
        await clerk.WaitForSelectorAsync("#returned-message");
        Assert.Contains("1 address marked", await clerk.InnerTextAsync("#returned-message"), StringComparison.Ordinal);
        Assert.Contains("Moved, left no address", await clerk.InnerTextAsync($"#mail-stopped tr[data-account='{number}']"), StringComparison.Ordinal);
        Assert.Empty((await clerk.RunAxeInPageAsync()).Violations.Where(v => v.Impact is "critical" or "serious").Select(v => v.Id));
        await clerk.FocusAsync($"#mail-stopped tr[data-account='{number}'] a");
        await clerk.Keyboard.PressAsync("Enter");
        await clerk.WaitForSelectorAsync("#on-file");
        Assert.Contains("Mail returned on Nov 21, 2026", await clerk.InnerTextAsync("#on-file tr[data-channel='address']"), StringComparison.Ordinal);

        // The collector, on a phone: the bureau's address, added and made the one on file.
        var collector = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        await ScreenTests.SignInAsync(collector, "collector");
        await collector.GotoAsync($"/Accounts/{number}/Collections");
        await collector.FocusAsync("#skip-trace-link");
        await collector.Keyboard.PressAsync("Enter");
        await collector.WaitForSelectorAsync("#add-alternate");
        Assert.DoesNotContain("By mail", await collector.InnerTextAsync("#notices-go"), StringComparison.Ordinal);
        await collector.SelectOptionAsync("#alt-channel", "address");
        await collector.FillAsync("#alt-value", "77 Cedar Ln");
        await collector.FillAsync("#alt-source", "Credit bureau");
        await collector.FillAsync("#alt-city", "Riverbend");
        await collector.FillAsync("#alt-state", "OR");
        await collector.FillAsync("#alt-zip", "97404");
        await collector.FocusAsync("#add-alternate-button");
        await collector.Keyboard.PressAsync("Enter");
        await collector.WaitForSelectorAsync("#trace-message");
        Assert.Contains("Added 77 Cedar Ln, Riverbend, OR 97404", await collector.InnerTextAsync("#trace-message"), StringComparison.Ordinal);
        Assert.Empty((await collector.RunAxeInPageAsync()).Violations.Where(v => v.Impact is "critical" or "serious").Select(v => v.Id));
        await collector.FocusAsync("#alternates button[id^='promote-']");
        await collector.Keyboard.PressAsync("Enter");
        await collector.WaitForSelectorAsync("#trace-message:has-text('contact on file is changed')");
        Assert.Contains("By mail", await collector.InnerTextAsync("#notices-go"), StringComparison.Ordinal);
        Assert.Contains("77 Cedar Ln", await collector.InnerTextAsync("#on-file tr[data-channel='address']"), StringComparison.Ordinal);
        Assert.Contains("Previous mailing address", await collector.InnerTextAsync("#alternates"), StringComparison.Ordinal);

        // The phone on file marked failed, with the reason typed.
        if (await collector.Locator("#fail-phone").CountAsync() == 1)
        {
            await collector.FillAsync("#fail-phone", "Disconnected number");
            await collector.FocusAsync("#fail-phone-button");
            await collector.Keyboard.PressAsync("Enter");
            await collector.WaitForSelectorAsync("#trace-message:has-text('phone on file is marked failed')");
            Assert.Contains("Disconnected number", await collector.InnerTextAsync("#on-file tr[data-channel='phone']"), StringComparison.Ordinal);
        }

        Assert.Empty((await collector.RunAxeInPageAsync()).Violations.Where(v => v.Impact is "critical" or "serious").Select(v => v.Id));
    }
}
