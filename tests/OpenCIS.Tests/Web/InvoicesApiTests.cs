using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

using static OpenCIS.Tests.Web.ApiRequests;

namespace OpenCIS.Tests.Web;

/// <summary>
/// City receivables by invoice through the API on the demo city (business date 2026-11-22): the demo's types and planted
/// invoices, who may create invoices and types, an invoice from another system posted once under a retried
/// Idempotency-Key and paid through the payments API, bad input named by field, and a file imported whole or not at all.
/// </summary>
public sealed class InvoicesApiTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    [Fact]
    public async Task The_demo_types_and_planted_invoices_are_listed_and_only_a_supervisor_changes_a_type()
    {
        var clerk = await factory.SignedInClientAsync("Clerk");
        var supervisor = await factory.SignedInClientAsync("Supervisor");
        var types = await clerk.GetFromJsonAsync<JsonElement>(new Uri("/api/invoice-types", UriKind.Relative));
        Assert.Equal(["ALARM", "BOARDUP", "DAMAGE", "DEMOLITION", "EMS", "PERMIT", "RENTAL", "WEED"], types.EnumerateArray().Select(t => t.GetProperty("code").GetString()!).ToArray());
        var ems = types.EnumerateArray().Single(t => t.GetProperty("code").GetString() == "EMS");
        Assert.Equal(("4810", "Ambulance transport fees", 30), (ems.GetProperty("revenueGlAccount").GetString(), ems.GetProperty("revenueAccountName").GetString(), ems.GetProperty("statementEveryDays").GetInt32()));

        var type = new { name = "Fire inspection", revenueGlAccount = "4830", termsDays = 30, statementEveryDays = (int?)null, active = true };
        Assert.Equal(HttpStatusCode.Forbidden, (await PutAsync(clerk, "/api/invoice-types/FIREINSP", type)).StatusCode);
        Assert.Equal("revenueGlAccount", await ProblemFieldAsync(await PutAsync(supervisor, "/api/invoice-types/FIREINSP", type with { revenueGlAccount = "1010" })));
        Assert.Equal("termsDays", await ProblemFieldAsync(await PutAsync(supervisor, "/api/invoice-types/FIREINSP", type with { termsDays = 400 })));
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(supervisor, "/api/invoice-types/FIREINSP", type)).StatusCode);

        // A type's collection policy: the demo's types but EMS name the receivables policy; a type may name only an imported one.
        Assert.Equal("RIVERBEND-RECEIVABLES", types.EnumerateArray().Single(t => t.GetProperty("code").GetString() == "WEED").GetProperty("collectionPolicy").GetString());
        Assert.Equal(JsonValueKind.Null, ems.GetProperty("collectionPolicy").ValueKind);
        var withPolicy = new { type.name, type.revenueGlAccount, type.termsDays, type.statementEveryDays, type.active, collectionPolicy = "NO-SUCH-POLICY" };
        Assert.Equal("collectionPolicy", await ProblemFieldAsync(await PutAsync(supervisor, "/api/invoice-types/FIREINSP", withPolicy)));
        var saved = await (await PutAsync(supervisor, "/api/invoice-types/FIREINSP", withPolicy with { collectionPolicy = "riverbend-receivables" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("RIVERBEND-RECEIVABLES", saved.GetProperty("collectionPolicy").GetString());

        // The planted invoices: the ambulance transport and the weed abatement are past due, the false alarm paid.
        var pastDue = await clerk.GetFromJsonAsync<JsonElement>(new Uri("/api/invoices?standing=pastdue", UriKind.Relative));
        Assert.Equal([("EMS", "RUN-26-03902"), ("EMS", "RUN-26-04630"), ("WEED", "CE-26-0907"), ("EMS", "RUN-26-04417")],
            pastDue.GetProperty("items").EnumerateArray().Select(i => (i.GetProperty("type").GetString(), i.GetProperty("reference").GetString())).ToArray());
        var paid = await clerk.GetFromJsonAsync<JsonElement>(new Uri("/api/invoices?standing=paid&type=ALARM", UriKind.Relative));
        Assert.Equal("ALM-26-0311", paid.GetProperty("items").EnumerateArray().Single().GetProperty("reference").GetString());
        var emsNumber = pastDue.GetProperty("items")[3].GetProperty("number").GetInt64();
        var invoice = await clerk.GetFromJsonAsync<JsonElement>(new Uri($"/api/invoices/{emsNumber}", UriKind.Relative));
        Assert.Equal(("1286.90", "Harold Whitcomb"), (invoice.GetProperty("amount").GetString(), invoice.GetProperty("partyName").GetString()));
        Assert.Equal("7.4 x $18.50 = $136.90", invoice.GetProperty("lines")[1].GetProperty("trace").GetString());
        var pdf = await clerk.GetAsync(new Uri($"/api/invoices/{emsNumber}.pdf", UriKind.Relative));
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await clerk.GetAsync(new Uri("/api/invoices/999999", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Another_system_invoices_a_party_once_under_its_key_and_the_invoice_is_paid_by_its_account_number()
    {
        var clerk = await factory.SignedInClientAsync("Clerk");
        var cashier = await factory.SignedInClientAsync("Cashier");
        var body = new
        {
            party = new { kind = "person", name = "Morgan Api", line1 = "9 Test Row", city = "Riverbend", state = "OR", zip = "97401", birthDate = "1980-02-02" },
            type = "PERMIT",
            lines = new[] { new { description = "Fence permit", quantity = (decimal?)null, unitPrice = 85.00m }, new { description = "Inspection", quantity = (decimal?)2m, unitPrice = 40.00m } },
            reference = "FP-API-1",
        };
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(cashier, "/api/invoices", body, "api-inv-1")).StatusCode);
        var first = await (await PostAsync(clerk, "/api/invoices", body, "api-inv-1")).Content.ReadFromJsonAsync<JsonElement>();
        var again = await (await PostAsync(clerk, "/api/invoices", body, "api-inv-1")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((false, true), (first.GetProperty("alreadyDone").GetBoolean(), again.GetProperty("alreadyDone").GetBoolean()));
        var invoice = first.GetProperty("invoice");
        Assert.Equal(invoice.GetProperty("number").GetInt64(), again.GetProperty("invoice").GetProperty("number").GetInt64());
        Assert.Equal(("165.00", "2026-12-22", "Open", "api"), (invoice.GetProperty("amount").GetString(), invoice.GetProperty("dueOn").GetString(),
            invoice.GetProperty("standing").GetString(), invoice.GetProperty("source").GetString()));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await PostAsync(clerk, "/api/invoices", body with { reference = "FP-API-2" }, "api-inv-1")).StatusCode);

        Assert.Equal("lines[1].unitPrice", await ProblemFieldAsync(await PostAsync(clerk, "/api/invoices",
            body with { lines = [new { description = "Fence permit", quantity = (decimal?)1m, unitPrice = 85m }, new { description = "Free", quantity = (decimal?)1m, unitPrice = 0m }] })));
        Assert.Equal("zip", await ProblemFieldAsync(await PostAsync(clerk, "/api/invoices",
            body with { party = new { kind = "person", name = "Morgan Api", line1 = "9 Test Row", city = "Riverbend", state = "OR", zip = "9740", birthDate = "1980-02-02" } })));
        Assert.Equal("type", await ProblemFieldAsync(await PostAsync(clerk, "/api/invoices", body with { type = "PARKING" })));
        Assert.Equal("party", await ProblemFieldAsync(await PostAsync(clerk, "/api/invoices", new { type = "PERMIT", lines = body.lines })));

        // A second permit, paid by its invoice number alone: it is paid, though the first is older.
        var later = (await (await PostAsync(clerk, "/api/invoices", body with { reference = "FP-API-3" }, "api-inv-3")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("invoice");
        var laterNumber = later.GetProperty("number").GetInt64();
        Assert.Equal("invoiceNumber", await ProblemFieldAsync(await PostAsync(cashier, "/api/payments", new { accountNumber = "00000018", invoiceNumber = laterNumber, amount = "165.00", tender = "check", reference = "880" }, "api-inv-pay-0")));
        var byNumber = await PostAsync(cashier, "/api/payments", new { invoiceNumber = laterNumber, amount = "165.00", tender = "check", reference = "880" }, "api-inv-pay-00");
        Assert.Equal(HttpStatusCode.OK, byNumber.StatusCode);
        Assert.Equal("Paid", (await clerk.GetFromJsonAsync<JsonElement>(new Uri($"/api/invoices/{laterNumber}", UriKind.Relative))).GetProperty("standing").GetString());
        Assert.Equal("Open", (await clerk.GetFromJsonAsync<JsonElement>(new Uri($"/api/invoices/{invoice.GetProperty("number").GetInt64()}", UriKind.Relative))).GetProperty("standing").GetString());

        var accountNumber = invoice.GetProperty("accountNumber").GetString();
        var payment = await PostAsync(cashier, "/api/payments", new { accountNumber, amount = "165.00", tender = "check", reference = "881" }, "api-inv-pay-1");
        Assert.Equal(HttpStatusCode.OK, payment.StatusCode);
        var after = await clerk.GetFromJsonAsync<JsonElement>(new Uri($"/api/invoices/{invoice.GetProperty("number").GetInt64()}", UriKind.Relative));
        Assert.Equal(("0.00", "Paid"), (after.GetProperty("open").GetString(), after.GetProperty("standing").GetString()));
        var account = await clerk.GetFromJsonAsync<JsonElement>(new Uri($"/api/accounts/{accountNumber}", UriKind.Relative));
        Assert.Equal("City receivables (invoices)", account.GetProperty("serviceAddress").GetString());
    }

    [Fact]
    public async Task A_file_with_a_bad_line_posts_nothing_and_names_it_and_a_good_file_posts_once()
    {
        var clerk = await factory.SignedInClientAsync("Clerk");
        const string header = "type,reference,name,line1,city,state,zip,description,quantity,unit_price\n";
        var bad = await ImportAsync(clerk, "alarms-bad.csv", header + "ALARM,ALM-F-1,Quinn File,3 Pine St,Riverbend,OR,97401,False alarm,1,150.00\nALARM,ALM-F-2,Quinn File,3 Pine St,Riverbend,XX1,97401,False alarm,1,150.00\n");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var problem = JsonDocument.Parse(await bad.Content.ReadAsStringAsync());
        var problems = problem.RootElement.GetProperty("problems").EnumerateArray().ToList();
        Assert.Equal([(3, "state")], problems.Select(p => (p.GetProperty("line").GetInt32(), p.GetProperty("field").GetString()!)).ToArray());
        Assert.Contains("alarms-bad.csv", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, (await clerk.GetFromJsonAsync<JsonElement>(new Uri("/api/invoices?text=ALM-F-1", UriKind.Relative))).GetProperty("total").GetInt32());

        var text = header + "ALARM,ALM-F-3,Quinn File,3 Pine St,Riverbend,OR,97401,False alarm,1,150.00\nALARM,ALM-F-3,Quinn File,3 Pine St,Riverbend,OR,97401,Late fee,1,15.00\n";
        var good = await (await ImportAsync(clerk, "alarms.csv", text)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((true, 1, "165.00"), (good.GetProperty("imported").GetBoolean(), good.GetProperty("invoiceCount").GetInt32(), good.GetProperty("total").GetString()));
        var again = await (await ImportAsync(clerk, "alarms-copy.csv", text)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((false, true), (again.GetProperty("imported").GetBoolean(), again.GetProperty("alreadyImported").GetBoolean()));
        Assert.Equal(1, (await clerk.GetFromJsonAsync<JsonElement>(new Uri("/api/invoices?text=ALM-F-3", UriKind.Relative))).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task The_debt_check_finds_a_debtor_by_one_key_for_staff_with_the_permission()
    {
        var cashier = await factory.SignedInClientAsync("Cashier");
        var field = await factory.SignedInClientAsync("Field");
        Assert.Equal(HttpStatusCode.Forbidden, (await field.GetAsync(new Uri("/api/debt-check?name=Whitcomb", UriKind.Relative))).StatusCode);

        var owes = await cashier.GetFromJsonAsync<JsonElement>(new Uri("/api/debt-check?name=Whitcomb", UriKind.Relative));
        Assert.True(owes.GetProperty("owesTheCity").GetBoolean());
        var debtor = owes.GetProperty("debtors").EnumerateArray().Single();
        Assert.Equal(("Harold Whitcomb", "1286.90", "1286.90"), (debtor.GetProperty("name").GetString(), debtor.GetProperty("owed").GetString(), debtor.GetProperty("pastDue").GetString()));
        Assert.Equal(("Invoice", "Past due"), (debtor.GetProperty("debts")[0].GetProperty("kind").GetString(), debtor.GetProperty("debts")[0].GetProperty("status").GetString()));

        // The storage company paid its false alarm: found by its tax id, it owes nothing.
        var paid = await cashier.GetFromJsonAsync<JsonElement>(new Uri("/api/debt-check?taxId=93-1234567", UriKind.Relative));
        Assert.False(paid.GetProperty("owesTheCity").GetBoolean());
        Assert.Equal(("Riverbend Storage LLC", "***-**-4567"), (paid.GetProperty("debtors")[0].GetProperty("name").GetString(), paid.GetProperty("query").GetString()));
        Assert.Equal("query", await ProblemFieldAsync(await cashier.GetAsync(new Uri("/api/debt-check?name=Whitcomb&parcel=R-1", UriKind.Relative))));
        Assert.Equal("query", await ProblemFieldAsync(await cashier.GetAsync(new Uri("/api/debt-check", UriKind.Relative))));

        // A collector holds the patient's permits until the transport is paid; the permit system asks and is told.
        var collector = await factory.SignedInClientAsync("Collector");
        var customerId = debtor.GetProperty("customerId").GetInt64();
        var hold = new { customerId, reason = "Unpaid ambulance transport", releaseWhenPaid = true };
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(cashier, "/api/holds", hold)).StatusCode);
        var placed = await (await PostAsync(collector, "/api/holds", hold)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("Active", true, "1286.90"), (placed.GetProperty("state").GetString(), placed.GetProperty("blocks").GetBoolean(), placed.GetProperty("owed").GetString()));
        var asked = await cashier.GetFromJsonAsync<JsonElement>(new Uri($"/api/holds?customerId={customerId}", UriKind.Relative));
        Assert.Equal(placed.GetProperty("id").GetInt64(), asked.EnumerateArray().Single().GetProperty("id").GetInt64());
        Assert.True((await cashier.GetFromJsonAsync<JsonElement>(new Uri("/api/debt-check?name=Whitcomb", UriKind.Relative))).GetProperty("held").GetBoolean());
        Assert.Equal("reason", await ProblemFieldAsync(await PostAsync(collector, "/api/holds", new { customerId, reason = "" })));
        var released = await PostAsync(collector, $"/api/holds/{placed.GetProperty("id").GetInt64()}/release", new { note = "Paid at the counter" });
        Assert.Equal("Released", (await released.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
        Assert.Empty((await cashier.GetFromJsonAsync<JsonElement>(new Uri($"/api/holds?customerId={customerId}", UriKind.Relative))).EnumerateArray());
    }

    private static async Task<HttpResponseMessage> PutAsync(HttpClient client, string path, object body) =>
        await client.PutAsJsonAsync(new Uri(path, UriKind.Relative), body);

    private static async Task<HttpResponseMessage> ImportAsync(HttpClient client, string name, string text)
    {
        using var content = new MultipartFormDataContent();
        using var file = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        content.Add(file, "file", name);
        return await client.PostAsync(new Uri("/api/invoices/import", UriKind.Relative), content);
    }
}
