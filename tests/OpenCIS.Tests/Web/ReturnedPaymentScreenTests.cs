using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using OpenCIS.Web.Api;

namespace OpenCIS.Tests.Web;

/// <summary>The return screen over HTTP: find by receipt, confirm once; the account's payment history links to it.</summary>
public sealed partial class ReturnedPaymentScreenTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task A_clerk_finds_a_payment_by_receipt_returns_it_once_and_the_account_history_links_to_the_screen()
    {
        var cashier = await factory.SignedInClientAsync("Cashier");
        var clerk = await factory.SignedInClientAsync("Clerk");
        var paid = await (await cashier.PostAsJsonAsync("/api/payments", new TakePaymentBody("00000034", "20.00", "check", "CK8800"))).Content.ReadFromJsonAsync<ReceiptResponse>(Json);

        var found = await clerk.GetStringAsync(new Uri($"/Payments/Return?receipt={paid!.ReceiptNumber}", UriKind.Relative));
        var token = AntiforgeryToken().Match(found).Groups[1].Value;
        var key = IdempotencyKey().Match(found).Groups[1].Value;
        FormUrlEncodedContent Form() => new(new Dictionary<string, string>
        {
            ["receipt"] = paid.ReceiptNumber, ["reason"] = "Nsf", ["bankReference"] = "NOTICE-5", ["idempotencyKey"] = key, ["__RequestVerificationToken"] = token,
        });
        using var first = Form();
        using var second = Form();
        var confirmed = await (await clerk.PostAsync(new Uri($"/Payments/Return?receipt={paid.ReceiptNumber}", UriKind.Relative), first)).Content.ReadAsStringAsync();
        var pressedTwice = await (await clerk.PostAsync(new Uri($"/Payments/Return?receipt={paid.ReceiptNumber}", UriKind.Relative), second)).Content.ReadAsStringAsync();
        var history = await clerk.GetStringAsync(new Uri("/Accounts/00000034", UriKind.Relative));
        var cashierScreen = await cashier.GetAsync(new Uri("/Payments/Return", UriKind.Relative));

        Assert.Contains("id=\"confirm-return\"", found, StringComparison.Ordinal);
        Assert.Contains("$20.00", found, StringComparison.Ordinal);
        Assert.Contains("id=\"return-outcome\"", confirmed, StringComparison.Ordinal);
        Assert.Contains("NOTICE-5", confirmed, StringComparison.Ordinal);
        Assert.Contains("id=\"already-returned\"", confirmed, StringComparison.Ordinal);
        Assert.Contains("nothing was posted again", pressedTwice, StringComparison.Ordinal);
        Assert.Contains($"/Payments/Return?receipt={paid.ReceiptNumber}", history, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, cashierScreen.StatusCode);
        Assert.Equal("/AccessDenied", cashierScreen.Headers.Location?.AbsolutePath);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [GeneratedRegex("name=\"idempotencyKey\" value=\"([^\"]+)\"")]
    private static partial Regex IdempotencyKey();
}
