using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenCIS.Core.Common;
using OpenCIS.Core.Metering;
using OpenCIS.Core.Payments;
using OpenCIS.Storage;
using OpenCIS.Storage.Collections;
using OpenCIS.UseCases.Payments;

namespace OpenCIS.Tests.Web;

/// <summary>
/// From the list to the field and back on the real screens in Chromium: a Supervisor approves an account on the
/// disconnect list (a Collector sees no approval button) and dispatches the order to a field user; the field user on a
/// phone (390px), showing only their orders, disconnects it with the read; the customer pays; a clerk requests the reconnect on the account's collections page; the field user
/// completes the reconnect. Every control labelled, nothing past the phone's width.
/// </summary>
public sealed class FieldBrowserTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    /// <summary>A Tuesday with no holiday the next day, before the winter moratorium: the demo policy lets the field disconnect.</summary>
    private static readonly DateTimeOffset Tuesday = new(2026, 11, 24, 15, 0, 0, TimeSpan.Zero);

    private static async Task AssertPhoneReadyAsync(IPage page, string where)
    {
        var unlabelled = await page.EvaluateAsync<string[]>(@"() => [...document.querySelectorAll('main input:not([type=hidden]), main select, main textarea, main button')]
            .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !(e.tagName === 'BUTTON' && e.textContent.trim()))
            .map(e => e.outerHTML)");
        Assert.True(unlabelled.Length == 0, $"{where}: unlabelled controls: {string.Join(" ", unlabelled)}");
        var overflowing = await page.EvaluateAsync<string[]>(@"() => [...document.querySelectorAll('main *')]
            .filter(e => !e.closest('.table-responsive') && e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className)");
        Assert.True(overflowing.Length == 0, $"{where}: past the window: {string.Join(", ", overflowing.Take(5))}");
        await ScreenTests.ScreenshotAsync(page, $"{where.Replace(' ', '-')}.png");
    }

    [SkippableFact]
    public async Task A_supervisor_approves_the_field_disconnects_at_phone_width_the_customer_pays_and_the_field_reconnects()
    {
        BrowserRequirement.EnsureChromium();
        factory.Clock.Now = Tuesday;
        var baseAddress = factory.StartOnRealPort();
        var number = (await FieldSetup.ListAccountsAsync(factory, DateOnly.FromDateTime(Tuesday.UtcDateTime), 1))[0];

        await using var browser = await BrowserLease.TakeAsync();

        // A Collector reads the list but has no approval to give.
        var collector = await (await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString() })).NewPageAsync();
        await ScreenTests.SignInAsync(collector, "collector");
        await collector.GotoAsync("/Collections/DisconnectList");
        await collector.WaitForSelectorAsync($"tr[data-account='{number}']");
        Assert.Equal(0, await collector.Locator("#approve-all, #approve-selected, .approve-account").CountAsync());

        // The Supervisor ticks the account (from the keyboard) and approves it.
        var supervisor = await (await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString() })).NewPageAsync();
        await ScreenTests.SignInAsync(supervisor, "supervisor");
        await supervisor.GotoAsync("/Collections/DisconnectList");
        await supervisor.FocusAsync($"#approve-{number}");
        await supervisor.Keyboard.PressAsync("Space");
        await supervisor.ClickAsync("#approve-selected");
        await supervisor.WaitForSelectorAsync("#approval-message");
        Assert.Contains("Approved 1 disconnect order", await supervisor.InnerTextAsync("#approval-message"), StringComparison.Ordinal);

        // The Supervisor dispatches the new order to the field user, from the keyboard on the field screen.
        await supervisor.GotoAsync("/Field");
        var approved = supervisor.Locator($"article.field-order[data-account='{number}'][data-kind='DisconnectForNonPayment']");
        await approved.Locator("input[name=assignedTo]").FillAsync("field");
        await approved.Locator("input[name=assignedTo]").PressAsync("Enter");
        await supervisor.WaitForSelectorAsync("#field-message");
        Assert.Contains("dispatched to field", await supervisor.InnerTextAsync("#field-message"), StringComparison.Ordinal);
        await AssertPhoneReadyAsync(supervisor, "field orders for the supervisor");

        // The field user, on a phone, narrows the list to their own orders: the order under its route with the address
        // and the amount past due, dispatched to them; disconnected with the read.
        var field = await (await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 390, Height = 844 } })).NewPageAsync();
        await ScreenTests.SignInAsync(field, "field");
        await field.GotoAsync("/Field");
        Assert.Equal(0, await field.Locator(".dispatch-form, .cancel-form").CountAsync());
        await field.ClickAsync("#my-orders-link");
        await field.WaitForSelectorAsync("#all-orders-link");
        Assert.All(await field.Locator("article.field-order").AllInnerTextsAsync(), text => Assert.Contains("· field", text, StringComparison.Ordinal));
        var order = field.Locator($"article.field-order[data-account='{number}'][data-kind='DisconnectForNonPayment']");
        Assert.Contains("$", await order.Locator(".order-past-due").InnerTextAsync(), StringComparison.Ordinal);
        await AssertPhoneReadyAsync(field, "field orders at 390px");
        // The read goes in as the meter's read of the day: a few units past its last read.
        long reading;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
            var id = await db.Accounts.Where(a => a.AccountNumber == number).Select(a => a.Id).SingleAsync();
            var points = await db.ServiceAgreements.Where(a => a.AccountId == id && a.EndedOn == null).Select(a => a.ServicePointId).ToListAsync();
            var meterId = await db.Meters.Where(m => m.ServicePointId != null && points.Contains(m.ServicePointId.Value) && m.Status == OpenCIS.Core.Metering.MeterStatus.Installed).Select(m => m.Id).SingleAsync();
            reading = await db.Reads.Where(r => r.MeterId == meterId && OpenCIS.Core.Metering.ReadStatuses.Billable.Contains(r.Status)).OrderByDescending(r => r.ReadOn).Select(r => r.Reading).FirstAsync() + 5;
        }

        await order.Locator("select[name=result]").SelectOptionAsync("disconnected");
        await order.Locator("input[name=reading]").FillAsync(reading.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await order.Locator("input[name=reading]").PressAsync("Enter");
        await field.WaitForSelectorAsync("#field-message");
        var said = await field.InnerTextAsync("#field-message");
        Assert.Contains($"read {reading:N0} stored", said, StringComparison.Ordinal);
        Assert.Contains("service disconnected", said, StringComparison.Ordinal);
        Assert.Contains("disconnect fee $25.00 posted", said, StringComparison.Ordinal);

        // The customer pays in full at the counter.
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
            var id = await db.Accounts.Where(a => a.AccountNumber == number).Select(a => a.Id).SingleAsync();
            var balance = await db.OpenItems.Where(o => o.AccountId == id).SumAsync(o => o.OpenCents);
            await scope.ServiceProvider.GetRequiredService<TakePayment>().ExecuteAsync(
                new TakePaymentRequest(number, Money.FromCents(balance), Tender.MoneyOrder, null, PaymentSource.Counter, null), "cashier");
        }

        // A clerk requests the reconnect on the account's collections page.
        var clerk = await (await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString() })).NewPageAsync();
        await ScreenTests.SignInAsync(clerk, "clerk");
        await clerk.GotoAsync($"/Accounts/{number}/Collections");
        await clerk.SelectOptionAsync("#reconnect-timing", "standard");
        await clerk.ClickAsync("#request-reconnect");
        await clerk.WaitForSelectorAsync("#collections-message");
        Assert.Contains("Reconnect order", await clerk.InnerTextAsync("#collections-message"), StringComparison.Ordinal);

        // The field user completes the reconnect with the read.
        await field.GotoAsync("/Field");
        var reconnect = field.Locator($"article.field-order[data-account='{number}'][data-kind='Reconnect']");
        await reconnect.Locator("select[name=result]").SelectOptionAsync("reconnected");
        await reconnect.Locator("input[name=reading]").FillAsync("10452");
        await reconnect.Locator("button[type=submit]").ClickAsync();
        await field.WaitForSelectorAsync("#field-message");
        Assert.Contains("service restored", await field.InnerTextAsync("#field-message"), StringComparison.Ordinal);
        Assert.Equal(0, await field.Locator($"article.field-order[data-account='{number}']").CountAsync());

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
            var id = await db.Accounts.Where(a => a.AccountNumber == number).Select(a => a.Id).SingleAsync();
            Assert.Equal(CollectionStatus.Current, (await db.AccountCollections.SingleAsync(c => c.AccountId == id)).Status);
            var points = await db.ServiceAgreements.Where(a => a.AccountId == id && a.EndedOn == null).Select(a => a.ServicePointId).ToListAsync();
            Assert.All(await db.ServicePoints.Where(p => points.Contains(p.Id)).ToListAsync(), p => Assert.Equal(ServicePointState.ActiveOccupied, p.State));
        }
    }
}
