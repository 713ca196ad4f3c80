using System.Text;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Collections;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;
using OpenCIS.Storage.Collections;
using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.Payments;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// Payment arrangements on each provider: made within the policy with installments summing to the amount,
/// refused outside it naming the limit, approved outside it by a Supervisor, one active at a time, cancelled
/// with a reason and audited; the agreement letter; a missed installment breaks it in the daily run and the
/// account goes back toward the disconnect list.
/// </summary>
public sealed class ArrangementTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Arrangements_follow_the_policy_are_approved_outside_it_cancelled_lettered_and_broken_by_a_missed_installment(TestProvider provider)
    {
        TestDatabases.Require(provider, "payment arrangements");
        await using var city = await PaymentCity.StartUnderPolicyAsync(provider, "payment arrangements", accounts: 3);
        var ids = city.AccountIds;
        Dictionary<long, (long Cents, DateOnly Due)> bills;
        await using (var db = city.Fresh())
        {
            bills = await db.Bills.Where(b => ids.Contains(b.AccountId)).ToDictionaryAsync(b => b.AccountId, b => (b.AmountDueCents, b.DueDate));
        }

        var today = bills[ids[0]].Due.AddDays(10);
        city.Clock.MoveTo(today);
        Task<ArrangementOutcome> Create(long id, ArrangementRequest request, string user = "collector") =>
            city.RunAsync<CreateArrangement, ArrangementOutcome>(w => w.ExecuteAsync(id, request, user));
        async Task<DomainException> Refused(long id, ArrangementRequest request, string user = "collector") =>
            await Assert.ThrowsAsync<DomainException>(() => Create(id, request, user));

        // Within the policy (25% down, at most 6 installments): the past due by default, installments summing to it.
        var owed = Money.FromCents(bills[ids[0]].Cents);
        var down = Money.Round(owed.Dollars * 0.30m);
        var made = await Create(ids[0], new ArrangementRequest(null, down, 3, today.AddDays(14)));
        var arrangement = made.Arrangement;
        Assert.Equal((owed.Cents, down.Cents, ArrangementStage.Active, null as string), (arrangement.AmountCents, arrangement.DownPaymentCents, arrangement.Status, arrangement.OutsidePolicy));
        Assert.Equal(owed.Cents, arrangement.DownPaymentCents + arrangement.Installments.Sum(i => i.AmountCents));
        Assert.Equal([today.AddDays(14), today.AddDays(14).AddMonths(1), today.AddDays(14).AddMonths(2)], arrangement.Installments.Select(i => i.DueOn));

        // One active arrangement at a time.
        var second = await Refused(ids[0], new ArrangementRequest(null, down, 3, today.AddDays(14)));
        Assert.Equal("accountId", second.Field);
        Assert.Contains("already has an active arrangement", second.Message, StringComparison.Ordinal);

        // Outside the policy: refused, naming the limit; more than the balance is refused outright.
        var other = Money.FromCents(bills[ids[1]].Cents);
        var low = await Refused(ids[1], new ArrangementRequest(null, Money.Round(other.Dollars * 0.10m), 3, today.AddDays(14)));
        Assert.Equal("minimumDownPaymentPercent", low.Field);
        Assert.Contains("under the policy's minimum of 25%", low.Message, StringComparison.Ordinal);
        Assert.Equal("installmentsMax", (await Refused(ids[1], new ArrangementRequest(null, Money.Round(other.Dollars * 0.5m), 8, today.AddDays(14)))).Field);
        Assert.Equal("amount", (await Refused(ids[1], new ArrangementRequest(other + Money.FromCents(1), Money.Round(other.Dollars * 0.5m), 2, today.AddDays(14)))).Field);
        Assert.Equal("firstDueOn", (await Refused(ids[1], new ArrangementRequest(null, Money.Round(other.Dollars * 0.5m), 2, today))).Field);

        // A Supervisor approves terms outside the policy with a reason; the limit is kept on the arrangement.
        Assert.Equal("approvalReason", (await Refused(ids[1], new ArrangementRequest(null, Money.Round(other.Dollars * 0.10m), 3, today.AddDays(14), ApproveOutsidePolicy: true), "supervisor")).Field);
        var approved = await Create(ids[1], new ArrangementRequest(null, Money.Round(other.Dollars * 0.10m), 3, today.AddDays(14), ApproveOutsidePolicy: true, ApprovalReason: "Hardship: job loss"), "supervisor");
        Assert.Contains("minimum of 25%", approved.Arrangement.OutsidePolicy, StringComparison.Ordinal);
        Assert.Equal("supervisor", approved.Arrangement.ApprovedBy);

        // Cancelled with a reason, once.
        Assert.Equal("reason", (await Assert.ThrowsAsync<DomainException>(() =>
            city.RunAsync<CancelArrangement, ArrangementOutcome>(w => w.ExecuteAsync(ids[1], approved.Arrangement.Id, " ", "collector")))).Field);
        var cancelled = await city.RunAsync<CancelArrangement, ArrangementOutcome>(w => w.ExecuteAsync(ids[1], approved.Arrangement.Id, "Customer moving out", "collector"));
        Assert.Equal((ArrangementStage.Cancelled, today), (cancelled.Arrangement.Status, cancelled.Arrangement.StatusOn));
        Assert.Contains("Customer moving out", cancelled.Arrangement.StatusReason, StringComparison.Ordinal);
        Assert.Equal("arrangementId", (await Assert.ThrowsAsync<DomainException>(() =>
            city.RunAsync<CancelArrangement, ArrangementOutcome>(w => w.ExecuteAsync(ids[1], approved.Arrangement.Id, "again", "collector")))).Field);
        await using (var db = city.Fresh())
        {
            var audit = await db.AuditEntries.Where(a => a.EntityType == "Arrangement").OrderBy(a => a.Id).ToListAsync();
            Assert.Equal(["Create arrangement", "Create arrangement", "Cancel arrangement"], audit.Select(a => a.Action));
            Assert.Equal(("supervisor", "Hardship: job loss"), (audit[1].User, audit[1].Reason?.Replace("Approved outside policy: ", "", StringComparison.Ordinal)));
            Assert.Equal(("collector", "Customer moving out"), (audit[2].User, audit[2].Reason));
        }

        // The down payment paid today shows against the arrangement.
        await city.RunAsync<TakePayment, PaymentReceipt>(p => p.ExecuteAsync(new TakePaymentRequest(city.Accounts[0].AccountNumber, down, Tender.MoneyOrder, null, PaymentSource.Counter, null), "cashier"));
        var listed = await city.RunAsync<ArrangementQueries, IReadOnlyList<ArrangementView>>(q => q.ForAccountAsync(ids[0]));
        Assert.Equal((down.Cents, down.Cents, 0L), (listed.Single().DownPaymentPaidCents, listed.Single().PaidCents, listed.Single().Installments[0].PaidCents));

        // The agreement letter: one page, the account number, the schedule and the terms with the policy's grace days.
        var letter = (await city.RunAsync<ArrangementLetter, RenderedArrangementLetter?>(l => l.RenderAsync(ids[0], arrangement.Id)))!;
        Assert.StartsWith("%PDF", Encoding.ASCII.GetString(letter.Pdf, 0, 4), StringComparison.Ordinal);
        Assert.Contains(letter.Text, t => t.Contains(city.Accounts[0].AccountNumber, StringComparison.Ordinal));
        Assert.Contains(ArrangementLetter.Terms(5), letter.Text);
        Assert.Contains(down.ToString(), letter.Text);
        Assert.Contains(city.Accounts[0].AccountNumber, Encoding.Latin1.GetString(letter.Pdf), StringComparison.Ordinal);
        Assert.Null(await city.RunAsync<ArrangementLetter, RenderedArrangementLetter?>(l => l.RenderAsync(ids[1], arrangement.Id)));

        // The first installment goes unpaid: five days of grace, then the run breaks the arrangement and collections resume.
        var brokenOn = today.AddDays(14 + 5 + 1);
        for (var date = today; date <= brokenOn.AddDays(1); date = date.AddDays(1))
        {
            city.Clock.MoveTo(date);
            var day = date;
            await city.RunAsync<RunCollections, CollectionRunOutcome>(r => r.ExecuteAsync(day, "system"));
        }

        await using (var db = city.Fresh())
        {
            var events = await db.CollectionEvents.Where(e => e.AccountId == ids[0]).OrderBy(e => e.Id).ToListAsync();
            var broken = events.Single(e => e.Action == CollectionAction.ArrangementBroken);
            Assert.Equal(brokenOn, broken.BusinessDate);
            Assert.Contains("installment 1", broken.Reason, StringComparison.Ordinal);
            Assert.DoesNotContain(events, e => e.Action == CollectionAction.DisconnectEligible && e.BusinessDate < brokenOn);
            var standing = await db.AccountCollections.SingleAsync(a => a.AccountId == ids[0]);
            Assert.Equal(CollectionStatus.DisconnectEligible, standing.Status);

            // The run keeps the arrangement's row in step: broken on the day it broke, so a new one may be made.
            var row = await db.Arrangements.SingleAsync(a => a.Id == arrangement.Id);
            Assert.Equal((ArrangementStage.Broken, brokenOn), (row.Status, row.StatusOn));
        }
    }
}
