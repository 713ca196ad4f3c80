using System.Net;
using System.Net.Http.Json;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;
using OpenCIS.UseCases.Payments;
using OpenCIS.Web.Api;
using static OpenCIS.Tests.Web.ApiRequests;

namespace OpenCIS.Tests.Web;

/// <summary>Regression tests for the findings of the production-hardening probe (issue 14), one or more per finding.</summary>
public sealed class HardeningApiTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    private const string CardNumber = "4111 1111 1111 1111";

    [Fact]
    public async Task Cash_through_the_api_is_refused_because_cash_enters_only_through_a_drawer()
    {
        var cashier = await factory.SignedInClientAsync("Cashier");
        var response = await PostAsync(cashier, "/api/payments", new TakePaymentBody("00000018", "5.00", "cash", null), Guid.NewGuid().ToString());
        Assert.Equal("tender", await ProblemFieldAsync(response));
        var money = await PostAsync(cashier, "/api/payments", new TakePaymentBody("00000018", "5.00", "money order", null), Guid.NewGuid().ToString());
        money.EnsureSuccessStatusCode();
    }

    [Theory]
    [InlineData("4111 1111 1111 1111")]
    [InlineData("card 5500-0000-0000-0004")]
    [InlineData("378282246310005")]
    public async Task A_card_number_as_a_payments_reference_is_refused_and_never_stored(string reference)
    {
        var cashier = await factory.SignedInClientAsync("Cashier");
        var response = await PostAsync(cashier, "/api/payments", new TakePaymentBody("00000018", "5.00", "card", reference), Guid.NewGuid().ToString());
        Assert.Equal("reference", await ProblemFieldAsync(response));
    }

    [Fact]
    public async Task A_payment_file_or_lockbox_file_carrying_a_card_number_is_refused_naming_its_line()
    {
        var cashier = await factory.SignedInClientAsync("Cashier");
        var csv = $"account,amount,date,tender,reference\n00000018,10.00,2026-11-21,check,CK1\n00000026,12.00,2026-11-21,card,{CardNumber}\n";
        using (var form = Upload(csv, "cards.csv"))
        {
            var outcome = await JobPolling.ResultAsync<PaymentFileResult>(cashier, await cashier.PostAsync(new Uri("/api/payments/files", UriKind.Relative), form));
            Assert.False(outcome.Posted);
            var error = Assert.Single(outcome.Errors);
            Assert.Equal((3, "reference"), (error.Line, error.Field));
        }

        using (var lockbox = Upload(csv, "cards-lockbox.csv", "csv"))
        {
            var outcome = await JobPolling.ResultAsync<LockboxResult>(cashier, await cashier.PostAsync(new Uri("/api/payments/lockbox", UriKind.Relative), lockbox));
            Assert.False(outcome.Posted);
            Assert.Contains(outcome.Errors, e => e.Line == 3 && e.Field == "reference");
        }

        var bai2 = Bai2Writer.Write("121000248", "RIVERBEND", new DateTime(2026, 11, 21, 6, 0, 0), "9", new DateOnly(2026, 11, 21),
            [new Bai2Account("5550001", [new Bai2Item(Money.FromCents(1500), "00000018", "4111111111111111")])]);
        using (var form = Upload(bai2, "cards.bai", "bai2"))
        {
            var outcome = await JobPolling.ResultAsync<LockboxResult>(cashier, await cashier.PostAsync(new Uri("/api/payments/lockbox", UriKind.Relative), form));
            Assert.False(outcome.Posted);
            Assert.Contains(outcome.Errors, e => e.Field == "bank reference number" && e.Line > 0);
        }
    }

    [Fact]
    public async Task A_card_number_is_not_a_bank_account_for_autopay()
    {
        var clerk = await factory.SignedInClientAsync("Clerk");
        var response = await clerk.PostAsJsonAsync(new Uri("/api/ach/enrollments", UriKind.Relative), new AchEnrollmentBody("00000034", "021000021", "4111111111111111", "checking", "ppd", "Pat Customer"));
        Assert.Equal("dfiAccountNumber", await ProblemFieldAsync(response));
    }

    [Fact]
    public async Task An_upload_without_the_api_header_or_from_another_origin_is_refused()
    {
        var cashier = await factory.SignedInClientAsync("Cashier");
        cashier.DefaultRequestHeaders.Remove(OpenCIS.Web.Security.CrossSiteRequestFilter.Header);
        using (var form = Upload("account,amount,date,tender,reference\n00000018,1.00,2026-11-21,check,CK9\n", "forged.csv"))
        {
            var response = await cashier.PostAsync(new Uri("/api/payments/files", UriKind.Relative), form);
            Assert.Equal("X-Requested-With", await ProblemFieldAsync(response));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments") { Content = JsonContent.Create(new TakePaymentBody("00000018", "1.00", "money order", null)) };
        request.Headers.Add("Origin", "https://evil.example");
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.Forbidden, (await cashier.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task Dates_out_of_range_and_impossible_years_are_400s_naming_the_field_not_500s()
    {
        var admin = await factory.SignedInClientAsync("Admin");
        Assert.Equal("year", await ProblemFieldAsync(await admin.GetAsync(new Uri("/api/billing/holidays?year=0", UriKind.Relative))));
        Assert.Equal("month", await ProblemFieldAsync(await admin.GetAsync(new Uri("/api/reports/monthly?month=9999-12", UriKind.Relative))));
        Assert.Equal("date", await ProblemFieldAsync(await PostAsync(admin, "/api/ach/files", new AchFileBody(new DateOnly(9999, 12, 31)))));
        Assert.Equal("asOf", await ProblemFieldAsync(await admin.GetAsync(new Uri("/api/reports/aging/past-due?asOf=0001-01-01", UriKind.Relative))));
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(new Uri("/api/billing/holidays?year=2026", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task A_gl_account_named_as_a_formula_is_exported_as_text_in_every_csv()
    {
        var admin = await factory.SignedInClientAsync("Admin");
        const string Formula = "=HYPERLINK(\"http://evil.example\",\"Water\")";
        using (var chart = System.Text.Json.JsonDocument.Parse(await admin.GetStringAsync(new Uri("/api/ledger/chart", UriKind.Relative))))
        {
            var water = chart.RootElement.EnumerateArray().Single(a => a.GetProperty("code").GetString() == "4100");
            string Text(string name) => water.GetProperty(name).GetString()!;
            (await admin.PutAsJsonAsync(new Uri("/api/ledger/chart/4100", UriKind.Relative), new GlAccountBody(Formula, Text("fundCode"), Text("fundName"), Text("department")))).EnsureSuccessStatusCode();
        }

        foreach (var path in new[] { "/api/reports/trial-balance/period?from=2025-01-01&through=2027-12-31&format=csv", "/api/reports/gl-export?from=2025-01-01&through=2027-12-31&format=csv" })
        {
            var csv = await admin.GetStringAsync(new Uri(path, UriKind.Relative));
            var fields = OpenCIS.Tests.Properties.HardeningProperties.Rows(csv).SelectMany(r => r).ToList();

            Assert.Contains("'" + Formula, fields);
            Assert.DoesNotContain(fields, f => f.Length > 0 && f[0] is '=' or '+' or '@');
        }
    }

    [Fact]
    public async Task Signing_out_ends_the_session_on_the_server_so_a_copied_cookie_no_longer_works()
    {
        var auditor = await factory.SignedInClientAsync("Auditor");
        var home = await auditor.GetStringAsync(new Uri("/", UriKind.Relative));
        var token = System.Text.RegularExpressions.Regex.Match(home, "\"RequestVerificationToken\": \"([^\"]+)\"").Groups[1].Value;
        using var copy = factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        var cookieHeader = await CookieHeaderAsync(auditor);
        copy.DefaultRequestHeaders.Add("Cookie", cookieHeader);
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync(new Uri("/api/billing/runs", UriKind.Relative))).StatusCode);

        using var logout = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token });
        Assert.Equal(HttpStatusCode.Redirect, (await auditor.PostAsync(new Uri("/Logout", UriKind.Relative), logout)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await copy.GetAsync(new Uri("/api/billing/runs", UriKind.Relative))).StatusCode);
    }

    /// <summary>The cookies the signed-in client would send, read back from a request it makes.</summary>
    private static async Task<string> CookieHeaderAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/billing/runs");
        var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return string.Join("; ", response.RequestMessage!.Headers.TryGetValues("Cookie", out var values) ? values : []);
    }

    /// <summary>A $9,000 money order on a small balance: the drawer asks for confirmation first, through the API as on screen.</summary>
    [Fact]
    public async Task Through_the_api_a_large_overpayment_needs_confirming_too()
    {
        var cashier = await factory.SignedInClientAsync("Supervisor");
        (await cashier.PostAsJsonAsync(new Uri("/api/drawers", UriKind.Relative), new OpenDrawerBody("0.00"))).EnsureSuccessStatusCode();
        var body = new DrawerPaymentBody("00000026", "9000.00", [new TenderBody("money order", "9000.00", "MO-77", null, null)]);
        Assert.Equal("confirmed", await ProblemFieldAsync(await PostAsync(cashier, "/api/drawers/current/payments", body, Guid.NewGuid().ToString())));
        (await PostAsync(cashier, "/api/drawers/current/payments", body with { Confirmed = true }, Guid.NewGuid().ToString())).EnsureSuccessStatusCode();
    }

    private static MultipartFormDataContent Upload(string text, string name, string? format = null)
    {
#pragma warning disable CA2000 // the form owns its parts and disposes them with itself
        var form = new MultipartFormDataContent { { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(text)), "file", name } };
        if (format is not null)
        {
            form.Add(new StringContent(format), "format");
        }
#pragma warning restore CA2000
        return form;
    }
}
