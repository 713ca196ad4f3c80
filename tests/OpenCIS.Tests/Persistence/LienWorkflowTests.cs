using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Liens;
using OpenCIS.Core.Payments;
using OpenCIS.Storage;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.Demo;
using OpenCIS.UseCases.Ledger;
using OpenCIS.UseCases.Liens;
using OpenCIS.UseCases.Payments;
using OpenCIS.UseCases.Receivables;

using static OpenCIS.Tests.Persistence.LedgerChecks;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// A lien on each database, through the daily collections run and the lien run after it: an owner-occupied account's balance is noticed
/// at 120 days past due (a tenant's beside it is not), filed with its fee when the notice period ends, certified to the tax roll, partly
/// paid, paid, and released; its documents print what each stage says. The books tie out after each step.
/// </summary>
public sealed class LienWorkflowTests
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(FixedClock.DemoToday.UtcDateTime);

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_lien_is_noticed_filed_with_its_fee_certified_paid_and_released(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "liens");
        await database.MigrateAsync();
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<OpenCisDbContext>();
        var tiny = await TinyCity.BuildAsync(db, 2);
        var (owner, tenant) = (tiny[0], tiny[1]);
        await sp.GetRequiredService<ImportCollectionPolicy>().ExecuteAsync(DemoCollections.PolicyFileName, DemoCollections.PolicyYaml(), "admin");

        // The owner lives at the premise (main customer and owner); the tenant's premise belongs to someone else. Both owe 400.00 due 200 days back.
        db.AccountCustomers.Add(new AccountCustomer { AccountId = owner.AccountId, CustomerId = owner.CustomerId, Role = AccountRole.Owner, StartedOn = TinyCity.OpenedOn });
        var due = Today.AddDays(-200);
        foreach (var account in tiny)
        {
            await OweAsync(db, account.AccountId, due);
        }

        var liens = sp.GetRequiredService<RunLiens>();
        var nights = NightlyRuns(sp, due);
        Task<LienRunOutcome> DayAsync(int daysPastDue) => nights(daysPastDue);

        Assert.Empty((await DayAsync(119)).Steps);

        // At 120 days past due the owner's balance is noticed for everything past due; the tenant's is not.
        var owed = await BalanceAsync(db, owner.AccountId);
        var noticeDay = await DayAsync(120);
        var noticed = Assert.Single(noticeDay.Steps);
        Assert.Equal((owner.AccountNumber, LienActionKind.Notice), (noticed.AccountNumber, noticed.Action));
        var register = sp.GetRequiredService<LienRegister>();
        var lien = await register.FindAsync(noticed.LienNumber!);
        Assert.Equal((LienStatus.Noticed, "P1", due.AddDays(150)), (lien.Status, lien.ParcelId, lien.NoticeEndsOn));
        Assert.True(lien.Principal.Cents >= 400_00 && lien.Principal.Cents <= owed + 100_00, $"noticed for {lien.Principal}, owed {owed}");
        Assert.Equal(lien.Principal, lien.Outstanding);
        Assert.Empty((await liens.ExecuteAsync(due.AddDays(120), "system")).Steps);
        Assert.Empty(await register.OfAccountAsync(tenant.AccountId));
        var documents = sp.GetRequiredService<LienDocuments>();
        var notice = await documents.RenderAsync(lien.Number, LienDocumentKind.Notice);
        Assert.Contains("NOTICE OF INTENT TO FILE A LIEN", notice.Lines);
        Assert.Contains($"Notice period: 30 days, ending {due.AddDays(150).ToString("MMMM d, yyyy", System.Globalization.CultureInfo.InvariantCulture)}.", notice.Lines);
        Assert.Equal("kind", (await Assert.ThrowsAsync<DomainException>(() => documents.RenderAsync(lien.Number, LienDocumentKind.Filing))).Field);
        await TiesOutAsync(db);

        // Still unpaid the day after the notice period: filed for what is unpaid, with the 45.00 fee posted to lien fee revenue.
        Assert.Empty((await DayAsync(150)).Steps);
        var filingDay = await DayAsync(151);
        Assert.Equal(LienActionKind.File, Assert.Single(filingDay.Steps).Action);
        lien = await register.FindAsync(lien.Number);
        Assert.Equal((LienStatus.Filed, due.AddDays(151), lien.Principal, Money.FromCents(45_00)), (lien.Status, lien.FiledOn, lien.FiledPrincipal!.Value, lien.FilingFee));
        Assert.Equal(lien.Principal + Money.FromCents(45_00), lien.Secured);
        Assert.Equal(-45_00L, await GlNetAsync(db, GlAccounts.LienFees));
        Assert.Empty((await liens.ExecuteAsync(due.AddDays(151), "system")).Steps);
        var filing = await documents.RenderAsync(lien.Number, LienDocumentKind.Filing);
        Assert.Contains("Amount of the lien", filing.Lines);
        Assert.Contains(lien.Secured.ToString(), filing.Lines);
        Assert.Contains("Lien filing fee", filing.Lines);
        await TiesOutAsync(db);

        // Certified to the tax roll for what is unpaid; a second certification finds nothing new.
        var certification = await register.CertifyAsync(Today.Year + 1, "supervisor");
        Assert.Equal((1, lien.Secured), (certification.Liens, certification.Total));
        var (_, csv) = await register.CertificationFileAsync(certification.Id);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(LienRegister.CertificationHeader, lines[0]);
        Assert.Equal($"{Today.Year + 1},P1,Owner,\"1 Test St, Riverbend, OR 97401\",{lien.Number},{owner.AccountNumber},{due.AddDays(151):yyyy-MM-dd},{lien.Principal.ToPlainString()},45.00,{lien.Secured.ToPlainString()}", lines[1]);
        Assert.Equal("taxYear", (await Assert.ThrowsAsync<DomainException>(() => register.CertifyAsync(Today.Year + 1, "supervisor"))).Field);
        Assert.Equal("taxYear", (await Assert.ThrowsAsync<DomainException>(() => register.CertifyAsync(Today.Year + 5, "supervisor"))).Field);

        // 100.00 paid at the counter: partly paid. Releasing it now is refused.
        var poster = sp.GetRequiredService<PaymentBatchPoster>();
        await poster.PostAsync([new PaymentInstruction(owner.AccountId, Money.FromCents(100_00), due.AddDays(160), Tender.Cash, PaymentSource.Counter, null)], "cashier", default);
        Assert.Equal(LienActionKind.MarkPartlyPaid, Assert.Single((await DayAsync(160)).Steps).Action);
        lien = await register.FindAsync(lien.Number);
        Assert.Equal((LienStatus.PartlyPaid, Money.FromCents(100_00)), (lien.Status, lien.Paid));
        Assert.Equal("number", (await Assert.ThrowsAsync<DomainException>(() => register.ReleaseAsync(lien.Number, null, "collector"))).Field);
        await TiesOutAsync(db);

        // The rest paid: satisfied; the release is recorded and prints.
        await poster.PostAsync([new PaymentInstruction(owner.AccountId, Money.FromCents(await BalanceAsync(db, owner.AccountId)), due.AddDays(170), Tender.Cash, PaymentSource.Counter, null)],
            "cashier", default);
        Assert.Equal(LienActionKind.Satisfy, Assert.Single((await DayAsync(170)).Steps).Action);
        lien = await register.FindAsync(lien.Number);
        Assert.Equal((LienStatus.Satisfied, Money.Zero, true), (lien.Status, lien.Outstanding, lien.CanRelease));
        var released = await register.ReleaseAsync(lien.Number, null, "collector");
        Assert.Equal((LienStatus.Released, "Paid in full", "collector"), (released.Status, released.ReleaseReason, released.ReleasedBy));
        Assert.Equal(released.ReleasedOn, (await register.ReleaseAsync(lien.Number, "again", "collector")).ReleasedOn);
        var release = await documents.RenderAsync(lien.Number, LienDocumentKind.Release);
        Assert.Contains("RELEASE OF LIEN", release.Lines);
        Assert.Contains("Reason: Paid in full", release.Lines);
        Assert.Empty((await DayAsync(171)).Steps);
        await TiesOutAsync(db);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_filed_lien_whose_balance_is_written_off_is_settled_not_paid(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "liens-written-off");
        await database.MigrateAsync();
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<OpenCisDbContext>();
        var owner = (await TinyCity.BuildAsync(db, 1))[0];
        await sp.GetRequiredService<ImportCollectionPolicy>().ExecuteAsync(DemoCollections.PolicyFileName, DemoCollections.PolicyYaml(), "admin");
        db.AccountCustomers.Add(new AccountCustomer { AccountId = owner.AccountId, CustomerId = owner.CustomerId, Role = AccountRole.Owner, StartedOn = TinyCity.OpenedOn });
        var due = Today.AddDays(-200);
        await OweAsync(db, owner.AccountId, due);
        var nights = NightlyRuns(sp, due);
        Task<LienRunOutcome> DayAsync(int daysPastDue) => nights(daysPastDue);

        var number = Assert.Single((await DayAsync(120)).Steps).LienNumber!;
        Assert.Equal(LienActionKind.File, Assert.Single((await DayAsync(151)).Steps).Action);
        var register = sp.GetRequiredService<LienRegister>();
        var lien = await register.FindAsync(number);

        // 50.00 paid, then the rest written off to bad debt: the lien secures nothing unpaid, but only 50.00 of it was paid.
        await sp.GetRequiredService<PaymentBatchPoster>().PostAsync([new PaymentInstruction(owner.AccountId, Money.FromCents(50_00), due.AddDays(155), Tender.Cash, PaymentSource.Counter, null)],
            "cashier", default);
        var writtenOff = Money.FromCents(await BalanceAsync(db, owner.AccountId));
        await sp.GetRequiredService<WriteOffBalance>().ExecuteAsync(new WriteOffRequest(owner.AccountNumber, null, "DECEASED", "Estate closed with nothing to pay", null), "supervisor");
        var settled = Assert.Single((await DayAsync(160)).Steps);
        Assert.Equal(LienActionKind.Satisfy, settled.Action);
        Assert.Contains("not paid in full", settled.Reason, StringComparison.Ordinal);
        lien = await register.FindAsync(number);
        Assert.Equal((LienStatus.Satisfied, Money.Zero, Money.FromCents(50_00), lien.Secured - Money.FromCents(50_00)), (lien.Status, lien.Outstanding, lien.Paid, lien.WrittenOff));
        Assert.True(writtenOff >= lien.WrittenOff, $"written off {writtenOff}, of it on the lien {lien.WrittenOff}");

        // Its release says so: the reason by default, and the document.
        var released = await register.ReleaseAsync(number, null, "collector");
        Assert.Equal((LienStatus.Released, "Paid in part, the rest written off"), (released.Status, released.ReleaseReason));
        var release = await sp.GetRequiredService<LienDocuments>().RenderAsync(number, LienDocumentKind.Release);
        Assert.Contains("Written off", release.Lines);
        Assert.Contains(lien.WrittenOff.ToString(), release.Lines);
        Assert.DoesNotContain(release.Lines, l => l.Contains("has been paid", StringComparison.Ordinal));
        await TiesOutAsync(db);
    }

    /// <summary>400.00 of water and sewer on the account, billed 20 days before <paramref name="due"/> and due then.</summary>
    private static async Task OweAsync(OpenCisDbContext db, long accountId, DateOnly due)
    {
        var ledger = await AccountLedger.LoadAsync(db, accountId, default);
        ledger.Post(db, PostingRules.ForAdjustment(Money.FromCents(400_00)), due.AddDays(-20), due, null, "clerk", "Water and sewer", FixedClock.DemoToday);
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
    }

    /// <summary>The night's collections run and then the lien run, on the day the balance due on <paramref name="due"/> is so many days past due.</summary>
    private static Func<int, Task<LienRunOutcome>> NightlyRuns(IServiceProvider sp, DateOnly due) => async daysPastDue =>
    {
        var date = due.AddDays(daysPastDue);
        await sp.GetRequiredService<RunCollections>().ExecuteAsync(date, "system");
        sp.GetRequiredService<OpenCisDbContext>().ChangeTracker.Clear();
        return await sp.GetRequiredService<RunLiens>().ExecuteAsync(date, "system");
    };
}
