using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Cases;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Collections;
using OpenCIS.UseCases.Cases;
using OpenCIS.UseCases.Collections;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// Cases on both databases, with the real daily collections run: a billing dispute holds its amount out of the
/// collections balance (the undisputed neighbour goes on the disconnect list, the disputing account does not, the
/// dispute named) until the case is resolved, when the amount comes back; every move is kept and audited, and a
/// resolved case does not move again.
/// </summary>
public sealed class CaseWorkflowTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_billing_dispute_keeps_its_amount_out_of_collections_until_the_case_is_resolved(TestProvider provider)
    {
        TestDatabases.Require(provider, "cases");
        await using var city = await PaymentCity.StartUnderPolicyAsync(provider, "cases", accounts: 2);
        var (disputing, neighbour) = (city.AccountIds[0], city.AccountIds[1]);
        var due = await city.FirstDueAsync(disputing);
        city.Clock.MoveTo(due.AddDays(1));
        long owed;
        await using (var db = city.Fresh())
        {
            owed = await db.OpenItems.Where(o => o.AccountId == disputing).SumAsync(o => o.OpenCents);
        }

        // More than is owed is refused, naming the amount; nothing is opened.
        var tooMuch = await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<CaseWork, CaseOutcome>(w =>
            w.OpenAsync(disputing, new CaseRequest(CaseKind.BillingDispute, "Disputes the November bill", Amount: Money.FromCents(owed + 1)), "clerk")));
        Assert.Equal("amount", tooMuch.Field);
        var noAmount = await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<CaseWork, CaseOutcome>(w =>
            w.OpenAsync(disputing, new CaseRequest(CaseKind.BillingDispute, "Disputes the November bill"), "clerk")));
        Assert.Equal("amount", noAmount.Field);

        var opened = await city.RunAsync<CaseWork, CaseOutcome>(w =>
            w.OpenAsync(disputing, new CaseRequest(CaseKind.BillingDispute, "Disputes the November bill", "Says the meter was read twice", Money.FromCents(owed)), "clerk"));
        var @case = opened.Case;
        Assert.Equal(("Open", "Billing", due.AddDays(1).AddDays(30)), (@case.Status, @case.Queue, @case.DueOn));
        Assert.NotNull(@case.ProtectionId);

        for (var date = due.AddDays(1); date <= due.AddDays(25); date = date.AddDays(1))
        {
            city.Clock.MoveTo(date);
            var day = date;
            await city.RunAsync<RunCollections, CollectionRunOutcome>(r => r.ExecuteAsync(day, "system"));
        }

        await using (var db = city.Fresh())
        {
            var listed = await db.AccountCollections.AsNoTracking().SingleAsync(s => s.AccountId == neighbour);
            Assert.True(listed.Listed, listed.Explanation);
            // Owing as much, only the late charge is undisputed: under the step's minimum, so held, the dispute named.
            var held = await db.AccountCollections.AsNoTracking().SingleAsync(s => s.AccountId == disputing);
            Assert.False(held.Listed, held.Explanation);
            Assert.Contains($"held: open dispute over {Money.FromCents(owed)}; the undisputed ", held.Explanation, StringComparison.Ordinal);
        }

        // Worked and resolved: each move kept; the dispute protection ends with the case.
        await city.RunAsync<CaseWork, CaseOutcome>(w => w.AssignAsync(@case.Id, "billing1", null, "Check the read history", "supervisor"));
        await city.RunAsync<CaseWork, CaseOutcome>(w => w.WaitAsync(@case.Id, CaseStatus.WaitingOnField, "Re-read ordered", "billing1"));
        var badCode = await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<CaseWork, CaseOutcome>(w => w.ResolveAsync(@case.Id, "leak-found", null, "billing1")));
        Assert.Equal("resolution", badCode.Field);
        var resolved = await city.RunAsync<CaseWork, CaseOutcome>(w => w.ResolveAsync(@case.Id, "denied", "The re-read confirms both reads", "billing1"));
        Assert.Equal(("Resolved", "denied"), (resolved.Case.Status, resolved.Case.Resolution));
        Assert.Equal(["opened in the Billing queue", "assigned to billing1 in the Billing queue", "waiting on the field", "resolved: denied"], resolved.Case.Changes.Select(c => c.What));
        var again = await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<CaseWork, CaseOutcome>(w => w.AssignAsync(@case.Id, "clerk", null, null, "clerk")));
        Assert.Equal("status", again.Field);

        var next = due.AddDays(26);
        city.Clock.MoveTo(next);
        await city.RunAsync<RunCollections, CollectionRunOutcome>(r => r.ExecuteAsync(next, "system"));
        await using (var db = city.Fresh())
        {
            var protection = await db.AccountProtections.AsNoTracking().SingleAsync(p => p.Id == @case.ProtectionId);
            Assert.Equal(next.AddDays(-1), protection.EndedOn);
            Assert.Equal($"Case {@case.Id} resolved: denied", protection.EndReason);
            var back = await db.AccountCollections.AsNoTracking().SingleAsync(s => s.AccountId == disputing);
            Assert.True(back.PastDueCents >= owed, back.Explanation);
            Assert.DoesNotContain("dispute", back.ProtectedBy ?? "", StringComparison.OrdinalIgnoreCase);
            Assert.Equal(4, await db.AuditEntries.CountAsync(a => a.EntityType == "AccountCase" && a.EntityId == @case.Id));
        }

        var alerts = await city.RunAsync<UseCases.Customers.AccountAlertQueries, IReadOnlyList<UseCases.Customers.AccountAlertView>>(q => q.ForAccountAsync(disputing));
        Assert.DoesNotContain(alerts, a => a.Kind is "cases" or "dispute");
    }
}
