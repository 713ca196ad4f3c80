using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Campaigns;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Payments;
using OpenCIS.Storage;
using OpenCIS.UseCases.Campaigns;
using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.Demo;
using OpenCIS.UseCases.Ledger;
using OpenCIS.UseCases.Payments;
using OpenCIS.UseCases.Pursuit;
using OpenCIS.UseCases.Reports;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// A calling campaign on each database: built from an aging bucket and an amount range (an account with an agency left off), dealt to
/// two collectors; calls logged with their outcomes, a promise taken and partly paid; each collector's results; the CSV and XLSX
/// exports; and the close, after which no call is taken.
/// </summary>
public sealed class CampaignWorkflowTests
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(FixedClock.DemoToday.UtcDateTime);

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_campaign_is_built_dealt_called_with_a_promise_counted_per_collector_exported_and_closed(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "calling campaigns");
        await database.MigrateAsync();
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<OpenCisDbContext>();
        var tiny = await TinyCity.BuildAsync(db, 6);

        // Owed, and how long past due: 45 days 300.00, 60 days 120.00, 75 days 80.00, 40 days 20.00 (under the range), 120 days 500.00 (over the bucket),
        // and a final account 50 days 200.00 placed with an agency.
        var owed = new (int Days, long Cents)[] { (45, 300_00), (60, 120_00), (75, 80_00), (40, 20_00), (120, 500_00), (50, 200_00) };
        foreach (var (account, (days, cents)) in tiny.Zip(owed))
        {
            var ledger = await AccountLedger.LoadAsync(db, account.AccountId, default);
            ledger.Post(db, PostingRules.ForAdjustment(Money.FromCents(cents)), Today.AddDays(-days - 20), Today.AddDays(-days), null, "clerk", "Water and sewer", FixedClock.DemoToday);
        }

        (await db.Accounts.SingleAsync(a => a.Id == tiny[5].AccountId)).MarkFinalBilled();
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        await sp.GetRequiredService<CollectionAgencies>().SaveAsync(DemoPursuit.Agencies[0], "supervisor");
        await sp.GetRequiredService<Referrals>().ReferAsync(tiny[5].AccountNumber, DemoPursuit.AgencyCode, "Moved out of state", "collector");

        var book = sp.GetRequiredService<CallingCampaignBook>();
        var criteria = new CampaignCriteria(31, 90, Money.FromCents(50_00), null, CampaignDebt.Any, false, false);
        Assert.Equal("collectors", (await Assert.ThrowsAsync<DomainException>(() => book.CreateAsync(new CampaignRequest("Late", criteria, null, null, []), "supervisor"))).Field);
        Assert.Equal("outcomes", (await Assert.ThrowsAsync<DomainException>(() => book.CreateAsync(new CampaignRequest("Late", criteria, null, ["sang-a-song"], ["ana"]), "supervisor"))).Field);
        Assert.Equal("criteria", (await Assert.ThrowsAsync<DomainException>(() =>
            book.CreateAsync(new CampaignRequest("Late", criteria with { MinimumDaysPastDue = 300, MaximumDaysPastDue = null }, null, null, ["ana"]), "supervisor"))).Field);

        var campaign = await book.CreateAsync(new CampaignRequest("31–90 days, $50 or more", criteria, "Hello, this is the city.", null, ["ana", "ben"]), "supervisor");
        Assert.Equal([tiny[0].AccountNumber, tiny[1].AccountNumber, tiny[2].AccountNumber], campaign.Targets.Select(t => t.AccountNumber).Order(StringComparer.Ordinal).ToArray());
        // Largest first, each to the shorter list, then the smaller: ana 300.00; ben 120.00 and 80.00.
        Assert.Equal(["ana", "ben", "ben"], campaign.Targets.OrderByDescending(t => t.Balance.Cents).Select(t => t.Collector).ToArray());
        Assert.Equal((45, "Customer 1"), (campaign.Targets.Single(t => t.AccountNumber == tiny[0].AccountNumber).DaysPastDue, campaign.Targets.Single(t => t.AccountNumber == tiny[0].AccountNumber).CustomerName));
        Assert.Equal(2, (await book.FindAsync(campaign.Id, "ben")).Targets.Count);

        // Ana's calls: no answer, then a promise of 150.00 in ten days. Ben is refused on one and gets no answer on the other.
        var first = campaign.Targets.Single(t => t.AccountNumber == tiny[0].AccountNumber);
        var third = campaign.Targets.Single(t => t.AccountNumber == tiny[2].AccountNumber);
        var second = campaign.Targets.Single(t => t.AccountNumber == tiny[1].AccountNumber);
        Assert.Equal("outcome", (await Assert.ThrowsAsync<DomainException>(() => book.LogCallAsync(campaign.Id, new CampaignCallRequest(first.Id, "answered", null, null), "ana"))).Field);
        Assert.Equal("promiseAmount", (await Assert.ThrowsAsync<DomainException>(() => book.LogCallAsync(campaign.Id, new CampaignCallRequest(first.Id, "promise-to-pay", null, null), "ana"))).Field);
        var noAnswer = await book.LogCallAsync(campaign.Id, new CampaignCallRequest(first.Id, "no-answer", null, null), "ana");
        Assert.Equal((TargetStatus.Open, 1), (noAnswer.Target.Status, noAnswer.Target.Attempts));
        var promised = await book.LogCallAsync(campaign.Id, new CampaignCallRequest(first.Id, "promise-to-pay", "Paying on payday", new PromiseTerms(Today.AddDays(10), Money.FromCents(150_00))), "ana");
        Assert.Equal((TargetStatus.Done, 2, 150_00L), (promised.Target.Status, promised.Target.Attempts, promised.Contact.Promise!.AmountCents));
        Assert.Equal("Campaign 31–90 days, $50 or more: Paying on payday", promised.Contact.Contact.Note);
        // Ana may not log a call on Ben's list; a Supervisor covering for him may.
        Assert.Equal("targetId", (await Assert.ThrowsAsync<DomainException>(() => book.LogCallAsync(campaign.Id, new CampaignCallRequest(third.Id, "no-answer", null, null), "ana"))).Field);
        await book.LogCallAsync(campaign.Id, new CampaignCallRequest(third.Id, "no-answer", null, null), "ben");
        await book.LogCallAsync(campaign.Id, new CampaignCallRequest(second.Id, "refused", null, null), "ben");

        // 100.00 of the promise comes in.
        await sp.GetRequiredService<PaymentBatchPoster>().PostAsync([new PaymentInstruction(tiny[0].AccountId, Money.FromCents(100_00), Today, Tender.Cash, PaymentSource.Counter, null)], "cashier", default);
        var results = (await book.FindAsync(campaign.Id)).Results.ToDictionary(r => r.Collector);
        Assert.Equal((1, 2, 1, 1, Money.FromCents(150_00), Money.FromCents(100_00)),
            (results["ana"].Targets, results["ana"].Calls, results["ana"].RightPartyContacts, results["ana"].Promises, results["ana"].Promised, results["ana"].Collected));
        Assert.Equal((2, 2, 1, 0, Money.Zero), (results["ben"].Targets, results["ben"].Calls, results["ben"].RightPartyContacts, results["ben"].Promises, results["ben"].Collected));

        // The exports: the list as CSV, and the list with the results as XLSX.
        var export = sp.GetRequiredService<CampaignExport>();
        var csv = System.Text.Encoding.UTF8.GetString((await export.CsvAsync(campaign.Id)).Content).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(',', CampaignExport.TargetHeader), csv[0]);
        Assert.Equal(4, csv.Length);
        Assert.Contains(csv, l => l.StartsWith($"{tiny[0].AccountNumber},Customer 1,", StringComparison.Ordinal) && l.EndsWith(",ana,300.00,45,done,2,promise-to-pay,200.00,no,no,", StringComparison.Ordinal));
        using var workbook = new MemoryStream((await export.XlsxAsync(campaign.Id)).Content);
        var sheet = ReportWorkbook.Read(workbook, "Results by collector");
        var ana = sheet.Single(r => r[0] == "ana");
        Assert.Equal(["ana", "1", "2", "1", "1"], ana.Take(5).ToArray());
        Assert.Equal((150m, 100m), (decimal.Parse(ana[5], System.Globalization.CultureInfo.InvariantCulture), decimal.Parse(ana[6], System.Globalization.CultureInfo.InvariantCulture)));

        // Closed: the list stays, no more calls.
        var closed = await book.CloseAsync(campaign.Id, "supervisor");
        Assert.Equal((CampaignStatus.Closed, Today), (closed.Status, closed.ClosedOn));
        Assert.Equal("id", (await Assert.ThrowsAsync<DomainException>(() => book.LogCallAsync(campaign.Id, new CampaignCallRequest(third.Id, "no-answer", null, null), "ana"))).Field);
        Assert.Equal(4, await db.CollectionContacts.CountAsync(c => c.Note.StartsWith("Campaign")));
        var listed = Assert.Single(await book.ListAsync());
        Assert.Equal((3, 1, Money.FromCents(500_00)), (listed.Targets, listed.Open, listed.Owed));
    }
}
