using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using static OpenCIS.Tests.Web.ApiRequests;

namespace OpenCIS.Tests.Web;

/// <summary>
/// EMS receivables through the API on the demo city (business date 2026-11-22): the planted Medicare remittance, statements
/// and waivers in an invoice's history; a payer's remittance posted once under its key; Medicaid's payment in full; a
/// waiver asked by a clerk and decided only by a Supervisor; the statements of a date and their print file.
/// </summary>
public sealed class EmsApiTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    private static async Task<long> InvoiceNumberAsync(HttpClient client, string reference) =>
        (await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/invoices?text={reference}", UriKind.Relative))).GetProperty("items")[0].GetProperty("number").GetInt64();

    [Fact]
    public async Task The_demo_medicare_patient_history_shows_the_remittance_and_statement_and_a_remittance_posts_once()
    {
        var clerk = await factory.SignedInClientAsync("Clerk");
        var auditor = await factory.SignedInClientAsync("Auditor");
        var maria = await InvoiceNumberAsync(clerk, "RUN-26-04630");
        var history = await auditor.GetFromJsonAsync<JsonElement>(new Uri($"/api/invoices/{maria}/history", UriKind.Relative));
        var remittance = Assert.Single(history.GetProperty("remittances").EnumerateArray());
        Assert.Equal(("Medicare", "412.18", "768.48", "102.44"), (remittance.GetProperty("payer").GetString(), remittance.GetProperty("paid").GetString(),
            remittance.GetProperty("contractualAdjustment").GetString(), remittance.GetProperty("patientResponsibility").GetString()));
        Assert.Equal(["Payment", "ContractualAdjustment"], history.GetProperty("activity").EnumerateArray().Select(a => a.GetProperty("type").GetString()!).ToArray());
        var statement = Assert.Single(history.GetProperty("statements").EnumerateArray());
        Assert.Equal((1, "email", "2026-11-12"), (statement.GetProperty("sequence").GetInt32(), statement.GetProperty("delivery").GetString(), statement.GetProperty("statementDate").GetString()));
        var pdf = await auditor.GetAsync(new Uri($"/api/invoice-statements/{statement.GetProperty("id").GetInt64()}.pdf", UriKind.Relative));
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);

        // An auditor reads but posts nothing; a clerk posts an insurer's remittance on the planted past-due transport, once under its key.
        var harold = await InvoiceNumberAsync(clerk, "RUN-26-04417");
        var body = new { payerKind = "insurance", payerName = "Cascade Mutual", claimNumber = "CM-5531", paid = "500.00", contractualAdjustment = "600.00", tender = "check", reference = "20417" };
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(auditor, $"/api/invoices/{harold}/remittances", body, "cm-5531")).StatusCode);
        var first = await (await PostAsync(clerk, $"/api/invoices/{harold}/remittances", body, "cm-5531")).Content.ReadFromJsonAsync<JsonElement>();
        var again = await (await PostAsync(clerk, $"/api/invoices/{harold}/remittances", body, "cm-5531")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((false, true), (first.GetProperty("alreadyPosted").GetBoolean(), again.GetProperty("alreadyPosted").GetBoolean()));
        Assert.Equal("186.90", first.GetProperty("remittance").GetProperty("patientResponsibility").GetString());
        Assert.Equal("186.90", (await clerk.GetFromJsonAsync<JsonElement>(new Uri($"/api/invoices/{harold}", UriKind.Relative))).GetProperty("open").GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await PostAsync(clerk, $"/api/invoices/{harold}/remittances", body with { claimNumber = "CM-5532" }, "cm-5531")).StatusCode);
        Assert.Equal("paid", await ProblemFieldAsync(await PostAsync(clerk, $"/api/invoices/{harold}/remittances", body with { paid = "900.00", contractualAdjustment = "" })));
        Assert.Equal("payerKind", await ProblemFieldAsync(await PostAsync(clerk, $"/api/invoices/{harold}/remittances", body with { payerKind = "tricare" })));
        Assert.Equal("contractualAdjustment", await ProblemFieldAsync(await PostAsync(clerk, $"/api/invoices/{harold}/remittances",
            body with { payerKind = "medicaid", paid = "100.00", contractualAdjustment = "10.00" })));
    }

    [Fact]
    public async Task A_waiver_asked_by_a_clerk_waits_for_a_supervisor_who_alone_approves_it_and_the_statements_of_a_date_print()
    {
        var clerk = await factory.SignedInClientAsync("Clerk");
        var supervisor = await factory.SignedInClientAsync("Supervisor");
        var pending = await clerk.GetFromJsonAsync<JsonElement>(new Uri("/api/invoice-waivers?status=pending", UriKind.Relative));
        var rosa = Assert.Single(pending.EnumerateArray());
        Assert.Equal(("Rosa Lindqvist", "600.00", "clerk"), (rosa.GetProperty("partyName").GetString(), rosa.GetProperty("amount").GetString(), rosa.GetProperty("requestedBy").GetString()));
        var approved = await clerk.GetFromJsonAsync<JsonElement>(new Uri("/api/invoice-waivers?status=approved", UriKind.Relative));
        Assert.Equal("1050.00", Assert.Single(approved.EnumerateArray()).GetProperty("posted").GetString());
        Assert.Equal("status", await ProblemFieldAsync(await clerk.GetAsync(new Uri("/api/invoice-waivers?status=maybe", UriKind.Relative))));

        var id = rosa.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(clerk, $"/api/invoice-waivers/{id}/decision", new { approve = true })).StatusCode);
        Assert.Equal("note", await ProblemFieldAsync(await PostAsync(supervisor, $"/api/invoice-waivers/{id}/decision", new { approve = false })));
        var decided = await (await PostAsync(supervisor, $"/api/invoice-waivers/{id}/decision", new { approve = true, note = "Documented" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("Approved", "600.00", "607.35"), (decided.GetProperty("waiver").GetProperty("status").GetString(), decided.GetProperty("waiver").GetProperty("posted").GetString(),
            decided.GetProperty("waiver").GetProperty("invoiceOpen").GetString()));
        Assert.Equal("amount", await ProblemFieldAsync(await PostAsync(clerk, $"/api/invoices/{rosa.GetProperty("invoiceNumber").GetInt64()}/waivers",
            new { amount = "700.00", reason = "More" })));
        var again = await (await PostAsync(clerk, $"/api/invoices/{rosa.GetProperty("invoiceNumber").GetInt64()}/waivers", new { reason = "The rest, same hardship" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("Pending", "607.35"), (again.GetProperty("waiver").GetProperty("status").GetString(), again.GetProperty("waiver").GetProperty("amount").GetString()));

        // Ten days ago: Maria's first statement (e-mailed) and Rosa's final notice (mailed); the print file holds the mailed ones.
        var tenDaysAgo = await clerk.GetFromJsonAsync<JsonElement>(new Uri("/api/invoice-statements?date=2026-11-12", UriKind.Relative));
        Assert.Equal([("RUN-26-04630", 1, "email"), ("RUN-26-03902", 3, "mail")], await Task.WhenAll(tenDaysAgo.EnumerateArray().Select(async s =>
            ((await clerk.GetFromJsonAsync<JsonElement>(new Uri($"/api/invoices/{s.GetProperty("invoiceNumber").GetInt64()}", UriKind.Relative))).GetProperty("reference").GetString(),
                s.GetProperty("sequence").GetInt32(), s.GetProperty("delivery").GetString()))));
        var print = await clerk.GetAsync(new Uri("/api/invoice-statements/print?date=2026-11-12", UriKind.Relative));
        Assert.Equal("application/pdf", print.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await clerk.GetAsync(new Uri("/api/invoice-statements/print?date=2026-11-13", UriKind.Relative))).StatusCode);
        var run = await PostAsync(clerk, "/api/invoice-statements/runs", new { date = "2026-11-22" });
        Assert.Equal(HttpStatusCode.Accepted, run.StatusCode);
    }

    [Fact]
    public async Task The_debt_check_gives_each_debt_the_last_day_it_is_collectible_by_suit()
    {
        var clerk = await factory.SignedInClientAsync("Clerk");
        var check = await clerk.GetFromJsonAsync<JsonElement>(new Uri("/api/debt-check?name=Lindqvist", UriKind.Relative));
        var debt = Assert.Single(Assert.Single(check.GetProperty("debtors").EnumerateArray()).GetProperty("debts").EnumerateArray());
        // Due 2026-09-13 and never paid on: six years (the default) from the due date.
        Assert.Equal(("2026-09-13", "2032-09-13"), (debt.GetProperty("oldestDueOn").GetString(), debt.GetProperty("collectibleUntil").GetString()));
        var auditor = await factory.SignedInClientAsync("Auditor");
        var aging = await auditor.GetFromJsonAsync<JsonElement>(new Uri("/api/reports/aging/past-due", UriKind.Relative));
        Assert.Contains(aging.GetProperty("byType").EnumerateArray(), t => t.GetProperty("code").GetString() == "EMS");
    }
}
