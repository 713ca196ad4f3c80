using System.Collections.Immutable;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Assistance;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;
using OpenCIS.Core.Rating;
using OpenCIS.Storage;
using OpenCIS.Storage.Rating;
using OpenCIS.UseCases.Assistance;
using OpenCIS.UseCases.Billing;
using OpenCIS.UseCases.Demo;
using OpenCIS.UseCases.Rating;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// Assistance programs on each database: a program's discount bills in a real run only on its named lines, and only for
/// an account whose enrollment counts on the bill's period end (not an un-enrolled, lapsed or ended one); agencies'
/// pledges recorded, paid through the payment path once under a retried key, linked, closed and reported.
/// </summary>
public sealed class AssistanceProgramTests
{
    private static readonly DateOnly BillDate = new(2026, 10, 5);

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_program_discount_bills_only_its_named_line_and_only_for_an_enrollment_that_counts_on_the_period_end(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "assistance programs");
        await database.MigrateAsync();
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        var accounts = await TinyCity.BuildAsync(db, 5);

        // The demo's residential water takes 30% off the base charge for seniors (W-RES-SENIOR: for_programs [SENIOR]).
        var programs = scope.ServiceProvider.GetRequiredService<AssistancePrograms>();
        var senior = await programs.SaveAsync(new ProgramDefinition("senior", "Senior discount", "65 or older, head of household", 12, Active: true), "supervisor");
        Assert.Equal("SENIOR", senior.Code);
        Assert.Equal([("W-RES", "W-RES-SENIOR", 2020), ("W-RES", "W-RES-SENIOR", 2035)], senior.Charges.Select(c => (c.ScheduleCode, c.ChargeCode, c.EffectiveFrom.Year)).ToArray());
        var badMonths = await Assert.ThrowsAsync<DomainException>(() => programs.SaveAsync(new ProgramDefinition("MEDICAL", "Medical", null, 0, true), "supervisor"));
        Assert.Equal("verificationMonths", badMonths.Field);

        // 0 counts; 1 is not enrolled; 2's yearly verification lapsed on 2026-05-31; 3 ended before the read; 4 enrolled after it.
        var enrollments = scope.ServiceProvider.GetRequiredService<ProgramEnrollmentWork>();
        await enrollments.EnrollAsync(new EnrollRequest(accounts[0].AccountNumber, "SENIOR", new DateOnly(2026, 9, 1), new DateOnly(2026, 9, 1), null, null), "clerk");
        var lapsed = await enrollments.EnrollAsync(new EnrollRequest(accounts[2].AccountNumber, "SENIOR", new DateOnly(2025, 6, 1), new DateOnly(2025, 6, 1), null, null), "clerk");
        Assert.Equal((new DateOnly(2026, 5, 31), false, "Verification due"), (lapsed.CountsThrough, lapsed.CountsToday, lapsed.State));
        var ended = await enrollments.EnrollAsync(new EnrollRequest(accounts[3].AccountNumber, "SENIOR", new DateOnly(2026, 9, 1), null, null, null), "clerk");
        await enrollments.EndAsync(ended.Id, new DateOnly(2026, 10, 1), "Moved in with family", "clerk");
        await enrollments.EnrollAsync(new EnrollRequest(accounts[4].AccountNumber, "SENIOR", new DateOnly(2026, 10, 10), null, null, null), "clerk");
        var twice = await Assert.ThrowsAsync<DomainException>(() => enrollments.EnrollAsync(new EnrollRequest(accounts[0].AccountNumber, "SENIOR", null, null, null, null), "clerk"));
        Assert.Equal("programCode", twice.Field);
        var backwards = await Assert.ThrowsAsync<DomainException>(() => enrollments.EnrollAsync(new EnrollRequest(accounts[1].AccountNumber, "SENIOR", new DateOnly(2026, 9, 1), null, new DateOnly(2026, 8, 1), null), "clerk"));
        Assert.Equal("expiresOn", backwards.Field);

        await TinyCity.AddReadAsync(db, accounts, BillDate.AddDays(-1), 3_000);
        db.ChangeTracker.Clear();
        var run = await scope.ServiceProvider.GetRequiredService<RunBilling>().ExecuteAsync("C1", BillDate, "clerk");
        Assert.Equal((5, 0), (run.BillsCreated, run.Exceptions));

        await using (var fresh = database.Context())
        {
            var discounts = await fresh.BillLines.Where(l => l.Code == "W-RES-SENIOR")
                .Join(fresh.BillSegments, l => l.BillSegmentId, s => s.Id, (l, s) => new { s.BillId, s.Service, l.AmountCents, l.Trace })
                .Join(fresh.Bills, l => l.BillId, b => b.Id, (l, b) => new { b.AccountId, l.Service, l.AmountCents, l.Trace })
                .ToListAsync();
            var line = Assert.Single(discounts);
            Assert.Equal((accounts[0].AccountId, Service.Water, -375L), (line.AccountId, line.Service, line.AmountCents));
            Assert.Contains("W-RES-BASE", line.Trace, StringComparison.Ordinal);
            var totals = await fresh.Bills.OrderBy(b => b.AccountId).Select(b => b.AmountDueCents).ToListAsync();
            Assert.Equal(totals[1] - 375, totals[0]);
            Assert.Equal([totals[1], totals[1], totals[1]], totals.Skip(2).ToArray());
        }

        // Bill messages target by the same rule.
        var enrolled = await EnrolledSpans.ProgramsOfAccountsAsync(db, [.. accounts.Select(a => a.AccountId)], BillDate.AddDays(-1), default);
        Assert.Equal([accounts[0].AccountId], enrolled.Keys.ToArray());
        Assert.Contains("SENIOR", enrolled[accounts[0].AccountId]);

        // Verified again, the lapsed enrollment counts again.
        var verified = await enrollments.VerifyAsync(lapsed.Id, new DateOnly(2026, 11, 1), null, "clerk");
        Assert.Equal(("Counts", new DateOnly(2027, 10, 31)), (verified.State, verified.CountsThrough));
        Assert.Equal(4, await db.AuditEntries.CountAsync(e => e.EntityType == "ProgramEnrollment" && e.Action == "Enroll"));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_pledge_is_paid_once_through_the_payment_path_and_the_report_shows_open_overdue_and_paid(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "assistance pledges");
        await database.MigrateAsync();
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        var accounts = await TinyCity.BuildAsync(db, 3);
        var work = scope.ServiceProvider.GetRequiredService<AssistancePledgeWork>();
        var today = DateOnly.FromDateTime(FixedClock.DemoToday.UtcDateTime);

        var paid = await work.RecordAsync(new RecordPledgeRequest(accounts[0].AccountNumber, "Riverbend Community Action", Money.FromCents(15_000), today.AddDays(-10), today.AddDays(20), null), "clerk");
        var open = await work.RecordAsync(new RecordPledgeRequest(accounts[1].AccountNumber, "Riverbend Community Action", Money.FromCents(8_000), today.AddDays(-3), today.AddDays(27), null), "clerk");
        var overdue = await work.RecordAsync(new RecordPledgeRequest(accounts[2].AccountNumber, "Salvation Army", Money.FromCents(5_000), today.AddDays(-40), today.AddDays(-10), null), "clerk");
        Assert.True(overdue.Overdue);
        Assert.False(open.Overdue);
        var bad = await Assert.ThrowsAsync<DomainException>(() => work.RecordAsync(new RecordPledgeRequest(accounts[0].AccountNumber, "Agency", Money.FromCents(100), today, today.AddDays(-1), null), "clerk"));
        Assert.Equal("expectedBy", bad.Field);

        var first = await work.PayAsync(new PayPledgeRequest(paid.Id, Tender.Check, "40211", "pledge-1"), "cashier");
        var retry = await work.PayAsync(new PayPledgeRequest(paid.Id, Tender.Check, "40211", "pledge-1"), "cashier");
        Assert.Equal((false, true, first.ReceiptNumber), (first.AlreadyPosted, retry.AlreadyPosted, retry.ReceiptNumber));
        Assert.Equal((PledgeStatus.Paid, 15_000L), (first.Pledge.Status, first.Pledge.PaidCents));
        var again = await Assert.ThrowsAsync<DomainException>(() => work.PayAsync(new PayPledgeRequest(paid.Id, Tender.Check, "40212", "pledge-2"), "cashier"));
        Assert.Equal("pledgeId", again.Field);
        var otherAccount = await Assert.ThrowsAsync<DomainException>(() => work.LinkPaymentAsync(open.Id, first.Pledge.PaymentId!.Value, "clerk"));
        Assert.Equal("paymentId", otherAccount.Field);

        await using (var fresh = database.Context())
        {
            var payment = await fresh.Payments.SingleAsync();
            Assert.Equal((accounts[0].AccountId, 15_000L, Tender.Check), (payment.AccountId, payment.AmountCents, payment.Tender));
            var entries = await fresh.GlEntries.ToListAsync();
            Assert.Equal(entries.Sum(e => e.DebitCents), entries.Sum(e => e.CreditCents));
        }

        var report = await scope.ServiceProvider.GetRequiredService<PledgeQueries>().ReportAsync(today.AddDays(-60), today, null);
        Assert.Equal((1, 8_000L, 1, 5_000L, 1, 15_000L), (report.Total.OpenCount - report.Total.OverdueCount, report.Total.OpenCents - report.Total.OverdueCents,
            report.Total.OverdueCount, report.Total.OverdueCents, report.Total.PaidCount, report.Total.PaidCents));
        Assert.Equal(["Riverbend Community Action", "Salvation Army"], report.Agencies.Select(a => a.Agency).ToArray());
        var cancelled = await work.CloseAsync(overdue.Id, PledgeStatus.Cancelled, "Agency withdrew", "clerk");
        Assert.Equal((PledgeStatus.Cancelled, false), (cancelled.Status, cancelled.Overdue));
    }
}
