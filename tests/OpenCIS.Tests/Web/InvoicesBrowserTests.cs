using Microsoft.Playwright;

namespace OpenCIS.Tests.Web;

/// <summary>
/// City receivables by invoice on the real screens in Chromium, from the keyboard: at a phone's width a clerk finds a
/// customer on file by name and invoices them for a board-up, and a bad price is refused naming its line with what was
/// typed kept; at 1366 px the list filters to the demo's past-due invoices and opens one, and the debt check finds all
/// the patient owes.
/// </summary>
public sealed class InvoicesBrowserTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    [SkippableFact]
    public async Task A_clerk_invoices_a_customer_on_file_from_the_keyboard_and_finds_the_past_due_ones()
    {
        BrowserRequirement.EnsureChromium();
        var baseAddress = factory.StartOnRealPort();
        await using var browser = await BrowserLease.TakeAsync();
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        await ScreenTests.SignInAsync(page, "clerk");

        await page.GotoAsync("/Invoices");
        await page.FocusAsync("#new-invoice");
        await Assertions.Expect(page.Locator("#new-invoice")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => url.EndsWith("/Invoices/New", StringComparison.Ordinal));

        // The ambulance patient of the demo is on file: found by name, chosen with the keyboard.
        await page.FocusAsync("#party-search");
        await page.Keyboard.TypeAsync("Whitcomb");
        await page.WaitForSelectorAsync(".party-choice");
        await page.FocusAsync(".party-choice");
        await page.Keyboard.PressAsync("Space");
        await page.SelectOptionAsync("#invoice-type", "BOARDUP");
        await page.FocusAsync("#reference");
        await page.Keyboard.TypeAsync("CE-BR-1");
        await page.FocusAsync("#line-0-description");
        await page.Keyboard.TypeAsync("Board-up of doors and windows");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("1");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("640.00");
        await page.FocusAsync("#line-1-description");
        await page.Keyboard.TypeAsync("Administrative fee");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("fifty");
        await page.FocusAsync("#post-invoice");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#invoice-error");
        Assert.Contains("'fifty' is not a number", await page.InnerTextAsync("#invoice-error"), StringComparison.Ordinal);
        Assert.Equal("Board-up of doors and windows", await page.InputValueAsync("#line-0-description"));
        Assert.Contains("is-invalid", await page.GetAttributeAsync("#line-1-price", "class") ?? "", StringComparison.Ordinal);
        Assert.True(await page.IsCheckedAsync(".party-choice"));

        await page.FillAsync("#line-1-price", "50.00");
        await page.FocusAsync("#post-invoice");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#invoice-amount");
        Assert.Equal(("$690.00", "Open", "Harold Whitcomb"), ((await page.InnerTextAsync("#invoice-amount")).Trim(), (await page.InnerTextAsync("#invoice-standing")).Trim(),
            (await page.InnerTextAsync("#invoice-party")).Trim()));
        Assert.Equal("2026-12-13", (await page.InnerTextAsync("#invoice-due")).Trim());
        var violations = (await page.RunAxeInPageAsync()).Violations.Where(v => v.Impact is "critical" or "serious").Select(v => v.Id).ToList();
        Assert.Empty(violations);

        await page.SetViewportSizeAsync(1366, 900);
        await page.GotoAsync("/Invoices");
        await page.SelectOptionAsync("#standing", "pastdue");
        await page.FocusAsync("#filter-invoices");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => url.Contains("standing=pastdue", StringComparison.Ordinal));
        var rows = await page.Locator(".invoice-row td:nth-child(4)").AllInnerTextsAsync();
        Assert.Equal(["RUN-26-03902", "RUN-26-04630", "CE-26-0907", "RUN-26-04417"], rows.Select(r => r.Trim()).ToArray());
        await page.FocusAsync(".invoice-row:last-child a");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#invoice-scan-line");
        Assert.Equal("Past due", (await page.InnerTextAsync("#invoice-standing")).Trim());
        // The weed abatement's late charge, posted under its type's collection policy, shows with it.
        await page.GoBackAsync();
        await page.Locator(".invoice-row", new() { HasText = "CE-26-0907" }).Locator("a").First.ClickAsync();
        await page.WaitForSelectorAsync(".invoice-late-charge");
        Assert.Contains("$5.48", await page.InnerTextAsync(".invoice-late-charge"), StringComparison.Ordinal);

        // The debt check from the keyboard: the patient owes the ambulance transport, and now the board-up too.
        await page.GotoAsync("/DebtCheck");
        await page.FocusAsync("#q");
        await page.Keyboard.TypeAsync("Whitcomb");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#debt-check-verdict");
        Assert.Contains("Owes the city $1,976.90", await page.InnerTextAsync("#debt-check-verdict"), StringComparison.Ordinal);
        Assert.Equal(2, await page.Locator(".debt-row").CountAsync());
        Assert.Empty((await page.RunAxeInPageAsync()).Violations.Where(v => v.Impact is "critical" or "serious").Select(v => v.Id));
        Assert.Equal(0, await page.Locator(".hold-form").CountAsync());

        // A collector holds the patient's permits from the debt check, then releases the hold on the holds screen.
        var collector = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        await ScreenTests.SignInAsync(collector, "collector");
        await collector.GotoAsync("/DebtCheck");
        await collector.FocusAsync("#q");
        await collector.Keyboard.TypeAsync("Whitcomb");
        await collector.Keyboard.PressAsync("Enter");
        await collector.WaitForSelectorAsync("#debt-check-verdict");
        await collector.FocusAsync(".debtor summary");
        await collector.Keyboard.PressAsync("Enter");
        await collector.FocusAsync(".hold-form input[name='reason']");
        await collector.Keyboard.TypeAsync("Unpaid ambulance transport and board-up");
        await collector.Keyboard.PressAsync("Enter");
        await collector.WaitForSelectorAsync("#debt-check-message");
        Assert.Matches(@"^Hold \d+ placed on Harold Whitcomb\.$", (await collector.InnerTextAsync("#debt-check-message")).Trim());
        Assert.Equal("A hold blocks permits and licences.", (await collector.InnerTextAsync("#debt-check-held")).Trim());

        await collector.GotoAsync("/Holds");
        await collector.FocusAsync(".hold-row input[name='note']");
        await collector.Keyboard.TypeAsync("Payment plan agreed");
        await collector.Keyboard.PressAsync("Enter");
        await collector.WaitForSelectorAsync("#holds-message");
        Assert.Matches(@"^Hold \d+ released\.$", (await collector.InnerTextAsync("#holds-message")).Trim());
        Assert.Equal(0, await collector.Locator(".hold-row").CountAsync());
        Assert.Empty((await collector.RunAxeInPageAsync()).Violations.Where(v => v.Impact is "critical" or "serious").Select(v => v.Id));

        // At a phone's width an administrator makes the permit desk a key scoped to the debt check, which the desk's
        // system then calls with; its use shows on the screen, and the key is revoked from the keyboard.
        var admin = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        await ScreenTests.SignInAsync(admin, "admin");
        await admin.GotoAsync("/Admin/ApiKeys");
        Assert.Equal(4, await admin.Locator("#api-keys tbody tr").CountAsync());
        await admin.FocusAsync("#key-name");
        await admin.Keyboard.TypeAsync("permit-desk");
        await admin.FocusAsync("#perm-CheckDebts");
        await admin.Keyboard.PressAsync("Space");
        await admin.FocusAsync("#create-key-button");
        await admin.Keyboard.PressAsync("Enter");
        await admin.WaitForSelectorAsync("#issued-key-value");
        var token = await admin.InputValueAsync("#issued-key-value");
        Assert.Empty((await admin.RunAxeInPageAsync()).Violations.Where(v => v.Impact is "critical" or "serious").Select(v => v.Id));

        using var desk = new HttpClient { BaseAddress = baseAddress };
        desk.DefaultRequestHeaders.Add("X-Api-Key", token);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await desk.GetAsync(new Uri("/api/debt-check?name=Whitcomb", UriKind.Relative))).StatusCode);
        await admin.GotoAsync("/Admin/ApiKeys");
        var row = admin.Locator("#api-keys tr", new PageLocatorOptions { HasText = "permit-desk" });
        Assert.Contains("1 request", await row.InnerTextAsync(), StringComparison.Ordinal);
        await row.Locator("input[name='reason']").FocusAsync();
        await admin.Keyboard.TypeAsync("Desk moved to the new permit system");
        await admin.Keyboard.PressAsync("Enter");
        await admin.WaitForSelectorAsync("#keys-notice");
        Assert.Contains("Revoked", await admin.Locator("#api-keys tr", new PageLocatorOptions { HasText = "permit-desk" }).InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await desk.GetAsync(new Uri("/api/debt-check?name=Whitcomb", UriKind.Relative))).StatusCode);
    }
}
