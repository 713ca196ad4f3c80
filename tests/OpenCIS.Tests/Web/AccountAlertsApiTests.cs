using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Customers;
using OpenCIS.UseCases.Collections;
using OpenCIS.Web.Api;

using static OpenCIS.Tests.Web.ApiRequests;

namespace OpenCIS.Tests.Web;

/// <summary>
/// The alert strip through the API: what a clerk enters on an account (a dispute, a note) shows at once, loudest
/// first; the strip on the account page and the cashier screen is the same list; anyone who may see accounts may
/// read it, nobody else.
/// </summary>
public sealed class AccountAlertsApiTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    [Fact]
    public async Task What_a_clerk_enters_on_an_account_shows_on_its_alert_strip_the_same_on_the_account_page_and_at_the_cashier()
    {
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var yaml = await File.ReadAllTextAsync(RepositoryExamples.Path("collections", "riverbend.yaml"));
            await scope.ServiceProvider.GetRequiredService<ImportCollectionPolicy>().ExecuteAsync("riverbend.yaml", yaml, "supervisor");
        }

        var number = AccountNumbers.Create(11);
        var collector = await factory.SignedInClientAsync("Collector");
        using (var account = JsonDocument.Parse(await collector.GetStringAsync(new Uri($"/api/accounts/{number}", UriKind.Relative))))
        {
            var id = account.RootElement.GetProperty("accountId").GetInt64();
            (await PostAsync(collector, $"/api/accounts/{id}/notes", new NoteBody("Customer says the meter pit floods every spring"))).EnsureSuccessStatusCode();
            var clerk = await factory.SignedInClientAsync("Clerk");
            (await PostAsync(clerk, $"/api/accounts/{id}/protections", new ProtectionBody("dispute", "2026-11-20", null, null, "75.50", null, null, "Questions the October read"))).EnsureSuccessStatusCode();
        }

        var cashier = await factory.SignedInClientAsync("Cashier");
        using var alerts = JsonDocument.Parse(await cashier.GetStringAsync(new Uri($"/api/accounts/{number}/alerts", UriKind.Relative)));
        var strip = alerts.RootElement.EnumerateArray().Select(a => (Kind: a.GetProperty("kind").GetString()!, Level: a.GetProperty("level").GetString()!, Text: a.GetProperty("text").GetString()!)).ToList();
        Assert.Contains((AccountAlerts.Dispute, "warning", "Open dispute: $75.50 held out of collections since Nov 20, 2026"), strip);
        Assert.Contains((AccountAlerts.Note, "info", "Note by collector on Nov 22, 2026: Customer says the meter pit floods every spring"), strip);
        Assert.Contains(strip, a => a.Kind == AccountAlerts.LastPayment);
        var levels = strip.Select(a => a.Level switch { "danger" => 0, "warning" => 1, _ => 2 }).ToList();
        Assert.Equal(levels.Order(), levels);

        // The account page and the cashier screen show the same lines.
        var page = await cashier.GetStringAsync(new Uri($"/Accounts/{number}", UriKind.Relative));
        var counter = await cashier.GetStringAsync(new Uri($"/Cashier?account={number}", UriKind.Relative));
        foreach (var (kind, _, text) in strip)
        {
            Assert.Contains($"data-alert=\"{kind}\"", page, StringComparison.Ordinal);
            Assert.Contains(System.Net.WebUtility.HtmlEncode(text), page, StringComparison.Ordinal);
            Assert.Contains(System.Net.WebUtility.HtmlEncode(text), counter, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_strip_is_for_those_who_may_see_accounts_and_an_unknown_account_is_not_found()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().GetAsync(new Uri($"/api/accounts/{AccountNumbers.Create(3)}/alerts", UriKind.Relative))).StatusCode);
        var auditor = await factory.SignedInClientAsync("Auditor");
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync(new Uri($"/api/accounts/{AccountNumbers.Create(3)}/alerts", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await auditor.GetAsync(new Uri("/api/accounts/99999997/alerts", UriKind.Relative))).StatusCode);
    }
}
