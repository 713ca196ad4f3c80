using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Payments;
using OpenCIS.Storage.Payments;
using OpenCIS.UseCases.Payments;
using OpenCIS.Storage.Payments.Drawers;
using OpenCIS.UseCases.Payments.Drawers;
using OpenCIS.Storage.Payments.Returns;
using OpenCIS.UseCases.Payments.Returns;
using OpenCIS.UseCases.Reports;

namespace OpenCIS.Tests.Persistence;

/// <summary>Returned checks and card charge backs at the counter, on each database.</summary>
public sealed class ReturnedPaymentWorkflowTests
{
    private static async Task<(PaymentCity City, DateOnly DueDate, PaymentReceipt Payment)> PaidAsync(TestProvider provider, string what)
    {
        var city = await PaymentCity.StartAsync(provider, what, accounts: 2);
        var line = await city.ScanLineAsync(0);
        city.Clock.MoveTo(PaymentCity.BillDate.AddDays(3));
        var receipt = await city.RunAsync<TakePayment, PaymentReceipt>(t => t.ExecuteAsync(
            new TakePaymentRequest(city.Accounts[0].AccountNumber, line.AmountDue, Tender.Check, "CK1001", PaymentSource.Counter, null), "cashier"));
        return (city, line.DueDate, receipt);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_returned_check_reverses_the_payment_restores_its_items_adds_the_fee_and_comes_back_once(TestProvider provider)
    {
        var (city, dueDate, payment) = await PaidAsync(provider, "returned check");
        await using var _ = city;
        city.Clock.MoveTo(dueDate.AddDays(5));
        var request = new ReturnPaymentRequest(payment.ReceiptNumber, PaymentReturnReason.Nsf, "BANK-77", "return-key-1");

        var returned = await city.RunAsync<ReturnPayment, PaymentReturnOutcome>(r => r.ExecuteAsync(request, "clerk"));
        var repeated = await city.RunAsync<ReturnPayment, PaymentReturnOutcome>(r => r.ExecuteAsync(request, "clerk"));
        var sameKeyOtherBody = await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<ReturnPayment, PaymentReturnOutcome>(r => r.ExecuteAsync(request with { Reason = PaymentReturnReason.StopPayment }, "clerk")));
        var again = await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<ReturnPayment, PaymentReturnOutcome>(r => r.ExecuteAsync(request with { IdempotencyKey = "return-key-2" }, "clerk")));
        var shown = await city.RunAsync<ReturnPayment, ReturnablePaymentView>(r => r.FindAsync(payment.ReceiptNumber.ToLowerInvariant()));

        Assert.False(returned.AlreadyReturned);
        Assert.Equal((payment.Amount, Money.FromCents(2_500), payment.Amount + Money.FromCents(2_500)), (returned.Amount, returned.Fee, returned.NewBalance));
        Assert.False(returned.MadeCashOnly);
        Assert.True(repeated.AlreadyReturned);
        Assert.Equal((returned.ReturnId, returned.ReversalTransactionId, returned.NewBalance), (repeated.ReturnId, repeated.ReversalTransactionId, repeated.NewBalance));
        Assert.Equal("Idempotency-Key", sameKeyOtherBody.Field);
        Assert.Equal("receipt", again.Field);
        Assert.Contains(payment.ReceiptNumber, again.Message, StringComparison.Ordinal);
        Assert.Contains("already returned", again.Message, StringComparison.Ordinal);
        Assert.NotNull(shown.AlreadyReturned);

        await using var db = city.Fresh();
        var account = city.Accounts[0].AccountId;
        var paid = await db.Payments.SingleAsync(p => p.Id == payment.PaymentId);
        var reversal = await db.FinancialTransactions.SingleAsync(t => t.Type == FinancialTransactionType.ReturnedPayment);
        Assert.Equal((paid.FinancialTransactionId, payment.Amount.Cents, account), (reversal.ReversesTransactionId!.Value, reversal.AmountCents, reversal.AccountId));
        Assert.Contains("BANK-77", reversal.Reason, StringComparison.Ordinal);
        var fee = await db.FinancialTransactions.SingleAsync(t => t.Type == FinancialTransactionType.ReturnedPaymentFee);
        Assert.Equal((2_500L, account), (fee.AmountCents, fee.AccountId));
        // The items the check paid are owed again by service from the bill's due date, so aging shows them past due.
        var open = await db.OpenItems.Where(o => o.AccountId == account && o.OpenCents != 0).ToListAsync();
        Assert.Equal(payment.Amount.Cents + 2_500, open.Sum(o => o.OpenCents));
        Assert.All(open.Where(o => o.Service != null), o => Assert.Equal(dueDate, o.DueOn));
        var aging = await new ReceivablesAging(db).RunAsync(dueDate.AddDays(5), detail: true);
        var row = Assert.Single(aging.Accounts, a => a.AccountId == account);
        Assert.Equal(payment.Amount, row.Buckets.Days1To30);
        Assert.Equal(1, await db.PaymentReturns.CountAsync());
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "Return payment" && a.AccountId == account));
        Assert.False(await db.Accounts.Where(a => a.Id == account).Select(a => a.CashOnly).SingleAsync());
        var trialBalance = await new LedgerReports(db).TrialBalanceAsync();
        Assert.True(trialBalance.Balances && trialBalance.TiesToSubLedger);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_second_return_in_twelve_months_makes_the_account_cash_only_and_the_drawer_then_refuses_its_checks(TestProvider provider)
    {
        var (city, dueDate, payment) = await PaidAsync(provider, "returned check cash only");
        await using var _ = city;
        city.Clock.MoveTo(dueDate.AddDays(1));
        var first = await city.RunAsync<ReturnPayment, PaymentReturnOutcome>(r => r.ExecuteAsync(new ReturnPaymentRequest(payment.ReceiptNumber, PaymentReturnReason.Nsf, null, null), "clerk"));
        var card = await city.RunAsync<TakePayment, PaymentReceipt>(t => t.ExecuteAsync(
            new TakePaymentRequest(city.Accounts[0].AccountNumber, Money.FromCents(4_000), Tender.Card, null, PaymentSource.Counter, null), "cashier"));
        var chargeBack = await city.RunAsync<ReturnPayment, PaymentReturnOutcome>(r => r.ExecuteAsync(new ReturnPaymentRequest(card.ReceiptNumber, PaymentReturnReason.ChargeBack, "CB-9", null), "clerk"));

        await city.RunAsync<OpenDrawer, DrawerOpened>(o => o.ExecuteAsync("cashier", Money.FromCents(10_000)));
        var check = await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<TakeDrawerPayment, DrawerReceipt>(t => t.ExecuteAsync(
            new DrawerPaymentRequest(city.Accounts[0].AccountNumber, Money.FromCents(1_000), [new TenderPart(Tender.Check, Money.FromCents(1_000), "CK2002")], null), "cashier")));
        var cash = await city.RunAsync<TakeDrawerPayment, DrawerReceipt>(t => t.ExecuteAsync(
            new DrawerPaymentRequest(city.Accounts[0].AccountNumber, Money.FromCents(1_000), [new TenderPart(Tender.Cash, Money.FromCents(1_000))], null), "cashier"));

        var cashBack = await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<ReturnPayment, PaymentReturnOutcome>(r => r.ExecuteAsync(new ReturnPaymentRequest(cash.ReceiptNumber, PaymentReturnReason.Other, null, null), "clerk")));

        Assert.Contains("cash cannot come back", cashBack.Message, StringComparison.Ordinal);
        Assert.False(first.MadeCashOnly);
        Assert.True(chargeBack.MadeCashOnly);
        Assert.Contains("cash-only", check.Message, StringComparison.Ordinal);
        Assert.False(cash.AlreadyPosted);
        await using var db = city.Fresh();
        Assert.True(await db.Accounts.Where(a => a.Id == city.Accounts[0].AccountId).Select(a => a.CashOnly).SingleAsync());
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "Mark cash-only"));
        Assert.Equal(2, await db.FinancialTransactions.CountAsync(t => t.Type == FinancialTransactionType.ReturnedPaymentFee));
        var trialBalance = await new LedgerReports(db).TrialBalanceAsync();
        Assert.True(trialBalance.Balances && trialBalance.TiesToSubLedger);
    }
}
