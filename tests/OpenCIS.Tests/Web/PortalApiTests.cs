using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Storage;
using OpenCIS.Storage.Portal;
using OpenCIS.UseCases.Demo;
using OpenCIS.UseCases.Portal;
using OpenCIS.UseCases.Portal.Processors;

namespace OpenCIS.Tests.Web;

/// <summary>
/// The portal through HTTP: customers sign in with the portal's own cookie, which opens nothing of staff's (and staff's opens
/// nothing of the portal's); every portal page and endpoint, tried with another customer's account, bill and payment ids, answers
/// not found; and the test processor's webhook posts a payment once, refusing a bad signature and ignoring an unknown session.
/// </summary>
public sealed partial class PortalApiTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    [Fact]
    public async Task A_customer_sees_only_their_own_accounts_bills_and_payments_on_every_portal_page_and_endpoint()
    {
        var maria = await PortalClientAsync(factory, DemoPortal.Maria);
        var sam = await PortalClientAsync(factory, DemoPortal.Sam);
        var (mariaAccounts, samAccount) = await DemoAccountsAsync();
        Assert.Equal(2, mariaAccounts.Count);

        // Each sees their own.
        var listed = await maria.GetFromJsonAsync<JsonElement>("/api/portal/accounts");
        Assert.Equal(mariaAccounts.Order(), listed.EnumerateArray().Select(a => a.GetProperty("accountNumber").GetString()!).Order());
        Assert.Equal(HttpStatusCode.OK, (await sam.GetAsync($"/api/portal/accounts/{samAccount}")).StatusCode);

        // Maria makes an online payment (pending) so there is one of hers to try for.
        var started = await ApiRequests.PostAsync(maria, $"/api/portal/accounts/{mariaAccounts[0]}/payments", new { amount = "5.00" });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var onlineId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("onlinePaymentId").GetInt64();
        var mariaBill = await LatestBillAsync(mariaAccounts[0]);

        // Sam tries every one of Maria's ids, and a number that is no account at all: all are simply not found.
        foreach (var path in new[]
        {
            $"/api/portal/accounts/{mariaAccounts[0]}",
            $"/api/portal/accounts/{mariaAccounts[1]}",
            $"/api/portal/accounts/{mariaAccounts[0]}/bills/{mariaBill}.pdf",
            $"/api/portal/accounts/{samAccount}/bills/{mariaBill}.pdf",
            $"/api/portal/payments/{onlineId}",
            "/api/portal/accounts/99999999",
            $"/portal/accounts/{mariaAccounts[0]}",
            $"/portal/accounts/{mariaAccounts[0]}/pay",
            $"/portal/accounts/{mariaAccounts[0]}/bills/{mariaBill}",
            $"/portal/accounts/{samAccount}/bills/{mariaBill}",
            $"/portal/payments/{onlineId}",
            $"/portal/accounts/{mariaAccounts[0]}/manage",
            $"/portal/accounts/{mariaAccounts[1]}/requests",
            $"/portal/accounts/{mariaAccounts[0]}/bills/{mariaBill}/explain",
            $"/portal/accounts/{samAccount}/bills/{mariaBill}/explain",
            $"/portal/accounts/{mariaAccounts[0]}/arrangement",
        })
        {
            Assert.True((await sam.GetAsync(path)).StatusCode == HttpStatusCode.NotFound, $"{path} for another customer");
        }

        var foreignPayment = await ApiRequests.PostAsync(sam, $"/api/portal/accounts/{mariaAccounts[0]}/payments", new { amount = "5.00" });
        Assert.Equal(HttpStatusCode.NotFound, foreignPayment.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostFormAsync(sam, $"/portal/accounts/{mariaAccounts[0]}/pay", new() { ["Amount"] = "5.00" }, tokenFrom: $"/portal/accounts/{samAccount}/pay")).StatusCode);
        // Nor can Sam change Maria's settings or ask for anything on her accounts.
        foreach (var (path, fields) in new (string, Dictionary<string, string>)[]
        {
            ($"/portal/accounts/{mariaAccounts[0]}/manage?handler=Paperless", new() { ["paperless"] = "true" }),
            ($"/portal/accounts/{mariaAccounts[0]}/manage?handler=Contact", new() { ["Contact.Phone"] = "555-0100", ["Contact.MailingLine1"] = "1 Main St", ["Contact.MailingCity"] = "Riverbend", ["Contact.MailingState"] = "OR", ["Contact.MailingZip"] = "97401" }),
            ($"/portal/accounts/{mariaAccounts[0]}/manage?handler=CancelAutopay", new()),
            ($"/portal/accounts/{mariaAccounts[0]}/requests", new() { ["kind"] = "StopService", ["on"] = "2026-11-30" }),
            ($"/portal/accounts/{mariaAccounts[0]}/arrangement", new() { ["installments"] = "3" }),
        })
        {
            Assert.True((await PostFormAsync(sam, path, fields, tokenFrom: $"/portal/accounts/{samAccount}/manage")).StatusCode == HttpStatusCode.NotFound, $"{path} for another customer");
        }

        // Every endpoint of the portal's API that names an account, a bill or a payment (found from the routes, so a new one is
        // tried too), with Maria's ids and a body that would do on each: not found for Sam.
        var ids = new Dictionary<string, string> { ["number"] = mariaAccounts[0], ["billId"] = mariaBill.ToString(System.Globalization.CultureInfo.InvariantCulture), ["id"] = onlineId.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var body = new
        {
            amount = "5.00", billId = mariaBill, paperless = true, kind = "Problem", details = "The meter lid is broken.", on = "2026-11-30", installments = 3,
            routingNumber = "021000021", bankAccountNumber = "123456789", accountType = "Checking", holderName = "Sam Lee", authorized = true,
            name = "Sam Lee", phone = "555-0100", mailingLine1 = "1 Main St", mailingCity = "Riverbend", mailingState = "OR", mailingZip = "97401",
        };
        var tried = 0;
        foreach (var endpoint in factory.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints.OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/portal/", StringComparison.Ordinal) && e.RoutePattern.Parameters.Any(p => ids.ContainsKey(p.Name))))
        {
            var path = PortalRoute().Replace(endpoint.RoutePattern.RawText!, m => ids[m.Groups[1].Value]);
            foreach (var method in endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method is "POST" or "PUT")
                {
                    request.Content = JsonContent.Create(body);
                }

                Assert.True((await sam.SendAsync(request)).StatusCode == HttpStatusCode.NotFound, $"{method} {path} for another customer");
                tried++;
            }
        }

        Assert.True(tried >= 12, $"only {tried} portal endpoints with an account, bill or payment id");

        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
            var hers = await db.Accounts.Where(a => mariaAccounts.Contains(a.AccountNumber)).Select(a => a.Id).ToListAsync();
            Assert.False(await db.AccountCases.AnyAsync(c => hers.Contains(c.AccountId) && c.OpenedBy == "portal:" + DemoPortal.Sam));
            Assert.False(await db.AuditEntries.AnyAsync(a => a.AccountId != null && hers.Contains(a.AccountId.Value) && a.User == "portal:" + DemoPortal.Sam));
        }

        // Maria's own bill opens, as a PDF.
        var pdf = await maria.GetAsync($"/api/portal/accounts/{mariaAccounts[0]}/bills/{mariaBill}.pdf");
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await maria.GetAsync($"/portal/accounts/{mariaAccounts[0]}/bills/{mariaBill}")).StatusCode);

        // The portal's cookie is no staff sign-in, and staff's opens no portal page or endpoint.
        Assert.Equal(HttpStatusCode.Unauthorized, (await maria.GetAsync("/api/accounts/search?q=0000")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await maria.GetAsync($"/Accounts/{mariaAccounts[0]}")).StatusCode);
        var clerk = await factory.SignedInClientAsync("clerk");
        Assert.Equal(HttpStatusCode.Unauthorized, (await clerk.GetAsync("/api/portal/accounts")).StatusCode);
        var redirected = await clerk.GetAsync($"/portal/accounts/{mariaAccounts[0]}");
        Assert.Equal(HttpStatusCode.Redirect, redirected.StatusCode);
        Assert.Equal("/portal/signin", redirected.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task A_customer_manages_paperless_and_asks_for_service_and_sees_usage_and_an_arrangement_offer_through_the_api()
    {
        var maria = await PortalClientAsync(factory, DemoPortal.Maria);
        var (accounts, _) = await DemoAccountsAsync();
        var account = accounts[1];
        Assert.Equal(HttpStatusCode.NoContent, (await maria.PutAsJsonAsync($"/api/portal/accounts/{account}/paperless", new { paperless = true })).StatusCode);
        var settings = await maria.GetFromJsonAsync<JsonElement>($"/api/portal/accounts/{account}/settings");
        Assert.True(settings.GetProperty("paperless").GetBoolean());
        Assert.Equal(HttpStatusCode.NoContent, (await maria.PutAsJsonAsync($"/api/portal/accounts/{account}/paperless", new { paperless = false })).StatusCode);

        var asked = await ApiRequests.PostAsync(maria, $"/api/portal/accounts/{account}/requests", new { kind = "Problem", details = "Water pools by the meter box." });
        Assert.Equal(HttpStatusCode.Created, asked.StatusCode);
        var caseNumber = (await asked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("caseNumber").GetInt64();
        var listed = await maria.GetFromJsonAsync<JsonElement>($"/api/portal/accounts/{account}/requests");
        Assert.Contains(listed.EnumerateArray(), r => r.GetProperty("caseNumber").GetInt64() == caseNumber);
        var badKind = await ApiRequests.PostAsync(maria, $"/api/portal/accounts/{account}/requests", new { kind = "Teleport" });
        Assert.Equal(HttpStatusCode.BadRequest, badKind.StatusCode);
        Assert.Contains("\"kind\"", await badKind.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(JsonValueKind.Array, (await maria.GetFromJsonAsync<JsonElement>($"/api/portal/accounts/{account}/usage")).ValueKind);
        var offer = await maria.GetFromJsonAsync<JsonElement>($"/api/portal/accounts/{account}/arrangement");
        Assert.Equal(offer.GetProperty("canArrange").GetBoolean(), offer.GetProperty("refusal").ValueKind == JsonValueKind.Null);
    }

    [Fact]
    public async Task A_customer_proves_a_mobile_number_through_the_api_and_the_demos_sam_has_texts_on()
    {
        var sam = await PortalClientAsync(factory, DemoPortal.Sam);
        var settings = await sam.GetFromJsonAsync<JsonElement>("/api/portal/settings");
        Assert.Equal(("•••• 0142", true, true), (settings.GetProperty("mobile").GetString(), settings.GetProperty("mobileConfirmed").GetBoolean(), settings.GetProperty("textAlerts").GetBoolean()));

        var maria = await PortalClientAsync(factory, DemoPortal.Maria);
        var refused = await ApiRequests.PostAsync(maria, "/api/portal/settings/mobile", new { mobile = "12" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("\"mobile\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, (await ApiRequests.PostAsync(maria, "/api/portal/settings/mobile", new { mobile = "(541) 555-0177" })).StatusCode);
        string body;
        using (var scope = factory.Services.CreateScope())
        {
            body = await scope.ServiceProvider.GetRequiredService<OpenCisDbContext>().OutgoingMail
                .Where(m => m.Kind == "PortalTextMobileCode" && m.ToAddress == "+15415550177").Select(m => m.BodyText).SingleAsync();
        }

        var code = Regex.Match(body, "[0-9]{6}").Value;
        Assert.Equal(HttpStatusCode.BadRequest, (await ApiRequests.PostAsync(maria, "/api/portal/settings/mobile/confirm", new { mobile = "5415550177", code = "12345" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await ApiRequests.PostAsync(maria, "/api/portal/settings/mobile/confirm", new { mobile = "5415550177", code })).StatusCode);
        settings = await maria.GetFromJsonAsync<JsonElement>("/api/portal/settings");
        Assert.Equal(("•••• 0177", true), (settings.GetProperty("mobile").GetString(), settings.GetProperty("textAlerts").GetBoolean()));
        var deleted = await maria.DeleteAsync("/api/portal/settings/mobile");
        Assert.True(deleted.StatusCode == HttpStatusCode.NoContent, deleted.ToString() + await deleted.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_e_check_goes_only_on_the_customers_own_account_names_a_bad_routing_number_and_never_shows_the_bank_number()
    {
        var sam = await PortalClientAsync(factory, DemoPortal.Sam);
        var (mariaAccounts, samAccount) = await DemoAccountsAsync();
        const string bankAccount = "123456789";
        object ECheck(string routing) => new { holderName = "Sam Rivera", routingNumber = routing, bankAccountNumber = bankAccount, accountType = "Checking", amount = "12.34", authorized = true };

        // Another customer's account is simply not found; a routing number that fails its check digit is a 400 naming the field.
        Assert.Equal(HttpStatusCode.NotFound, (await ApiRequests.PostAsync(sam, $"/api/portal/accounts/{mariaAccounts[0]}/echeck", ECheck("011000015"))).StatusCode);
        Assert.Equal("routingNumber", await ApiRequests.ProblemFieldAsync(await ApiRequests.PostAsync(sam, $"/api/portal/accounts/{samAccount}/echeck", ECheck("011000016"))));

        // Authorized on Sam's own: pending, shown with the last four digits only, here and on the account.
        var created = await ApiRequests.PostAsync(sam, $"/api/portal/accounts/{samAccount}/echeck", ECheck("011000015"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var text = await created.Content.ReadAsStringAsync();
        Assert.DoesNotContain(bankAccount, text, StringComparison.Ordinal);
        var eCheck = JsonDocument.Parse(text).RootElement;
        Assert.Equal(("Pending", "****6789", "12.34"), (eCheck.GetProperty("status").GetString(), eCheck.GetProperty("bankAccount").GetString(), eCheck.GetProperty("amount").GetString()));
        var account = await sam.GetStringAsync($"/api/portal/accounts/{samAccount}");
        Assert.DoesNotContain(bankAccount, account, StringComparison.Ordinal);
        Assert.Contains("\"bankAccount\":\"****6789\"", account, StringComparison.Ordinal);
        var page = await sam.GetStringAsync($"/portal/accounts/{samAccount}?echeck={eCheck.GetProperty("id").GetInt64()}");
        Assert.DoesNotContain(bankAccount, page, StringComparison.Ordinal);
        Assert.Contains("goes out with the next bank file", page, StringComparison.Ordinal);

        // Cancelled before any file, it no longer waits (and the demo city keeps no e-check of this test's).
        var cancelled = await ApiRequests.PostAsync(sam, $"/api/portal/accounts/{samAccount}/echeck/{eCheck.GetProperty("id").GetInt64()}/cancel", new { });
        Assert.Equal("Cancelled", (await cancelled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_test_processors_webhook_posts_a_payment_once_and_refuses_a_bad_signature_or_a_replay()
    {
        var sam = await PortalClientAsync(factory, DemoPortal.Sam);
        var (_, account) = await DemoAccountsAsync();
        var before = await BalanceAsync(sam, account);
        var started = await ApiRequests.PostAsync(sam, $"/api/portal/accounts/{account}/payments", new { amount = "12.34" });
        var onlineId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("onlinePaymentId").GetInt64();
        string session;
        using (var scope = factory.Services.CreateScope())
        {
            session = await scope.ServiceProvider.GetRequiredService<OpenCisDbContext>().OnlinePayments.Where(p => p.Id == onlineId).Select(p => p.SessionId).SingleAsync();
        }

        // Until the processor confirms it, the payment is pending and the balance unchanged.
        Assert.Equal("Pending", (await sam.GetFromJsonAsync<JsonElement>($"/api/portal/payments/{onlineId}")).GetProperty("status").GetString());
        var webhook = factory.CreateClient();
        var paid = Event("evt_1", session, 12_34);

        // A wrong signature, a stale one, and none at all: refused, nothing posted.
        Assert.Equal(HttpStatusCode.BadRequest, (await DeliverAsync(webhook, paid, TestProcessor.Sign(paid, "not-the-secret", factory.Clock.Now))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await DeliverAsync(webhook, paid, TestProcessor.Sign(paid, TestProcessorSettings.DemoSecret, factory.Clock.Now.AddHours(-1)))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await DeliverAsync(webhook, paid, null)).StatusCode);
        Assert.Equal(before, await BalanceAsync(sam, account));

        // The real event posts; the same event again, and another event for the same session, post nothing more.
        var first = await DeliverAsync(webhook, paid, TestProcessor.Sign(paid, TestProcessorSettings.DemoSecret, factory.Clock.Now));
        Assert.True((await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("posted").GetBoolean());
        var replay = await DeliverAsync(webhook, paid, TestProcessor.Sign(paid, TestProcessorSettings.DemoSecret, factory.Clock.Now));
        Assert.False((await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("posted").GetBoolean());
        var again = Event("evt_2", session, 12_34);
        var second = await DeliverAsync(webhook, again, TestProcessor.Sign(again, TestProcessorSettings.DemoSecret, factory.Clock.Now));
        Assert.False((await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("posted").GetBoolean());
        Assert.Equal(before - 12.34m, await BalanceAsync(sam, account));
        var view = await sam.GetFromJsonAsync<JsonElement>($"/api/portal/payments/{onlineId}");
        Assert.Equal("Posted", view.GetProperty("status").GetString());
        Assert.Equal("visa 4242", view.GetProperty("card").GetString());

        // An event for a session that is none of ours is acknowledged, kept and ignored.
        var stranger = Event("evt_3", "cs_test_unknown", 50_00);
        var ignored = await DeliverAsync(webhook, stranger, TestProcessor.Sign(stranger, TestProcessorSettings.DemoSecret, factory.Clock.Now));
        Assert.Equal(HttpStatusCode.OK, ignored.StatusCode);
        Assert.Contains("unknown session", (await ignored.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString(), StringComparison.Ordinal);

        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
            var accountId = await db.Accounts.Where(a => a.AccountNumber == account).Select(a => a.Id).SingleAsync();
            var online = await db.Payments.Where(p => p.AccountId == accountId && p.Cashier == OnlinePayments.Cashier).ToListAsync();
            Assert.Equal(12_34, Assert.Single(online).AmountCents);
            Assert.Equal(["evt_1", "evt_2", "evt_3"], await db.ProcessorEvents.OrderBy(e => e.Id).Select(e => e.EventId).ToListAsync());
            // Staff see it on the account's audit trail, by the customer's name in the portal.
            Assert.True(await db.AuditEntries.AnyAsync(a => a.AccountId == accountId && a.Action == "Online payment" && a.User == "portal:" + DemoPortal.Sam));
            // The receipt is queued to the customer.
            Assert.True(await db.OutgoingMail.AnyAsync(m => m.Kind == "PortalReceipt" && m.ToAddress == DemoPortal.Sam));
        }
    }

    /// <summary>A client signed in to the portal through its sign-in form.</summary>
    internal static async Task<HttpClient> PortalClientAsync(OpenCisWebFactory factory, string email, string password = DemoPortal.Password)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var response = await PostFormAsync(client, "/portal/signin", new() { ["Email"] = email, ["password"] = password });
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"portal sign-in as {email}: {(int)response.StatusCode}");
        return client;
    }

    /// <summary>Posts a portal form with the antiforgery token of the page it is on (or of <paramref name="tokenFrom"/>).</summary>
    internal static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, Dictionary<string, string> fields, string? tokenFrom = null)
    {
        var page = await client.GetAsync(tokenFrom ?? path);
        var form = await page.Content.ReadAsStringAsync();
        var token = AntiforgeryToken().Match(form) is { Success: true } match ? match.Groups[1].Value : "";
        fields["__RequestVerificationToken"] = token;
        using var content = new FormUrlEncodedContent(fields);
        return await client.PostAsync(path, content);
    }

    private async Task<(List<string> Maria, string Sam)> DemoAccountsAsync()
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        async Task<List<string>> Of(string email) =>
            await db.PortalUsers.Where(u => u.Email == email).Join(db.PortalUserAccounts, u => u.Id, l => l.PortalUserId, (u, l) => l.AccountId)
                .Join(db.Accounts, id => id, a => a.Id, (id, a) => a.AccountNumber).OrderBy(n => n).ToListAsync();
        return (await Of(DemoPortal.Maria), (await Of(DemoPortal.Sam)).Single());
    }

    private async Task<long> LatestBillAsync(string accountNumber)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        return await db.Bills.Where(b => db.Accounts.Any(a => a.Id == b.AccountId && a.AccountNumber == accountNumber)).MaxAsync(b => b.Id);
    }

    private static async Task<decimal> BalanceAsync(HttpClient client, string account) => decimal.Parse(
        (await client.GetFromJsonAsync<JsonElement>($"/api/portal/accounts/{account}")).GetProperty("balance").GetString()!, System.Globalization.CultureInfo.InvariantCulture);

    private static string Event(string id, string session, long cents) =>
        new JsonObject
        {
            ["id"] = id,
            ["type"] = "checkout.session.completed",
            ["created"] = 0,
            ["data"] = new JsonObject
            {
                ["object"] = new JsonObject
                {
                    ["id"] = session, ["amount_total"] = cents, ["payment_status"] = "paid", ["payment_intent"] = "pi_" + id,
                    ["card"] = new JsonObject { ["brand"] = "visa", ["last4"] = "4242" },
                },
            },
        }.ToJsonString();

    private static async Task<HttpResponseMessage> DeliverAsync(HttpClient client, string payload, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/portal/webhooks/test") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation(TestProcessor.SignatureHeader, signature);
        }

        return await client.SendAsync(request);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [GeneratedRegex("{([^}:]+)(:[^}]+)?}")]
    private static partial Regex PortalRoute();
}
