using Microsoft.Playwright;

namespace OpenCIS.Tests.Web;

/// <summary>A clerk explains a bill to a customer on the phone: from the account page to each line's calculation, and the PDF.</summary>
public sealed class BillScreenTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    [SkippableFact]
    public async Task A_clerk_opens_a_bill_from_the_account_page_and_sees_reads_every_line_with_its_calculation_and_the_pdf()
    {
        BrowserRequirement.EnsureChromium();
        var baseAddress = factory.StartOnRealPort();
        await using var browser = await BrowserLease.TakeAsync();
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        await ScreenTests.SignInAsync(page, "clerk");

        await page.GotoAsync("/Accounts/00000018");
        await page.ClickAsync("#bill-list .accordion-item:first-child .accordion-button");
        await page.ClickAsync("#bill-list .accordion-item:first-child a.bill-explain");
        await page.WaitForSelectorAsync("#bill-summary");
        await ScreenTests.ScreenshotAsync(page, "bill.png");

        Assert.Matches(@"/Billing/Bills/\d+$", page.Url);
        Assert.Equal("00000018", await page.InnerTextAsync("#bill-account"));
        var words = await page.InnerTextAsync("#bill-in-words");
        Assert.Contains("This bill covers service from", words, StringComparison.Ordinal);
        Assert.Contains(await page.InnerTextAsync("#bill-amount-due"), words, StringComparison.Ordinal);

        var water = page.Locator(".segment[data-service=Water]");
        Assert.Contains("Meter W", await water.Locator(".reads-in-words").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("Usage billed:", await water.Locator(".reads-in-words").InnerTextAsync(), StringComparison.Ordinal);
        var traces = await page.Locator("tr.bill-line td.trace").AllInnerTextsAsync();
        Assert.NotEmpty(traces);
        Assert.All(traces, trace => Assert.Contains("$", trace, StringComparison.Ordinal));
        Assert.Contains(traces, trace => trace.Contains("Tier 1", StringComparison.Ordinal));
        Assert.Matches(@"^\d{8} \d{10} \d{10} \d{8} \d$", await page.InnerTextAsync("#bill-scan-line"));
        Assert.StartsWith("A late charge of", await page.InnerTextAsync("#bill-late-notice"), StringComparison.Ordinal);

        // The PDF link serves the same bill as a PDF to the signed-in clerk.
        var pdfHref = await page.GetAttributeAsync("#bill-pdf", "href");
        var billNumber = await page.InnerTextAsync("#bill-number");
        Assert.Equal($"/api/billing/bills/{billNumber}.pdf", pdfHref);
        var pdf = await page.APIRequest.GetAsync(pdfHref!);
        Assert.Equal(200, pdf.Status);
        Assert.Equal("application/pdf", pdf.Headers["content-type"]);
        Assert.Equal("%PDF-"u8.ToArray(), (await pdf.BodyAsync())[..5]);

        // And the run's page lists the bill with a link back to this screen.
        await page.ClickAsync("a[href^='/Billing/Runs/']");
        await page.WaitForSelectorAsync("#run-bills");
        Assert.Equal(1, await page.Locator($"#run-bills a[href='/Billing/Bills/{billNumber}']").CountAsync());
        Assert.Contains("/print-export", await page.GetAttributeAsync("#print-export", "href"), StringComparison.Ordinal);
    }
}
