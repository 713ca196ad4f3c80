using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using static OpenCIS.Tests.Web.ApiRequests;

namespace OpenCIS.Tests.Web;

/// <summary>
/// Bankruptcy through the API on the demo city (business date 2026-11-22): a Chapter 13 case entered by a collector on an
/// EMS patient's account, once under its key; the claim read by an auditor and found by the debt check; the trustee's
/// payment posted by a cashier; the discharge only a Supervisor may order; the proof of claim as a PDF.
/// </summary>
public sealed class BankruptcyApiTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    [Fact]
    public async Task A_case_is_entered_once_paid_by_the_trustee_and_discharged_by_a_supervisor_each_by_its_permission()
    {
        var collector = await factory.SignedInClientAsync("Collector");
        var cashier = await factory.SignedInClientAsync("Cashier");
        var clerk = await factory.SignedInClientAsync("Clerk");
        var auditor = await factory.SignedInClientAsync("Auditor");
        var supervisor = await factory.SignedInClientAsync("Supervisor");
        var found = (await clerk.GetFromJsonAsync<JsonElement>(new Uri("/api/invoices?text=RUN-26-04417", UriKind.Relative))).GetProperty("items")[0];
        var number = found.GetProperty("number").GetInt64();
        var invoice = await clerk.GetFromJsonAsync<JsonElement>(new Uri($"/api/invoices/{number}", UriKind.Relative));
        var account = invoice.GetProperty("accountNumber").GetString()!;
        var open = invoice.GetProperty("open").GetString()!;

        var body = new { caseNumber = "26-bk-40001", chapter = 13, court = "Bankr. D. Or.", petitionDate = "2026-11-20", debtorName = (string?)null, attorney = "Lee Park",
            trustee = "Dana Whitcomb, Chapter 13 trustee", accountNumbers = new[] { account } };
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(auditor, "/api/bankruptcy-cases", body, "case-40001")).StatusCode);
        Assert.Equal("chapter", await ProblemFieldAsync(await PostAsync(collector, "/api/bankruptcy-cases", body with { chapter = 9 })));
        Assert.Equal("petitionDate", await ProblemFieldAsync(await PostAsync(collector, "/api/bankruptcy-cases", body with { petitionDate = "2026-11-23" })));
        var entered = await (await PostAsync(collector, "/api/bankruptcy-cases", body, "case-40001")).Content.ReadFromJsonAsync<JsonElement>();
        var again = await (await PostAsync(collector, "/api/bankruptcy-cases", body, "case-40001")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((false, true), (entered.GetProperty("alreadyDone").GetBoolean(), again.GetProperty("alreadyDone").GetBoolean()));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await PostAsync(collector, "/api/bankruptcy-cases", body with { court = "Bankr. W.D. Wash." }, "case-40001")).StatusCode);
        var claim = entered.GetProperty("case");
        Assert.Equal(("Open", open, open, "0.00"), (claim.GetProperty("status").GetString(), claim.GetProperty("prePetition").GetString(), claim.GetProperty("remaining").GetString(),
            claim.GetProperty("accounts")[0].GetProperty("balanceNow").GetString()));
        Assert.Equal("0.00", (await clerk.GetFromJsonAsync<JsonElement>(new Uri($"/api/invoices/{number}", UriKind.Relative))).GetProperty("open").GetString());

        // The debt check tells a permit counter of the claim and the stay.
        var party = invoice.GetProperty("partyName").GetString()!;
        var check = await clerk.GetFromJsonAsync<JsonElement>(new Uri($"/api/debt-check?name={Uri.EscapeDataString(party)}", UriKind.Relative));
        var debtor = check.GetProperty("debtors").EnumerateArray().Single(d => d.GetProperty("bankruptcies").GetArrayLength() > 0);
        Assert.Equal("Open: automatic stay in force", debtor.GetProperty("bankruptcies")[0].GetProperty("status").GetString());
        Assert.Contains(debtor.GetProperty("debts").EnumerateArray(), d => d.GetProperty("kind").GetString() == "Bankruptcy claim" && d.GetProperty("owed").GetString() == open);

        // The trustee's payment: a cashier posts it, once; a clerk may not; more than the claim is refused.
        var payment = new { amount = "100.00", tender = "check", reference = "TR-7001" };
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(clerk, "/api/bankruptcy-cases/26-bk-40001/trustee-payments", payment, "tr-7001")).StatusCode);
        Assert.Equal("amount", await ProblemFieldAsync(await PostAsync(cashier, "/api/bankruptcy-cases/26-bk-40001/trustee-payments", payment with { amount = "99999.00" })));
        var paid = await (await PostAsync(cashier, "/api/bankruptcy-cases/26-bk-40001/trustee-payments", payment, "tr-7001")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((await (await PostAsync(cashier, "/api/bankruptcy-cases/26-bk-40001/trustee-payments", payment, "tr-7001")).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("alreadyDone").GetBoolean());
        Assert.Equal("100.00", paid.GetProperty("case").GetProperty("paid").GetString());
        var left = paid.GetProperty("case").GetProperty("remaining").GetString()!;

        // Only a Supervisor orders the discharge; it writes off what is left.
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(collector, "/api/bankruptcy-cases/26-bk-40001/discharge", new { note = "Order of discharge" })).StatusCode);
        var discharged = await (await PostAsync(supervisor, "/api/bankruptcy-cases/26-bk-40001/discharge", new { note = "Order of discharge" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("Discharged", left, "0.00"), (discharged.GetProperty("case").GetProperty("status").GetString(), discharged.GetProperty("case").GetProperty("writtenOff").GetString(),
            discharged.GetProperty("case").GetProperty("remaining").GetString()));
        Assert.Equal("caseNumber", await ProblemFieldAsync(await PostAsync(supervisor, "/api/bankruptcy-cases/26-bk-40001/dismiss", new { note = "" })));

        var read = await auditor.GetFromJsonAsync<JsonElement>(new Uri("/api/bankruptcy-cases?status=discharged", UriKind.Relative));
        Assert.Contains(read.EnumerateArray(), c => c.GetProperty("caseNumber").GetString() == "26-bk-40001");
        Assert.Equal(HttpStatusCode.NotFound, (await auditor.GetAsync(new Uri("/api/bankruptcy-cases/26-bk-00000", UriKind.Relative))).StatusCode);
        var pdf = await auditor.GetAsync(new Uri("/api/bankruptcy-cases/26-bk-40001/proof-of-claim", UriKind.Relative));
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(await pdf.Content.ReadAsByteArrayAsync(), 0, 4), StringComparison.Ordinal);
    }
}
