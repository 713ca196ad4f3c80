using Microsoft.Playwright;

namespace OpenCIS.Tests.Web;

/// <summary>A supervisor on the billing cycles screen: a city holiday moves a read date and says so; a cycle's due days change.</summary>
public sealed class CycleScreenTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    [SkippableFact]
    public async Task A_supervisor_adds_a_city_holiday_sees_the_read_date_move_and_changes_a_cycles_due_days()
    {
        BrowserRequirement.EnsureChromium();
        var baseAddress = factory.StartOnRealPort();
        await using var browser = await BrowserLease.TakeAsync();
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });

        await ScreenTests.SignInAsync(page, "supervisor");

        await page.GotoAsync("/Billing");
        await page.ClickAsync("#cycles-link");
        await page.WaitForSelectorAsync("#cycle-C2");
        Assert.Equal(12, await page.Locator("#cycle-C2 table.schedule tbody tr").CountAsync());
        Assert.StartsWith("Mon 2026-12-21", await page.InnerTextAsync("#cycle-C2 tr[data-month='2026-12'] td.read"), StringComparison.Ordinal);
        Assert.Contains("Christmas Day", await page.InnerTextAsync("#holidays"), StringComparison.Ordinal);

        // C2 reads on the 20th, a Sunday in December 2026: the city closes Monday the 21st, so the read moves to Tuesday.
        await page.SelectOptionAsync("#holiday-calendar", "US-Federal");
        await page.FillAsync("#holiday-date", "2026-12-21");
        await page.FillAsync("#holiday-name", "City founders' day");
        await page.ClickAsync("#add-holiday button[type=submit]");
        await page.WaitForSelectorAsync("#cycles-message");
        var read = await page.InnerTextAsync("#cycle-C2 tr[data-month='2026-12'] td.read");
        Assert.StartsWith("Tue 2026-12-22", read, StringComparison.Ordinal);
        Assert.Contains("moved by City founders' day", read, StringComparison.Ordinal);
        Assert.Contains("City founders' day", await page.InnerTextAsync("#holidays tr[data-date='2026-12-21']"), StringComparison.Ordinal);

        await page.FillAsync("#due-C1", "25");
        await page.FillAsync("#reason-C1", "Council ordinance 2026-14");
        await page.ClickAsync("#cycle-C1 form.rules-form button[type=submit]");
        await page.WaitForSelectorAsync("#cycles-message");
        Assert.Contains("due 25 days after the bill date", await page.InnerTextAsync("#cycle-C1 .card-header"), StringComparison.Ordinal);

        await page.ClickAsync("#holidays tr[data-date='2026-12-21'] button");
        await page.WaitForSelectorAsync("#cycles-message");
        Assert.StartsWith("Mon 2026-12-21", await page.InnerTextAsync("#cycle-C2 tr[data-month='2026-12'] td.read"), StringComparison.Ordinal);
    }
}
