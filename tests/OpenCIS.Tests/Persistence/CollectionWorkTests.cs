using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Collections;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Collections;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// The collector's work on each provider: protections entered, refused beyond the policy's renewals a year,
/// ended and audited; contacts with a promise on the same step, promises and notes, newest first; the work
/// queue's filters, order, pages, last contact and open promise.
/// </summary>
public sealed class CollectionWorkTests
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(FixedClock.DemoToday.UtcDateTime);

    private sealed class City(TestDatabase database, ServiceProvider services, List<TinyCity.TinyAccount> accounts) : IAsyncDisposable
    {
        public List<TinyCity.TinyAccount> Accounts { get; } = accounts;

        public TestDatabase Database { get; } = database;

        public async Task<TResult> RunAsync<T, TResult>(Func<T, Task<TResult>> work) where T : notnull
        {
            await using var scope = services.CreateAsyncScope();
            return await work(scope.ServiceProvider.GetRequiredService<T>());
        }

        public async ValueTask DisposeAsync()
        {
            await services.DisposeAsync();
            await Database.DisposeAsync();
        }
    }

    private static async Task<City> StartAsync(TestProvider provider, string what, int accounts)
    {
        var database = await TestDatabases.CreateAsync(provider, what);
        await database.MigrateAsync();
        List<TinyCity.TinyAccount> tiny;
        await using (var db = database.Context())
        {
            tiny = await TinyCity.BuildAsync(db, accounts);
        }

        var city = new City(database, database.Services(new FixedClock(FixedClock.DemoToday)), tiny);
        var yaml = await File.ReadAllTextAsync(RepositoryExamples.Path("collections", "riverbend.yaml"));
        var imported = await city.RunAsync<ImportCollectionPolicy, CollectionPolicyImportOutcome>(w => w.ExecuteAsync("riverbend.yaml", yaml, "supervisor"));
        Assert.True(imported.Imported, imported.Message);
        return city;
    }

    private static ProtectionRequest Certificate(DateOnly from) => new(ProtectionKind.MedicalCertificate, from, from.AddDays(20), "Dr. Ada Lane");

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Protections_are_entered_refused_beyond_the_policys_renewals_ended_with_a_reason_and_audited(TestProvider provider)
    {
        TestDatabases.Require(provider, "collection protections");
        await using var city = await StartAsync(provider, "collection protections", 1);
        var id = city.Accounts[0].AccountId;
        Task<ProtectionOutcome> Enter(ProtectionRequest request) => city.RunAsync<EnterProtection, ProtectionOutcome>(w => w.ExecuteAsync(id, request, "clerk"));

        // Riverbend allows 2 renewals a year: the first certificate and two renewals within 365 days stand, a fourth does not.
        foreach (var from in new[] { new DateOnly(2026, 1, 10), new DateOnly(2026, 4, 10), new DateOnly(2026, 7, 10) })
        {
            await Enter(Certificate(from));
        }

        var refused = await Assert.ThrowsAsync<DomainException>(() => Enter(Certificate(Today)));
        Assert.Equal("startsOn", refused.Field);
        Assert.Contains("RIVERBEND-UTIL allows 2 renewals", refused.Message, StringComparison.Ordinal);
        Assert.Contains("already has 3 certificates", refused.Message, StringComparison.Ordinal);
        // A year after the first, it has dropped out of the count.
        var later = await Enter(Certificate(new DateOnly(2027, 1, 15)));
        Assert.Equal("medical certificate until Feb 4, 2027 (Dr. Ada Lane)", later.Protection.Description);

        // Each kind asks for its own fields, naming the one missing.
        Assert.Equal("physician", (await Assert.ThrowsAsync<DomainException>(() => Enter(Certificate(Today) with { Physician = " " }))).Field);
        Assert.Equal("endsOn", (await Assert.ThrowsAsync<DomainException>(() => Enter(Certificate(Today) with { EndsOn = null }))).Field);
        Assert.Equal("endsOn", (await Assert.ThrowsAsync<DomainException>(() => Enter(new ProtectionRequest(ProtectionKind.LifeSupport, Today, Today.AddDays(-1))))).Field);
        Assert.Equal("amount", (await Assert.ThrowsAsync<DomainException>(() => Enter(new ProtectionRequest(ProtectionKind.Dispute, Today, Amount: Money.Zero)))).Field);
        Assert.Equal("recipientAddress", (await Assert.ThrowsAsync<DomainException>(() =>
            Enter(new ProtectionRequest(ProtectionKind.TenantOccupied, Today, RecipientName: "Harbor Rentals LLC")))).Field);
        Assert.Equal("accountId", (await Assert.ThrowsAsync<DomainException>(() =>
            city.RunAsync<EnterProtection, ProtectionOutcome>(w => w.ExecuteAsync(id + 1000, new ProtectionRequest(ProtectionKind.LifeSupport, Today), "clerk")))).Field);

        var dispute = await Enter(new ProtectionRequest(ProtectionKind.Dispute, Today, Amount: Money.FromCents(4_000), Note: "Leak under the slab"));
        var tenant = await Enter(new ProtectionRequest(ProtectionKind.TenantOccupied, Today, RecipientName: "Harbor Rentals LLC", RecipientAddress: "9 Dock St, Riverbend", Physician: "ignored"));
        var stay = await Enter(new ProtectionRequest(ProtectionKind.BankruptcyStay, Today));
        await Enter(new ProtectionRequest(ProtectionKind.LifeSupport, Today));
        Assert.Equal(("open dispute over $40.00", true, 4_000L), (dispute.Protection.Description, dispute.Protection.Active, dispute.Protection.AmountCents));
        Assert.Null(tenant.Protection.Physician);

        Assert.Equal("reason", (await Assert.ThrowsAsync<DomainException>(() =>
            city.RunAsync<EndProtection, ProtectionOutcome>(w => w.ExecuteAsync(id, stay.Protection.Id, "  ", "clerk")))).Field);
        var ended = await city.RunAsync<EndProtection, ProtectionOutcome>(w => w.ExecuteAsync(id, stay.Protection.Id, "Case dismissed", "collector"));
        Assert.Equal((Today, "collector", "Case dismissed", false), (ended.Protection.EndedOn, ended.Protection.EndedBy, ended.Protection.EndReason, ended.Protection.Active));
        var again = await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<EndProtection, ProtectionOutcome>(w => w.ExecuteAsync(id, stay.Protection.Id, "twice", "clerk")));
        Assert.Contains("already ended", again.Message, StringComparison.Ordinal);

        var records = (await city.RunAsync<AccountCollectionRecords, CollectionRecordsView?>(q => q.ForAccountAsync(id)))!;
        Assert.Equal(8, records.Protections.Count);
        Assert.Equal(records.Protections.Select(p => p.Id).OrderDescending(), records.Protections.Select(p => p.Id));
        Assert.Equal(ProtectionKind.LifeSupport, records.Protections[0].Kind);
        Assert.Equal(["Case dismissed"], records.Protections.Where(p => p.EndedOn is not null).Select(p => p.EndReason));

        await using var db = city.Database.Context();
        var audit = await db.AuditEntries.Where(a => a.EntityType == "AccountProtection").OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(9, audit.Count);
        Assert.Equal(8, audit.Count(a => a.Action == "Enter protection"));
        var end = audit.Single(a => a.Action == "End protection");
        Assert.Equal((stay.Protection.Id, (long?)id, "collector", "Case dismissed"), (end.EntityId, end.AccountId, end.User, end.Reason));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Contacts_promises_and_notes_are_kept_newest_first_and_the_queue_filters_sorts_and_pages_them(TestProvider provider)
    {
        TestDatabases.Require(provider, "collector's work queue");
        await using var city = await StartAsync(provider, "collector's work queue", 4);
        var ids = city.Accounts.Select(a => a.AccountId).ToList();

        // A call with a promise on the same step: the promise points at the contact.
        var call = await city.RunAsync<LogContact, ContactOutcome>(w => w.ExecuteAsync(ids[0],
            new ContactRequest(ContactKind.Call, "Promise-To-Pay", "Will pay Friday", new PromiseTerms(Today.AddDays(5), Money.FromCents(12_500))), "collector"));
        Assert.Equal(("promise-to-pay", call.Contact.Id, PromiseStatus.Open, 12_500L), (call.Contact.Outcome, call.Promise!.ContactId, call.Promise.Status, call.Promise.AmountCents));
        await city.RunAsync<LogContact, ContactOutcome>(w => w.ExecuteAsync(ids[0], new ContactRequest(ContactKind.Letter, "no-answer", null), "collector"));
        var promise = await city.RunAsync<TakePromise, PromiseView>(w => w.ExecuteAsync(ids[1], new PromiseTerms(Today.AddDays(1), Money.FromCents(1)), "collector"));
        Assert.Null(promise.ContactId);
        await city.RunAsync<WriteNote, NoteView>(w => w.ExecuteAsync(ids[0], "Customer asked for a call after 5 p.m.", "collector"));
        await city.RunAsync<WriteNote, NoteView>(w => w.ExecuteAsync(ids[0], "  Second note  ", "supervisor"));

        // Refused, naming the field; a refused promise logs no contact either.
        async Task<string?> FieldAsync(Func<Task> work) => (await Assert.ThrowsAsync<DomainException>(work)).Field;
        Assert.Equal("outcome", await FieldAsync(() => city.RunAsync<LogContact, ContactOutcome>(w => w.ExecuteAsync(ids[2], new ContactRequest(ContactKind.Visit, "maybe", null), "collector"))));
        Assert.Equal("promisedOn", await FieldAsync(() => city.RunAsync<LogContact, ContactOutcome>(w =>
            w.ExecuteAsync(ids[2], new ContactRequest(ContactKind.Call, "promise-to-pay", null, new PromiseTerms(Today, Money.FromCents(100))), "collector"))));
        Assert.Equal("promisedOn", await FieldAsync(() => city.RunAsync<TakePromise, PromiseView>(w => w.ExecuteAsync(ids[2], new PromiseTerms(Today.AddDays(-3), Money.FromCents(100)), "collector"))));
        Assert.Equal("amount", await FieldAsync(() => city.RunAsync<TakePromise, PromiseView>(w => w.ExecuteAsync(ids[2], new PromiseTerms(Today.AddDays(3), Money.Zero), "collector"))));
        Assert.Equal("text", await FieldAsync(() => city.RunAsync<WriteNote, NoteView>(w => w.ExecuteAsync(ids[2], " ", "collector"))));
        Assert.Equal("text", await FieldAsync(() => city.RunAsync<WriteNote, NoteView>(w => w.ExecuteAsync(ids[2], new string('x', AccountNote.TextLengthMax + 1), "collector"))));

        var records = (await city.RunAsync<AccountCollectionRecords, CollectionRecordsView?>(q => q.ForAccountAsync(ids[0])))!;
        Assert.Equal([ContactKind.Letter, ContactKind.Call], records.Contacts.Select(c => c.Kind));
        Assert.Equal(["Second note", "Customer asked for a call after 5 p.m."], records.Notes.Select(n => n.Text));
        Assert.Single(records.Promises);
        var empty = (await city.RunAsync<AccountCollectionRecords, CollectionRecordsView?>(q => q.ForAccountAsync(ids[2])))!;
        Assert.Equal((0, 0, 0), (empty.Contacts.Count, empty.Promises.Count, empty.Notes.Count));
        Assert.Null(await city.RunAsync<AccountCollectionRecords, CollectionRecordsView?>(q => q.ForAccountAsync(ids[3] + 1000)));

        // The daily run's standings: three accounts past due, one current.
        await using (var db = city.Database.Context())
        {
            void Standing(long accountId, CollectionStatus status, int days, long cents, string explanation)
            {
                var row = AccountCollection.For(accountId);
                row.Update("RIVERBEND-UTIL", status, days, cents, false, null, null, null, null, null, explanation, Today, FixedClock.DemoToday);
                db.AccountCollections.Add(row);
            }

            Standing(ids[0], CollectionStatus.FinalNotice, 20, 30_000, "door hanger on day 14 once the notice's 10 days run out");
            Standing(ids[1], CollectionStatus.Reminded, 40, 9_000, "final notice at $50.00 past due");
            Standing(ids[2], CollectionStatus.FinalNotice, 10, 30_000, "door hanger in 4 days");
            Standing(ids[3], CollectionStatus.Current, 0, 0, "nothing past due");
            await db.SaveChangesAsync();
        }

        Task<QueuePage> Queue(QueueFilter filter) => city.RunAsync<CollectorQueue, QueuePage>(q => q.ListAsync(filter));
        var all = await Queue(new QueueFilter());
        Assert.Equal(3, all.Total);
        Assert.Equal([ids[0], ids[2], ids[1]], all.Entries.Select(e => e.AccountId));
        var first = all.Entries[0];
        Assert.Equal(("Customer 1", "Residential", "door hanger on day 14 once the notice's 10 days run out", 12_500L), (first.CustomerName, first.AccountClass, first.NextAction, first.OpenPromise!.AmountCents));
        Assert.Equal(FixedClock.DemoToday, first.LastContactAt);
        Assert.Null(all.Entries[1].LastContactAt);
        Assert.Equal(Today.AddDays(1), all.Entries[2].OpenPromise!.PromisedOn);

        Assert.Equal([ids[1], ids[0], ids[2]], (await Queue(new QueueFilter(Sort: QueueSort.DaysPastDue))).Entries.Select(e => e.AccountId));
        Assert.Equal([ids[0], ids[2]], (await Queue(new QueueFilter(Status: CollectionStatus.FinalNotice, Sort: QueueSort.Account))).Entries.Select(e => e.AccountId));
        Assert.Equal([ids[0], ids[2]], (await Queue(new QueueFilter(MinimumPastDue: Money.FromCents(10_000)))).Entries.Select(e => e.AccountId));
        Assert.Equal([ids[0], ids[1]], (await Queue(new QueueFilter(MinimumDaysPastDue: 15))).Entries.Select(e => e.AccountId));
        Assert.Equal(0, (await Queue(new QueueFilter(AccountClass: AccountClass.Commercial))).Total);
        Assert.Equal(3, (await Queue(new QueueFilter(AccountClass: AccountClass.Residential))).Total);
        var second = await Queue(new QueueFilter(Page: 2, PageSize: 2));
        Assert.Equal((3, 2), (second.Total, second.Pages));
        Assert.Equal([ids[1]], second.Entries.Select(e => e.AccountId));
        Assert.Equal("pageSize", await FieldAsync(() => Queue(new QueueFilter(PageSize: CollectorQueue.PageSizeMax + 1))));
    }
}
