using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenCIS.Web.Api;

namespace OpenCIS.Tests.Web;

public sealed class ReturnedPaymentApiTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static Task<HttpResponseMessage> ReturnAsync(HttpClient client, string receipt, ReturnPaymentBody body, string? key) =>
        ApiRequests.PostAsync(client, $"/api/payments/{receipt}/return", body, key);

    [Fact]
    public async Task A_returned_check_posts_once_per_idempotency_key_and_a_reused_key_with_another_body_is_422()
    {
        var cashier = await factory.SignedInClientAsync("Cashier");
        var clerk = await factory.SignedInClientAsync("Clerk");
        var paid = await (await cashier.PostAsJsonAsync("/api/payments", new TakePaymentBody("00000042", "30.00", "check", "CK7001"))).Content.ReadFromJsonAsync<ReceiptResponse>(Json);
        var key = Guid.NewGuid().ToString();

        var forbidden = await ReturnAsync(cashier, paid!.ReceiptNumber, new ReturnPaymentBody("NSF", null), key);
        var first = await ReturnAsync(clerk, paid.ReceiptNumber, new ReturnPaymentBody("NSF", "BANK-1"), key);
        var repeated = await ReturnAsync(clerk, paid.ReceiptNumber, new ReturnPaymentBody("NSF", "BANK-1"), key);
        var reusedKey = await ReturnAsync(clerk, paid.ReceiptNumber, new ReturnPaymentBody("stop payment", "BANK-1"), key);
        var otherKey = await ReturnAsync(clerk, paid.ReceiptNumber, new ReturnPaymentBody("NSF", "BANK-1"), Guid.NewGuid().ToString());
        var badReason = await ReturnAsync(clerk, paid.ReceiptNumber, new ReturnPaymentBody("lost in the mail", null), null);
        var unknown = await ReturnAsync(clerk, "R99999999", new ReturnPaymentBody("NSF", null), null);

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var returned = await first.Content.ReadFromJsonAsync<PaymentReturnResponse>(Json);
        var again = await repeated.Content.ReadFromJsonAsync<PaymentReturnResponse>(Json);
        Assert.Equal((paid.ReceiptNumber, "30.00", "25.00", "Nsf", false), (returned!.ReceiptNumber, returned.Amount, returned.Fee, returned.Reason, returned.AlreadyReturned));
        Assert.Equal((returned.ReturnId, returned.NewBalance, true), (again!.ReturnId, again.NewBalance, again.AlreadyReturned));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reusedKey.StatusCode);
        Assert.Contains("Idempotency-Key", await reusedKey.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, otherKey.StatusCode);
        Assert.Contains($"{paid.ReceiptNumber} was already returned", await otherKey.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badReason.StatusCode);
        Assert.Contains("reason", await badReason.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("R99999999", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
