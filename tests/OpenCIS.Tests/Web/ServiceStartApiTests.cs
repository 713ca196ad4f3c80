using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Customers;
using OpenCIS.Core.Metering;
using OpenCIS.Storage;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Demo;
using OpenCIS.Web.Api;

using static OpenCIS.Tests.Web.ApiRequests;

namespace OpenCIS.Tests.Web;

/// <summary>
/// Start service through the API on the demo city: who may start service, the premise the demo's move-out left
/// vacant, a refusal naming the field, a new customer started there with the deposit and the welcome letter, the
/// same request replayed under its key, and the same customer keyed again caught as a duplicate.
/// </summary>
public sealed class ServiceStartApiTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    [Theory]
    [InlineData("Cashier", "POST", "/api/service/start", HttpStatusCode.Forbidden)]
    [InlineData("Field", "POST", "/api/customers/matches", HttpStatusCode.Forbidden)]
    [InlineData("Auditor", "GET", "/api/premises?q=1", HttpStatusCode.OK)]
    [InlineData("Clerk", "GET", "/api/premises/999999", HttpStatusCode.NotFound)]
    public async Task Each_role_starts_service_only_as_its_permissions_allow(string role, string method, string path, HttpStatusCode expected)
    {
        var client = await factory.SignedInClientAsync(role);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = System.Net.Http.Json.JsonContent.Create(new { displayName = "x", premiseId = 1, startDate = "2026-11-22" });
        }

        Assert.Equal(expected, (await client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task A_clerk_starts_the_first_customer_at_the_new_construction_premise()
    {
        var clerk = await factory.SignedInClientAsync("Clerk");
        long premiseId;
        using (var found = JsonDocument.Parse(await clerk.GetStringAsync(new Uri($"/api/premises?q={DemoPremises.NewConstructionParcel}", UriKind.Relative))))
        {
            var premise = Assert.Single(found.RootElement.EnumerateArray());
            premiseId = premise.GetProperty("premiseId").GetInt64();
            Assert.Equal(JsonValueKind.Null, premise.GetProperty("servedUnder").ValueKind);
            Assert.Equal(JsonValueKind.Null, premise.GetProperty("lastStoppedOn").ValueKind);
            var metered = premise.GetProperty("points").EnumerateArray().Single(p => p.GetProperty("isMetered").GetBoolean());
            Assert.Equal(DemoPremises.NewConstructionMeter, metered.GetProperty("meter").GetProperty("serial").GetString());
        }

        const string serial = DemoPremises.NewConstructionMeter;
        var start = DateOnly.FromDateTime(OpenCisWebFactory.Today.UtcDateTime);
        var customer = new ApplyingCustomerBody("Person", "Morgan Movein", "1988-07-30", "Ssn", "987-65-4320", "541-555-0166", "morgan@example.org");
        var body = new StartServiceBody(null, customer, premiseId, start.ToString("yyyy-MM-dd"), "Residential", IdentityDocument: "Passport ending 0042", CycleCode: "C1");
        Assert.Equal("initialReads", await ProblemFieldAsync(await PostAsync(clerk, "/api/service/start", body)));
        Assert.Equal("cycleCode", await ProblemFieldAsync(await PostAsync(clerk, "/api/service/start", body with { CycleCode = null, InitialReads = [new(serial, 140)] })));
        Assert.Equal("startDate", await ProblemFieldAsync(await PostAsync(clerk, "/api/service/start", body with { StartDate = "2026-13-01", InitialReads = [new(serial, 140)] })));

        var withRead = body with { InitialReads = [new(serial, 140)], BillDelivery = "Email" };
        var started = await PostAsync(clerk, "/api/service/start", withRead, key: "move-in-morgan");
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        string accountNumber;
        using (var outcome = JsonDocument.Parse(await started.Content.ReadAsStringAsync()))
        {
            accountNumber = outcome.RootElement.GetProperty("accountNumber").GetString()!;
            Assert.True(AccountNumbers.IsValid(accountNumber));
            Assert.True(outcome.RootElement.GetProperty("customerCreated").GetBoolean());
            Assert.Equal(JsonValueKind.Number, outcome.RootElement.GetProperty("letterId").ValueKind);
        }

        var replay = await PostAsync(clerk, "/api/service/start", withRead, key: "move-in-morgan");
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Contains(accountNumber, await replay.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using (var letters = JsonDocument.Parse(await clerk.GetStringAsync(new Uri($"/api/accounts/{accountNumber}/letters", UriKind.Relative))))
        {
            var letter = Assert.Single(letters.RootElement.EnumerateArray());
            Assert.Equal(("welcome", "Email", "morgan@example.org"), (letter.GetProperty("kind").GetString(), letter.GetProperty("delivery").GetString(), letter.GetProperty("emailAddress").GetString()));
            var pdf = await clerk.GetAsync(new Uri($"/api/accounts/{accountNumber}/letters/{letter.GetProperty("id").GetInt64()}.pdf", UriKind.Relative));
            Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        }

        // The same person keyed again, another way, is a customer on file.
        var again = await PostAsync(clerk, "/api/customers/matches", new ApplyingCustomerBody("Person", "MOVEIN, Morgan", "1988-07-30", null, null, "(541) 555 0166", null));
        using (var matches = JsonDocument.Parse(await again.Content.ReadAsStringAsync()))
        {
            var match = Assert.Single(matches.RootElement.EnumerateArray());
            Assert.Equal(["same name and date of birth", "same phone"], match.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!).ToArray());
        }

        Assert.Equal("customer", await ProblemFieldAsync(await PostAsync(clerk, "/api/service/start", body with { Customer = customer with { DisplayName = "morgan  movein" }, InitialReads = [new(serial, 140)] })));
    }

    [Fact]
    public async Task A_clerk_adds_new_construction_by_form_and_by_file_and_a_bad_file_imports_nothing()
    {
        var clerk = await factory.SignedInClientAsync("Clerk");
        var premise = new PremiseBody("3 Harvest Lane", "Riverbend", "OR", "97401", "R-NEW-00003", "Harvest Homes LLC", ["water", "sewer", "trash"], "NC000003", null, 6, 0);
        Assert.Equal("zip", await ProblemFieldAsync(await PostAsync(clerk, "/api/premises", premise with { Zip = "9740" })));
        Assert.Equal("services", await ProblemFieldAsync(await PostAsync(clerk, "/api/premises", premise with { Services = ["water", "steam"] })));
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(clerk, "/api/premises", premise)).StatusCode);
        Assert.Equal("parcelId", await ProblemFieldAsync(await PostAsync(clerk, "/api/premises", premise with { MeterSerial = null, InitialReading = null })));
        var cashier = await factory.SignedInClientAsync("Cashier");
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(cashier, "/api/premises", premise)).StatusCode);

        static MultipartFormDataContent File(string text)
        {
            var form = new MultipartFormDataContent();
#pragma warning disable CA2000 // The form owns its part and disposes it.
            form.Add(new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(text)), "file", "harvest.csv");
#pragma warning restore CA2000
            return form;
        }

        const string header = "address_line1,city,state,zip,parcel_id,owner_of_record,services\n";
        using (var badFile = File(header + "5 Harvest Lane,Riverbend,OR,97401,R-NEW-00005,Harvest Homes LLC,water\n7 Harvest Lane,Riverbend,OR,97401,R-NEW-00003,Harvest Homes LLC,water\n"))
        {
            var bad = await clerk.PostAsync(new Uri("/api/premises/import", UriKind.Relative), badFile);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            using var problem = JsonDocument.Parse(await bad.Content.ReadAsStringAsync());
            var only = Assert.Single(problem.RootElement.GetProperty("problems").EnumerateArray());
            Assert.Equal((3, "parcel_id"), (only.GetProperty("line").GetInt32(), only.GetProperty("field").GetString()));
        }

        using (var none = JsonDocument.Parse(await clerk.GetStringAsync(new Uri("/api/premises?q=R-NEW-00005", UriKind.Relative))))
        {
            Assert.Empty(none.RootElement.EnumerateArray());
        }

        using var goodFile = File(header + "5 Harvest Lane,Riverbend,OR,97401,R-NEW-00005,Harvest Homes LLC,water;sewer\n");
        Assert.Equal(HttpStatusCode.OK, (await clerk.PostAsync(new Uri("/api/premises/import", UriKind.Relative), goodFile)).StatusCode);
        using var found = JsonDocument.Parse(await clerk.GetStringAsync(new Uri("/api/premises?q=5 harvest", UriKind.Relative)));
        Assert.Equal(2, Assert.Single(found.RootElement.EnumerateArray()).GetProperty("points").GetArrayLength());
    }
}
