using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Payments.Ach;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Ledger;
using OpenCIS.UseCases.Ledger;
using OpenCIS.Storage;
using OpenCIS.Storage.Payments.Ach;
using OpenCIS.Storage.Payments;
using OpenCIS.Core.Payments;

namespace OpenCIS.UseCases.Payments.Ach;

public sealed record AchReturnsOutcome(bool Posted, bool AlreadyPosted, int ReturnCount, Money Total, Money Fees, IReadOnlyList<FileError> Errors, IReadOnlyList<string> CashOnlyAccounts, string Message);

/// <summary>
/// Posts the bank's ACH return file. The file is known by its SHA-256: the same bytes again post
/// nothing and say when they were first posted. Every record is checked first (layout, control
/// totals, reason codes) and every return must match a debit OpenCIS sent, for the same amount, not
/// already returned; any fault and nothing is posted, with each fault named by record and field.
/// Then, in one transaction, each return reverses its payment (a ReturnedPayment linked to it, whose
/// charge restores the items the payment had paid, by service and from their due date), adds the
/// returned-payment fee, notes the account, cancels the enrollment when the reason ends the
/// authorisation (a customer's one-time e-check is marked returned instead), and makes the account cash-only once it has had the configured number of returns
/// in twelve months. A returned prenote moves no money; it cancels the enrollment.
/// </summary>
public sealed class ProcessAchReturns(OpenCisDbContext db, AchSettings settings, BusinessCalendar calendar, TimeProvider clock)
{
    public const string Kind = "ach-returns";
    public const int FileBytesMax = 50 * 1024 * 1024;

    public async Task<AchReturnsOutcome> ExecuteAsync(string fileName, byte[] content, string user, CancellationToken cancellationToken = default)
    {
        var name = Path.GetFileName(fileName);
        if (content.Length > FileBytesMax)
        {
            return Refused(name, [new FileError(name, 1, "file", $"an ACH return file can be at most {FileBytesMax / 1024 / 1024} MB")]);
        }

        var sha256 = Convert.ToHexString(SHA256.HashData(content));
        var earlier = await db.ImportedFiles.AsNoTracking().SingleOrDefaultAsync(f => f.Kind == Kind && f.Sha256 == sha256, cancellationToken);
        if (earlier is not null)
        {
            return new AchReturnsOutcome(false, true, earlier.RecordCount, Money.FromCents(earlier.TotalCents), Money.Zero, [], [],
                $"{name} was already posted on {earlier.ImportedAt:yyyy-MM-dd HH:mm} UTC by {earlier.ImportedBy} as '{earlier.FileName}' ({earlier.RecordCount:N0} returns, {Money.FromCents(earlier.TotalCents)}); nothing was posted again.");
        }

        var read = AchReturnFile.Read(Encoding.ASCII.GetString(content));
        var errors = read.Errors.Select(e => new FileError(name, e.RecordNumber, e.Field, e.Message)).ToList();
        var traces = read.Returns.Select(r => r.OriginalTraceNumber).Distinct().ToList();
        var entries = await db.AchEntries.AsNoTracking().Where(e => traces.Contains(e.TraceNumber)).ToDictionaryAsync(e => e.TraceNumber, cancellationToken);
        var entryIds = entries.Values.Select(e => e.Id).ToList();
        var returnedBefore = (await db.AchReturns.AsNoTracking().Where(r => entryIds.Contains(r.AchEntryId)).Select(r => r.AchEntryId).ToListAsync(cancellationToken)).ToHashSet();
        // A payment returned at the counter (a returned check, a charge back) has been reversed already.
        var debitPaymentIds = entries.Values.Where(e => e.PaymentId is not null).Select(e => e.PaymentId!.Value).ToList();
        var reversedPayments = (await db.Payments.AsNoTracking()
            .Where(p => debitPaymentIds.Contains(p.Id) && db.FinancialTransactions.Any(t => t.ReversesTransactionId == p.FinancialTransactionId))
            .Select(p => p.Id).ToListAsync(cancellationToken)).ToHashSet();
        var seen = new HashSet<string>();
        foreach (var item in read.Returns)
        {
            var addendaRecord = item.RecordNumber + 1;
            if (!seen.Add(item.OriginalTraceNumber))
            {
                errors.Add(new FileError(name, addendaRecord, "original entry trace number", $"{item.OriginalTraceNumber} is returned twice in this file"));
            }
            else if (!entries.TryGetValue(item.OriginalTraceNumber, out var entry))
            {
                errors.Add(new FileError(name, addendaRecord, "original entry trace number", $"no ACH debit was sent with trace number {item.OriginalTraceNumber} (unknown account)"));
            }
            else if (returnedBefore.Contains(entry.Id))
            {
                errors.Add(new FileError(name, addendaRecord, "original entry trace number", $"the debit with trace number {item.OriginalTraceNumber} was already returned"));
            }
            else if (entry.PaymentId is { } paymentId && reversedPayments.Contains(paymentId))
            {
                errors.Add(new FileError(name, addendaRecord, "original entry trace number", $"the payment of the debit with trace number {item.OriginalTraceNumber} ({Receipts.Number(paymentId)}) was already returned"));
            }
            else if (item.ReturnsCredit != entry.RefundId.HasValue)
            {
                errors.Add(new FileError(name, item.RecordNumber, "transaction code", entry.RefundId.HasValue
                    ? $"trace number {item.OriginalTraceNumber} was a refund credit, but this entry returns a debit"
                    : $"trace number {item.OriginalTraceNumber} was a debit, but this entry returns a credit"));
            }
            else if (entry.AmountCents != item.Amount.Cents)
            {
                errors.Add(new FileError(name, item.RecordNumber, "amount", $"{item.Amount} is returned, but the debit with trace number {item.OriginalTraceNumber} was for {Money.FromCents(entry.AmountCents)}"));
            }
        }

        if (errors.Count > 0)
        {
            return Refused(name, [.. errors.OrderBy(e => e.Line)]);
        }

        var now = clock.GetUtcNow();
        var today = calendar.Today();
        var returns = read.Returns.Select(r => (Return: r, Entry: entries[r.OriginalTraceNumber])).ToList();
        var total = Money.Sum(returns.Select(r => r.Return.Amount));
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var file = new ImportedFile { Kind = Kind, FileName = name, Sha256 = sha256, ImportedAt = now, ImportedBy = user, RecordCount = returns.Count, TotalCents = total.Cents };
        db.ImportedFiles.Add(file);
        await db.SaveChangesAsync(cancellationToken);

        var accountIds = returns.Select(r => r.Entry.AccountId).Distinct().ToList();
        await AccountLocks.LockAccountsAsync(db, accountIds, cancellationToken);
        var ledgers = await AccountLedger.LoadManyAsync(db, accountIds, cancellationToken);
        var accounts = await db.Accounts.Where(a => accountIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, cancellationToken);
        var enrollmentIds = returns.Where(r => r.Entry.EnrollmentId is not null).Select(r => r.Entry.EnrollmentId!.Value).Distinct().ToList();
        var enrollments = await db.AchEnrollments.Where(e => enrollmentIds.Contains(e.Id) || (accountIds.Contains(e.AccountId) && e.Status != AchEnrollmentStatus.Cancelled))
            .ToListAsync(cancellationToken);
        var paymentIds = returns.Where(r => r.Entry.PaymentId is not null).Select(r => r.Entry.PaymentId!.Value).ToList();
        var returnable = await ReturnedPayments.LoadAsync(db, paymentIds, cancellationToken);
        var earlierReturns = await ReturnedPayments.CountInTwelveMonthsAsync(db, accountIds, today, cancellationToken);
        var refundIds = returns.Where(r => r.Entry.RefundId is not null).Select(r => r.Entry.RefundId!.Value).ToList();
        var refunds = await db.Refunds.Where(r => refundIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, cancellationToken);
        var oneTimeIds = returns.Where(r => r.Entry.OneTimeDebitId is not null).Select(r => r.Entry.OneTimeDebitId!.Value).ToList();
        var oneTimeDebits = await db.OneTimeDebits.Where(d => oneTimeIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, cancellationToken);

        var posted = new List<(AchReturn Return, AchEntry Entry, FinancialTransaction? Reversal, FinancialTransaction? Fee)>();
        var fees = Money.Zero;
        foreach (var (item, entry) in returns)
        {
            var reason = $"ACH return {item.Reason.Code} ({item.Reason.Description}), trace {entry.TraceNumber}";
            FinancialTransaction? reversal = null;
            FinancialTransaction? fee = null;
            if (entry.PaymentId is { } paymentId)
            {
                (reversal, fee) = ReturnedPayments.Post(db, ledgers[entry.AccountId], returnable[paymentId], settings.ReturnedPaymentFee, today, user, reason, now);
                if (fee is not null)
                {
                    fees += settings.ReturnedPaymentFee;
                }
            }
            else if (entry.RefundId is { } refundId)
            {
                // A refund credit the customer's bank would not take: the cash is back, and so is the customer's credit.
                var refund = refunds[refundId];
                reversal = ledgers[entry.AccountId].Post(db, PostingRules.ForRefundReturned(item.Amount), today, today, null, user,
                    $"Refund {refundId} returned: {reason}", now, refund.PaidTransactionId);
                refund.MarkReturned(today);
            }

            posted.Add((item, entry, reversal, fee));
        }

        await db.SaveChangesAsync(cancellationToken);

        var enrollmentsById = enrollments.ToDictionary(e => e.Id);
        var madeCashOnly = new List<string>();
        foreach (var (item, entry, reversal, fee) in posted)
        {
            var account = accounts[entry.AccountId];
            db.AchReturns.Add(new AchReturnRecord
            {
                AchEntryId = entry.Id,
                AccountId = entry.AccountId,
                ImportedFileId = file.Id,
                ReasonCode = item.Reason.Code,
                ReturnedOn = today,
                AmountCents = item.Amount.Cents,
                ReversalTransactionId = reversal?.Id,
                FeeTransactionId = fee?.Id,
            });
            AuditLog.Record(db, now, user, "Account", account.Id, account.Id, "ACH return", null,
                new { item.Reason.Code, item.Reason.Description, entry.TraceNumber, Amount = item.Amount.ToPlainString(), ReversalTransactionId = reversal?.Id, FeeTransactionId = fee?.Id, File = name },
                entry.IsPrenote ? "Prenote returned" : "Payment returned by the bank");

            if (entry.OneTimeDebitId is { } oneTimeId)
            {
                // A customer's e-check came back: its payment is reversed above like autopay's; the debit shows as returned.
                oneTimeDebits[oneTimeId].MarkReturned(today);
            }

            if (entry.EnrollmentId is { } enrollmentId && enrollmentsById[enrollmentId] is var enrollment
                && (item.Reason.CancelsEnrollment || entry.IsPrenote) && enrollment.Status != AchEnrollmentStatus.Cancelled)
            {
                enrollment.Cancel(today, $"{item.Reason.Code} {item.Reason.Description}");
                AuditLog.Record(db, now, user, "AchEnrollment", enrollment.Id, account.Id, "Cancel ACH autopay", null, new { enrollment.CancelReason }, $"ACH return {item.Reason.Code}");
            }

            if (entry.IsPrenote)
            {
                continue;
            }

            var count = earlierReturns[account.Id] = earlierReturns.GetValueOrDefault(account.Id) + 1;
            if (ReturnedPayments.MarkCashOnlyIfDue(db, account, count, settings, enrollments, today, user, now))
            {
                madeCashOnly.Add(account.AccountNumber);
            }
        }

        AuditLog.Record(db, now, user, "ImportedFile", file.Id, null, "Post ACH return file", null,
            new { file.FileName, file.Sha256, file.RecordCount, Total = total.ToPlainString(), Fees = fees.ToPlainString() }, "ACH returns");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return new AchReturnsOutcome(true, false, returns.Count, total, fees, [], madeCashOnly,
            $"{name}: {GenerateAchFile.Count(returns.Count, "return")} totalling {total} reversed, {fees} in fees{(madeCashOnly.Count > 0 ? $"; now cash-only: {string.Join(", ", madeCashOnly)}" : "")}.");
    }

    private static AchReturnsOutcome Refused(string name, IReadOnlyList<FileError> errors) =>
        new(false, false, 0, Money.Zero, Money.Zero, errors, [], $"{name} has {errors.Count} error{(errors.Count == 1 ? "" : "s")}; nothing was posted.");
}
