using System.Collections.Immutable;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Customers;
using OpenCIS.Storage.Ledger;
using OpenCIS.UseCases.Ledger;
using OpenCIS.Storage.Payments.Ach;
using OpenCIS.UseCases.Payments.Ach;
using OpenCIS.Storage;
using OpenCIS.Storage.Payments;

namespace OpenCIS.UseCases.Payments;

/// <summary>
/// What every payment the bank sends back does, whatever brought it back (an ACH return file, a
/// returned check or a card charge back at the counter): the payment is reversed by a
/// ReturnedPayment linked to it whose charge restores the items it had paid, the returned-payment fee
/// is added, and an account with the configured number of returns of any kind in twelve months is made
/// cash-only (its ACH autopay ends with it). The callers load, lock and commit; this adds to their unit of work.
/// </summary>
internal static class ReturnedPayments
{
    /// <summary>A payment with its original posting and the items it paid.</summary>
    public sealed record Returnable(Payment Payment, Posting Original, IReadOnlyList<SettledCharge> Paid);

    /// <summary>The payments with their postings and the items they paid, in three queries whatever their number.</summary>
    public static async Task<Dictionary<long, Returnable>> LoadAsync(OpenCisDbContext db, IReadOnlyCollection<long> paymentIds, CancellationToken cancellationToken)
    {
        var payments = await db.Payments.AsNoTracking().Where(p => paymentIds.Contains(p.Id)).ToListAsync(cancellationToken);
        var transactionIds = payments.Select(p => p.FinancialTransactionId).ToList();
        var postings = await db.FinancialTransactions.AsNoTracking().Include(t => t.GlEntries).Where(t => transactionIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, cancellationToken);
        var paidItems = await SettledCharges.OfCreditsAsync(db, transactionIds, cancellationToken);
        return payments.ToDictionary(p => p.Id, p =>
        {
            var original = postings[p.FinancialTransactionId];
            var posting = new Posting(original.Type, Money.FromCents(original.AmountCents),
                original.GlEntries.Select(g => new GlLine(g.GlAccount, Money.FromCents(g.DebitCents), Money.FromCents(g.CreditCents))).ToImmutableArray());
            return new Returnable(p, posting, paidItems[p.FinancialTransactionId].ToList());
        });
    }

    /// <summary>The transaction that already reversed this payment's posting, if any (by any kind of return).</summary>
    public static Task<FinancialTransaction?> ReversalOfAsync(OpenCisDbContext db, long paymentTransactionId, CancellationToken cancellationToken) =>
        db.FinancialTransactions.AsNoTracking().FirstOrDefaultAsync(t => t.ReversesTransactionId == paymentTransactionId, cancellationToken);

    /// <summary>
    /// Reverses the payment and adds the fee (none when the fee is zero). The returned payment's charge
    /// takes the place of what the payment had paid: the same services, due when they were, so arrears
    /// and aging are as if it had never come in; what it left unapplied comes back due today.
    /// </summary>
    public static (FinancialTransaction Reversal, FinancialTransaction? Fee) Post(
        OpenCisDbContext db, AccountLedger ledger, Returnable returnable, Money fee, DateOnly today, string user, string reason, DateTimeOffset now)
    {
        var payment = returnable.Payment;
        var (parts, dueOn) = SettledCharges.Restoring(returnable.Paid, payment.AmountCents, today);
        var reversal = ledger.Post(db, PostingRules.Reverse(returnable.Original, FinancialTransactionType.ReturnedPayment), today, dueOn, parts, user, reason, now, payment.FinancialTransactionId);
        var feeTransaction = fee.IsPositive
            ? ledger.Post(db, PostingRules.ForReturnedPaymentFee(fee), today, today, null, user, $"Returned payment fee: {reason}", now)
            : null;
        return (reversal, feeTransaction);
    }

    /// <summary>
    /// Returned payments of any kind (ACH returns, returned checks, charge backs) posted in the twelve
    /// months up to <paramref name="today"/>, by account: what the cash-only rule counts.
    /// </summary>
    public static async Task<Dictionary<long, int>> CountInTwelveMonthsAsync(OpenCisDbContext db, IReadOnlyCollection<long> accountIds, DateOnly today, CancellationToken cancellationToken)
    {
        var yearAgo = today.AddMonths(-12);
        return (await db.FinancialTransactions.AsNoTracking()
                .Where(t => accountIds.Contains(t.AccountId) && t.Type == FinancialTransactionType.ReturnedPayment && t.EffectiveOn > yearAgo)
                .Select(t => t.AccountId).ToListAsync(cancellationToken))
            .CountBy(id => id).ToDictionary(x => x.Key, x => x.Value);
    }

    /// <summary>
    /// Makes the (tracked) account cash-only once it has had <see cref="AchSettings.CashOnlyAfterReturns"/>
    /// returns in twelve months, noting why, and ends its ACH autopay: a cash-only account pays at the counter.
    /// </summary>
    /// <returns>True when this return made the account cash-only.</returns>
    public static bool MarkCashOnlyIfDue(
        OpenCisDbContext db, Account account, int returnsInTwelveMonths, AchSettings settings, IEnumerable<AchEnrollment> enrollments, DateOnly today, string user, DateTimeOffset now)
    {
        if (returnsInTwelveMonths < settings.CashOnlyAfterReturns || account.CashOnly)
        {
            return false;
        }

        account.MarkCashOnly();
        AuditLog.Record(db, now, user, "Account", account.Id, account.Id, "Mark cash-only", new { CashOnly = false }, new { CashOnly = true },
            $"{returnsInTwelveMonths} returned payments in twelve months (limit {settings.CashOnlyAfterReturns})");
        foreach (var open in enrollments.Where(e => e.AccountId == account.Id && e.Status != AchEnrollmentStatus.Cancelled))
        {
            open.Cancel(today, "Account is cash-only after returned payments");
            AuditLog.Record(db, now, user, "AchEnrollment", open.Id, account.Id, "Cancel ACH autopay", null, new { open.CancelReason }, "Account made cash-only");
        }

        return true;
    }
}
