using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Customers;
using OpenCIS.Storage.Payments.Mail;
using OpenCIS.UseCases.Payments.Mail;
using OpenCIS.UseCases.Reports;

namespace OpenCIS.Tests.Persistence;

/// <summary>Mail payment batches keyed from the stubs' scan lines, on each database.</summary>
public sealed class MailBatchWorkflowTests
{
    private static string Mistyped(string digits, int position) =>
        digits[..position] + (char)('0' + ((digits[position] - '0' + 1) % 10)) + digits[(position + 1)..];

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_balanced_batch_posts_every_check_once_and_a_retry_posts_nothing(TestProvider provider)
    {
        await using var city = await PaymentCity.StartAsync(provider, "mail batch posts once");
        var first = await city.ScanLineAsync(0);
        var second = await city.ScanLineAsync(1);
        var partial = second.AmountDue - Money.FromCents(1_000);
        var total = first.AmountDue + partial;

        var batch = await city.RunAsync<KeyMailBatch, MailBatchView>(k => k.OpenAsync(2, total, "clerk"));
        await city.RunAsync<KeyMailBatch, MailBatchView>(k => k.AddItemAsync(batch.Id, first.ToString(), null, "1001", "clerk"));
        var badDigit = await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<KeyMailBatch, MailBatchView>(k => k.AddItemAsync(batch.Id, Mistyped(second.Digits, 20), null, null, "clerk")));
        var keyedTwice = await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<KeyMailBatch, MailBatchView>(k => k.AddItemAsync(batch.Id, first.Digits, null, "1001", "clerk")));
        var wrongAmount = await city.RunAsync<KeyMailBatch, MailBatchView>(k => k.AddItemAsync(batch.Id, second.Digits, second.AmountDue, null, "clerk"));
        await city.RunAsync<KeyMailBatch, MailBatchView>(k => k.RemoveItemAsync(batch.Id, wrongAmount.Items[^1].Id, "clerk"));
        var keyed = await city.RunAsync<KeyMailBatch, MailBatchView>(k => k.AddItemAsync(batch.Id, second.Digits, partial, null, "clerk"));
        var otherBill = OpenCIS.Core.Billing.ScanLine.For(first.AccountNumber, second.BillNumber, first.AmountDue, first.DueDate);
        var notItsBill = await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<KeyMailBatch, MailBatchView>(k => k.AddItemAsync(batch.Id, otherBill.Digits, null, null, "clerk")));

        var posted = await city.RunAsync<PostMailBatch, MailBatchPostOutcome>(p => p.ExecuteAsync(batch.Id, "clerk"));
        var retry = await city.RunAsync<PostMailBatch, MailBatchPostOutcome>(p => p.ExecuteAsync(batch.Id, "clerk"));
        var afterPost = await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<KeyMailBatch, MailBatchView>(k => k.AddItemAsync(batch.Id, first.Digits, null, null, "clerk")));

        Assert.Equal("scanLine", badDigit.Field);
        Assert.Contains("check digit", badDigit.Message, StringComparison.Ordinal);
        Assert.Contains("already item 1", keyedTwice.Message, StringComparison.Ordinal);
        Assert.Contains("which is not one of account", notItsBill.Message, StringComparison.Ordinal);
        Assert.Equal(2, wrongAmount.Balance.KeyedCount);
        Assert.True(keyed.Balance.Balances);
        Assert.Equal((first.AmountDue, partial), (keyed.Items[0].Amount, keyed.Items[1].Amount));
        Assert.False(posted.AlreadyPosted);
        Assert.Equal(MailBatchStatus.Posted, posted.Batch.Status);
        Assert.All(posted.Batch.Items, i => Assert.NotNull(i.ReceiptNumber));
        Assert.True(retry.AlreadyPosted);
        Assert.Contains("nothing was posted again", retry.Message, StringComparison.Ordinal);
        Assert.Contains("was posted", afterPost.Message, StringComparison.Ordinal);

        await using var db = city.Fresh();
        var payments = await db.Payments.OrderBy(p => p.Id).ToListAsync();
        Assert.Equal(2, payments.Count);
        Assert.All(payments, p => Assert.Equal((PaymentSource.Mail, Tender.Check), (p.Source, p.Tender)));
        Assert.Equal([city.Accounts[0].AccountId, city.Accounts[1].AccountId], payments.Select(p => p.AccountId));
        Assert.Equal(["1001", null], payments.Select(p => p.Reference));
        Assert.Equal(total.Cents, payments.Sum(p => p.AmountCents));
        var owedByFirst = await db.OpenItems.Where(o => o.AccountId == city.Accounts[0].AccountId).SumAsync(o => o.OpenCents);
        var owedBySecond = await db.OpenItems.Where(o => o.AccountId == city.Accounts[1].AccountId).SumAsync(o => o.OpenCents);
        Assert.Equal((0L, 1_000L), (owedByFirst, owedBySecond));
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "Post mail batch"));
        var trialBalance = await new LedgerReports(db).TrialBalanceAsync();
        Assert.True(trialBalance.Balances && trialBalance.TiesToSubLedger);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task An_out_of_balance_batch_posts_nothing_and_stays_open(TestProvider provider)
    {
        await using var city = await PaymentCity.StartAsync(provider, "mail batch out of balance");
        var first = await city.ScanLineAsync(0);
        var second = await city.ScanLineAsync(1);
        var batch = await city.RunAsync<KeyMailBatch, MailBatchView>(k => k.OpenAsync(2, first.AmountDue + second.AmountDue, "clerk"));
        await city.RunAsync<KeyMailBatch, MailBatchView>(k => k.AddItemAsync(batch.Id, first.Digits, null, null, "clerk"));

        var shortCount = await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<PostMailBatch, MailBatchPostOutcome>(p => p.ExecuteAsync(batch.Id, "clerk")));
        var keyed = await city.RunAsync<KeyMailBatch, MailBatchView>(k => k.AddItemAsync(batch.Id, second.Digits, second.AmountDue + Money.FromCents(1), null, "clerk"));
        var overTotal = await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<PostMailBatch, MailBatchPostOutcome>(p => p.ExecuteAsync(batch.Id, "clerk")));

        Assert.Contains("1 stubs keyed against a control count of 2", shortCount.Message, StringComparison.Ordinal);
        Assert.Equal((0, Money.FromCents(1)), (keyed.Balance.CountDifference, keyed.Balance.TotalDifference));
        Assert.Contains("over by $0.01", overTotal.Message, StringComparison.Ordinal);
        await using var db = city.Fresh();
        Assert.Equal(0, await db.Payments.CountAsync());
        Assert.Equal(MailBatchStatus.Open, await db.MailBatches.Where(b => b.Id == batch.Id).Select(b => b.Status).SingleAsync());
        Assert.All(await db.MailBatchItems.ToListAsync(), i => Assert.Null(i.PaymentId));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Stubs_for_a_closed_or_cash_only_account_are_refused_while_keying_with_the_reason(TestProvider provider)
    {
        await using var city = await PaymentCity.StartAsync(provider, "mail batch refusals");
        await using (var db = city.Fresh())
        {
            var cashOnly = await db.Accounts.SingleAsync(a => a.Id == city.Accounts[0].AccountId);
            cashOnly.MarkCashOnly();
            await db.SaveChangesAsync();
            await db.Accounts.Where(a => a.Id == city.Accounts[1].AccountId).ExecuteUpdateAsync(set => set.SetProperty(a => a.Status, AccountStatus.Closed));
        }

        var batch = await city.RunAsync<KeyMailBatch, MailBatchView>(k => k.OpenAsync(1, Money.FromCents(5_000), "clerk"));
        var cashOnlyLine = (await city.ScanLineAsync(0)).Digits;
        var closedLine = (await city.ScanLineAsync(1)).Digits;
        var refusedCheck = await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<KeyMailBatch, MailBatchView>(k => k.AddItemAsync(batch.Id, cashOnlyLine, null, null, "clerk")));
        var refusedClosed = await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<KeyMailBatch, MailBatchView>(k => k.AddItemAsync(batch.Id, closedLine, null, null, "clerk")));

        Assert.Contains("cash-only", refusedCheck.Message, StringComparison.Ordinal);
        Assert.Contains("checks cannot be accepted", refusedCheck.Message, StringComparison.Ordinal);
        Assert.Contains("closed", refusedClosed.Message, StringComparison.Ordinal);
        Assert.Empty((await city.RunAsync<KeyMailBatch, MailBatchView>(k => k.GetAsync(batch.Id))).Items);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Two_clerks_posting_the_same_batch_at_once_post_it_once(TestProvider provider)
    {
        await using var city = await PaymentCity.StartAsync(provider, "mail batch posted twice at once");
        var line = await city.ScanLineAsync(2);
        var batch = await city.RunAsync<KeyMailBatch, MailBatchView>(k => k.OpenAsync(1, line.AmountDue, "clerk"));
        await city.RunAsync<KeyMailBatch, MailBatchView>(k => k.AddItemAsync(batch.Id, line.Digits, null, null, "clerk"));

        var posts = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => city.RunAsync<PostMailBatch, MailBatchPostOutcome>(p => p.ExecuteAsync(batch.Id, "clerk")))));

        Assert.Equal(1, posts.Count(p => !p.AlreadyPosted));
        await using var db = city.Fresh();
        Assert.Equal(1, await db.Payments.CountAsync());
    }
}
