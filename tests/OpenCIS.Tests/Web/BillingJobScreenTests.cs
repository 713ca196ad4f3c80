using Microsoft.Playwright;

namespace OpenCIS.Tests.Web;

/// <summary>A supervisor starts a billing run on the screen, closes its page while it runs, and opens it again to find it going on and then done.</summary>
public sealed class BillingJobScreenTests
{
    [SkippableFact]
    public async Task A_run_started_on_the_screen_goes_on_while_its_page_is_closed_and_shows_its_progress_and_end_when_opened_again()
    {
        BrowserRequirement.EnsureChromium();
        await using var factory = new OpenCisWebFactory(new WebHostData(Settings: BillingJobTests.Paced(chunkSize: 1, pauseMilliseconds: 400)));
        var baseAddress = factory.StartOnRealPort();
        await BillingJobTests.ReadCycleAsync(factory);
        await using var browser = await BrowserLease.TakeAsync();
        // One context: its pages share the sign-in, as two tabs of one browser do.
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        var page = await context.NewPageAsync();
        await ScreenTests.SignInAsync(page, "supervisor");

        await page.GotoAsync("/Billing");
        await page.SelectOptionAsync("#cycle", "C1");
        await page.FillAsync("#businessDate", "2026-12-08");
        await page.CheckAsync("#confirm-reads");
        await page.ClickAsync("#run-form button[type=submit]");
        await page.WaitForSelectorAsync("#job-status");
        Assert.Equal("Billing run for C1 on 2026-12-08", await page.InnerTextAsync("#job-description"));
        // The status card polls itself: it shows accounts done while the run goes on.
        await page.WaitForFunctionAsync("() => /^\\d+ of \\d+ done$/.test(document.querySelector('#job-progress')?.innerText ?? '') && document.querySelector('#job-status').innerText === 'Running'");
        var jobAddress = page.Url;
        await ScreenTests.ScreenshotAsync(page, "billing-job-running.png");
        await page.CloseAsync();

        var again = await context.NewPageAsync();
        await again.GotoAsync(jobAddress);
        var status = await again.InnerTextAsync("#job-status");
        Assert.True(status is "Running" or "Completed", $"the job went on while no page showed it: {status}");
        await again.WaitForSelectorAsync("#job-result", new PageWaitForSelectorOptions { Timeout = 120_000 });
        Assert.Equal("Completed", await again.InnerTextAsync("#job-status"));
        Assert.Contains("completed", await again.InnerTextAsync("#job-message"), StringComparison.Ordinal);
        await ScreenTests.ScreenshotAsync(again, "billing-job-completed.png");
        await again.ClickAsync("#job-result");
        await again.WaitForSelectorAsync("#bills-created");
        Assert.NotEqual("0", await again.InnerTextAsync("#bills-created"));

        // The jobs and schedules screen lists the job and the schedules as configured.
        await again.GotoAsync("/Jobs");
        Assert.Contains("Billing run for C1 on 2026-12-08", await again.InnerTextAsync("#jobs"), StringComparison.Ordinal);
        var schedules = await again.InnerTextAsync("#schedules");
        Assert.Contains("OPENCIS_SCHEDULE_BILLING", schedules, StringComparison.Ordinal);
        Assert.Contains("OPENCIS_SCHEDULE_ACH", schedules, StringComparison.Ordinal);
        await ScreenTests.ScreenshotAsync(again, "billing-jobs.png");
    }
}
