using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Billing;
using OpenCIS.UseCases.Billing.Corrections;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// Bill messages on each database: a run's bills print exactly the messages whose range holds the bill date and whose
/// audience (cycle, class, route, program) is the account's, and keep them as printed; the PDF, the print file and an
/// average bill carry them; a supervisor's changes follow the rules of history (the business date is 2026-11-22).
/// </summary>
public sealed class BillMessageTests
{
    private static readonly DateOnly BillDate = new(2026, 11, 5);

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_runs_bills_print_exactly_the_messages_that_target_them_and_keep_them_as_printed(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "bill messages run");
        await database.MigrateAsync();
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        var accounts = await TinyCity.BuildAsync(db, 4);
        db.BillingCycles.Add(new OpenCIS.Storage.Billing.BillingCycle { Code = "C2", Name = "Cycle 2", ReadDayOfMonth = 20, DueDays = 21, ReadWindowDays = 10 });
        await db.SaveChangesAsync();
        // The second account is on route R7, the third is commercial.
        await db.Accounts.Where(a => a.Id == accounts[1].AccountId).ExecuteUpdateAsync(s => s.SetProperty(a => a.RouteCode, "R7"));
        await db.Accounts.Where(a => a.Id == accounts[2].AccountId).ExecuteUpdateAsync(s => s.SetProperty(a => a.Class, AccountClass.Commercial));
        await TinyCity.AddReadAsync(db, accounts, BillDate.AddDays(-1), 3_000);
        db.ChangeTracker.Clear();

        var book = scope.ServiceProvider.GetRequiredService<BillMessageBook>();
        async Task<long> AddAsync(string text, DateOnly startsOn, DateOnly endsOn, string? cycle = null, string? accountClass = null, string? route = null, string? program = null) =>
            (await book.AddAsync(new BillMessageRequest(text, startsOn, endsOn, cycle, accountClass, route, program), "supervisor")).Id;
        var everyone = await AddAsync("Everyone in November.", new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30));
        await AddAsync("Cycle 2 only.", new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30), cycle: "C2");
        await AddAsync("Commercial only.", new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30), accountClass: "commercial");
        await AddAsync("Route R7 only.", new DateOnly(2026, 10, 1), new DateOnly(2026, 11, 30), route: "R7");
        await AddAsync("Ended the day before.", new DateOnly(2026, 10, 1), BillDate.AddDays(-1));
        await AddAsync("Starts the day after.", BillDate.AddDays(1), new DateOnly(2026, 12, 31));
        await AddAsync("Seniors only.", new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30), program: "SENIOR");
        await AddAsync("Residential from the bill date.", BillDate, BillDate, cycle: "C1", accountClass: "Residential");

        // The fourth account's customer is a senior, enrolled before the bill date.
        await scope.ServiceProvider.GetRequiredService<OpenCIS.UseCases.Assistance.AssistancePrograms>()
            .SaveAsync(new OpenCIS.UseCases.Assistance.ProgramDefinition("SENIOR", "Senior discount", null, null, Active: true), "supervisor");
        await scope.ServiceProvider.GetRequiredService<OpenCIS.UseCases.Assistance.ProgramEnrollmentWork>()
            .EnrollAsync(new OpenCIS.UseCases.Assistance.EnrollRequest(accounts[3].AccountNumber, "SENIOR", new DateOnly(2026, 10, 1), new DateOnly(2026, 10, 1), null, null), "clerk");
        db.ChangeTracker.Clear();

        var run = await scope.ServiceProvider.GetRequiredService<RunBilling>().ExecuteAsync("C1", BillDate, "clerk");
        Assert.Equal(4, run.BillsCreated);

        await using (var fresh = database.Context())
        {
            var printed = await fresh.Bills.Where(b => b.BillingRunId == run.RunId).OrderBy(b => b.AccountId).Select(b => b.Messages).ToListAsync();
            Assert.Equal(
            [
                "Everyone in November.\nResidential from the bill date.",
                "Route R7 only.\nEveryone in November.\nResidential from the bill date.",
                "Everyone in November.\nCommercial only.",
                "Everyone in November.\nSeniors only.\nResidential from the bill date.",
            ], printed);
        }

        // A message changed after the run: the bills keep what they printed, and their documents, PDF and print file say it.
        await book.UpdateAsync(everyone, new BillMessageRequest("Everyone, reworded.", new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30)), "supervisor");
        var billId = await db.Bills.Where(b => b.BillingRunId == run.RunId && b.AccountId == accounts[2].AccountId).Select(b => b.Id).SingleAsync();
        var document = (await scope.ServiceProvider.GetRequiredService<BillDocuments>().LoadAsync(billId))!;
        Assert.Equal(["Everyone in November.", "Commercial only."], document.Messages);
        var rendered = BillPdf.Render(document);
        var messagesAt = rendered.Text.ToList().IndexOf("Messages");
        Assert.True(messagesAt >= 0, "the PDF has a Messages box");
        Assert.Equal(["Everyone in November.", "Commercial only."], rendered.Text.Skip(messagesAt + 1).Take(2));
        Assert.True(messagesAt < rendered.Text.ToList().IndexOf("Late charge notice"), "the messages come before the late charge notice");

        using var file = new StringWriter();
        await scope.ServiceProvider.GetRequiredService<BillPrintExport>().WriteAsync(run.RunId, file);
        var records = file.ToString().Split(BillPrintExport.LineEnding).Where(r => r.StartsWith($"M|{billId}|", StringComparison.Ordinal)).ToList();
        Assert.Equal([$"M|{billId}|1|Everyone in November.", $"M|{billId}|2|Commercial only."], records);

        // An average bill today (2026-11-22) prints today's messages for its account: the reworded one and the one started since.
        db.ChangeTracker.Clear();
        var average = await scope.ServiceProvider.GetRequiredService<AverageBill>().ExecuteAsync(new AverageBillRequest(accounts[0].AccountNumber, null, "No access"), "clerk");
        await using (var fresh = database.Context())
        {
            Assert.Equal("Everyone, reworded.\nStarts the day after.", await fresh.Bills.Where(b => b.Id == average.BillId).Select(b => b.Messages).SingleAsync());
        }
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_supervisor_adds_edits_ends_and_deletes_messages_by_the_rules_of_history_and_each_change_is_audited(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "bill messages book");
        await database.MigrateAsync();
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        await TinyCity.BuildAsync(db, 1);
        var book = scope.ServiceProvider.GetRequiredService<BillMessageBook>();

        async Task<string?> RefusedAsync(Func<Task> work) => (await Assert.ThrowsAsync<DomainException>(work)).Field;
        Assert.Equal("text", await RefusedAsync(() => book.AddAsync(new BillMessageRequest(" ", new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30)), "supervisor")));
        Assert.Equal("endsOn", await RefusedAsync(() => book.AddAsync(new BillMessageRequest("x", new DateOnly(2026, 11, 1), new DateOnly(2026, 10, 30)), "supervisor")));
        Assert.Equal("startsOn", await RefusedAsync(() => book.AddAsync(new BillMessageRequest("x", null, new DateOnly(2026, 10, 30)), "supervisor")));
        Assert.Equal("cycleCode", await RefusedAsync(() => book.AddAsync(new BillMessageRequest("x", new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30), CycleCode: "C9"), "supervisor")));
        Assert.Equal("accountClass", await RefusedAsync(() => book.AddAsync(new BillMessageRequest("x", new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30), AccountClass: "Farm"), "supervisor")));

        var past = await book.AddAsync(new BillMessageRequest("Last summer.", new DateOnly(2026, 7, 1), new DateOnly(2026, 8, 31)), "supervisor");
        var current = await book.AddAsync(new BillMessageRequest("This month.", new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30), AccountClass: "residential"), "supervisor");
        var upcoming = await book.AddAsync(new BillMessageRequest("Next year.", new DateOnly(2027, 1, 1), new DateOnly(2027, 1, 31), CycleCode: "C1"), "supervisor");
        Assert.Equal(("residential accounts", "Residential"), (current.Audience, current.AccountClass));
        Assert.Equal([current.Id, upcoming.Id, past.Id], (await book.ListAsync()).Select(m => m.Id));
        Assert.Equal([BillMessageStanding.Current, BillMessageStanding.Upcoming, BillMessageStanding.Past], (await book.ListAsync()).Select(m => m.Standing));
        Assert.Equal([upcoming.Id], (await book.ListAsync(BillMessageStanding.Upcoming)).Select(m => m.Id));

        // A past message is history; a started one is ended, not deleted; one not started is deleted, not ended.
        Assert.Equal("id", await RefusedAsync(() => book.UpdateAsync(past.Id, new BillMessageRequest("Changed.", new DateOnly(2026, 7, 1), new DateOnly(2026, 8, 31)), "supervisor")));
        Assert.Equal("id", await RefusedAsync(() => book.DeleteAsync(current.Id, "supervisor")));
        Assert.Equal("id", await RefusedAsync(() => book.EndAsync(upcoming.Id, "supervisor")));
        Assert.Equal("id", await RefusedAsync(() => book.EndAsync(past.Id, "supervisor")));
        Assert.Equal("id", await RefusedAsync(() => book.EndAsync(999, "supervisor")));

        var ended = await book.EndAsync(current.Id, "admin");
        Assert.Equal((new DateOnly(2026, 11, 22), BillMessageStanding.Current, "admin"), (ended.EndsOn, ended.Standing, ended.UpdatedBy));
        Assert.Equal("id", await RefusedAsync(() => book.EndAsync(current.Id, "admin")));
        var edited = await book.UpdateAsync(upcoming.Id, new BillMessageRequest("Next year, reworded.", new DateOnly(2027, 1, 1), new DateOnly(2027, 2, 28), RouteCode: "R7"), "admin");
        Assert.Equal(("Next year, reworded.", "route R7", null), (edited.Text, edited.Audience, edited.CycleCode));
        await book.DeleteAsync(upcoming.Id, "admin");
        Assert.Null(await book.FindAsync(upcoming.Id));

        await using var fresh = database.Context();
        var audited = await fresh.AuditEntries.Where(a => a.EntityType == "BillMessage").OrderBy(a => a.Id).Select(a => a.Action).ToListAsync();
        Assert.Equal(["Add bill message", "Add bill message", "Add bill message", "End bill message", "Change bill message", "Delete bill message"], audited);
    }
}
