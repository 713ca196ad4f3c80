using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Storage;
using OpenCIS.Storage.Billing;
using OpenCIS.Web.Api;

namespace OpenCIS.Tests.Web;

/// <summary>
/// The pre-bill review through the API of the demo city: a supervisor sets the residential rules, C1's December run holds
/// the bills that fail them; a clerk lists, releases (once: a retry with the key replays, without it is refused naming the
/// bill) and cancels them; the roles without the permission are refused.
/// </summary>
public sealed class BillReviewApiTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [SkippableFact]
    public async Task Rules_hold_a_runs_bills_which_a_clerk_releases_once_and_cancels_with_a_reason()
    {
        await using var factory = new OpenCisWebFactory();
        await BillingJobTests.ReadCycleAsync(factory);
        var supervisor = await factory.SignedInClientAsync("Supervisor");
        var clerk = await factory.SignedInClientAsync("Clerk");
        var auditor = await factory.SignedInClientAsync("Auditor");

        // Rules: set and read back; a negative percent and an unknown class are refused naming the field; a clerk may not set them.
        var set = await supervisor.PutAsJsonAsync("/api/billing/review/rules/residential", new ReviewRulesBody(HighPercent: 50m, HighAmount: "40.00", VeryLarge: "0.00", ZeroUse: true));
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var rules = (await supervisor.GetFromJsonAsync<List<ReviewRulesResponse>>("/api/billing/review/rules", Json))!;
        var residential = rules.Single(r => r.AccountClass == "Residential");
        Assert.Equal((true, 50m, "40.00", "0.00", true, false, "supervisor"), (residential.Set, residential.HighPercent, residential.HighAmount, residential.VeryLarge, residential.ZeroUse, residential.FirstBill, residential.UpdatedBy));
        Assert.False(rules.Single(r => r.AccountClass == "Commercial").Set);
        Assert.Equal("highPercent", await ApiRequests.ProblemFieldAsync(await supervisor.PutAsJsonAsync("/api/billing/review/rules/commercial", new ReviewRulesBody(HighPercent: -5m))));
        Assert.Equal("veryLarge", await ApiRequests.ProblemFieldAsync(await supervisor.PutAsJsonAsync("/api/billing/review/rules/commercial", new ReviewRulesBody(VeryLarge: "lots"))));
        Assert.Equal("accountClass", await ApiRequests.ProblemFieldAsync(await supervisor.PutAsJsonAsync("/api/billing/review/rules/farm", new ReviewRulesBody(ZeroUse: true))));
        Assert.Equal(HttpStatusCode.Forbidden, (await clerk.PutAsJsonAsync("/api/billing/review/rules/residential", new ReviewRulesBody(Remove: true))).StatusCode);
        var removed = await supervisor.PutAsJsonAsync("/api/billing/review/rules/industrial", new ReviewRulesBody(Remove: true));
        Assert.False((await removed.Content.ReadFromJsonAsync<ReviewRulesResponse>(Json))!.Set);

        // C1's December run: every residential bill is over $0.00, so each is held with its reason.
        var job = await JobPolling.FinishedAsync(clerk, await clerk.PostAsJsonAsync("/api/billing/runs", new StartBillingRunRequest("C1", "2026-12-08")));
        Assert.Equal("Completed", job.Status);
        Assert.Contains("held for review", job.Message, StringComparison.Ordinal);
        var runId = job.ResultId!.Value;
        var held = (await auditor.GetFromJsonAsync<HeldBillsResponse>($"/api/billing/held?runId={runId}&page=1&pageSize=2", Json))!;
        Assert.True(held.Total >= 3, $"{held.Total} held");
        Assert.Equal((2, 1, 2), (held.Bills.Count, held.Page, held.PageSize));
        Assert.All(held.Bills, b => Assert.Equal(("Residential", runId), (b.AccountClass, b.RunId!.Value)));
        Assert.All(held.Bills, b => Assert.Contains(b.Reasons, r => r.StartsWith("Very large: ", StringComparison.Ordinal)));
        Assert.Equal(held.Total, (await auditor.GetFromJsonAsync<HeldBillsResponse>("/api/billing/held", Json))!.Total);
        var (first, second) = (held.Bills[0], held.Bills[1]);

        // Only ReviewBills releases or cancels.
        Assert.Equal(HttpStatusCode.Forbidden, (await ApiRequests.PostAsync(auditor, $"/api/billing/held/{first.BillId}/release", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ApiRequests.PostAsync(auditor, $"/api/billing/held/{first.BillId}/cancel", new CancelHeldBillBody("no"))).StatusCode);

        // Released: issued and posted. The same key again replays the answer and posts nothing; released again, refused naming billId.
        var release = await ApiRequests.PostAsync(clerk, $"/api/billing/held/{first.BillId}/release", new { }, "release-1");
        Assert.Equal(HttpStatusCode.OK, release.StatusCode);
        var released = (await release.Content.ReadFromJsonAsync<HeldBillOutcomeResponse>(Json))!;
        Assert.Equal(("Issued", new DateOnly(2026, 12, 8)), (released.Status, released.BillDate!.Value));
        Assert.Contains("released", released.Message, StringComparison.Ordinal);
        var retry = await ApiRequests.PostAsync(clerk, $"/api/billing/held/{first.BillId}/release", new { }, "release-1");
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal("billId", await ApiRequests.ProblemFieldAsync(await ApiRequests.PostAsync(clerk, $"/api/billing/held/{first.BillId}/release", new { })));

        // Canceled with a reason; without one, refused naming reason.
        Assert.Equal("reason", await ApiRequests.ProblemFieldAsync(await ApiRequests.PostAsync(clerk, $"/api/billing/held/{second.BillId}/cancel", new CancelHeldBillBody(" "))));
        var cancel = await ApiRequests.PostAsync(clerk, $"/api/billing/held/{second.BillId}/cancel", new CancelHeldBillBody("Read was keyed wrong; corrected read ordered"), "cancel-1");
        Assert.Equal("Canceled", (await cancel.Content.ReadFromJsonAsync<HeldBillOutcomeResponse>(Json))!.Status);
        Assert.Equal("billId", await ApiRequests.ProblemFieldAsync(await ApiRequests.PostAsync(clerk, "/api/billing/held/99999999/release", new { })));

        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
            var bill = await db.Bills.AsNoTracking().SingleAsync(b => b.Id == first.BillId);
            Assert.Equal(BillStatus.Issued, bill.Status);
            Assert.NotNull(bill.FinancialTransactionId);
            Assert.Equal(1, await db.FinancialTransactions.CountAsync(t => t.Id == bill.FinancialTransactionId));
            Assert.Equal(BillStatus.Canceled, (await db.Bills.AsNoTracking().SingleAsync(b => b.Id == second.BillId)).Status);
        }

        var after = (await clerk.GetFromJsonAsync<HeldBillsResponse>($"/api/billing/held?runId={runId}", Json))!;
        Assert.Equal(held.Total - 2, after.Total);
        Assert.DoesNotContain(after.Bills, b => b.BillId == first.BillId || b.BillId == second.BillId);

        // The run page lists the rest with their actions for a clerk, and without them for an auditor.
        var page = await clerk.GetStringAsync(new Uri($"/Billing/Runs/{runId}", UriKind.Relative));
        Assert.Contains("id=\"held-bills\"", page, StringComparison.Ordinal);
        Assert.Contains($"Release bill {after.Bills[0].BillId}", page, StringComparison.Ordinal);
        var readOnly = await auditor.GetStringAsync(new Uri($"/Billing/Runs/{runId}", UriKind.Relative));
        Assert.Contains("id=\"held-bills\"", readOnly, StringComparison.Ordinal);
        Assert.DoesNotContain("Release bill", readOnly, StringComparison.Ordinal);
    }
}
