using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Core.Customers;
using OpenCIS.Core.Payments;
using OpenCIS.Storage;
using OpenCIS.Tests.Persistence;
using OpenCIS.UseCases.Payments;

using static OpenCIS.Tests.Web.ApiRequests;

namespace OpenCIS.Tests.Web;

/// <summary>
/// Liens through the API on the demo city: the register and a lien's documents for anyone who may read them; certification to the tax
/// roll by a Supervisor; the lien run and the release by a collector, refused while the lien is unpaid; each step by its permission.
/// </summary>
public sealed class LienApiTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(FixedClock.DemoToday.UtcDateTime);

    [Fact]
    public async Task A_filed_lien_is_listed_printed_certified_paid_run_satisfied_and_released_each_by_its_permission()
    {
        var number = AccountNumbers.Create(17);
        var lien = await TestLiens.LienAsync(factory.Services, number, Today);
        var supervisor = await factory.SignedInClientAsync("Supervisor");
        var collector = await factory.SignedInClientAsync("Collector");
        var auditor = await factory.SignedInClientAsync("Auditor");

        // The register: filed, for what was noticed and the 45.00 fee; its items end with the fee.
        var filed = (await auditor.GetFromJsonAsync<JsonElement>(new Uri($"/api/liens?status=filed&accountNumber={number}", UriKind.Relative))).EnumerateArray().Single();
        Assert.Equal((lien, "filed", "45.00"), (filed.GetProperty("number").GetString(), filed.GetProperty("status").GetString(), filed.GetProperty("filingFee").GetString()));
        var secured = Money.ParseField(filed.GetProperty("secured").GetString()!, "amount");
        Assert.Equal(Money.ParseField(filed.GetProperty("principal").GetString()!, "amount") + Money.FromCents(45_00), secured);
        var one = await auditor.GetFromJsonAsync<JsonElement>(new Uri($"/api/liens/{lien}", UriKind.Relative));
        Assert.True(one.GetProperty("items").EnumerateArray().Last().GetProperty("isFee").GetBoolean());
        Assert.Equal(["notice", "filing"], one.GetProperty("documents").EnumerateArray().Select(d => d.GetString()!).ToArray());
        Assert.Equal("status", await ProblemFieldAsync(await auditor.GetAsync(new Uri("/api/liens?status=lost", UriKind.Relative))));
        Assert.Equal("number", await ProblemFieldAsync(await auditor.GetAsync(new Uri("/api/liens/LN-999999", UriKind.Relative))));

        // The city-wide debt check by parcel names the lien on the account's debt.
        var check = await supervisor.GetFromJsonAsync<JsonElement>(new Uri($"/api/debt-check?parcel={filed.GetProperty("parcelId").GetString()}", UriKind.Relative));
        var debt = check.GetProperty("debtors").EnumerateArray().SelectMany(d => d.GetProperty("debts").EnumerateArray()).Single(d => d.GetProperty("reference").GetString() == number);
        Assert.EndsWith("lien filed", debt.GetProperty("status").GetString(), StringComparison.Ordinal);
        Assert.Contains($"lien {lien} on parcel ", debt.GetProperty("description").GetString(), StringComparison.Ordinal);

        // Its documents print; the release does not exist yet.
        var notice = await auditor.GetAsync(new Uri($"/api/liens/{lien}/documents/notice", UriKind.Relative));
        Assert.Equal(("application/pdf", "%PDF"), (notice.Content.Headers.ContentType?.MediaType, System.Text.Encoding.ASCII.GetString((await notice.Content.ReadAsByteArrayAsync())[..4])));
        Assert.Equal("kind", await ProblemFieldAsync(await auditor.GetAsync(new Uri($"/api/liens/{lien}/documents/release", UriKind.Relative))));

        // Certified by a Supervisor (not a collector); the file names the lien.
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(collector, "/api/lien-certifications", new { taxYear = Today.Year + 1 })).StatusCode);
        Assert.Equal("taxYear", await ProblemFieldAsync(await PostAsync(supervisor, "/api/lien-certifications", new { taxYear = 1999 })));
        var certification = await (await PostAsync(supervisor, "/api/lien-certifications", new { taxYear = Today.Year + 1 })).Content.ReadFromJsonAsync<JsonElement>();
        var csv = await auditor.GetStringAsync(new Uri(certification.GetProperty("file").GetString()!, UriKind.Relative));
        Assert.Contains($",{lien},{number},", csv, StringComparison.Ordinal);

        // Unpaid, it cannot be released; an auditor may not try.
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(auditor, $"/api/liens/{lien}/release", new { })).StatusCode);
        Assert.Equal("number", await ProblemFieldAsync(await PostAsync(collector, $"/api/liens/{lien}/release", new { })));

        // Paid in full at the counter; the collector's run marks it satisfied, and the release is recorded and prints.
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
            var accountId = db.Accounts.Single(a => a.AccountNumber == number).Id;
            var owed = db.OpenItems.Where(o => o.AccountId == accountId).Sum(o => o.OpenCents);
            await scope.ServiceProvider.GetRequiredService<PaymentBatchPoster>().PostAsync(
                [new PaymentInstruction(accountId, Money.FromCents(owed), Today, Tender.Cash, PaymentSource.Counter, null)], "cashier", default);
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(auditor, "/api/liens/runs", new { })).StatusCode);
        var run = await (await PostAsync(collector, "/api/liens/runs", new { })).Content.ReadFromJsonAsync<JsonElement>();
        var step = run.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("lienNumber").GetString() == lien);
        Assert.Equal("Satisfy", step.GetProperty("action").GetString());
        var released = await (await PostAsync(collector, $"/api/liens/{lien}/release", new { reason = "Paid in full at the counter" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("released", "0.00", "Paid in full at the counter"), (released.GetProperty("status").GetString(), released.GetProperty("outstanding").GetString(),
            released.GetProperty("releaseReason").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync(new Uri($"/api/liens/{lien}/documents/release", UriKind.Relative))).StatusCode);
    }
}
