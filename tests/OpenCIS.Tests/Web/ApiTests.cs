using OpenCIS.UseCases.Payments;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Web.Api;

namespace OpenCIS.Tests.Web;

public sealed class ApiTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    /// <summary>An amount too large for any account, or with a comma where no thousands are, is a 400 naming the amount, never a 500 nor a guess.</summary>
    [Theory]
    [InlineData("99999999999999999999")]
    [InlineData("0,05")]
    [InlineData("12,34")]
    public async Task An_amount_that_overflows_or_misplaces_a_comma_is_refused_naming_the_amount(string amount)
    {
        var cashier = await factory.SignedInClientAsync("Cashier");
        var response = await cashier.PostAsJsonAsync(new Uri("/api/payments", UriKind.Relative), new TakePaymentBody(OpenCIS.Core.Customers.AccountNumbers.Create(2), amount, "money order", null));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("amount", problem.RootElement.GetProperty("errors").EnumerateObject().Single().Name);
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private IReadOnlyList<(string Method, string Route)> ApiEndpoints() =>
        factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (m, e.RoutePattern.RawText!)))
            .ToList();

    private static string Concrete(string route) =>
        System.Text.RegularExpressions.Regex.Replace(route, "{([^}:]+)(:[^}]+)?}", m => m.Groups[2].Value.Contains("long", StringComparison.Ordinal) ? "1" : "00000018");

    [Fact]
    public async Task The_openapi_document_lists_every_api_endpoint()
    {
        var client = factory.CreateClient();
        using var document = JsonDocument.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
        var paths = document.RootElement.GetProperty("paths");
        var endpoints = ApiEndpoints();
        Assert.True(endpoints.Count >= 12, $"expected the API's endpoints, found {endpoints.Count}");
        foreach (var (method, route) in endpoints)
        {
            var path = System.Text.RegularExpressions.Regex.Replace(route, "{([^}:]+)(:[^}]+)?}", "{$1}").TrimEnd('/');
            Assert.True(paths.TryGetProperty(path, out var operations), $"{path} is missing from /openapi/v1.json");
            Assert.True(operations.TryGetProperty(method.ToLowerInvariant(), out _), $"{method} {path} is missing from /openapi/v1.json");
        }
    }

    [Fact]
    public async Task Every_api_endpoint_answers_401_to_an_anonymous_request()
    {
        var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        // The processors' webhooks alone are open: they authenticate by their signature (PortalApiTests), not a sign-in.
        var open = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api", StringComparison.Ordinal) && e.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is not null)
            .Select(e => e.RoutePattern.RawText!).ToList();
        Assert.Equal(["/api/portal/webhooks/{processor}"], open);
        foreach (var (method, route) in ApiEndpoints().Where(e => !open.Contains(e.Route)))
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), Concrete(route) + (route == "/api/accounts/" ? "?q=ab" : ""));
            if (method != "GET")
            {
                request.Content = JsonContent.Create(new { });
            }

            var response = await client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {route} answered {(int)response.StatusCode} to an anonymous request");
        }
    }

    public static TheoryData<string, string, string, HttpStatusCode> PermissionCases => new()
    {
        // role, method, path, expected
        { "Clerk", "GET", "/api/accounts?q=00000", HttpStatusCode.OK },
        { "Clerk", "POST", "/api/payments", HttpStatusCode.Forbidden },
        { "Clerk", "GET", "/api/billing/runs", HttpStatusCode.OK },
        { "Clerk", "GET", "/api/accounts/00000018/audit", HttpStatusCode.Forbidden },
        { "Cashier", "POST", "/api/payments", HttpStatusCode.OK },
        { "Cashier", "POST", "/api/billing/runs", HttpStatusCode.Forbidden },
        { "Cashier", "GET", "/api/reports/trial-balance", HttpStatusCode.Forbidden },
        { "Collector", "GET", "/api/reports/aging", HttpStatusCode.OK },
        { "Cashier", "GET", "/api/reports/trial-balance/period?from=2026-10-01&through=2026-10-31", HttpStatusCode.Forbidden },
        { "Cashier", "GET", "/api/reports/gl-export?from=2026-10-01&through=2026-10-31", HttpStatusCode.Forbidden },
        { "Clerk", "GET", "/api/reports/aging/past-due?format=xlsx", HttpStatusCode.Forbidden },
        { "Cashier", "GET", "/api/reports/cash-receipts?from=2026-10-01&through=2026-10-31", HttpStatusCode.Forbidden },
        { "Clerk", "GET", "/api/reports/monthly?month=2026-10", HttpStatusCode.Forbidden },
        { "Supervisor", "GET", "/api/reports/cash-receipts?from=2026-10-01&through=2026-10-31&format=csv", HttpStatusCode.OK },
        { "Supervisor", "GET", "/api/reports/monthly?month=2026-10&format=csv", HttpStatusCode.OK },
        { "Auditor", "GET", "/api/reports/aging/past-due?asOf=2026-09-30&format=xlsx", HttpStatusCode.OK },
        { "Supervisor", "GET", "/api/reports/gl-export?from=2026-10-01&through=2026-10-31&format=fixed", HttpStatusCode.OK },
        { "Collector", "POST", "/api/payments", HttpStatusCode.Forbidden },
        { "Collector", "GET", "/api/billing/runs", HttpStatusCode.Forbidden },
        { "Supervisor", "GET", "/api/accounts/00000018/audit", HttpStatusCode.OK },
        { "Supervisor", "POST", "/api/customers/1/identity-number/reveal", HttpStatusCode.OK },
        { "Admin", "GET", "/api/reports/trial-balance", HttpStatusCode.OK },
        { "Admin", "POST", "/api/billing/runs", HttpStatusCode.OK },
        { "Auditor", "GET", "/api/accounts/00000018/audit", HttpStatusCode.OK },
        { "Auditor", "POST", "/api/payments", HttpStatusCode.Forbidden },
        { "Auditor", "POST", "/api/customers/1/identity-number/reveal", HttpStatusCode.Forbidden },
        { "Clerk", "GET", "/api/reads/review", HttpStatusCode.OK },
        { "Clerk", "GET", "/api/meters/worklists", HttpStatusCode.OK },
        { "Cashier", "GET", "/api/reads/review", HttpStatusCode.Forbidden },
        { "Collector", "GET", "/api/routes/", HttpStatusCode.Forbidden },
        { "Auditor", "GET", "/api/meters/W0000001", HttpStatusCode.OK },
        { "Auditor", "POST", "/api/meters/exchange", HttpStatusCode.Forbidden },
    };

    [Theory]
    [MemberData(nameof(PermissionCases))]
    public async Task Each_role_can_do_what_its_permissions_allow_and_nothing_more(string role, string method, string path, HttpStatusCode expected)
    {
        var client = await factory.SignedInClientAsync(role);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Content = path switch
        {
            "/api/payments" => JsonContent.Create(new TakePaymentBody("00000018", "1.00", "money order", null)),
            "/api/billing/runs" => JsonContent.Create(new StartBillingRunRequest("C1", "2026-11-05")),
            "/api/customers/1/identity-number/reveal" => JsonContent.Create(new RevealIdentityNumberRequest("Permission test")),
            "/api/meters/exchange" => JsonContent.Create(new ExchangeMeterBody("W0000001", "N0000009", new DateOnly(2026, 11, 20), 1, 0)),
            _ => null,
        };
        var response = await client.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task A_payment_repeated_with_the_same_idempotency_key_posts_once()
    {
        var client = await factory.SignedInClientAsync("Cashier");
        var before = await BalanceAsync(client, "00000026");
        var key = Guid.NewGuid().ToString();
        var first = await PayAsync(client, new TakePaymentBody("00000026", "12.34", "check", "CK1001"), key);
        var second = await PayAsync(client, new TakePaymentBody("00000026", "12.34", "check", "CK1001"), key);

        Assert.Equal(first.ReceiptNumber, second.ReceiptNumber);
        Assert.False(first.AlreadyPosted);
        Assert.True(second.AlreadyPosted);
        Assert.Equal(before - 1234, await BalanceAsync(client, "00000026"));

        using var conflicting = new HttpRequestMessage(HttpMethod.Post, "/api/payments") { Content = JsonContent.Create(new TakePaymentBody("00000026", "99.00", "check", "CK1001")) };
        conflicting.Headers.Add("Idempotency-Key", key);
        var refused = await client.SendAsync(conflicting);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("Idempotency-Key", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before - 1234, await BalanceAsync(client, "00000026"));
    }

    [Fact]
    public async Task A_bad_amount_is_a_problem_details_response_naming_the_field()
    {
        var client = await factory.SignedInClientAsync("Cashier");
        var response = await client.PostAsJsonAsync("/api/payments", new TakePaymentBody("00000018", "12.345", "money order", null));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("amount", out _));

        var unknown = await client.PostAsJsonAsync("/api/payments", new TakePaymentBody("99999997", "5.00", "money order", null));
        using var unknownProblem = JsonDocument.Parse(await unknown.Content.ReadAsStringAsync());
        Assert.True(unknownProblem.RootElement.GetProperty("errors").TryGetProperty("accountNumber", out _));
    }

    [Fact]
    public async Task A_period_trial_balance_ties_in_json_and_downloads_as_csv_and_an_xlsx_with_the_same_totals()
    {
        var client = await factory.SignedInClientAsync("Supervisor");
        const string period = "/api/reports/trial-balance/period?from=2026-10-01&through=2026-10-31";

        var json = await client.GetFromJsonAsync<PeriodTrialBalanceResponse>(period, Json);
        using var csv = await client.GetAsync(new Uri(period + "&format=csv", UriKind.Relative));
        using var xlsx = await client.GetAsync(new Uri(period + "&format=xlsx", UriKind.Relative));
        using var backwards = await client.GetAsync(new Uri("/api/reports/trial-balance/period?from=2026-10-31&through=2026-10-01", UriKind.Relative));
        using var gl = await client.GetAsync(new Uri("/api/reports/gl-export?from=2026-10-01&through=2026-10-31", UriKind.Relative));

        Assert.True(json!.Balances && json.TiesToSubLedger);
        Assert.Equal(json.TotalDebitsCents, json.TotalCreditsCents);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var total = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries)[^1].Split(',');
        Assert.Equal(OpenCIS.Core.Common.Money.FromCents(json.TotalDebitsCents).ToPlainString(), total[5]);
        using var workbook = new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync());
        var sheet = OpenCIS.UseCases.Reports.ReportWorkbook.Read(workbook, "Trial balance 2026-10");
        Assert.Equal(json.TotalCreditsCents / 100m, decimal.Parse(sheet[^2][6], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(HttpStatusCode.BadRequest, backwards.StatusCode);
        Assert.Equal(HttpStatusCode.OK, gl.StatusCode);
        Assert.StartsWith("date,fund,department,gl_account", await gl.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_period_reports_screen_shows_the_tie_out_and_links_every_download()
    {
        var supervisor = await factory.SignedInClientAsync("Supervisor");
        var cashier = await factory.SignedInClientAsync("Cashier");

        var html = await supervisor.GetStringAsync(new Uri("/Reports/Finance?from=2026-10-01&through=2026-10-31&asOf=2026-09-30", UriKind.Relative));
        using var forbidden = await cashier.GetAsync(new Uri("/Reports/Finance", UriKind.Relative));

        Assert.Contains("Trial balance 2026-10-01 through 2026-10-31", html, StringComparison.Ordinal);
        Assert.Contains("Ties out to the cent", html, StringComparison.Ordinal);
        Assert.Contains("(rebuilt from postings)", html, StringComparison.Ordinal);
        foreach (var link in new[] { "trial-balance-csv", "trial-balance-xlsx", "gl-export-csv", "gl-export-fixed", "aging-xlsx", "aging-csv", "cash-receipts-csv", "monthly-csv" })
        {
            var start = html.IndexOf($"id=\"{link}\" href=\"", StringComparison.Ordinal);
            Assert.True(start >= 0, link);
            var href = html[(start + link.Length + 12)..];
            href = System.Net.WebUtility.HtmlDecode(href[..href.IndexOf('"', StringComparison.Ordinal)]);
            Assert.StartsWith("/api/reports/", href, StringComparison.Ordinal);
            using var download = await supervisor.GetAsync(new Uri(href, UriKind.Relative));
            Assert.True(download.StatusCode == HttpStatusCode.OK, $"{link} {href} {download.StatusCode}");
            Assert.NotEqual("text/html", download.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(HttpStatusCode.Redirect, forbidden.StatusCode);
        Assert.Equal("/AccessDenied", forbidden.Headers.Location?.AbsolutePath);
    }

    [Fact]
    public async Task Running_a_completed_billing_run_again_changes_nothing_and_says_so()
    {
        var client = await factory.SignedInClientAsync("Supervisor");
        var tieBefore = await client.GetFromJsonAsync<TrialBalanceResponse>("/api/reports/trial-balance", Json);
        var response = await client.PostAsJsonAsync("/api/billing/runs", new StartBillingRunRequest("C2", "2026-11-20"));
        response.EnsureSuccessStatusCode();
        var run = await response.Content.ReadFromJsonAsync<BillingRunResponse>(Json);
        Assert.True(run!.AlreadyCompleted);
        Assert.Contains("nothing was billed again", run.Message, StringComparison.Ordinal);
        var tieAfter = await client.GetFromJsonAsync<TrialBalanceResponse>("/api/reports/trial-balance", Json);
        Assert.Equal(tieBefore!.TotalDebitsCents, tieAfter!.TotalDebitsCents);
        Assert.True(tieAfter.Balances);
        Assert.True(tieAfter.TiesToSubLedger);
    }

    [Fact]
    public async Task A_malformed_payment_file_names_line_and_field_and_posts_nothing()
    {
        var client = await factory.SignedInClientAsync("Cashier");
        var supervisor = await factory.SignedInClientAsync("Supervisor");
        var before = await supervisor.GetFromJsonAsync<TrialBalanceResponse>("/api/reports/trial-balance", Json);
        using var form = new MultipartFormDataContent();
        var csv = "account,amount,date,tender,reference\n00000018,10.00,2026-11-21,cash,\n00000026,ten,2026-11-21,check,CK1\n";
        using var file = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(csv));
        form.Add(file, "file", "bad.csv");
        var response = await client.PostAsync(new Uri("/api/payments/files", UriKind.Relative), form);
        var outcome = await JobPolling.ResultAsync<PaymentFileResult>(client, response);
        Assert.False(outcome.Posted);
        var error = Assert.Single(outcome.Errors);
        Assert.Equal(3, error.Line);
        Assert.Equal("amount", error.Field);
        Assert.Equal("bad.csv", error.FileName);
        var after = await supervisor.GetFromJsonAsync<TrialBalanceResponse>("/api/reports/trial-balance", Json);
        Assert.Equal(before!.TotalDebitsCents, after!.TotalDebitsCents);
    }

    [Fact]
    public async Task A_clerk_corrects_a_customers_address_and_a_supervisor_sees_before_after_and_why()
    {
        var clerk = await factory.SignedInClientAsync("Clerk");
        using var account = JsonDocument.Parse(await clerk.GetStringAsync(new Uri("/api/accounts/00000042", UriKind.Relative)));
        var main = account.RootElement.GetProperty("customers").EnumerateArray().First(c => c.GetProperty("role").GetString() == "Main");
        var customerId = main.GetProperty("customerId").GetInt64();
        var oldLine = main.GetProperty("contact").GetProperty("mailingLine1").GetString();
        var contact = new OpenCIS.UseCases.Customers.CustomerContact(main.GetProperty("name").GetString()!, null, "541-555-0199", "PO Box 77", "Riverbend", "or", "97401");
        var response = await clerk.PutAsJsonAsync($"/api/customers/{customerId}/contact", new ChangeContactRequest(contact, "Customer moved; called in"));
        response.EnsureSuccessStatusCode();

        var supervisor = await factory.SignedInClientAsync("Supervisor");
        using var audit = JsonDocument.Parse(await supervisor.GetStringAsync(new Uri("/api/accounts/00000042/audit", UriKind.Relative)));
        var entry = audit.RootElement.EnumerateArray().First(e => e.GetProperty("action").GetString() == "Change contact details");
        Assert.Equal("clerk", entry.GetProperty("user").GetString());
        Assert.Equal("Customer moved; called in", entry.GetProperty("reason").GetString());
        Assert.Contains(oldLine!, entry.GetProperty("before").GetString(), StringComparison.Ordinal);
        Assert.Contains("PO Box 77", entry.GetProperty("after").GetString(), StringComparison.Ordinal);
        Assert.Contains("\"OR\"", entry.GetProperty("after").GetString(), StringComparison.Ordinal);

        var noReason = await clerk.PutAsJsonAsync($"/api/customers/{customerId}/contact", new ChangeContactRequest(contact with { MailingLine1 = "PO Box 78" }, ""));
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("reason", await noReason.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fifty_concurrent_payments_to_one_account_each_post_once_with_their_own_receipt()
    {
        var client = await factory.SignedInClientAsync("Cashier");
        var before = await BalanceAsync(client, "00000059");
        var receipts = await Task.WhenAll(Enumerable.Range(1, 50).Select(i =>
            PayAsync(client, new TakePaymentBody("00000059", "1.00", "money order", null), $"concurrent-{i}")));

        Assert.Equal(50, receipts.Select(r => r.ReceiptNumber).Distinct().Count());
        Assert.All(receipts, r => Assert.False(r.AlreadyPosted));
        Assert.Equal(before - 5000, await BalanceAsync(client, "00000059"));
        // Each receipt's new balance is a different step of the same sequence: no two saw the same balance.
        Assert.Equal(50, receipts.Select(r => r.NewBalance).Distinct().Count());
    }

    [Fact]
    public async Task Search_finds_an_account_by_number_customer_name_service_address_meter_serial_phone_and_parcel()
    {
        var client = await factory.SignedInClientAsync("Collector");
        using var account = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/accounts/00000034", UriKind.Relative)));
        var name = account.RootElement.GetProperty("customers")[0].GetProperty("name").GetString()!;
        var street = account.RootElement.GetProperty("serviceAddress").GetString()!.Split(',')[0];
        var serial = account.RootElement.GetProperty("services").EnumerateArray().Select(s => s.GetProperty("meterSerial").GetString()).First(s => s is not null)!;

        var phone = account.RootElement.GetProperty("customers")[0].GetProperty("phone").GetString()!;
        var parcel = account.RootElement.GetProperty("parcelId").GetString()!;
        var punctuated = new string([.. phone.Where(char.IsAsciiDigit)]) is { Length: 10 } d ? $"({d[..3]}) {d[3..6]} {d[6..]}" : phone;
        foreach (var query in new[] { "00000034", name.ToUpperInvariant(), street[..Math.Min(street.Length, 12)].ToLowerInvariant(), serial, punctuated, parcel })
        {
            var results = await client.GetFromJsonAsync<List<OpenCIS.UseCases.Customers.AccountSearchResult>>($"/api/accounts?q={Uri.EscapeDataString(query)}", Json);
            Assert.Contains(results!, r => r.AccountNumber == "00000034");
        }

        var tooShort = await client.GetAsync(new Uri("/api/accounts?q=a", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
    }

    private static async Task<long> BalanceAsync(HttpClient client, string accountNumber)
    {
        using var account = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/api/accounts/{accountNumber}", UriKind.Relative)));
        return account.RootElement.GetProperty("balanceCents").GetInt64();
    }

    private static async Task<ReceiptResponse> PayAsync(HttpClient client, TakePaymentBody body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ReceiptResponse>(Json))!;
    }
}
