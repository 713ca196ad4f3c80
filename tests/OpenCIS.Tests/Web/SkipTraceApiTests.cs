using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OpenCIS.Core.Customers;

using static OpenCIS.Tests.Web.ApiRequests;

namespace OpenCIS.Tests.Web;

/// <summary>
/// Skip tracing through the API on the demo city: the mail room's returned-mail file (a bad line marks nothing and is named; a
/// good one stops the mail), a collector's alternate address made the one on file, a phone marked failed and cleared, each by its
/// permission: a cashier reads but does not trace, a collector traces but does not import files.
/// </summary>
public sealed class SkipTraceApiTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    [Fact]
    public async Task Returned_mail_stops_the_mail_and_an_alternate_address_made_the_one_on_file_starts_it_again()
    {
        var number = AccountNumbers.Create(23);
        var clerk = await factory.SignedInClientAsync("Clerk");
        var collector = await factory.SignedInClientAsync("Collector");
        var cashier = await factory.SignedInClientAsync("Cashier");

        // A bad file is refused whole, line and field named; a collector may not import one at all.
        var refused = await ImportAsync(clerk, "returned.csv", $"account_number,returned_on,reason\n{number},2026-11-20,Moved\n{number},someday,Moved\n");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("problems").EnumerateArray().Single();
        Assert.Equal((3, "returned_on"), (problem.GetProperty("line").GetInt32(), problem.GetProperty("field").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, (await ImportAsync(collector, "returned.csv", $"account_number,returned_on,reason\n{number},2026-11-20,Moved\n")).StatusCode);
        Assert.Equal("Mail", (await cashier.GetFromJsonAsync<JsonElement>(Url(number))).GetProperty("noticesGoBy").GetString());

        var imported = await (await ImportAsync(clerk, "returned.csv", $"account_number,returned_on,reason\n{number},2026-11-20,Moved\n")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, imported.GetProperty("marked").GetInt32());
        var trace = await cashier.GetFromJsonAsync<JsonElement>(Url(number));
        var address = trace.GetProperty("onFile").EnumerateArray().Single(c => c.GetProperty("channel").GetString() == "Address");
        Assert.Equal("Moved", address.GetProperty("failure").GetProperty("reason").GetString());
        Assert.NotEqual("Mail", trace.GetProperty("noticesGoBy").GetString());
        Assert.Equal("returned.csv", trace.GetProperty("returnedMail").EnumerateArray().Single().GetProperty("fileName").GetString());

        // A cashier may not trace; a collector adds the bureau's address (a bad channel is named) and makes it the one on file.
        var bureau = new { channel = "address", value = "77 Cedar Ln", city = "Riverbend", state = "OR", zip = "97404", source = "Credit bureau" };
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(cashier, $"{Url(number)}/alternates", bureau)).StatusCode);
        Assert.Equal("channel", await ProblemFieldAsync(await PostAsync(collector, $"{Url(number)}/alternates", bureau with { channel = "fax" })));
        var added = await (await PostAsync(collector, $"{Url(number)}/alternates", bureau)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("77 Cedar Ln, Riverbend, OR 97404", added.GetProperty("display").GetString());
        var promoted = await (await PostAsync(collector, $"{Url(number)}/alternates/{added.GetProperty("id").GetInt64()}/promote", new { })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Mail", promoted.GetProperty("noticesGoBy").GetString());
        Assert.Equal("77 Cedar Ln, Riverbend, OR 97404", promoted.GetProperty("onFile")[0].GetProperty("value").GetString());
        Assert.Equal(JsonValueKind.Null, promoted.GetProperty("onFile")[0].GetProperty("failure").ValueKind);

        // The phone on file marked failed with its reason, then cleared; the alert strip shows it between.
        Assert.Equal("reason", await ProblemFieldAsync(await PostAsync(collector, $"{Url(number)}/failures", new { channel = "phone", reason = "" })));
        var failed = await PostAsync(collector, $"{Url(number)}/failures", new { channel = "phone", reason = "Disconnected number" });
        Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        var alerts = await cashier.GetStringAsync(new Uri($"/api/accounts/{number}/alerts", UriKind.Relative));
        Assert.Contains(AccountAlerts.PhoneFailed, alerts, StringComparison.Ordinal);
        var cleared = await (await PostAsync(collector, $"{Url(number)}/failures/phone/clear", new { reason = "Customer called from it" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("onFile")[1].GetProperty("failure").ValueKind);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().GetAsync(new Uri(Url(number), UriKind.Relative))).StatusCode);
        Assert.Equal("accountNumber", await ProblemFieldAsync(await cashier.GetAsync(new Uri(Url("99999999"), UriKind.Relative))));
    }

    private static string Url(string number) => $"/api/accounts/{number}/skip-trace";

    private static async Task<HttpResponseMessage> ImportAsync(HttpClient client, string name, string text)
    {
        using var content = new MultipartFormDataContent();
        using var file = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        content.Add(file, "file", name);
        return await client.PostAsync(new Uri("/api/returned-mail", UriKind.Relative), content);
    }
}
