using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenCIS.Core.Common;
using OpenCIS.Core.Customers;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage;
using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.Ledger;

namespace OpenCIS.Tests.Web;

/// <summary>
/// Waivers on the real screens: a clerk waives a late charge as the year's courtesy from the keyboard, asks to waive
/// the door hanger fee and sees it wait; the Supervisor finds it on the collections home page and approves it.
/// </summary>
public sealed class CollectionWaiverBrowserTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    private async Task ChargeAsync(string accountNumber)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var yaml = await File.ReadAllTextAsync(RepositoryExamples.Path("collections", "riverbend.yaml"));
        await scope.ServiceProvider.GetRequiredService<ImportCollectionPolicy>().ExecuteAsync("riverbend.yaml", yaml, "supervisor");
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        var id = await db.Accounts.Where(a => a.AccountNumber == accountNumber).Select(a => a.Id).SingleAsync();
        var today = DateOnly.FromDateTime(OpenCisWebFactory.Today.UtcDateTime);
        var ledger = await AccountLedger.LoadAsync(db, id, CancellationToken.None);
        ledger.Post(db, PostingRules.ForLateCharge([(OpenCIS.Core.Billing.Service.Water, Money.FromCents(7_31))]), today, today, null, "system", "Late charge, bill 1: 10% of $73.10", OpenCisWebFactory.Today);
        ledger.Post(db, PostingRules.ForCollectionFee(Money.FromCents(15_00)), today, today, null, "system", "Door hanger fee", OpenCisWebFactory.Today);
        await db.SaveChangesAsync();
    }

    [SkippableFact]
    public async Task A_clerk_waives_a_late_charge_as_a_courtesy_and_a_supervisor_approves_the_next()
    {
        BrowserRequirement.EnsureChromium();
        var baseAddress = factory.StartOnRealPort();
        var number = AccountNumbers.Create(14);
        await ChargeAsync(number);

        await using var browser = await BrowserLease.TakeAsync();
        var page = await (await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1366, Height = 768 } })).NewPageAsync();
        await ScreenTests.SignInAsync(page, "clerk");
        await page.GotoAsync($"/Accounts/{number}/Collections");
        await page.WaitForSelectorAsync("#waivable-charges");
        Assert.Contains("0 of 1 in 12 months", await page.InnerTextAsync("#courtesy-used"), StringComparison.Ordinal);
        await CollectionWorkBrowserTests.AssertAccessibleAsync(page, "the account's late charges");

        // The late charge, from the keyboard: the reason typed, Enter sends it.
        var late = page.Locator(".waivable-charge", new PageLocatorOptions { HasText = "late charge" });
        await late.Locator("input[name=reason]").FillAsync("First late payment in six years");
        await late.Locator("input[name=reason]").PressAsync("Enter");
        await page.WaitForSelectorAsync("#collections-message.alert-success");
        Assert.Contains("Waived the late charge of $7.31", await page.InnerTextAsync("#collections-message"), StringComparison.Ordinal);
        Assert.Contains("Waived", await page.Locator(".waivable-charge", new PageLocatorOptions { HasText = "late charge" }).InnerTextAsync(), StringComparison.Ordinal);

        var fee = page.Locator(".waivable-charge", new PageLocatorOptions { HasText = "collection fee" });
        await fee.Locator("input[name=reason]").FillAsync("Hanger left at the neighbour's door");
        await fee.Locator("button").ClickAsync();
        await page.Locator(".waivable-charge .waiver-status", new PageLocatorOptions { HasText = "Waiver pending approval" }).WaitForAsync();
        Assert.Contains("waits for a Supervisor", await page.InnerTextAsync("#collections-message"), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("form.decide-waiver").CountAsync());

        var supervisor = await (await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString() })).NewPageAsync();
        await ScreenTests.SignInAsync(supervisor, "supervisor");
        await supervisor.GotoAsync("/Collections");
        await supervisor.Locator("#pending-waivers a", new PageLocatorOptions { HasText = number }).ClickAsync();
        await supervisor.WaitForSelectorAsync("form.decide-waiver");
        await CollectionWorkBrowserTests.AssertAccessibleAsync(supervisor, "the waiver to approve");
        await supervisor.ClickAsync("form.decide-waiver button[value=true]");
        await supervisor.WaitForSelectorAsync("#collections-message.alert-success");
        Assert.Contains("Approved and posted the waiver of $15.00", await supervisor.InnerTextAsync("#collections-message"), StringComparison.Ordinal);
        Assert.Equal(2, await supervisor.Locator(".waiver-status", new PageLocatorOptions { HasText = "Waived" }).CountAsync());
    }
}
