using Microsoft.Playwright;
using OpenCIS.Core.Customers;
using OpenCIS.UseCases.Collections;

namespace OpenCIS.Tests.Web;

/// <summary>
/// The notice templates and an account's notices on the real screens in Chromium: a Supervisor's typing mistake
/// in a template is refused naming its line and nothing is saved, the corrected text is saved as a version; the
/// account's collections page lists the notices sent (a door hanger as hung at the door) with links to their PDFs; at 1366px and at phone width.
/// </summary>
public sealed class CollectionNoticesBrowserTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    [SkippableFact]
    public async Task A_supervisor_edits_a_template_and_the_account_page_lists_the_notice_with_its_pdf()
    {
        BrowserRequirement.EnsureChromium();
        var baseAddress = factory.StartOnRealPort();
        var number = AccountNumbers.Create(9);
        var (noticeId, accountId) = await CollectionNoticesApiTests.WriteNoticeAsync(factory.Services, number, NoticeTemplates.FinalNotice);
        var (hangerId, _) = await CollectionNoticesApiTests.WriteNoticeAsync(factory.Services, number, NoticeTemplates.DoorHanger, OpenCIS.Storage.Collections.NoticeDelivery.Field);

        await using var browser = await BrowserLease.TakeAsync();
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1366, Height = 768 } });
        var page = await context.NewPageAsync();
        await ScreenTests.SignInAsync(page, "supervisor");

        await page.GotoAsync("/Collections/Notices");
        await CollectionWorkBrowserTests.AssertAccessibleAsync(page, "notice templates");
        await page.ClickAsync("#edit-final_notice");
        await page.WaitForSelectorAsync("#template-text");
        var text = await page.InputValueAsync("#template-text");
        var line = text.Split('\n').ToList().FindIndex(l => l.Contains("{{ disconnect.earliest_date }}", StringComparison.Ordinal)) + 1;
        await page.FillAsync("#template-text", text.Replace("{{ disconnect.earliest_date }}", "{{ disconnect.earliest }}", StringComparison.Ordinal));
        await page.ClickAsync("#template-save");
        var error = page.Locator("#template-errors .template-error").First;
        Assert.Contains($"Line {line}", await error.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("disconnect.earliest", await error.InnerTextAsync(), StringComparison.Ordinal);
        await CollectionWorkBrowserTests.AssertAccessibleAsync(page, "notice template errors");

        await page.FillAsync("#template-text", text.Replace("FINAL NOTICE", "FINAL NOTICE OF DISCONNECTION", StringComparison.Ordinal));
        await page.ClickAsync("#template-save");
        await page.WaitForURLAsync(url => url.EndsWith("/Collections/Notices", StringComparison.Ordinal));
        Assert.Equal(["English", "2"], [.. (await page.Locator("#template-final_notice tbody tr:first-child td").AllInnerTextsAsync()).Take(2)]);

        // A first Spanish version starts from the English text, to translate, and is numbered apart; the English stays as it was.
        await page.ClickAsync("#edit-final_notice-es");
        await page.WaitForSelectorAsync("#template-text");
        Assert.Contains("in Spanish", await page.InnerTextAsync("h1"), StringComparison.Ordinal);
        Assert.Contains("starting from the English version 2 to translate", await page.InnerTextAsync("#template-basis"), StringComparison.Ordinal);
        Assert.Contains("FINAL NOTICE OF DISCONNECTION", await page.InputValueAsync("#template-text"), StringComparison.Ordinal);
        await page.FillAsync("#template-text", OpenCIS.Tests.Collections.NoticeTemplateTests.Spanish(NoticeTemplates.FinalNotice));
        await page.ClickAsync("#template-save");
        await page.WaitForURLAsync(url => url.EndsWith("/Collections/Notices", StringComparison.Ordinal));
        var rows = page.Locator("#template-final_notice tbody tr");
        Assert.Equal(["English", "2"], [.. (await rows.Nth(0).Locator("td").AllInnerTextsAsync()).Take(2)]);
        Assert.Equal(["Spanish", "1"], [.. (await rows.Last.Locator("td").AllInnerTextsAsync()).Take(2)]);
        await page.ClickAsync("#edit-final_notice-es");
        await page.WaitForSelectorAsync("#template-text");
        Assert.Contains("AVISO FINAL", await page.InputValueAsync("#template-text"), StringComparison.Ordinal);

        await page.GotoAsync($"/Accounts/{number}/Collections");
        // Newest first: the door hanger (written after the final notice), hung at the door rather than mailed.
        var hanger = page.Locator("#notices .notice-row").Filter(new LocatorFilterOptions { HasText = "Door hanger" });
        Assert.Contains("Hung at the door", await hanger.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal($"/api/accounts/{accountId}/notices/{hangerId}.pdf", await hanger.Locator("a.notice-pdf").GetAttributeAsync("href"));
        var row = page.Locator("#notices .notice-row").Filter(new LocatorFilterOptions { HasText = "Final notice" });
        Assert.Contains("Final notice", await row.InnerTextAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("$312.50", await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal($"/api/accounts/{accountId}/notices/{noticeId}.pdf", await row.Locator("a.notice-pdf").GetAttributeAsync("href"));
        var pdf = await page.APIRequest.GetAsync($"/api/accounts/{accountId}/notices/{noticeId}.pdf");
        Assert.Equal("application/pdf", pdf.Headers["content-type"]);
        await CollectionWorkBrowserTests.AssertAccessibleAsync(page, "account notices");
    }
}
