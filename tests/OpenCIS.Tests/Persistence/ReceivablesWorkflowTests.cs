using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Payments;
using OpenCIS.Core.Receivables;
using OpenCIS.Storage.Billing;
using OpenCIS.UseCases.Billing;
using OpenCIS.Core.Payments.Ach;
using OpenCIS.Storage.Payments;
using OpenCIS.UseCases.Payments;
using OpenCIS.Storage.Payments.Ach;
using OpenCIS.UseCases.Payments.Ach;
using OpenCIS.Storage.Receivables;
using OpenCIS.UseCases.Receivables;
using OpenCIS.UseCases.Reports;
using OpenCIS.Storage;

namespace OpenCIS.Tests.Persistence;

/// <summary>Refunds with a second Supervisor's approval, balance transfers between one customer's accounts, write-offs and their reversal, on each provider.</summary>
public sealed class ReceivablesWorkflowTests
{
    private static readonly DateOnly BillDate = new(2026, 11, 5);

    /// <summary>What one tiny-city account is billed for 9,000 gallons: water 12.50 + 28.00, sewer 18.00 + 9 x 5.15, one cart 21.50 (see the corrections tests).</summary>
    private const long BillCents = 13_085;

    private sealed class City(TestDatabase database, ServiceProvider services, List<TinyCity.TinyAccount> accounts) : IAsyncDisposable
    {
        public List<TinyCity.TinyAccount> Accounts { get; } = accounts;

        public async Task<TResult> RunAsync<T, TResult>(Func<T, Task<TResult>> work) where T : notnull
        {
            await using var scope = services.CreateAsyncScope();
            return await work(scope.ServiceProvider.GetRequiredService<T>());
        }

        public OpenCisDbContext Fresh() => database.Context();

        public async Task<long> BalanceAsync(int account)
        {
            await using var db = Fresh();
            return await db.OpenItems.Where(o => o.AccountId == Accounts[account].AccountId).SumAsync(o => o.OpenCents);
        }

        public Task<PaymentReceipt> PayAsync(int account, long cents) =>
            RunAsync<TakePayment, PaymentReceipt>(w => w.ExecuteAsync(new TakePaymentRequest(Accounts[account].AccountNumber, Money.FromCents(cents), Tender.MoneyOrder, null, PaymentSource.Counter, null), "cashier"));

        public async ValueTask DisposeAsync()
        {
            await services.DisposeAsync();
            await database.DisposeAsync();
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
            await TinyCity.AddReadAsync(db, tiny, BillDate.AddDays(-1), 10_000);
        }

        var city = new City(database, database.Services(), tiny);
        var run = await city.RunAsync<RunBilling, BillingRunOutcome>(w => w.ExecuteAsync("C1", BillDate, "clerk"));
        Assert.Equal(0, run.Exceptions);
        return city;
    }

    /// <summary>Every transaction balances, each account's transactions add up to its open items, the trial balance ties, and the clearing account nets to zero.</summary>
    private static async Task AssertBooksTieAsync(OpenCisDbContext db)
    {
        Assert.Equal(0, await db.GlEntries.GroupBy(g => g.FinancialTransactionId).Where(g => g.Sum(x => x.DebitCents) != g.Sum(x => x.CreditCents)).CountAsync());
        var byTransactions = await db.FinancialTransactions.GroupBy(t => t.AccountId).Select(g => new { g.Key, Total = g.Sum(t => t.AmountCents) }).ToDictionaryAsync(x => x.Key, x => x.Total);
        var byOpenItems = await db.OpenItems.GroupBy(o => o.AccountId).Select(g => new { g.Key, Total = g.Sum(o => o.OpenCents) }).ToDictionaryAsync(x => x.Key, x => x.Total);
        foreach (var (accountId, total) in byTransactions)
        {
            Assert.Equal(total, byOpenItems.GetValueOrDefault(accountId));
        }

        var trial = await new LedgerReports(db).TrialBalanceAsync();
        Assert.True(trial.Balances && trial.TiesToSubLedger, "the trial balance must balance and tie to the customer sub-ledger");
        Assert.Equal(0, await db.GlEntries.Where(g => g.GlAccount == GlAccounts.BalanceTransferClearing).SumAsync(g => g.DebitCents - g.CreditCents));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_refund_of_a_credit_posts_only_when_another_supervisor_approves_it_and_goes_on_the_register(TestProvider provider)
    {
        await using var city = await StartAsync(provider, "refund approval", accounts: 1);
        var number = city.Accounts[0].AccountNumber;
        await city.PayAsync(0, BillCents + 10_000);
        Assert.Equal(-10_000, await city.BalanceAsync(0));

        var request = new RefundRequest(number, Money.FromCents(6_000), RefundMethod.Check, "Overpaid the final bill", "refund-key-1");
        var requested = await city.RunAsync<RequestRefund, RefundOutcome>(w => w.ExecuteAsync(request, "super1"));
        Assert.Equal(("Pending", "Customer 1", "1 Test St, Riverbend, OR 97401", false), (requested.Refund.Status, requested.Refund.PayeeName, requested.Refund.MailingAddress, requested.AlreadyDone));
        Assert.Equal(-10_000, requested.BalanceCents);

        // A retry with the key returns the same request; the key with another amount is refused, naming the header.
        var retried = await city.RunAsync<RequestRefund, RefundOutcome>(w => w.ExecuteAsync(request, "super1"));
        Assert.Equal((requested.Refund.RefundId, true), (retried.Refund.RefundId, retried.AlreadyDone));
        var misuse = await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<RequestRefund, RefundOutcome>(w => w.ExecuteAsync(request with { Amount = Money.FromCents(6_001) }, "super1")));
        Assert.Equal("Idempotency-Key", misuse.Field);

        // More than the credit left after the pending refund, an ACH refund without an enrollment: refused.
        await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<RequestRefund, RefundOutcome>(w => w.ExecuteAsync(new RefundRequest(number, Money.FromCents(4_001), RefundMethod.Check, "more", null), "clerk")));
        Assert.Equal("method", (await Assert.ThrowsAsync<DomainException>(() =>
            city.RunAsync<RequestRefund, RefundOutcome>(w => w.ExecuteAsync(new RefundRequest(number, Money.FromCents(100), RefundMethod.Ach, "by ACH", null), "clerk")))).Field);

        // The requester cannot approve their own refund, even as a Supervisor.
        var own = await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<DecideRefund, RefundOutcome>(w => w.ApproveAsync(requested.Refund.RefundId, "SUPER1", null)));
        Assert.Equal("refundId", own.Field);

        var approved = await city.RunAsync<DecideRefund, RefundOutcome>(w => w.ApproveAsync(requested.Refund.RefundId, "super2", "Checked the payment", "approve-key-1"));
        Assert.Equal(("Approved", "super2", -4_000L), (approved.Refund.Status, approved.Refund.DecidedBy, approved.BalanceCents));
        var again = await city.RunAsync<DecideRefund, RefundOutcome>(w => w.ApproveAsync(requested.Refund.RefundId, "super2", "Checked the payment", "approve-key-1"));
        Assert.True(again.AlreadyDone);
        await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<DecideRefund, RefundOutcome>(w => w.ApproveAsync(requested.Refund.RefundId, "super3", null)));

        // A second request is rejected with a reason: nothing posts.
        var second = await city.RunAsync<RequestRefund, RefundOutcome>(w => w.ExecuteAsync(new RefundRequest(number, Money.FromCents(1_000), RefundMethod.Check, "Rest of the credit", null), "clerk"));
        await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<DecideRefund, RefundOutcome>(w => w.RejectAsync(second.Refund.RefundId, "super2", " ")));
        var rejected = await city.RunAsync<DecideRefund, RefundOutcome>(w => w.RejectAsync(second.Refund.RefundId, "super2", "Keep it for the next bill"));
        Assert.Equal(("Rejected", -4_000L, (long?)null), (rejected.Refund.Status, rejected.BalanceCents, rejected.Refund.TransactionId));

        var register = await city.RunAsync<RefundQueries, RefundRegister>(q => q.RegisterAsync(new DateOnly(2026, 11, 22), new DateOnly(2026, 11, 22)));
        var line = Assert.Single(register.Lines);
        Assert.Equal((requested.Refund.RefundId, "Check", "Customer 1", 6_000L, "super2"), (line.RefundId, line.Method, line.PayeeName, line.AmountCents, line.ApprovedBy));
        var csv = RefundQueries.ToCsv(register);
        Assert.Contains($"{line.RefundId},2026-11-22,{number},Check,Customer 1,1 Test St,Riverbend,OR,97401,,,60.00,super2,accounts payable", csv, StringComparison.Ordinal);
        Assert.EndsWith("TOTAL,,,,,,,,,,,60.00,,\r\n", csv, StringComparison.Ordinal);

        await using var db = city.Fresh();
        var refunds = await db.FinancialTransactions.Where(t => t.Type == FinancialTransactionType.Refund).ToListAsync();
        Assert.Equal(6_000, Assert.Single(refunds).AmountCents);
        Assert.Equal(-6_000, await db.GlEntries.Where(g => g.GlAccount == GlAccounts.RefundsPayable).SumAsync(g => g.DebitCents - g.CreditCents));
        Assert.Equal(["Approve refund", "Request refund"], await db.AuditEntries.Where(a => a.EntityType == "Refund" && a.EntityId == requested.Refund.RefundId).Select(a => a.Action).OrderBy(a => a).ToArrayAsync());
        await AssertBooksTieAsync(db);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task An_ach_refund_goes_to_the_active_enrollment_and_the_register_shows_the_bank_account_masked(TestProvider provider)
    {
        await using var city = await StartAsync(provider, "ACH refund", accounts: 1);
        var number = city.Accounts[0].AccountNumber;
        await using (var db = city.Fresh())
        {
            var enrollment = AchEnrollment.Start(city.Accounts[0].AccountId, "021000021", new OpenCIS.UseCases.Encryption.FieldProtector(Convert.FromBase64String(TestDatabases.EncryptionKey)).Protect("7700112233"), "2233", AchAccountType.Checking, AchEntryClass.Ppd, "Pat Customer", new DateOnly(2026, 10, 1), "clerk");
            enrollment.PrenoteSent(new DateOnly(2026, 10, 2));
            enrollment.Activate(new DateOnly(2026, 10, 9));
            db.AchEnrollments.Add(enrollment);
            await db.SaveChangesAsync();
        }

        await city.PayAsync(0, BillCents + 2_500);
        var requested = await city.RunAsync<RequestRefund, RefundOutcome>(w => w.ExecuteAsync(new RefundRequest(number, Money.FromCents(2_500), RefundMethod.Ach, "Autopay and a check both paid", null), "clerk"));
        Assert.Equal(("Ach", "Pat Customer", "021000021 ****2233"), (requested.Refund.Method, requested.Refund.PayeeName, requested.Refund.BankAccount));
        await city.RunAsync<DecideRefund, RefundOutcome>(w => w.ApproveAsync(requested.Refund.RefundId, "super1", null));

        var register = await city.RunAsync<RefundQueries, RefundRegister>(q => q.RegisterAsync(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30)));
        var csv = RefundQueries.ToCsv(register);
        Assert.Contains($"{requested.Refund.RefundId},2026-11-22,{number},Ach,Pat Customer,,,,,021000021,****2233,25.00,super1,next ACH file", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("7700112233", csv, StringComparison.Ordinal);
        Assert.Equal(0, await city.BalanceAsync(0));
        await using (var check = city.Fresh())
        {
            await AssertBooksTieAsync(check);
        }

        // The next ACH file credits it to the customer's bank (a PPD credit in a credits-only batch), paying refunds payable from cash.
        var settlement = new DateOnly(2026, 11, 25);
        var file = await city.RunAsync<GenerateAchFile, AchFileOutcome>(g => g.ExecuteAsync(settlement, "clerk"));
        var read = NachaReader.Read(file.Content);
        Assert.True(read.IsValid, string.Join("; ", read.Errors));
        var credit = Assert.Single(read.Entries, e => e.Entry.TransactionCode == AchTransactionCodes.CheckingCredit);
        Assert.Equal((Money.FromCents(2_500), "77001122", NachaBatch.CreditsOnlyServiceClass), (credit.Entry.Amount, credit.Entry.DfiAccountNumber[..8], read.File!.Batches.Single(b => b.Entries.Any(x => x.TraceNumber == credit.Entry.TraceNumber)).ServiceClassCode));
        Assert.Contains("1 refund credit totalling $25.00", file.Message, StringComparison.Ordinal);
        var again = await city.RunAsync<GenerateAchFile, AchFileOutcome>(g => g.ExecuteAsync(settlement, "clerk"));
        Assert.True(again.AlreadyGenerated);
        var paid = RefundQueries.ToCsv(await city.RunAsync<RefundQueries, RefundRegister>(q => q.RegisterAsync(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30))));
        Assert.Contains(",25.00,super1,ACH file 2026-11-25\r\n", paid, StringComparison.Ordinal);
        await using (var check = city.Fresh())
        {
            var refund = await check.Refunds.SingleAsync();
            Assert.Equal(settlement, refund.SentOn);
            Assert.Equal(0, await check.GlEntries.Where(g => g.GlAccount == GlAccounts.RefundsPayable).SumAsync(g => g.DebitCents - g.CreditCents));
            await AssertBooksTieAsync(check);
        }

        // The bank returns it (account closed): the cash is back, and so is the customer's credit; the enrollment ends.
        var returned = AchReturnFile.For(read.File!, [(credit.Entry.TraceNumber, "R02")], new DateOnly(2026, 11, 27));
        var outcome = await city.RunAsync<ProcessAchReturns, AchReturnsOutcome>(p => p.ExecuteAsync("refund-return.txt", System.Text.Encoding.ASCII.GetBytes(NachaWriter.Write(returned)), "clerk"));
        Assert.True(outcome.Posted, string.Join("; ", outcome.Errors.Select(e => e.Message)));
        Assert.Equal(Money.Zero, outcome.Fees);
        Assert.Equal(-2_500, await city.BalanceAsync(0));
        await using (var check = city.Fresh())
        {
            Assert.NotNull((await check.Refunds.SingleAsync()).ReturnedOn);
            Assert.Equal(AchEnrollmentStatus.Cancelled, (await check.AchEnrollments.SingleAsync()).Status);
            Assert.False((await check.Accounts.SingleAsync()).CashOnly);
            await AssertBooksTieAsync(check);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_balance_transfer_moves_the_whole_balance_to_the_customers_other_account_by_service_once(TestProvider provider)
    {
        await using var city = await StartAsync(provider, "balance transfer", accounts: 3);
        var (final, active, stranger) = (city.Accounts[0], city.Accounts[1], city.Accounts[2]);
        await using (var db = city.Fresh())
        {
            // The customer of the first account is the main customer of the second too.
            await db.AccountCustomers.Where(ac => ac.AccountId == active.AccountId).ExecuteUpdateAsync(s => s.SetProperty(ac => ac.CustomerId, final.CustomerId));
        }

        await city.PayAsync(0, 1_085);
        var request = new TransferRequest(final.AccountNumber, active.AccountNumber, "Final bill balance to the new address", "transfer-key-1");
        var moved = await city.RunAsync<TransferBalance, TransferOutcome>(w => w.ExecuteAsync(request, "collector"));
        Assert.Equal((12_000L, 0L, 12_000L + BillCents, false), (moved.AmountCents, moved.FromBalanceCents, moved.ToBalanceCents, moved.AlreadyDone));

        var retried = await city.RunAsync<TransferBalance, TransferOutcome>(w => w.ExecuteAsync(request, "collector"));
        Assert.Equal((moved.TransferId, true, 12_000L + BillCents), (retried.TransferId, retried.AlreadyDone, retried.ToBalanceCents));
        Assert.Equal("Idempotency-Key", (await Assert.ThrowsAsync<DomainException>(() =>
            city.RunAsync<TransferBalance, TransferOutcome>(w => w.ExecuteAsync(request with { Reason = "another reason" }, "collector")))).Field);

        // Nothing left to move; another customer's account; no reason: refused.
        await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<TransferBalance, TransferOutcome>(w => w.ExecuteAsync(request with { IdempotencyKey = null }, "collector")));
        Assert.Equal("toAccountNumber", (await Assert.ThrowsAsync<DomainException>(() =>
            city.RunAsync<TransferBalance, TransferOutcome>(w => w.ExecuteAsync(new TransferRequest(active.AccountNumber, stranger.AccountNumber, "wrong customer", null), "collector")))).Field);
        Assert.Equal("reason", (await Assert.ThrowsAsync<DomainException>(() =>
            city.RunAsync<TransferBalance, TransferOutcome>(w => w.ExecuteAsync(new TransferRequest(active.AccountNumber, final.AccountNumber, "", null), "collector")))).Field);

        await using (var db = city.Fresh())
        {
            // The moved charges keep their services: the active account's open charges by service are its own bill's plus what was moved.
            var byService = await db.OpenItems.Where(o => o.AccountId == active.AccountId && o.OpenCents != 0).GroupBy(o => o.Service)
                .Select(g => new { g.Key, Cents = g.Sum(o => o.OpenCents) }).ToDictionaryAsync(x => x.Key!.Value, x => x.Cents);
            Assert.Equal([Service.Water, Service.Sewer, Service.Trash], byService.Keys.Order().ToArray());
            Assert.Equal(12_000 + BillCents, byService.Values.Sum());
            var transfers = await db.FinancialTransactions.Where(t => t.Type == FinancialTransactionType.BalanceTransfer).OrderBy(t => t.Id).ToListAsync();
            Assert.Equal([(final.AccountId, -12_000L), (active.AccountId, 12_000L)], transfers.Select(t => (t.AccountId, t.AmountCents)).ToArray());
            Assert.Equal(1, await db.BalanceTransfers.CountAsync());
        }

        // A credit on the final account moves the other way and pays the active account down.
        await city.PayAsync(0, 2_500);
        var credit = await city.RunAsync<TransferBalance, TransferOutcome>(w => w.ExecuteAsync(new TransferRequest(final.AccountNumber, active.AccountNumber, "Late payment arrived on the old account", "transfer-key-2"), "collector"));
        Assert.Equal((-2_500L, 0L, 12_000L + BillCents - 2_500), (credit.AmountCents, credit.FromBalanceCents, credit.ToBalanceCents));

        await using var check = city.Fresh();
        Assert.Equal(4, await check.AuditEntries.CountAsync(a => a.EntityType == "BalanceTransfer"));
        await AssertBooksTieAsync(check);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_write_off_settles_the_open_charges_out_of_aging_and_its_reversal_puts_them_back_once(TestProvider provider)
    {
        await using var city = await StartAsync(provider, "write-off", accounts: 1);
        var number = city.Accounts[0].AccountNumber;
        var part = new WriteOffRequest(number, Money.FromCents(3_000), "smallbal", "Agreed with the customer", "writeoff-key-1");
        var first = await city.RunAsync<WriteOffBalance, WriteOffOutcome>(w => w.ExecuteAsync(part, "super1"));
        Assert.Equal((3_000L, "SMALLBAL", BillCents - 3_000), (first.WriteOff.AmountCents, first.WriteOff.ReasonCode, first.BalanceCents));
        var retried = await city.RunAsync<WriteOffBalance, WriteOffOutcome>(w => w.ExecuteAsync(part, "super1"));
        Assert.Equal((first.WriteOff.WriteOffId, true, BillCents - 3_000), (retried.WriteOff.WriteOffId, retried.AlreadyDone, retried.BalanceCents));
        Assert.Equal("Idempotency-Key", (await Assert.ThrowsAsync<DomainException>(() =>
            city.RunAsync<WriteOffBalance, WriteOffOutcome>(w => w.ExecuteAsync(part with { Amount = Money.FromCents(3_001) }, "super1")))).Field);
        Assert.Equal("amount", (await Assert.ThrowsAsync<DomainException>(() =>
            city.RunAsync<WriteOffBalance, WriteOffOutcome>(w => w.ExecuteAsync(new WriteOffRequest(number, Money.FromCents(BillCents), "SMALLBAL", null, null), "super1")))).Field);

        var rest = await city.RunAsync<WriteOffBalance, WriteOffOutcome>(w => w.ExecuteAsync(new WriteOffRequest(number, null, "UNCOLLECTIBLE", null, null), "super1"));
        Assert.Equal((BillCents - 3_000, 0L), (rest.WriteOff.AmountCents, rest.BalanceCents));
        await using (var db = city.Fresh())
        {
            Assert.False(await db.OpenItems.AnyAsync(o => o.AccountId == city.Accounts[0].AccountId && o.OpenCents != 0), "written-off charges leave aging");
            Assert.Equal(BillCents, await db.GlEntries.Where(g => g.GlAccount == GlAccounts.AllowanceForUncollectibles).SumAsync(g => g.DebitCents - g.CreditCents));
        }

        // The debt is collected after all: the first write-off goes back on, by the services it had settled.
        var reversed = await city.RunAsync<ReverseWriteOff, WriteOffOutcome>(w => w.ExecuteAsync(first.WriteOff.WriteOffId, "Customer agreed to pay", "reverse-key-1", "super2"));
        Assert.Equal((3_000L, "super2"), (reversed.BalanceCents, reversed.WriteOff.ReversedBy));
        var reversedAgain = await city.RunAsync<ReverseWriteOff, WriteOffOutcome>(w => w.ExecuteAsync(first.WriteOff.WriteOffId, "Customer agreed to pay", "reverse-key-1", "super2"));
        Assert.Equal((true, 3_000L), (reversedAgain.AlreadyDone, reversedAgain.BalanceCents));
        Assert.Equal("writeOffId", (await Assert.ThrowsAsync<DomainException>(() =>
            city.RunAsync<ReverseWriteOff, WriteOffOutcome>(w => w.ExecuteAsync(first.WriteOff.WriteOffId, "again", null, "super2")))).Field);

        await city.PayAsync(0, 3_000);
        await using var check = city.Fresh();
        var reversal = await check.FinancialTransactions.SingleAsync(t => t.Type == FinancialTransactionType.WriteOffReversal);
        Assert.Equal((3_000L, (long?)first.WriteOff.TransactionId), (reversal.AmountCents, reversal.ReversesTransactionId));
        Assert.All(await check.OpenItems.Where(o => o.FinancialTransactionId == reversal.Id).ToListAsync(), o => Assert.NotNull(o.Service));
        Assert.Equal(0, await city.BalanceAsync(0));
        Assert.Equal(BillCents - 3_000, await check.GlEntries.Where(g => g.GlAccount == GlAccounts.AllowanceForUncollectibles).SumAsync(g => g.DebitCents - g.CreditCents));
        await AssertBooksTieAsync(check);
    }
}
