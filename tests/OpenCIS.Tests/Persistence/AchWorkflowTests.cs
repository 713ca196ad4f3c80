using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Payments;
using OpenCIS.Core.Payments.Ach;
using OpenCIS.Storage.Billing;
using OpenCIS.UseCases.Billing;
using OpenCIS.Storage.Payments.Ach;
using OpenCIS.UseCases.Payments.Ach;
using OpenCIS.UseCases.Reports;
using OpenCIS.Storage;

namespace OpenCIS.Tests.Persistence;

/// <summary>ACH autopay end to end on each database: enroll, prenote, debit the bills due, post the bank's returns.</summary>
public sealed class AchWorkflowTests
{
    private static readonly DateOnly BillDate = new(2026, 11, 5);
    private static readonly DateOnly PrenoteDate = new(2026, 11, 9);

    /// <summary>A clock the test moves forward, as the days of a month go by.</summary>
    private sealed class MovableClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

        public void MoveTo(DateOnly date) => Now = new DateTimeOffset(date.ToDateTime(new TimeOnly(15, 0)), TimeSpan.Zero);
    }

    private sealed class City(TestDatabase database, ServiceProvider services, MovableClock clock, List<TinyCity.TinyAccount> accounts) : IAsyncDisposable
    {
        public List<TinyCity.TinyAccount> Accounts { get; } = accounts;
        public MovableClock Clock { get; } = clock;

        /// <summary>Each workflow call gets its own scope, as each web request or CLI command does.</summary>
        public async Task<TResult> RunAsync<T, TResult>(Func<T, Task<TResult>> use) where T : notnull
        {
            await using var scope = services.CreateAsyncScope();
            return await use(scope.ServiceProvider.GetRequiredService<T>());
        }

        public OpenCisDbContext Fresh() => database.Context();

        public async ValueTask DisposeAsync()
        {
            await services.DisposeAsync();
            await database.DisposeAsync();
        }
    }

    private static async Task<City> StartAsync(TestProvider provider, string what)
    {
        var database = await TestDatabases.CreateAsync(provider, what);
        await database.MigrateAsync();
        var clock = new MovableClock(FixedClock.DemoToday);
        clock.MoveTo(BillDate);
        var services = database.Services(clock);
        List<TinyCity.TinyAccount> accounts;
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
            accounts = await TinyCity.BuildAsync(db, 3);
            await TinyCity.AddReadAsync(db, accounts, BillDate.AddDays(-1), 10_000);
        }

        var city = new City(database, services, clock, accounts);
        await city.RunAsync<RunBilling, BillingRunOutcome>(run => run.ExecuteAsync("C1", BillDate, "clerk"));
        return city;
    }

    private static AchEnrollmentRequest Request(TinyCity.TinyAccount account, AchEntryClass entryClass = AchEntryClass.Ppd, string routing = "011000015") =>
        new(account.AccountNumber, routing, "9876543210", entryClass == AchEntryClass.Ppd ? AchAccountType.Checking : AchAccountType.Savings, entryClass, "Pat Customer");

    /// <summary>Enrolls the first two accounts, sends their prenotes and debits the bills due; returns the due date and the debit file.</summary>
    private static async Task<(DateOnly DueDate, AchFileOutcome File)> EnrollAndDebitAsync(City city)
    {
        city.Clock.MoveTo(BillDate.AddDays(1));
        await city.RunAsync<EnrollAch, AchEnrollmentView>(e => e.ExecuteAsync(Request(city.Accounts[0]), "clerk"));
        await city.RunAsync<EnrollAch, AchEnrollmentView>(e => e.ExecuteAsync(Request(city.Accounts[1], AchEntryClass.Web, "021000021"), "clerk"));
        city.Clock.MoveTo(PrenoteDate);
        var prenotes = await city.RunAsync<GenerateAchFile, AchFileOutcome>(g => g.ExecuteAsync(PrenoteDate, "clerk"));
        Assert.Equal((true, 2, 2, 0L), (prenotes.Generated, prenotes.EntryCount, prenotes.PrenoteCount, prenotes.Total.Cents));

        DateOnly dueDate;
        await using (var db = city.Fresh())
        {
            dueDate = await db.Bills.Where(b => b.AccountId == city.Accounts[0].AccountId).Select(b => b.DueDate).SingleAsync();
        }

        city.Clock.MoveTo(dueDate.AddDays(-1));
        var debits = await city.RunAsync<GenerateAchFile, AchFileOutcome>(g => g.ExecuteAsync(dueDate, "clerk"));
        return (dueDate, debits);
    }

    private static byte[] ReturnFile(AchFileOutcome debits, params (int Entry, string Reason)[] returned) => ReturnFile(debits, new DateOnly(2026, 12, 1), returned);

    private static byte[] ReturnFile(AchFileOutcome debits, DateOnly returnDate, params (int Entry, string Reason)[] returned)
    {
        var file = NachaReader.Read(debits.Content).File!;
        var traces = file.Batches.SelectMany(b => b.Entries).Select(e => e.TraceNumber).ToList();
        var returnFile = AchReturnFile.For(file, [.. returned.Select(r => (traces[r.Entry], r.Reason))], returnDate);
        return Encoding.ASCII.GetBytes(NachaWriter.Write(returnFile));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Enrollment_checks_the_routing_number_and_shows_only_the_last_four_digits(TestProvider provider)
    {
        await using var city = await StartAsync(provider, "ach enrollment");

        var error = await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<EnrollAch, AchEnrollmentView>(e => e.ExecuteAsync(Request(city.Accounts[0], routing: "011000016"), "clerk")));
        var enrolled = await city.RunAsync<EnrollAch, AchEnrollmentView>(e => e.ExecuteAsync(Request(city.Accounts[0]), "clerk"));
        var twice = await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<EnrollAch, AchEnrollmentView>(e => e.ExecuteAsync(Request(city.Accounts[0]), "clerk")));
        var listed = await city.RunAsync<AchQueries, IReadOnlyList<AchEnrollmentView>>(q => q.EnrollmentsAsync(city.Accounts[0].AccountNumber));

        Assert.Equal("routingNumber", error.Field);
        Assert.Contains("already enrolled", twice.Message, StringComparison.Ordinal);
        Assert.Equal(("****3210", AchEnrollmentStatus.Prenote), (enrolled.MaskedAccountNumber, enrolled.Status));
        Assert.Equal(enrolled, Assert.Single(listed));
        await using var db = city.Fresh();
        var audit = await db.AuditEntries.SingleAsync(a => a.Action == "Enroll in ACH autopay");
        Assert.DoesNotContain("9876543210", audit.After, StringComparison.Ordinal);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_cancelled_enrollment_is_not_debited_and_cannot_be_cancelled_twice(TestProvider provider)
    {
        await using var city = await StartAsync(provider, "ach cancel");
        city.Clock.MoveTo(BillDate.AddDays(1));
        var first = await city.RunAsync<EnrollAch, AchEnrollmentView>(e => e.ExecuteAsync(Request(city.Accounts[0]), "clerk"));
        await city.RunAsync<EnrollAch, AchEnrollmentView>(e => e.ExecuteAsync(Request(city.Accounts[1]), "clerk"));
        city.Clock.MoveTo(PrenoteDate);
        await city.RunAsync<GenerateAchFile, AchFileOutcome>(g => g.ExecuteAsync(PrenoteDate, "clerk"));

        var cancelled = await city.RunAsync<CancelAch, AchEnrollmentView>(c => c.ExecuteAsync(first.Id, "Customer called to stop autopay", "clerk"));
        var twice = await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<CancelAch, AchEnrollmentView>(c => c.ExecuteAsync(first.Id, "again", "clerk")));
        DateOnly dueDate;
        await using (var db = city.Fresh())
        {
            dueDate = await db.Bills.Where(b => b.AccountId == city.Accounts[0].AccountId).Select(b => b.DueDate).SingleAsync();
        }

        var debits = await city.RunAsync<GenerateAchFile, AchFileOutcome>(g => g.ExecuteAsync(dueDate, "clerk"));

        Assert.Equal(AchEnrollmentStatus.Cancelled, cancelled.Status);
        Assert.Contains("already cancelled", twice.Message, StringComparison.Ordinal);
        var entry = Assert.Single(NachaReader.Read(debits.Content).Entries);
        Assert.Equal(city.Accounts[1].AccountNumber, entry.Entry.IndividualIdentification);
        // Re-enrolling after a cancellation is allowed: a new enrollment, a new prenote.
        var again = await city.RunAsync<EnrollAch, AchEnrollmentView>(e => e.ExecuteAsync(Request(city.Accounts[0]), "clerk"));
        Assert.Equal(AchEnrollmentStatus.Prenote, again.Status);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Prenotes_go_first_then_the_bills_due_are_debited_once_and_the_file_validates(TestProvider provider)
    {
        await using var city = await StartAsync(provider, "ach debit file");

        var (dueDate, debits) = await EnrollAndDebitAsync(city);
        var again = await city.RunAsync<GenerateAchFile, AchFileOutcome>(g => g.ExecuteAsync(dueDate, "clerk"));

        Assert.True(debits.Generated, debits.Message);
        Assert.Equal((2, 0), (debits.EntryCount, debits.PrenoteCount));
        var read = NachaReader.Read(debits.Content);
        Assert.True(read.IsValid, string.Join("; ", read.Errors));
        Assert.Equal(["PPD", "WEB"], read.File!.Batches.Select(b => b.StandardEntryClass));
        Assert.Equal([AchTransactionCodes.CheckingDebit, AchTransactionCodes.SavingsDebit], read.Entries.Select(e => e.Entry.TransactionCode));
        Assert.True(again.AlreadyGenerated);
        Assert.Equal(debits.Content, again.Content);
        Assert.Contains("already generated", again.Message, StringComparison.Ordinal);

        await using var db = city.Fresh();
        var billed = await db.Bills.Where(b => b.AccountId != city.Accounts[2].AccountId).SumAsync(b => b.AmountDueCents);
        Assert.Equal(billed, debits.Total.Cents);
        var payments = await db.Payments.Where(p => p.Tender == Tender.Ach).ToListAsync();
        Assert.Equal(2, payments.Count);
        Assert.Equal(billed, payments.Sum(p => p.AmountCents));
        Assert.Equal(2, await db.AchEntries.CountAsync(e => e.BillId != null));
        Assert.All(await db.AchEnrollments.ToListAsync(), e => Assert.Equal(AchEnrollmentStatus.Active, e.Status));
        Assert.Equal(0L, await db.OpenItems.Where(o => o.AccountId == city.Accounts[0].AccountId).SumAsync(o => o.OpenCents));
        var trialBalance = await new LedgerReports(db).TrialBalanceAsync();
        Assert.True(trialBalance.Balances && trialBalance.TiesToSubLedger);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_return_reverses_the_payment_restores_the_items_adds_the_fee_and_posts_once(TestProvider provider)
    {
        await using var city = await StartAsync(provider, "ach returns");
        var (dueDate, debits) = await EnrollAndDebitAsync(city);
        city.Clock.MoveTo(dueDate.AddDays(3));
        var file = ReturnFile(debits, (0, "R01"), (1, "R02"));

        var posted = await city.RunAsync<ProcessAchReturns, AchReturnsOutcome>(p => p.ExecuteAsync("returns-1.ach", file, "cashier"));
        var again = await city.RunAsync<ProcessAchReturns, AchReturnsOutcome>(p => p.ExecuteAsync("returns-1-copy.ach", file, "cashier"));

        Assert.True(posted.Posted, string.Join("; ", posted.Errors));
        Assert.Equal((2, debits.Total.Cents, 5_000L), (posted.ReturnCount, posted.Total.Cents, posted.Fees.Cents));
        Assert.True(again.AlreadyPosted);
        Assert.Contains("returns-1.ach", again.Message, StringComparison.Ordinal);
        // Other bytes (another day's file) returning the same debit again are refused by trace number.
        var otherDay = await city.RunAsync<ProcessAchReturns, AchReturnsOutcome>(p => p.ExecuteAsync("returns-2.ach", ReturnFile(debits, new DateOnly(2026, 12, 2), (0, "R01")), "cashier"));
        Assert.False(otherDay.Posted);
        Assert.Contains(otherDay.Errors, e => e.Field == "original entry trace number" && e.Message.Contains("already returned", StringComparison.Ordinal));

        await using var db = city.Fresh();
        var account = city.Accounts[0].AccountId;
        var bill = await db.Bills.Include(b => b.Segments).SingleAsync(b => b.AccountId == account);
        var payment = await db.Payments.SingleAsync(p => p.AccountId == account);
        var reversal = await db.FinancialTransactions.SingleAsync(t => t.AccountId == account && t.Type == FinancialTransactionType.ReturnedPayment);
        Assert.Equal(payment.FinancialTransactionId, reversal.ReversesTransactionId);
        Assert.Equal(payment.AmountCents, reversal.AmountCents);
        var fee = await db.FinancialTransactions.SingleAsync(t => t.AccountId == account && t.Type == FinancialTransactionType.ReturnedPaymentFee);
        Assert.Equal(2_500L, fee.AmountCents);
        var open = await db.OpenItems.Where(o => o.AccountId == account && o.OpenCents != 0).ToListAsync();
        Assert.Equal(bill.AmountDueCents + 2_500, open.Sum(o => o.OpenCents));
        // The items the payment paid are owed again, by service, from the bill's due date.
        Assert.Equal(bill.Segments.Select(s => s.Service).Order(), open.Where(o => o.Service != null).Select(o => o.Service!.Value).Order());
        Assert.All(open.Where(o => o.Service != null), o => Assert.Equal(dueDate, o.DueOn));
        Assert.Equal(2, await db.AchReturns.CountAsync());
        Assert.Equal(2, await db.FinancialTransactions.CountAsync(t => t.Type == FinancialTransactionType.ReturnedPayment));
        var enrollments = await db.AchEnrollments.OrderBy(e => e.AccountId).ToListAsync();
        Assert.Equal([AchEnrollmentStatus.Active, AchEnrollmentStatus.Cancelled], enrollments.Select(e => e.Status));
        Assert.StartsWith("R02", enrollments[1].CancelReason, StringComparison.Ordinal);
        Assert.False(await db.Accounts.Where(a => a.Id == account).Select(a => a.CashOnly).SingleAsync());
        Assert.Equal(2, await db.AuditEntries.CountAsync(a => a.Action == "ACH return"));
        var trialBalance = await new LedgerReports(db).TrialBalanceAsync();
        Assert.True(trialBalance.Balances && trialBalance.TiesToSubLedger);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_second_return_in_twelve_months_makes_the_account_cash_only(TestProvider provider)
    {
        await using var city = await StartAsync(provider, "ach cash only");
        var (dueDate, debits) = await EnrollAndDebitAsync(city);
        city.Clock.MoveTo(dueDate.AddDays(3));
        await city.RunAsync<ProcessAchReturns, AchReturnsOutcome>(p => p.ExecuteAsync("returns-1.ach", ReturnFile(debits, (0, "R01")), "cashier"));

        var december = new DateOnly(2026, 12, 7);
        city.Clock.MoveTo(december);
        await using (var db = city.Fresh())
        {
            await TinyCity.AddReadAsync(db, city.Accounts, december.AddDays(-1), 14_000);
        }

        await city.RunAsync<RunBilling, BillingRunOutcome>(run => run.ExecuteAsync("C1", december, "clerk"));
        DateOnly secondDue;
        await using (var db = city.Fresh())
        {
            secondDue = await db.Bills.Where(b => b.BillDate == december).Select(b => b.DueDate).FirstAsync();
        }

        city.Clock.MoveTo(secondDue.AddDays(-1));
        var second = await city.RunAsync<GenerateAchFile, AchFileOutcome>(g => g.ExecuteAsync(secondDue, "clerk"));
        city.Clock.MoveTo(secondDue.AddDays(2));
        var outcome = await city.RunAsync<ProcessAchReturns, AchReturnsOutcome>(p => p.ExecuteAsync("returns-2.ach", ReturnFile(second, (0, "R01")), "cashier"));

        Assert.True(outcome.Posted, string.Join("; ", outcome.Errors));
        Assert.Equal([city.Accounts[0].AccountNumber], outcome.CashOnlyAccounts);
        await using var check = city.Fresh();
        Assert.True(await check.Accounts.Where(a => a.Id == city.Accounts[0].AccountId).Select(a => a.CashOnly).SingleAsync());
        Assert.Equal(AchEnrollmentStatus.Cancelled, await check.AchEnrollments.Where(e => e.AccountId == city.Accounts[0].AccountId).Select(e => e.Status).SingleAsync());
        Assert.Equal(1, await check.AuditEntries.CountAsync(a => a.Action == "Mark cash-only"));
        var trialBalance = await new LedgerReports(check).TrialBalanceAsync();
        Assert.True(trialBalance.Balances && trialBalance.TiesToSubLedger);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_return_file_with_an_unknown_trace_or_a_wrong_total_posts_nothing_and_names_the_record_and_field(TestProvider provider)
    {
        await using var city = await StartAsync(provider, "ach bad returns");
        var (_, debits) = await EnrollAndDebitAsync(city);
        var good = ReturnFile(debits, (0, "R01"), (1, "R03"));

        // The second return names a trace number OpenCIS never sent.
        var unknownText = Encoding.ASCII.GetString(good).Replace("091000010000004", "091000010009999", StringComparison.Ordinal);
        var unknown = await city.RunAsync<ProcessAchReturns, AchReturnsOutcome>(p => p.ExecuteAsync("unknown.ach", Encoding.ASCII.GetBytes(unknownText), "cashier"));
        // The batch control's credit total (returns of debits are credits) is one cent off.
        var records = Encoding.ASCII.GetString(good).Split('\n');
        var control = Array.FindIndex(records, r => r.StartsWith('8'));
        var total = long.Parse(records[control][32..44], System.Globalization.CultureInfo.InvariantCulture) + 1;
        records[control] = records[control][..32] + total.ToString("D12", System.Globalization.CultureInfo.InvariantCulture) + records[control][44..];
        var wrongTotal = await city.RunAsync<ProcessAchReturns, AchReturnsOutcome>(p => p.ExecuteAsync("total.ach", Encoding.ASCII.GetBytes(string.Join('\n', records)), "cashier"));

        // The first return claims a different amount than was debited (the controls are made to agree, so only the amount is wrong).
        var file = NachaReader.Read(debits.Content).File!;
        var first = file.Batches[0].Entries[0];
        var wrongAmount = file with { Batches = [file.Batches[0] with { Entries = [first with { Amount = first.Amount + Money.FromCents(1) }, .. file.Batches[0].Entries.Skip(1)] }, .. file.Batches.Skip(1)] };
        var wrongAmountFile = Encoding.ASCII.GetBytes(NachaWriter.Write(AchReturnFile.For(wrongAmount, [(first.TraceNumber, "R01")], new DateOnly(2026, 12, 1))));
        var amount = await city.RunAsync<ProcessAchReturns, AchReturnsOutcome>(p => p.ExecuteAsync("amount.ach", wrongAmountFile, "cashier"));

        Assert.False(amount.Posted);
        Assert.Equal((3, "amount"), (Assert.Single(amount.Errors).Line, amount.Errors[0].Field));
        Assert.False(unknown.Posted);
        var error = Assert.Single(unknown.Errors);
        Assert.Equal(("unknown.ach", "original entry trace number"), (error.FileName, error.Field));
        Assert.Contains("091000010009999", error.Message, StringComparison.Ordinal);
        Assert.False(wrongTotal.Posted);
        Assert.Contains(wrongTotal.Errors, e => e.Line == control + 1 && e.Field == "total credit entry dollar amount");
        await using var db = city.Fresh();
        Assert.Equal(0, await db.AchReturns.CountAsync());
        Assert.Equal(0, await db.FinancialTransactions.CountAsync(t => t.Type == FinancialTransactionType.ReturnedPayment || t.Type == FinancialTransactionType.ReturnedPaymentFee));
        Assert.Equal(0, await db.ImportedFiles.CountAsync());
    }
}
