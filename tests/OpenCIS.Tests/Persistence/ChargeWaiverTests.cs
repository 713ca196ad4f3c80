using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage.Collections;
using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.Reports;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// Waivers of late charges and collection fees on both databases, after the real collections run charged them:
/// the policy's one courtesy waiver a year posts at once as the exact mirror of the charge; a second waits for a
/// Supervisor and posts nothing until approved; a refusal posts nothing; no charge is waived twice; the books tie.
/// </summary>
public sealed class ChargeWaiverTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_courtesy_waiver_posts_at_once_the_next_waits_for_a_supervisor_and_nothing_is_waived_twice(TestProvider provider)
    {
        TestDatabases.Require(provider, "charge waivers");
        await using var city = await PaymentCity.StartUnderPolicyAsync(provider, "charge waivers", accounts: 2);
        var ids = city.AccountIds;
        var due = await city.FirstDueAsync(ids[0]);

        // Day 6 past due brings the late charge, day 16 the door hanger and its fee.
        for (var date = due.AddDays(1); date <= due.AddDays(19); date = date.AddDays(1))
        {
            city.Clock.MoveTo(date);
            var day = date;
            await city.RunAsync<RunCollections, CollectionRunOutcome>(r => r.ExecuteAsync(day, "system"));
        }

        var charges = (await city.RunAsync<WaiverQueries, AccountWaiversView?>(q => q.ForAccountAsync(ids[0])))!;
        Assert.Equal(1, charges.CourtesyPer12Months);
        var late = Assert.Single(charges.Charges, c => c.Kind == "late charge");
        var fee = Assert.Single(charges.Charges, c => c.Kind == "collection fee");
        long balanceBefore;
        await using (var db = city.Fresh())
        {
            balanceBefore = await db.OpenItems.Where(o => o.AccountId == ids[0]).SumAsync(o => o.OpenCents);
        }

        Task<WaiverOutcome> Waive(long transactionId, string user = "clerk", bool approve = false) =>
            city.RunAsync<WaiveCharge, WaiverOutcome>(w => w.ExecuteAsync(ids[0], transactionId, "First late payment in years", user, approve));

        var courtesy = await Waive(late.TransactionId);
        Assert.True(courtesy.Posted, courtesy.Message);
        Assert.True(courtesy.Waiver.Courtesy);
        Assert.Contains("courtesy waiver 1 of 1 in 12 months", courtesy.Message, StringComparison.Ordinal);

        // The same charge again, as a retry would: refused, nothing more posted.
        var twice = await Assert.ThrowsAsync<DomainException>(() => Waive(late.TransactionId));
        Assert.Contains("already", twice.Message, StringComparison.Ordinal);

        // The fee is beyond the courtesy limit: it waits and moves no money.
        var pending = await Waive(fee.TransactionId);
        Assert.False(pending.Posted);
        Assert.Equal(WaiverStatus.Pending, pending.Waiver.Status);
        Assert.Contains("courtesy limit of 1 in 12 months is used", pending.Message, StringComparison.Ordinal);
        Assert.Contains(await city.RunAsync<WaiverQueries, IReadOnlyList<PendingWaiverView>>(q => q.PendingAsync()), p => p.Waiver.Id == pending.Waiver.Id);
        await using (var db = city.Fresh())
        {
            Assert.Equal(balanceBefore - late.AmountCents, await db.OpenItems.Where(o => o.AccountId == ids[0]).SumAsync(o => o.OpenCents));
            var waiver = await db.FinancialTransactions.Include(t => t.GlEntries).SingleAsync(t => t.Id == courtesy.Waiver.WaiverTransactionId);
            var original = await db.FinancialTransactions.Include(t => t.GlEntries).SingleAsync(t => t.Id == late.TransactionId);
            Assert.Equal(FinancialTransactionType.CollectionWaiver, waiver.Type);
            Assert.Equal(late.TransactionId, waiver.ReversesTransactionId);
            Assert.Equal(-original.AmountCents, waiver.AmountCents);
            // The exact mirror: each late-charge revenue account credited is debited back by as much.
            Assert.Equal(
                original.GlEntries.Select(g => (g.GlAccount, g.DebitCents, g.CreditCents)).Order(),
                waiver.GlEntries.Select(g => (g.GlAccount, g.CreditCents, g.DebitCents)).Order());
        }

        var refusedByNote = await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<WaiveCharge, WaiverOutcome>(w => w.DecideAsync(pending.Waiver.Id, false, " ", "supervisor")));
        Assert.Equal("note", refusedByNote.Field);
        var approved = await city.RunAsync<WaiveCharge, WaiverOutcome>(w => w.DecideAsync(pending.Waiver.Id, true, null, "supervisor"));
        Assert.True(approved.Posted);
        Assert.Equal("supervisor", approved.Waiver.DecidedBy);
        var again = await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<WaiveCharge, WaiverOutcome>(w => w.DecideAsync(pending.Waiver.Id, true, null, "supervisor")));
        Assert.Contains("already posted", again.Message, StringComparison.Ordinal);

        // The other account: its own courtesy, then a refusal that posts nothing and may be asked again.
        var other = (await city.RunAsync<WaiverQueries, AccountWaiversView?>(q => q.ForAccountAsync(ids[1])))!;
        var otherLate = other.Charges.Single(c => c.Kind == "late charge");
        var otherFee = other.Charges.Single(c => c.Kind == "collection fee");
        Assert.True((await city.RunAsync<WaiveCharge, WaiverOutcome>(w => w.ExecuteAsync(ids[1], otherLate.TransactionId, "courtesy", "collector"))).Posted);
        var asked = await city.RunAsync<WaiveCharge, WaiverOutcome>(w => w.ExecuteAsync(ids[1], otherFee.TransactionId, "asked again", "collector"));
        var refused = await city.RunAsync<WaiveCharge, WaiverOutcome>(w => w.DecideAsync(asked.Waiver.Id, false, "Second this year", "supervisor"));
        Assert.Equal(WaiverStatus.Rejected, refused.Waiver.Status);
        Assert.Null(refused.Waiver.WaiverTransactionId);
        var askedAgain = await city.RunAsync<WaiveCharge, WaiverOutcome>(w => w.ExecuteAsync(ids[1], otherFee.TransactionId, "customer called back", "collector"));
        Assert.Equal(WaiverStatus.Pending, askedAgain.Waiver.Status);

        await using (var db = city.Fresh())
        {
            Assert.Equal(3, await db.FinancialTransactions.CountAsync(t => t.Type == FinancialTransactionType.CollectionWaiver));
            Assert.Equal(balanceBefore - late.AmountCents - fee.AmountCents, await db.OpenItems.Where(o => o.AccountId == ids[0]).SumAsync(o => o.OpenCents));
            Assert.Equal(await db.OpenItems.SumAsync(o => o.OpenCents), await db.FinancialTransactions.SumAsync(t => t.AmountCents));
            // Asked and approved; the courtesy waived at once.
            Assert.Equal(2, await db.AuditEntries.CountAsync(a => a.EntityType == "ChargeWaiver" && a.EntityId == pending.Waiver.Id));
            Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.EntityType == "ChargeWaiver" && a.EntityId == courtesy.Waiver.Id));
        }

        await using (var reports = city.Fresh())
        {
            var month = await new LedgerReports(reports).PeriodTrialBalanceAsync(due.AddDays(-30), due.AddDays(19));
            Assert.True(month.Balances && month.TiesToSubLedger, $"debits {month.TotalDebits} credits {month.TotalCredits}, AR {month.ReceivableClosing} against {month.SubLedgerAtClose}");
        }
    }
}
