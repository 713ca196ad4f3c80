using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Payments;
using OpenCIS.Core.Payments.Ach;
using OpenCIS.Storage;
using OpenCIS.Storage.Portal;
using OpenCIS.UseCases.Billing;
using OpenCIS.UseCases.Payments.Ach;
using OpenCIS.UseCases.Portal;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// A customer's e-check on both databases (issue 17): authorized in the portal it waits, posting nothing; the next ACH file
/// carries it once as a single WEB entry, posts its payment and queues the receipt; files after it carry it no more; the
/// bank's return reverses it. The oracle is the ledger and the NACHA text itself.
/// </summary>
public sealed class PortalECheckTests
{
    private static readonly DateOnly BillDate = new(2026, 11, 5);
    private static readonly DateOnly AuthorizedOn = new(2026, 11, 6);
    private static readonly DateOnly SettlementDate = new(2026, 11, 9);
    private const string BankAccount = "9876543210";

    private sealed class MovableClock : TimeProvider
    {
        public DateTimeOffset Now { get; private set; }

        public override DateTimeOffset GetUtcNow() => Now;

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

        public void MoveTo(DateOnly date) => Now = new DateTimeOffset(date.ToDateTime(new TimeOnly(15, 0)), TimeSpan.Zero);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task An_e_check_waits_goes_out_once_in_the_next_file_as_a_WEB_entry_posts_mails_its_receipt_and_a_return_reverses_it(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "portal e-check");
        await database.MigrateAsync();
        var clock = new MovableClock();
        clock.MoveTo(BillDate);
        await using var services = database.Services(clock);
        async Task<T> Run<T>(Func<IServiceProvider, Task<T>> work)
        {
            await using var scope = services.CreateAsyncScope();
            return await work(scope.ServiceProvider);
        }

        var (accounts, pat, lee) = await Run(async s =>
        {
            var db = s.GetRequiredService<OpenCisDbContext>();
            var built = await TinyCity.BuildAsync(db, 2);
            await TinyCity.AddReadAsync(db, built, BillDate.AddDays(-1), 10_000);
            return (built, await LoginAsync(db, "pat@example.org", built[0].AccountId), await LoginAsync(db, "lee@example.org", built[1].AccountId));
        });
        await Run(s => s.GetRequiredService<RunBilling>().ExecuteAsync("C1", BillDate, "clerk"));
        var mine = accounts[0];
        clock.MoveTo(AuthorizedOn);
        var balanceBefore = await Run(s => LedgerChecks.BalanceAsync(s.GetRequiredService<OpenCisDbContext>(), mine.AccountId));
        Assert.True(balanceBefore > 25_00, $"the account owes {balanceBefore} cents");
        PortalECheckRequest Request(string routing = "011000015", string amount = "25.00", bool authorized = true) =>
            new("Pat Customer", routing, BankAccount, "Savings", amount, authorized);
        Task<PortalECheckView> Authorize(string user, string accountNumber, PortalECheckRequest request) =>
            Run(s => s.GetRequiredService<PortalECheck>().AuthorizeAsync(user, accountNumber, request));

        // Refusals name their field; another customer's account is not found, as if it did not exist.
        foreach (var (request, key, field) in new[]
                 {
                     (Request(routing: "011000016"), "Field_routingNumber", "routingNumber"),
                     (Request(amount: "0.00"), "ErrorAmount", "amount"),
                     (Request(amount: "1000000.01"), "ErrorAmountTooLarge", "amount"),
                     (Request(authorized: false), "ErrorECheckAuthorize", "authorized"),
                     (Request() with { BankAccountNumber = "4111 1111 1111 1111" }, "Field_dfiAccountNumber", "dfiAccountNumber"),
                 })
        {
            var refused = await Assert.ThrowsAsync<PortalException>(() => Authorize(pat, mine.AccountNumber, request));
            Assert.Equal((key, field), (refused.Key, refused.Field));
        }

        await Assert.ThrowsAsync<PortalNotFoundException>(() => Authorize(pat, accounts[1].AccountNumber, Request()));
        await Assert.ThrowsAsync<PortalNotFoundException>(() => Authorize(lee, mine.AccountNumber, Request()));

        // Authorized: pending, nothing posted, shown as pending with the bank account's last four digits only.
        var eCheck = await Authorize(pat, mine.AccountNumber, Request());
        Assert.Equal(("Pending", 25_00L, "****3210", "Savings"), (eCheck.Status, eCheck.Amount.Cents, eCheck.MaskedAccountNumber, eCheck.AccountType));
        // A second one the customer cancels before the file never goes out.
        var cancelled = await Authorize(pat, mine.AccountNumber, Request(amount: "7.00"));
        await Assert.ThrowsAsync<PortalNotFoundException>(() => Run(s => s.GetRequiredService<PortalECheck>().CancelAsync(lee, mine.AccountNumber, cancelled.Id)));
        Assert.Equal("Cancelled", (await Run(s => s.GetRequiredService<PortalECheck>().CancelAsync(pat, mine.AccountNumber, cancelled.Id))).Status);
        Assert.Equal("ErrorECheckNotPending", (await Assert.ThrowsAsync<PortalException>(() => Run(s => s.GetRequiredService<PortalECheck>().CancelAsync(pat, mine.AccountNumber, cancelled.Id)))).Key);

        var view = await Run(s => s.GetRequiredService<PortalQueries>().AccountAsync(pat, mine.AccountNumber));
        var shown = Assert.Single(view.Payments, p => p.Pending);
        Assert.Equal((eCheck.Id, 25_00L, "ECheck", "****3210"), (shown.ECheckId, shown.Amount.Cents, shown.How, shown.BankAccount));
        await Run(async s =>
        {
            var db = s.GetRequiredService<OpenCisDbContext>();
            Assert.Equal(balanceBefore, await LedgerChecks.BalanceAsync(db, mine.AccountId));
            Assert.False(await db.Payments.AnyAsync(p => p.AccountId == mine.AccountId));
            var row = await db.OneTimeDebits.SingleAsync(d => d.Id == eCheck.Id);
            Assert.DoesNotContain(BankAccount, row.DfiAccountCipher, StringComparison.Ordinal);
            Assert.Equal((AchEntryClass.Web, AuthorizedOn), (row.EntryClass, row.AuthorizedOn));
            Assert.Contains("$25.00", row.AuthorizationText, StringComparison.Ordinal);
            var audit = await db.AuditEntries.SingleAsync(a => a.EntityType == "OneTimeDebit" && a.EntityId == eCheck.Id && a.Action == "Authorize e-check online");
            Assert.Equal((PortalLogins.Actor("pat@example.org"), mine.AccountId), (audit.User, audit.AccountId));
            Assert.Contains("authorize the city to debit $25.00 once", audit.After, StringComparison.Ordinal);
            Assert.DoesNotContain(BankAccount, audit.After, StringComparison.Ordinal);
            return 0;
        });

        // The next file carries it as one single-entry WEB debit for its amount, posts it and queues the receipt.
        var file = await Run(s => s.GetRequiredService<GenerateAchFile>().ExecuteAsync(SettlementDate, "clerk"));
        Assert.True(file.Generated, file.Message);
        Assert.Equal((1, 0, 25_00L), (file.EntryCount, file.PrenoteCount, file.Total.Cents));
        var read = NachaReader.Read(file.Content);
        Assert.True(read.IsValid, string.Join("; ", read.Errors));
        var entry = Assert.Single(read.Entries);
        Assert.Equal(("WEB", AchTransactionCodes.SavingsDebit, 25_00L, BankAccount, "S", "011000015", mine.AccountNumber),
            (entry.StandardEntryClass, entry.Entry.TransactionCode, entry.Entry.Amount.Cents, entry.Entry.DfiAccountNumber.Trim(), entry.Entry.DiscretionaryData.Trim(),
                entry.Entry.RoutingNumber, entry.Entry.IndividualIdentification.Trim()));
        // And in the text the bank reads: the batch's standard entry class (columns 51-53), the entry's amount in cents (30-39).
        var records = file.Content.Split('\n').Select(r => r.TrimEnd('\r')).ToList();
        Assert.Equal("WEB", Assert.Single(records, r => r.StartsWith('5'))[50..53]);
        Assert.Equal("0000002500", Assert.Single(records, r => r.StartsWith('6'))[29..39]);

        var sent = await Run(async s =>
        {
            var db = s.GetRequiredService<OpenCisDbContext>();
            var payment = await db.Payments.SingleAsync(p => p.AccountId == mine.AccountId);
            Assert.Equal((25_00L, Tender.Ach, SettlementDate, entry.Entry.TraceNumber), (payment.AmountCents, payment.Tender, payment.ReceivedOn, payment.Reference));
            Assert.Equal(balanceBefore - 25_00, await LedgerChecks.BalanceAsync(db, mine.AccountId));
            var row = await db.OneTimeDebits.SingleAsync(d => d.Id == eCheck.Id);
            Assert.Equal((OneTimeDebitStatus.Sent, payment.Id, file.FileId, ""), (row.Status, row.PaymentId, row.AchFileId, row.DfiAccountCipher));
            var achEntry = await db.AchEntries.SingleAsync(e => e.OneTimeDebitId == eCheck.Id);
            Assert.Equal(((long?)null, payment.Id, entry.Entry.TraceNumber), (achEntry.EnrollmentId, achEntry.PaymentId, achEntry.TraceNumber));
            var receipt = await db.OutgoingMail.SingleAsync(m => m.Kind == "PortalECheckReceipt");
            Assert.Equal("pat@example.org", receipt.ToAddress);
            Assert.Contains("Amount: $25.00", receipt.BodyText, StringComparison.Ordinal);
            Assert.Contains("Bank account: ****3210", receipt.BodyText, StringComparison.Ordinal);
            Assert.Contains($"Receipt: {Receipts.Number(payment.Id)}", receipt.BodyText, StringComparison.Ordinal);
            Assert.DoesNotContain(BankAccount, receipt.BodyText, StringComparison.Ordinal);
            Assert.DoesNotContain((await s.GetRequiredService<PortalQueries>().AccountAsync(pat, mine.AccountNumber)).Payments, p => p.Pending);
            await LedgerChecks.TiesOutAsync(db);
            return payment.Id;
        });

        // The same date again is the same file; the next date's file has nothing to carry. Nothing posts twice.
        var again = await Run(s => s.GetRequiredService<GenerateAchFile>().ExecuteAsync(SettlementDate, "clerk"));
        Assert.Equal((true, file.Content), (again.AlreadyGenerated, again.Content));
        var next = await Run(s => s.GetRequiredService<GenerateAchFile>().ExecuteAsync(SettlementDate.AddDays(1), "clerk"));
        Assert.False(next.Generated, next.Message);
        await Run(async s =>
        {
            var db = s.GetRequiredService<OpenCisDbContext>();
            Assert.Equal(1, await db.Payments.CountAsync(p => p.AccountId == mine.AccountId));
            Assert.Equal(1, await db.AchEntries.CountAsync());
            Assert.Equal(1, await db.OutgoingMail.CountAsync(m => m.Kind == "PortalECheckReceipt"));
            Assert.Equal(OneTimeDebitStatus.Cancelled, (await db.OneTimeDebits.SingleAsync(d => d.Id == cancelled.Id)).Status);
            return 0;
        });

        // The bank returns it: the payment is reversed (with the returned-payment fee), the e-check shows as returned.
        clock.MoveTo(SettlementDate.AddDays(2));
        var nacha = read.File!;
        var returnFile = Encoding.ASCII.GetBytes(NachaWriter.Write(AchReturnFile.For(nacha, [(entry.Entry.TraceNumber, "R01")], SettlementDate.AddDays(2))));
        var returned = await Run(s => s.GetRequiredService<ProcessAchReturns>().ExecuteAsync("returns.ach", returnFile, "cashier"));
        Assert.True(returned.Posted, returned.Message);
        Assert.Equal((1, 25_00L), (returned.ReturnCount, returned.Total.Cents));
        await Run(async s =>
        {
            var db = s.GetRequiredService<OpenCisDbContext>();
            Assert.Equal(balanceBefore + returned.Fees.Cents, await LedgerChecks.BalanceAsync(db, mine.AccountId));
            Assert.Equal(OneTimeDebitStatus.Returned, (await db.OneTimeDebits.SingleAsync(d => d.Id == eCheck.Id)).Status);
            var record = await db.AchReturns.SingleAsync();
            Assert.Equal((mine.AccountId, "R01"), (record.AccountId, record.ReasonCode));
            Assert.NotNull(record.ReversalTransactionId);
            await LedgerChecks.TiesOutAsync(db);
            return 0;
        });
        Assert.NotEqual(0, sent);
    }

    /// <summary>A verified portal login for one account, as sign-up leaves it.</summary>
    private static async Task<string> LoginAsync(OpenCisDbContext db, string email, long accountId)
    {
        var user = new PortalUser
        {
            UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email, NormalizedEmail = email.ToUpperInvariant(), EmailConfirmed = true,
            DisplayName = "Pat Customer", Language = "en", CreatedAt = FixedClock.DemoToday,
        };
        db.PortalUsers.Add(user);
        db.PortalUserAccounts.Add(new PortalUserAccount { PortalUserId = user.Id, AccountId = accountId, Proof = "test", LinkedAt = FixedClock.DemoToday });
        await db.SaveChangesAsync();
        return user.Id;
    }
}
