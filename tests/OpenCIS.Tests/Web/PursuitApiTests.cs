using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Core.Customers;
using OpenCIS.Storage;

using static OpenCIS.Tests.Web.ApiRequests;

namespace OpenCIS.Tests.Web;

/// <summary>
/// Final-bill pursuit through the API on the demo city: a Supervisor sets up the agency; a collector refers a final account by hand,
/// once, and sends the placement file; a cashier posts the agency's payment file (a bad one posts nothing and names its line);
/// the collector recalls; each step by its permission.
/// </summary>
public sealed class PursuitApiTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    [Fact]
    public async Task An_agency_is_set_up_a_final_account_referred_sent_paid_through_the_agency_file_and_recalled_each_by_its_permission()
    {
        // A customer who moved out owes 140.00 on the final bill (set up in the database, as the stop-service use case leaves it).
        var number = AccountNumbers.Create(14);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            await OpenCIS.Tests.Persistence.FinalAccounts.OweAsync(scope.ServiceProvider.GetRequiredService<OpenCisDbContext>(), number, Money.FromCents(140_00));
        }

        var supervisor = await factory.SignedInClientAsync("Supervisor");
        var collector = await factory.SignedInClientAsync("Collector");
        var cashier = await factory.SignedInClientAsync("Cashier");
        var auditor = await factory.SignedInClientAsync("Auditor");
        var agency = new { name = "Cascade Recovery Services", kind = "agency", commissionPercent = "25", remittance = "net", contact = "PO Box 4410, Salem, OR", active = true };
        Assert.Equal(HttpStatusCode.Forbidden, (await collector.PutAsJsonAsync(new Uri("/api/collection-agencies/CRS", UriKind.Relative), agency)).StatusCode);
        Assert.Equal("commissionPercent", await ProblemFieldAsync(await supervisor.PutAsJsonAsync(new Uri("/api/collection-agencies/CRS", UriKind.Relative), agency with { commissionPercent = "125" })));
        Assert.Equal("code", await ProblemFieldAsync(await supervisor.PutAsJsonAsync(new Uri("/api/collection-agencies/C R S", UriKind.Relative), agency)));
        Assert.Equal(HttpStatusCode.OK, (await supervisor.PutAsJsonAsync(new Uri("/api/collection-agencies/crs", UriKind.Relative), agency)).StatusCode);
        var listed = (await auditor.GetFromJsonAsync<JsonElement>(new Uri("/api/collection-agencies", UriKind.Relative))).EnumerateArray().Single();
        Assert.Equal(("CRS", "25", "Net"), (listed.GetProperty("code").GetString(), listed.GetProperty("commissionPercent").GetString(), listed.GetProperty("remittance").GetString()));

        // Referred by hand: an active account is refused; the final one goes once; an auditor may not refer.
        var refer = new { accountNumber = number, agency = "CRS", reason = "Moved out of state; no forwarding address" };
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(auditor, "/api/referrals", refer)).StatusCode);
        Assert.Equal("accountNumber", await ProblemFieldAsync(await PostAsync(collector, "/api/referrals", refer with { accountNumber = AccountNumbers.Create(3) })));
        var referred = await (await PostAsync(collector, "/api/referrals", refer)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((await (await PostAsync(collector, "/api/referrals", refer)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("alreadyDone").GetBoolean());
        var referral = referred.GetProperty("referral");
        var id = referral.GetProperty("id").GetInt64();
        Assert.Equal(("Open", "140.00"), (referral.GetProperty("status").GetString(), referral.GetProperty("referred").GetString()));

        // The placement file carries it once, and reads back as sent.
        var file = await (await PostAsync(collector, "/api/collection-agencies/CRS/placement-files", new { })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((1, "140.00"), (file.GetProperty("placements").GetInt32(), file.GetProperty("placed").GetString()));
        Assert.Equal(0, (await (await PostAsync(collector, "/api/collection-agencies/CRS/placement-files", new { })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64());
        var csv = await auditor.GetStringAsync(new Uri($"/api/placement-files/{file.GetProperty("id").GetInt64()}", UriKind.Relative));
        Assert.StartsWith($"PLACE,{id},{number},", csv.Split("\r\n")[1], StringComparison.Ordinal);

        // The agency's payment file: a collector may not post it; a bad amount posts nothing and names line 2; then 40.00 with 10.00 commission kept.
        Assert.Equal(HttpStatusCode.Forbidden, (await UploadAsync(collector, $"{id},{number},2026-11-22,40.00,R-1")).StatusCode);
        var bad = await UploadAsync(cashier, $"{id},{number},2026-11-22,forty,R-1");
        Assert.Equal("amount", await ProblemFieldAsync(bad));
        var posted = await (await UploadAsync(cashier, $"{id},{number},2026-11-22,40.00,R-1")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((true, "40.00", "10.00", "30.00"), (posted.GetProperty("posted").GetBoolean(), posted.GetProperty("collected").GetString(),
            posted.GetProperty("commission").GetString(), posted.GetProperty("remitted").GetString()));
        Assert.True((await (await UploadAsync(cashier, $"{id},{number},2026-11-22,40.00,R-1")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("alreadyImported").GetBoolean());

        // Recalled with its reason; the list shows it recalled, with what was collected and the balance now.
        Assert.Equal("reason", await ProblemFieldAsync(await PostAsync(collector, $"/api/referrals/{id}/recall", new { reason = " " })));
        var recalled = await (await PostAsync(collector, $"/api/referrals/{id}/recall", new { reason = "Customer set up a payment plan with the city" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Recalled", recalled.GetProperty("referral").GetProperty("status").GetString());
        var row = (await auditor.GetFromJsonAsync<JsonElement>(new Uri("/api/referrals?status=recalled", UriKind.Relative))).EnumerateArray().Single();
        Assert.Equal(("40.00", "10.00", "100.00"), (row.GetProperty("collected").GetString(), row.GetProperty("commission").GetString(), row.GetProperty("balanceNow").GetString()));
        Assert.Equal("status", await ProblemFieldAsync(await auditor.GetAsync(new Uri("/api/referrals?status=lost", UriKind.Relative))));

        // The pursuit by hand: a collector may run it (no policy here has a pursuit), an auditor may not.
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(auditor, "/api/pursuit/runs", new { })).StatusCode);
        var run = await (await PostAsync(collector, "/api/pursuit/runs", new { })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("No collection policy in force has a final-bill pursuit.", run.GetProperty("message").GetString());
        Assert.Empty((await auditor.GetFromJsonAsync<JsonElement>(new Uri("/api/pursuit/ready-to-write-off", UriKind.Relative))).EnumerateArray());
    }

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string line)
    {
        using var content = new MultipartFormDataContent();
        using var file = new ByteArrayContent(Encoding.UTF8.GetBytes("referral_id,account_number,paid_on,amount,reference\r\n" + line + "\r\n"));
        content.Add(file, "file", "crs-payments.csv");
        return await client.PostAsync(new Uri("/api/collection-agencies/CRS/payment-files", UriKind.Relative), content);
    }
}
