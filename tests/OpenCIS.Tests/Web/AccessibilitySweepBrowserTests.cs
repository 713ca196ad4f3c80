using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenCIS.Storage;

namespace OpenCIS.Tests.Web;

/// <summary>
/// Every staff page, found from the host's own routes (a new page is in the sweep without being listed), opened at
/// 1366 px and at 390 px, checked by axe-core (colour contrast, which the width does not change, at 1366 px): no critical or serious violation, and nothing past the window's edge
/// outside a table that scrolls in its own box. Every page as an Admin (who may open them all), and each role's own
/// start and work pages at desktop width, where their menus differ.
/// </summary>
public sealed class AccessibilitySweepBrowserTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    private static readonly (int Width, int Height)[] Widths = [(1366, 768), (390, 844)];

    private static readonly Deque.AxeCore.Commons.AxeRunOptions PhoneOptions = new()
    {
        Rules = new Dictionary<string, Deque.AxeCore.Commons.RuleOptions> { ["color-contrast"] = new() { Enabled = false } },
    };

    private static readonly Dictionary<string, string[]> RolePages = new(StringComparer.Ordinal)
    {
        ["clerk"] = ["/", "/Service/Start", "/Premises", "/Work"],
        ["cashier"] = ["/Cashier", "/Payments/Files", "/Payments/MailBatch"],
        ["collector"] = ["/Collections", "/Collections/Queue"],
        ["supervisor"] = ["/Billing/Adjustments", "/Cashier/Approvals", "/Reports/Finance"],
        ["auditor"] = ["/Reports"],
        ["field"] = ["/Field"],
        ["dispatcher"] = ["/ServiceOrders/Board"],
    };

    [SkippableFact]
    public async Task Every_staff_page_passes_axe_at_desktop_and_phone_width_for_every_role()
    {
        BrowserRequirement.EnsureChromium();
        var baseAddress = factory.StartOnRealPort();
        var pages = await StaffPagesAsync();
        await using var browser = await BrowserLease.TakeAsync();
        var problems = new List<string>();
        await using (var admin = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString() }))
        {
            var page = await admin.NewPageAsync();
            await ScreenTests.SignInAsync(page, "admin");
            foreach (var path in pages)
            {
                await CheckAsync(page, path, "admin", problems);
            }
        }

        foreach (var (role, paths) in RolePages)
        {
            await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString() });
            var page = await context.NewPageAsync();
            await ScreenTests.SignInAsync(page, role);
            foreach (var path in paths)
            {
                // What differs from the Admin's sweep of the same page is the role's menu, which shows at desktop width;
                // at a phone's width it is folded away, and the page's content was checked there as the Admin's.
                await CheckAsync(page, path, role, problems, Widths[..1]);
            }
        }

        Assert.True(problems.Count == 0, $"{problems.Count} problem(s) over {pages.Count} pages:\n{string.Join("\n", problems)}");
    }

    private static async Task CheckAsync(IPage page, string path, string role, List<string> problems, (int Width, int Height)[]? widths = null)
    {
        foreach (var (width, height) in widths ?? Widths)
        {
            await page.SetViewportSizeAsync(width, height);
            var response = await page.GotoAsync(path);
            if (response is null || response.Status >= 400 || page.Url.Contains("/AccessDenied", StringComparison.Ordinal) || page.Url.Contains("/Login", StringComparison.Ordinal))
            {
                problems.Add($"{path} as {role}: did not open ({response?.Status}, {page.Url})");
                return;
            }

            // Colour contrast does not change with the width, and it is axe's slowest rule: it is checked at desktop width only.
            var results = width == Widths[0].Width ? await page.RunAxeInPageAsync() : await page.RunAxeInPageAsync(PhoneOptions);
            foreach (var violation in results.Violations.Where(v => v.Impact is "critical" or "serious"))
            {
                var targets = string.Join(" | ", violation.Nodes.Take(3).Select(n => n.Target?.ToString() ?? n.Html));
                problems.Add($"{path} as {role} at {width}px: {violation.Id} ({violation.Impact}) {violation.Help} [{violation.Nodes.Count()}: {targets}]");
            }

            var overflowing = await page.EvaluateAsync<string[]>(@"() => [...document.querySelectorAll('body *')]
                .filter(e => !e.closest('.table-responsive') && !e.closest('.collapse:not(.show)') && e.getBoundingClientRect().width > 0 && e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
                .map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className)");
            if (overflowing.Length > 0)
            {
                problems.Add($"{path} as {role} at {width}px: past the window's edge: {string.Join(", ", overflowing.Take(4))}");
            }

            if (width == Widths[0].Width)
            {
                var text = await page.EvaluateAsync<string>("() => document.body.innerText + '\\n' + [...document.querySelectorAll('option')].map(o => o.textContent).join('\\n')");
                var leaked = EnumNames.Matches(text).Select(m => m.Value).Distinct(StringComparer.Ordinal).ToList();
                if (leaked.Count > 0)
                {
                    problems.Add($"{path} as {role}: an enum's name where words belong: {string.Join(", ", leaked.Take(6))}");
                }
            }
        }
    }

    /// <summary>
    /// The names of the product's own enum members that are not words ("MoneyOrder", "PendingApproval", "Ach"): none
    /// may show on a screen, where Words.Of gives "Money order", "Pending approval", "ACH".
    /// </summary>
    private static readonly System.Text.RegularExpressions.Regex EnumNames = new(
        @"\b(" + string.Join("|", new[] { typeof(OpenCIS.Core.Common.Money).Assembly, typeof(OpenCisDbContext).Assembly, typeof(OpenCIS.UseCases.BusinessCalendar).Assembly }
            .SelectMany(a => a.GetTypes()).Where(t => t.IsEnum && t.IsPublic || t.IsEnum && t.IsNestedPublic)
            .SelectMany(Enum.GetNames)
            .Where(n => System.Text.RegularExpressions.Regex.IsMatch(n, "^[A-Z][a-z0-9]+([A-Z][a-z0-9]*)+$") || n is "Ach" or "Nsf" or "Ppd" or "Ssn")
            .Distinct(StringComparer.Ordinal).OrderByDescending(n => n.Length).Select(System.Text.RegularExpressions.Regex.Escape)) + @")\b",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>Every Razor page's route, its parameters filled from the demo city's own rows.</summary>
    private async Task<List<string>> StaffPagesAsync()
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["accountNumber"] = "00000018" };
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
            values["runId"] = (await db.BillingRuns.OrderBy(r => r.Id).Select(r => r.Id).FirstAsync()).ToString(System.Globalization.CultureInfo.InvariantCulture);
            values["billId"] = (await db.Bills.OrderBy(b => b.Id).Select(b => b.Id).FirstAsync()).ToString(System.Globalization.CultureInfo.InvariantCulture);
            values["serial"] = await db.Meters.OrderBy(m => m.Id).Select(m => m.Serial).FirstAsync();
            var sweptAccount = values["accountNumber"];
            values["agreementId"] = (await db.ServiceAgreements.Where(a => a.EndedOn == null && db.Accounts.Any(x => x.Id == a.AccountId && x.AccountNumber == sweptAccount))
                .OrderBy(a => a.Id).Select(a => a.Id).FirstAsync()).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!await db.OutgoingMail.AnyAsync())
            {
                // A mail for the sent-mail page to show, queued as any work queues it.
                await OpenCIS.UseCases.Mail.QueueMail.AddAsync(db, new OpenCIS.UseCases.Mail.MailToQueue("letter", "sweep-1", null, "pat@riverbend.example", "Pat Customer", "Your account", "Hello.", []), "clerk", DateTimeOffset.UtcNow, CancellationToken.None);
                await db.SaveChangesAsync();
            }

            values["id"] = (await db.OutgoingMail.OrderBy(m => m.Id).Select(m => m.Id).FirstAsync()).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!await db.Jobs.AnyAsync())
            {
                // A job for its page to show: the mail sending, started as the schedule starts it.
                await scope.ServiceProvider.GetRequiredService<OpenCIS.UseCases.Jobs.StartJob>().ExecuteAsync(OpenCIS.UseCases.Mail.SendMailJob.Request(), "admin");
            }

            values["jobId"] = (await db.Jobs.OrderBy(j => j.Id).Select(j => j.Id).FirstAsync()).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!await db.CollectionPolicies.AnyAsync(p => p.Code == "RIVERBEND-UTIL"))
            {
                var yaml = await File.ReadAllTextAsync(RepositoryExamples.Path("collections", "riverbend.yaml"));
                await scope.ServiceProvider.GetRequiredService<OpenCIS.UseCases.Collections.ImportCollectionPolicy>().ExecuteAsync("riverbend.yaml", yaml, "admin");
            }

            values["code"] = await db.CollectionPolicies.OrderBy(p => p.Id).Select(p => p.Code).FirstAsync();
            values["version"] = "";
            values["number"] = (await db.Invoices.OrderBy(i => i.Id).Select(i => i.Id).FirstAsync()).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!await db.BankruptcyCases.AnyAsync())
            {
                // A case for its page to show, entered on the first invoice's account as a collector enters one, with a trustee's payment.
                var invoiced = await db.Invoices.OrderBy(i => i.Id).Join(db.Accounts, i => i.AccountId, a => a.Id, (i, a) => new { a.AccountNumber, i.IssuedOn }).FirstAsync();
                var cases = scope.ServiceProvider.GetRequiredService<OpenCIS.UseCases.Bankruptcy.BankruptcyCases>();
                var entered = await cases.FileAsync(new OpenCIS.UseCases.Bankruptcy.BankruptcyFiling("26-bk-77001", OpenCIS.Core.Bankruptcy.BankruptcyChapter.Chapter13, "Bankr. D. Or.", invoiced.IssuedOn,
                    null, "Lee Park", "Dana Whitcomb", [invoiced.AccountNumber]), "collector");
                if (entered.Case.Remaining.IsPositive)
                {
                    await cases.PayAsync(new OpenCIS.UseCases.Bankruptcy.TrusteePaymentRequest("26-bk-77001", OpenCIS.Core.Common.Money.FromCents(1_00), OpenCIS.Core.Payments.Tender.Check, "TR-1"), "cashier");
                }
            }

            values["caseNumber"] = await db.BankruptcyCases.OrderBy(c => c.Id).Select(c => c.CaseNumber).FirstAsync();
            if (!await db.CollectionAgencies.AnyAsync())
            {
                // The demo's agencies, and a final account referred, sent and partly paid, for the pursuit pages to show.
                foreach (var agency in OpenCIS.UseCases.Demo.DemoPursuit.Agencies)
                {
                    await scope.ServiceProvider.GetRequiredService<OpenCIS.UseCases.Pursuit.CollectionAgencies>().SaveAsync(agency, "supervisor");
                }

                var final = OpenCIS.Core.Customers.AccountNumbers.Create(19);
                await OpenCIS.Tests.Persistence.FinalAccounts.OweAsync(db, final, OpenCIS.Core.Common.Money.FromCents(120_00));
                var referral = await scope.ServiceProvider.GetRequiredService<OpenCIS.UseCases.Pursuit.Referrals>().ReferAsync(final, "CRS", "Moved out of state", "collector");
                await scope.ServiceProvider.GetRequiredService<OpenCIS.UseCases.Pursuit.PlacementFiles>().CreateAsync("CRS", "collector");
                await scope.ServiceProvider.GetRequiredService<OpenCIS.UseCases.Pursuit.AgencyPayments>().ImportAsync("CRS", "crs.csv",
                    System.Text.Encoding.UTF8.GetBytes($"referral_id,account_number,paid_on,amount,reference\n{referral.Referral.Id},{final},2026-11-22,20.00,R-1\n"), "cashier");
            }
        }

        // A lien noticed and filed on an owner's account, for the lien pages to show.
        values["lienNumber"] = await OpenCIS.Tests.Persistence.TestLiens.LienAsync(factory.Services, OpenCIS.Core.Customers.AccountNumbers.Create(21), new DateOnly(2026, 11, 22));

        // A calling campaign with a call logged, for the campaign pages to show.
        await OpenCIS.Tests.Persistence.TestCampaigns.OweAsync(factory.Services, new DateOnly(2026, 11, 22), OpenCIS.Core.Customers.AccountNumbers.Create(22));
        using (var scope = factory.Services.CreateScope())
        {
            var book = scope.ServiceProvider.GetRequiredService<OpenCIS.UseCases.Campaigns.CallingCampaignBook>();
            var campaign = await book.CreateAsync(new OpenCIS.UseCases.Campaigns.CampaignRequest("Large balances",
                new OpenCIS.Core.Campaigns.CampaignCriteria(31, 90, OpenCIS.Core.Common.Money.FromCents(1_000_00), null, OpenCIS.Core.Campaigns.CampaignDebt.Any, false, false),
                "Hello.", null, ["admin", "collector"]), "supervisor");
            await book.LogCallAsync(campaign.Id, new OpenCIS.UseCases.Campaigns.CampaignCallRequest(campaign.Targets[0].Id, "no-answer", null, null), campaign.Targets[0].Collector);
            values["campaignId"] = campaign.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var routes = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null)
            .Select(e => e.RoutePattern).ToList();
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        var unknown = new List<string>();
        foreach (var route in routes)
        {
            // The customers' portal (and the test processor's page it sends them to) is swept with a customer's login by PortalBrowserTests.
            if (route.RawText?.TrimStart('/') is { } raw && (raw.StartsWith("portal", StringComparison.Ordinal) || raw.StartsWith("test-processor", StringComparison.Ordinal)))
            {
                continue;
            }

            var missing = route.Parameters.Where(p => !values.ContainsKey(p.Name)).Select(p => p.Name).ToList();
            if (missing.Count > 0)
            {
                unknown.Add($"{route.RawText} ({string.Join(", ", missing)})");
                continue;
            }

            var path = "/" + string.Join("/", route.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
            {
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart parameter => values[parameter.Name],
                _ => "",
            })))).TrimEnd('/');
            // The sign-in steps are for someone not yet signed in; the rest is what staff work in.
            if (path is not ("/Login" or "/LoginTwoFactor" or "/Logout" or "/AccessDenied" or "/Account/Password") && !path.EndsWith("/Index", StringComparison.Ordinal))
            {
                paths.Add(path.Length == 0 ? "/" : path);
            }
        }

        Assert.True(unknown.Count == 0, $"pages whose route parameters the sweep cannot fill: {string.Join(", ", unknown)}");
        Assert.True(paths.Count >= 40, $"only {paths.Count} pages found: {string.Join(", ", paths)}");
        return [.. paths];
    }
}
