using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.Ledger;

namespace OpenCIS.Tests.Web;

/// <summary>
/// Waivers through the API: a clerk waives one late charge a year as a courtesy (posted at once); the next waits
/// for a Supervisor, who finds it in the pending list and approves it; a clerk may neither decide nor approve when
/// asking; a cashier may not waive at all.
/// </summary>
public sealed class CollectionWaiversApiTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    /// <summary>An active residential account given a late charge and a door hanger fee, as the run posts them.</summary>
    private async Task<(long AccountId, long LateChargeId, long FeeId)> ChargedAccountAsync()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var yaml = await File.ReadAllTextAsync(RepositoryExamples.Path("collections", "riverbend.yaml"));
        await scope.ServiceProvider.GetRequiredService<ImportCollectionPolicy>().ExecuteAsync("riverbend.yaml", yaml, "supervisor");
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        var accountId = await db.Accounts.Where(a => a.Class == AccountClass.Residential && a.Status == AccountStatus.Active).OrderBy(a => a.Id).Select(a => a.Id).FirstAsync();
        var today = DateOnly.FromDateTime(OpenCisWebFactory.Today.UtcDateTime);
        var ledger = await AccountLedger.LoadAsync(db, accountId, CancellationToken.None);
        var late = ledger.Post(db, PostingRules.ForLateCharge([(OpenCIS.Core.Billing.Service.Water, Money.FromCents(4_12))]), today, today, null, "system", "Late charge", OpenCisWebFactory.Today);
        var fee = ledger.Post(db, PostingRules.ForCollectionFee(Money.FromCents(15_00)), today, today, null, "system", "Door hanger fee", OpenCisWebFactory.Today);
        await db.SaveChangesAsync();
        return (accountId, late.Id, fee.Id);
    }

    [Fact]
    public async Task A_clerk_waives_one_charge_as_a_courtesy_and_the_next_waits_for_a_supervisor()
    {
        var (accountId, lateId, feeId) = await ChargedAccountAsync();
        var url = $"/api/accounts/{accountId}/collections/waivers";
        var cashier = await factory.SignedInClientAsync("Cashier");
        Assert.Equal(HttpStatusCode.Forbidden, (await cashier.PostAsJsonAsync(url, new { transactionId = lateId, reason = "courtesy" })).StatusCode);

        var clerk = await factory.SignedInClientAsync("Clerk");
        var courtesy = await clerk.PostAsJsonAsync(url, new { transactionId = lateId, reason = "First late payment" });
        Assert.Equal(HttpStatusCode.Created, courtesy.StatusCode);
        using (var body = JsonDocument.Parse(await courtesy.Content.ReadAsStringAsync()))
        {
            Assert.True(body.RootElement.GetProperty("posted").GetBoolean());
            Assert.Equal("Posted", body.RootElement.GetProperty("waiver").GetProperty("status").GetString());
        }

        var again = await clerk.PostAsJsonAsync(url, new { transactionId = lateId, reason = "retry" });
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);

        // Asking to approve beyond the limit is a Supervisor's: refused naming the field, nothing stored.
        var approveAsClerk = await clerk.PostAsJsonAsync(url, new { transactionId = feeId, reason = "again", approve = true });
        Assert.Equal(HttpStatusCode.BadRequest, approveAsClerk.StatusCode);
        Assert.Contains("approve", await approveAsClerk.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var asked = await clerk.PostAsJsonAsync(url, new { transactionId = feeId, reason = "Hanger left at the wrong door" });
        Assert.Equal(HttpStatusCode.Created, asked.StatusCode);
        long waiverId;
        using (var body = JsonDocument.Parse(await asked.Content.ReadAsStringAsync()))
        {
            Assert.False(body.RootElement.GetProperty("posted").GetBoolean());
            waiverId = body.RootElement.GetProperty("waiver").GetProperty("id").GetInt64();
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await clerk.PostAsJsonAsync($"/api/collections/waivers/{waiverId}/decision", new { approve = true })).StatusCode);
        var supervisor = await factory.SignedInClientAsync("Supervisor");
        using (var pending = JsonDocument.Parse(await supervisor.GetStringAsync(new Uri("/api/collections/waivers", UriKind.Relative))))
        {
            Assert.Contains(pending.RootElement.EnumerateArray(), p => p.GetProperty("waiver").GetProperty("id").GetInt64() == waiverId);
        }

        var approved = await supervisor.PostAsJsonAsync($"/api/collections/waivers/{waiverId}/decision", new { approve = true });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        using (var view = JsonDocument.Parse(await clerk.GetStringAsync(new Uri(url, UriKind.Relative))))
        {
            Assert.Equal(1, view.RootElement.GetProperty("courtesyUsed").GetInt32());
            var statuses = view.RootElement.GetProperty("charges").EnumerateArray()
                .Where(c => c.GetProperty("transactionId").GetInt64() is var id && (id == lateId || id == feeId))
                .Select(c => c.GetProperty("waiver").GetProperty("status").GetString()).ToList();
            Assert.Equal(["Posted", "Posted"], statuses);
        }
    }
}
