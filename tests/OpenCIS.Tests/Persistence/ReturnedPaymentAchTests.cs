using System.Text;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;
using OpenCIS.Core.Payments.Ach;
using OpenCIS.Storage.Payments;
using OpenCIS.UseCases.Payments;
using OpenCIS.Storage.Payments.Ach;
using OpenCIS.UseCases.Payments.Ach;
using OpenCIS.Storage.Payments.Returns;
using OpenCIS.UseCases.Payments.Returns;

namespace OpenCIS.Tests.Persistence;

/// <summary>Returns at the counter and ACH return files share one rule: every returned payment counts, and none comes back twice.</summary>
public sealed class ReturnedPaymentAchTests
{
    private static async Task<(DateOnly DueDate, AchFileOutcome Debits)> DebitAsync(PaymentCity city)
    {
        city.Clock.MoveTo(PaymentCity.BillDate.AddDays(1));
        foreach (var account in city.Accounts.Take(2))
        {
            await city.RunAsync<EnrollAch, AchEnrollmentView>(e => e.ExecuteAsync(
                new AchEnrollmentRequest(account.AccountNumber, "011000015", "9876543210", AchAccountType.Checking, AchEntryClass.Ppd, "Pat Customer"), "clerk"));
        }

        var prenoteDate = new DateOnly(2026, 11, 9);
        city.Clock.MoveTo(prenoteDate);
        await city.RunAsync<GenerateAchFile, AchFileOutcome>(g => g.ExecuteAsync(prenoteDate, "clerk"));
        var dueDate = (await city.ScanLineAsync(0)).DueDate;
        city.Clock.MoveTo(dueDate.AddDays(-1));
        var debits = await city.RunAsync<GenerateAchFile, AchFileOutcome>(g => g.ExecuteAsync(dueDate, "clerk"));
        Assert.Equal(2, debits.EntryCount);
        return (dueDate, debits);
    }

    private static byte[] ReturnFile(AchFileOutcome debits, int entry)
    {
        var file = NachaReader.Read(debits.Content).File!;
        var traces = file.Batches.SelectMany(b => b.Entries).Select(e => e.TraceNumber).ToList();
        return Encoding.ASCII.GetBytes(NachaWriter.Write(AchReturnFile.For(file, [(traces[entry], "R01")], new DateOnly(2026, 12, 1))));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_returned_check_and_an_ACH_return_count_together_and_a_debit_returned_at_the_counter_is_refused_in_the_file(TestProvider provider)
    {
        await using var city = await PaymentCity.StartAsync(provider, "returns of every kind");
        var (dueDate, debits) = await DebitAsync(city);
        city.Clock.MoveTo(dueDate.AddDays(2));
        var check = await city.RunAsync<TakePayment, PaymentReceipt>(t => t.ExecuteAsync(
            new TakePaymentRequest(city.Accounts[0].AccountNumber, Money.FromCents(1_000), Tender.Check, "CK5", PaymentSource.Counter, null), "cashier"));
        var returnedCheck = await city.RunAsync<ReturnPayment, PaymentReturnOutcome>(r => r.ExecuteAsync(new ReturnPaymentRequest(check.ReceiptNumber, PaymentReturnReason.Nsf, null, null), "clerk"));
        var achFile = await city.RunAsync<ProcessAchReturns, AchReturnsOutcome>(p => p.ExecuteAsync("returns-a.ach", ReturnFile(debits, 0), "clerk"));

        string secondDebitReceipt;
        await using (var db = city.Fresh())
        {
            var paymentId = await db.AchEntries.Where(e => e.AccountId == city.Accounts[1].AccountId && e.PaymentId != null).Select(e => e.PaymentId!.Value).SingleAsync();
            secondDebitReceipt = Receipts.Number(paymentId);
        }

        await city.RunAsync<ReturnPayment, PaymentReturnOutcome>(r => r.ExecuteAsync(new ReturnPaymentRequest(secondDebitReceipt, PaymentReturnReason.Other, "phone call from bank", null), "clerk"));
        var alreadyReturned = await city.RunAsync<ProcessAchReturns, AchReturnsOutcome>(p => p.ExecuteAsync("returns-b.ach", ReturnFile(debits, 1), "clerk"));

        Assert.False(returnedCheck.MadeCashOnly);
        Assert.True(achFile.Posted, string.Join("; ", achFile.Errors));
        Assert.Equal([city.Accounts[0].AccountNumber], achFile.CashOnlyAccounts);
        Assert.False(alreadyReturned.Posted);
        Assert.Contains(alreadyReturned.Errors, e => e.Message.Contains($"({secondDebitReceipt}) was already returned", StringComparison.Ordinal));
        await using var check2 = city.Fresh();
        Assert.Equal(1, await check2.FinancialTransactions.CountAsync(t => t.AccountId == city.Accounts[1].AccountId && t.Type == OpenCIS.Core.Ledger.FinancialTransactionType.ReturnedPayment));
    }
}
