using OpenCIS.UseCases.Payments;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenCIS.Core.Common;
using OpenCIS.Core.Customers;
using OpenCIS.Core.Payments;
using OpenCIS.Web.Api;

namespace OpenCIS.Tests.Web;

public sealed class LockboxApiTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static MultipartFormDataContent Form(string text, string format, string name)
    {
        // The form owns its parts: the caller disposes the form, which disposes them; the dispose
        // analysis cannot follow ownership through Add.
#pragma warning disable CA2000
        return new MultipartFormDataContent
        {
            { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(text)), "file", name },
            { new StringContent(format), "format" },
        };
#pragma warning restore CA2000
    }

    [Fact]
    public async Task A_cashier_imports_a_lockbox_file_and_a_clerk_posts_its_unknown_item_to_the_right_account()
    {
        var unknown = AccountNumbers.Create(9_999_005);
        var text = Bai2Writer.Write("121000248", "RIVERBEND", new DateTime(2026, 11, 21, 6, 0, 0), "5", new DateOnly(2026, 11, 21),
            [new Bai2Account("5550001", [new Bai2Item(Money.FromCents(1500), "00000018", "CHK1"), new Bai2Item(Money.FromCents(2750), unknown, "CHK2")])]);
        var cashier = await factory.SignedInClientAsync("Cashier");
        var clerk = await factory.SignedInClientAsync("Clerk");
        var collector = await factory.SignedInClientAsync("Collector");

        using (var refused = Form(text, "bai2", "api.bai"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await clerk.PostAsync(new Uri("/api/payments/lockbox", UriKind.Relative), refused)).StatusCode);
        }

        using var form = Form(text, "bai2", "api.bai");
        var response = await cashier.PostAsync(new Uri("/api/payments/lockbox", UriKind.Relative), form);
        var outcome = await JobPolling.ResultAsync<LockboxResult>(cashier, response);
        Assert.True(outcome.Posted, outcome.Message);
        Assert.Equal((1, "15.00", 1, "27.50"), (outcome.PaymentCount, outcome.PostedTotal, outcome.SuspenseCount, outcome.SuspenseTotal));

        Assert.Equal(HttpStatusCode.Forbidden, (await collector.GetAsync(new Uri("/api/payments/suspense", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await cashier.GetAsync(new Uri("/api/payments/suspense", UriKind.Relative))).StatusCode);
        var queue = await clerk.GetFromJsonAsync<List<SuspenseItemResponse>>("/api/payments/suspense", Json);
        var item = Assert.Single(queue!, q => q.AccountReference == unknown);
        Assert.Equal(("UnknownAccount", "27.50", 5), (item.Reason, item.Amount, item.RecordNumber));

        var noAccount = await clerk.PostAsJsonAsync($"/api/payments/suspense/{item.Id}/resolve", new ResolveSuspenseBody("99999997", null));
        Assert.Equal(HttpStatusCode.BadRequest, noAccount.StatusCode);
        async Task<HttpResponseMessage> ResolveAsync(ResolveSuspenseBody request)
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, $"/api/payments/suspense/{item.Id}/resolve") { Content = JsonContent.Create(request) };
            message.Headers.Add("Idempotency-Key", $"resolve-{item.Id}");
            return await clerk.SendAsync(message);
        }

        var resolved = await ResolveAsync(new ResolveSuspenseBody("00000018", "payer called"));
        resolved.EnsureSuccessStatusCode();
        var firstAnswer = await resolved.Content.ReadAsStringAsync();
        var body = System.Text.Json.JsonSerializer.Deserialize<SuspenseItemResponse>(firstAnswer, Json);
        // Retried with its key (the answer was lost on the way): the same answer, nothing posted again.
        var retried = await ResolveAsync(new ResolveSuspenseBody("00000018", "payer called"));
        Assert.Equal((HttpStatusCode.OK, firstAnswer), (retried.StatusCode, await retried.Content.ReadAsStringAsync()));
        var misused = await ResolveAsync(new ResolveSuspenseBody("00000026", "payer called"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, misused.StatusCode);
        Assert.Contains("Idempotency-Key", await misused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(("Resolved", "00000018", "clerk"), (body!.Status, body.ResolvedAccountNumber, body.ResolvedBy));
        Assert.StartsWith("R", body.ReceiptNumber, StringComparison.Ordinal);
        var twice = await clerk.PostAsJsonAsync($"/api/payments/suspense/{item.Id}/resolve", new ResolveSuspenseBody("00000018", null));
        Assert.Equal(HttpStatusCode.BadRequest, twice.StatusCode);

        using var bad = Form(text.Replace("98,4250,", "98,4251,", StringComparison.Ordinal), "bai2", "bad.bai");
        var badOutcome = await JobPolling.ResultAsync<LockboxResult>(cashier, await cashier.PostAsync(new Uri("/api/payments/lockbox", UriKind.Relative), bad));
        Assert.False(badOutcome.Posted);
        Assert.Contains(badOutcome.Errors, e => e.Line == 7 && e.Field == "group control total");
    }

    [Fact]
    public async Task The_payment_files_screen_offers_bai2_and_the_suspense_screen_is_for_clerks()
    {
        var cashier = await factory.SignedInClientAsync("Cashier");
        var clerk = await factory.SignedInClientAsync("Clerk");

        Assert.Contains("Bank lockbox file, BAI2", await cashier.GetStringAsync(new Uri("/Payments/Files", UriKind.Relative)), StringComparison.Ordinal);
        Assert.Contains("Suspense queue", await clerk.GetStringAsync(new Uri("/Payments/Suspense", UriKind.Relative)), StringComparison.Ordinal);
        var refused = await factory.CreateClient(new() { AllowAutoRedirect = false }).GetAsync(new Uri("/Payments/Suspense", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Equal("/Login", refused.Headers.Location?.AbsolutePath);
    }
}
