using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Assistance;
using OpenCIS.UseCases.Assistance;
using OpenCIS.UseCases.Demo;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// The demo city's assistance plants are found exactly: the senior discount on every residential water bill of the two
/// enrolled seniors and on no other bill (not the one whose enrollment expired), and of the three pledges, the one
/// overdue and the one paid by the account's payment.
/// </summary>
public sealed class DemoAssistanceTests
{
    [Fact]
    public async Task The_demo_city_bills_the_senior_discount_to_exactly_its_enrolled_seniors_and_has_one_pledge_overdue()
    {
        var (database, outcome) = await TestDatabases.SeededCity100Async();
        await using var owned = database;
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var plants = Assert.IsType<DemoAssistance.Plants>(outcome.Assistance);

        await using var db = database.Context();
        Assert.Equal([DemoAssistance.LowIncome, DemoAssistance.Medical, DemoAssistance.Senior], await db.AssistancePrograms.OrderBy(p => p.Code).Select(p => p.Code).ToArrayAsync());
        // A bill over the rate change has the discount twice, once per version (W-RES-SENIOR@yyyyMMdd), prorated by days.
        var discounted = await db.BillLines.Where(l => l.Code.StartsWith("W-RES-SENIOR"))
            .Join(db.BillSegments, l => l.BillSegmentId, s => s.Id, (l, s) => new { s.BillId, l.AmountCents })
            .Join(db.Bills, l => l.BillId, b => b.Id, (l, b) => new { b.AccountId, b.Id, l.AmountCents })
            .ToListAsync();
        Assert.Equal(plants.CountingSeniors.Order().ToArray(), discounted.Select(d => d.AccountId).Distinct().Order().ToArray());
        Assert.All(discounted, d => Assert.True(d.AmountCents < 0));
        var seniorBills = await db.Bills.Where(b => plants.CountingSeniors.Contains(b.AccountId) && b.Segments.Any(s => s.TariffCode == "W-RES")).Select(b => b.Id).ToListAsync();
        Assert.Equal(seniorBills.Order().ToArray(), discounted.Select(d => d.Id).Distinct().Order().ToArray());
        Assert.DoesNotContain(discounted, d => d.AccountId == plants.ExpiredSenior || d.AccountId == plants.LowIncome);

        var report = await scope.ServiceProvider.GetRequiredService<PledgeQueries>().ReportAsync(outcome.From.AddMonths(-1), outcome.Through, null);
        var overdueNumbers = report.Pledges.Where(p => p.Overdue).Select(p => p.AccountNumber).ToList();
        Assert.Equal([plants.OverduePledge], await db.Accounts.Where(a => overdueNumbers.Contains(a.AccountNumber)).Select(a => a.Id).ToArrayAsync());
        var paid = Assert.Single(report.Pledges, p => p.Status == PledgeStatus.Paid);
        Assert.Equal(plants.PaidPledge, (await db.Payments.SingleAsync(p => p.Id == paid.PaymentId)).AccountId);
        Assert.Equal((1, 1, 1), (report.Total.OpenCount - report.Total.OverdueCount, report.Total.OverdueCount, report.Total.PaidCount));
    }
}
