using Microsoft.Playwright;

namespace OpenCIS.Tests.Web;

/// <summary>
/// The trends dashboard in Chromium, from the keyboard: reached from the Reports page at 1366 px, every chart drawn by Chart.js, a
/// chart's figures opened as a table, its CSV downloaded, the window moved by the month picker; then at a phone's width, the charts
/// drawn within the screen; the finance aging and the account's bills drawn too. No serious or critical axe finding at either width.
/// </summary>
public sealed class TrendsBrowserTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    private const string DrawnCharts = "() => [...document.querySelectorAll('canvas[data-trend-chart]')].filter(c => window.Chart.getChart(c) !== undefined).length";

    [SkippableFact]
    public async Task The_dashboard_draws_every_chart_shows_its_figures_downloads_its_csv_and_moves_its_window_from_the_keyboard()
    {
        BrowserRequirement.EnsureChromium();
        var baseAddress = factory.StartOnRealPort();
        await using var browser = await BrowserLease.TakeAsync();
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        await ScreenTests.SignInAsync(page, "supervisor");
        await page.GotoAsync("/Reports");
        await page.FocusAsync("#trends-report");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#trend-billed-collected");
        Assert.Equal(7, await page.Locator("canvas[data-trend-chart]").CountAsync());
        Assert.Equal(7, await page.EvaluateAsync<int>(DrawnCharts));
        Assert.Equal(2, await page.EvaluateAsync<int>("() => window.Chart.getChart(document.querySelector('#trend-billed-collected canvas')).data.datasets.length"));

        // The figures: the summary opens from the keyboard, a row per month with a header per series.
        await page.FocusAsync("#trend-billed-collected summary");
        await page.Keyboard.PressAsync("Enter");
        var table = page.Locator("#trend-billed-collected-table");
        await table.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        Assert.Equal(12, await table.Locator("tbody tr").CountAsync());
        Assert.Equal(["Month", "Billed", "Collected"], await table.Locator("thead th").AllInnerTextsAsync());
        Assert.Equal("Nov 2026", await table.Locator("tbody tr:last-child th").InnerTextAsync());
        Assert.StartsWith("$", await table.Locator("tbody tr:last-child td").First.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Empty((await page.RunAxeInPageAsync()).Violations.Where(v => v.Impact is "critical" or "serious").Select(v => v.Id));

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#trend-billed-collected-csv"));
        var lines = (await File.ReadAllLinesAsync((await download.PathAsync())!)).Where(l => l.Length > 0).ToList();
        Assert.Equal(("month,Billed,Collected", 13), (lines[0], lines.Count));
        Assert.StartsWith("2026-11,", lines[12], StringComparison.Ordinal);

        // The window moves with the month picker (a GET form) and the downloads follow it.
        await page.FillAsync("#through", "2026-06");
        await page.FocusAsync("#through");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/Reports/Trends?through=2026-06");
        Assert.Equal("Jun 2026", await page.Locator("#trend-dso-table tbody tr:last-child th").TextContentAsync());
        Assert.EndsWith("/api/trends/dso.csv?through=2026-06", await page.GetAttributeAsync("#trend-dso-csv", "href"), StringComparison.Ordinal);

        // The finance aging and the account page draw their own charts from the same script.
        await page.GotoAsync("/Reports/Finance");
        Assert.True(await page.EvaluateAsync<bool>("() => window.Chart.getChart(document.getElementById('aging-chart')) !== undefined"), "the finance page draws its aging chart");
        await page.GotoAsync("/Accounts/00000018");
        Assert.True(await page.EvaluateAsync<bool>("() => window.Chart.getChart(document.getElementById('balance-chart')).data.labels.length >= 1"), "the account page draws its bills");

        // A phone: the charts are drawn and fit the screen.
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync("/Reports/Trends");
        await page.WaitForSelectorAsync("#trend-campaigns");
        Assert.Equal(7, await page.EvaluateAsync<int>(DrawnCharts));
        Assert.True(await page.EvaluateAsync<bool>("() => [...document.querySelectorAll('canvas[data-trend-chart]')].every(c => c.getBoundingClientRect().right <= document.documentElement.clientWidth && c.getBoundingClientRect().height >= 200)"),
            "every chart within the phone's width and tall enough to read");
        Assert.Empty((await page.RunAxeInPageAsync()).Violations.Where(v => v.Impact is "critical" or "serious").Select(v => v.Id));
    }
}
