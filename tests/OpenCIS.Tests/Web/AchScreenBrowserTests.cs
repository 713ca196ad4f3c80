using Microsoft.Playwright;
using OpenCIS.Core.Customers;
using OpenCIS.Core.Payments.Ach;

namespace OpenCIS.Tests.Web;

/// <summary>A supervisor's ACH day on the real screen in Chromium: enroll, a mistyped routing number, the prenote file, the bank's return.</summary>
public sealed class AchScreenBrowserTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    [SkippableFact]
    public async Task A_supervisor_enrolls_generates_the_prenote_file_and_posts_its_return()
    {
        BrowserRequirement.EnsureChromium();
        var baseAddress = factory.StartOnRealPort();
        await using var browser = await BrowserLease.TakeAsync();
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString() });
        await ScreenTests.SignInAsync(page, "supervisor");
        await page.ClickAsync("nav >> text=ACH");
        await page.WaitForSelectorAsync("#enroll-form");

        var number = AccountNumbers.Create(12);
        await page.FillAsync("#accountNumber", number);
        await page.FillAsync("#routingNumber", "021000022");
        await page.FillAsync("#bankAccountNumber", "7700112233");
        await page.FillAsync("#holderName", "Browser Customer");
        await page.ClickAsync("#enroll-form button[type=submit]");
        await page.WaitForSelectorAsync("#ach-error");
        Assert.Contains("check digit", await page.InnerTextAsync("#ach-error"), StringComparison.Ordinal);

        await page.FillAsync("#routingNumber", "021000021");
        await page.FillAsync("#bankAccountNumber", "7700112233");
        await page.FillAsync("#holderName", "Browser Customer");
        await page.ClickAsync("#enroll-form button[type=submit]");
        await page.WaitForSelectorAsync("#ach-message");
        var enrollments = await page.InnerTextAsync("#enrollments");
        Assert.Contains("****2233", enrollments, StringComparison.Ordinal);
        Assert.DoesNotContain("7700112233", await page.ContentAsync(), StringComparison.Ordinal);

        await page.FillAsync("#date", "2027-02-01");
        // The file is made by a job: the page follows it and, once made, offers the file.
        await page.ClickAsync("#generate-form button[type=submit]");
        await page.WaitForSelectorAsync("#job-download");
        Assert.Contains("1 prenote ", await page.InnerTextAsync("#job-message"), StringComparison.Ordinal);
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#job-download"));
        var content = await File.ReadAllTextAsync((await download.PathAsync())!);
        var read = NachaReader.Read(content);
        Assert.True(read.IsValid, string.Join("; ", read.Errors));
        var prenote = Assert.Single(read.Entries, e => e.Entry.IndividualIdentification == number);

        await page.ClickAsync("#job-home");
        await page.WaitForSelectorAsync("#returns-form");
        Assert.Contains("2027-02-01", await page.InnerTextAsync("#ach-files"), StringComparison.Ordinal);
        await page.SetInputFilesAsync("#returns-form input[type=file]", new FilePayload
        {
            Name = "returns-0203.ach",
            MimeType = "text/plain",
            Buffer = System.Text.Encoding.ASCII.GetBytes(NachaWriter.Write(AchReturnFile.For(read.File!, [(prenote.Entry.TraceNumber, "R04")], new DateOnly(2027, 2, 3)))),
        });
        await page.ClickAsync("#returns-form button[type=submit]");
        await page.WaitForSelectorAsync("#job-message");
        Assert.Contains("1 return ", await page.InnerTextAsync("#job-message"), StringComparison.Ordinal);
        await page.ClickAsync("#job-home");
        await page.WaitForSelectorAsync("#ach-returns");
        Assert.Contains("R04", await page.InnerTextAsync("#ach-returns"), StringComparison.Ordinal);
        Assert.Contains("Cancelled", await page.InnerTextAsync("#enrollments"), StringComparison.Ordinal);
    }
}
