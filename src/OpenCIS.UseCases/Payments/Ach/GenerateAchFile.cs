using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Payments;
using OpenCIS.Core.Payments.Ach;
using OpenCIS.Core.Receivables;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Billing;
using OpenCIS.UseCases.Billing;
using OpenCIS.Storage.Ledger;
using OpenCIS.UseCases.Ledger;
using OpenCIS.Storage;
using OpenCIS.Storage.Payments.Ach;
using OpenCIS.Storage.Payments;
using OpenCIS.Storage.Receivables;
using OpenCIS.Storage.Portal;
using OpenCIS.UseCases.Portal;

namespace OpenCIS.UseCases.Payments.Ach;

public sealed record AchFileOutcome(bool Generated, bool AlreadyGenerated, long? FileId, string FileName, string Content, int EntryCount, int PrenoteCount, Money Total, string Message);

/// <summary>
/// The day's autopay file for a settlement date: enrollments whose prenote has had its banking days
/// become active; each active enrollment's latest issued bill due on the date (or within the
/// configured window after it) is debited for what is still owed (never more than the balance); new
/// enrollments get their zero-dollar prenote; each one-time debit a customer authorized in the portal (an e-check, authorized
/// on or before the date) goes out as a single WEB entry for its amount, and its receipt is e-mailed. The debits are posted as
/// ACH payments, the entries recorded with their trace numbers, and the NACHA file kept, all in one transaction. A date that
/// already has a file gets that same file back; a bill or a one-time debit is never debited twice (unique indexes say so).
/// </summary>
public sealed class GenerateAchFile(OpenCisDbContext db, PaymentBatchPoster poster, AchSettings settings, Encryption.FieldProtector protector, PortalMail mail, BusinessCalendar calendar, TimeProvider clock)
{
    /// <summary>One entry the file will carry, and what it debits, credits or notes.</summary>
    private sealed record Planned(long AccountId, AchEnrollment? Enrollment, long? BillId, Refund? Refund, OneTimeDebit? OneTime, AchDebit Debit);

    public const int EntryCountMax = 500_000;

    public async Task<AchFileOutcome> ExecuteAsync(DateOnly settlementDate, string user, CancellationToken cancellationToken = default)
    {
        if (await FileForAsync(settlementDate, cancellationToken) is { } existing)
        {
            return Already(existing);
        }

        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var enrollments = await db.AchEnrollments.Where(e => e.Status != AchEnrollmentStatus.Cancelled).ToListAsync(cancellationToken);
        foreach (var ready in enrollments.Where(e => e.Status == AchEnrollmentStatus.Prenote && e.PrenoteSentOn is { } sent
            && AchSettings.BankingDaysBetween(sent, settlementDate) >= settings.PrenoteBankingDays))
        {
            ready.Activate(settlementDate);
            AuditLog.Record(db, now, user, "AchEnrollment", ready.Id, ready.AccountId, "Activate ACH autopay", null, new { ActivatedOn = settlementDate }, "Prenote not returned");
        }

        var active = enrollments.Where(e => e.Status == AchEnrollmentStatus.Active).ToDictionary(e => e.AccountId);
        var accountIds = active.Keys.ToList();
        var windowEnd = settlementDate.AddDays(settings.DueWindowDays);
        var cashOnly = (await db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id) && a.CashOnly).Select(a => a.Id).ToListAsync(cancellationToken)).ToHashSet();
        var bills = (await db.Bills.AsNoTracking()
            .Where(b => accountIds.Contains(b.AccountId) && b.Status == BillStatus.Issued && b.DueDate >= settlementDate && b.DueDate <= windowEnd && b.AmountDueCents > 0
                && !db.AchEntries.Any(x => x.BillId == b.Id))
            .Select(b => new { b.Id, b.AccountId, b.AmountDueCents, b.DueDate })
            .ToListAsync(cancellationToken))
            .Where(b => !cashOnly.Contains(b.AccountId))
            .GroupBy(b => b.AccountId)
            .Select(g => g.OrderByDescending(b => b.DueDate).ThenByDescending(b => b.Id).First())
            .ToList();
        var billedAccounts = bills.Select(b => b.AccountId).ToList();

        // Approved refunds by ACH go out as credits to the enrollment they name (one still in force; a refund
        // whose enrollment was cancelled since waits on the register for accounts payable to pay another way).
        var byId = enrollments.ToDictionary(e => e.Id);
        var refunds = (await db.Refunds
                .Where(r => r.Method == RefundMethod.Ach && r.Status == RefundStatus.Approved && r.SentOn == null && r.AchEnrollmentId != null && r.DecidedOn <= settlementDate)
                .OrderBy(r => r.Id).ToListAsync(cancellationToken))
            .Where(r => byId.TryGetValue(r.AchEnrollmentId!.Value, out var e) && e.Status != AchEnrollmentStatus.Cancelled)
            .Select(r => (Enrollment: byId[r.AchEnrollmentId!.Value], Refund: r)).ToList();

        // The customers' e-checks authorized by the settlement date, read again under their accounts' locks (below), so one
        // the customer cancels meanwhile stays cancelled.
        var waiting = await db.OneTimeDebits.AsNoTracking().Where(d => d.Status == OneTimeDebitStatus.Pending && d.AuthorizedOn <= settlementDate)
            .Select(d => new { d.Id, d.AccountId }).ToListAsync(cancellationToken);
        var oneTimeAccounts = waiting.Select(d => d.AccountId).Distinct().ToList();

        // Balances are read under the accounts' locks, so a payment taken at the counter meanwhile is seen, not
        // overdrawn; every account the file touches is locked in one statement, in id order.
        await AccountLocks.LockAccountsAsync(db, [.. billedAccounts.Concat(refunds.Select(r => r.Refund.AccountId)).Concat(oneTimeAccounts).Distinct()], cancellationToken);
        var waitingIds = waiting.Select(d => d.Id).ToList();
        var oneTime = await db.OneTimeDebits.Where(d => waitingIds.Contains(d.Id) && d.Status == OneTimeDebitStatus.Pending).OrderBy(d => d.Id).ToListAsync(cancellationToken);

        // An account made cash-only since (returned payments) may not pay by ACH: its e-check is cancelled, not sent.
        var oneTimeCashOnly = (await db.Accounts.AsNoTracking().Where(a => oneTimeAccounts.Contains(a.Id) && a.CashOnly).Select(a => a.Id).ToListAsync(cancellationToken)).ToHashSet();
        foreach (var refused in oneTime.Where(d => oneTimeCashOnly.Contains(d.AccountId)))
        {
            refused.Cancel(settlementDate, "The account is cash-only after returned payments; it cannot pay by ACH.");
            AuditLog.Record(db, now, user, "OneTimeDebit", refused.Id, refused.AccountId, "Cancel e-check", null, new { refused.CancelReason }, "account is cash-only");
        }

        oneTime = [.. oneTime.Where(d => d.Status == OneTimeDebitStatus.Pending)];
        var balances = await AccountLedger.BalancesAsync(db, billedAccounts, cancellationToken);
        var debitedAccountIds = enrollments.Select(e => e.AccountId).Concat(oneTimeAccounts).Distinct().ToList();
        var accountNumbers = await db.Accounts.AsNoTracking().Where(a => debitedAccountIds.Contains(a.Id))
            .Select(a => new { a.Id, a.AccountNumber }).ToDictionaryAsync(a => a.Id, a => a.AccountNumber, cancellationToken);

        var sequence = await db.AchEntries.MaxAsync(e => (long?)e.TraceSequence, cancellationToken) ?? 0;
        var planned = new List<Planned>();
        foreach (var bill in bills.OrderBy(b => b.AccountId))
        {
            var owed = Math.Min(bill.AmountDueCents, balances.GetValueOrDefault(bill.AccountId));
            if (owed <= 0)
            {
                continue;
            }

            var enrollment = active[bill.AccountId];
            planned.Add(new(bill.AccountId, enrollment, bill.Id, null, null, Debit(enrollment, accountNumbers[bill.AccountId], Money.FromCents(owed), prenote: false, ++sequence)));
        }

        foreach (var debit in oneTime)
        {
            planned.Add(new(debit.AccountId, null, null, null, debit, Debit(debit, accountNumbers[debit.AccountId], ++sequence)));
        }

        foreach (var enrollment in enrollments.Where(e => e.Status == AchEnrollmentStatus.Prenote && e.PrenoteSentOn is null).OrderBy(e => e.Id))
        {
            planned.Add(new(enrollment.AccountId, enrollment, null, null, null, Debit(enrollment, accountNumbers[enrollment.AccountId], Money.Zero, prenote: true, ++sequence)));
        }

        foreach (var (enrollment, refund) in refunds)
        {
            planned.Add(new(enrollment.AccountId, enrollment, null, refund, null, Debit(enrollment, accountNumbers[enrollment.AccountId], Money.FromCents(refund.AmountCents), prenote: false, ++sequence) with { IsCredit = true }));
        }

        if (planned.Count == 0)
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new AchFileOutcome(false, false, null, "", "", 0, 0, Money.Zero, $"Nothing to debit for {settlementDate:yyyy-MM-dd}: no active enrollment has a bill due then, no e-check is waiting, no prenote is waiting and no refund is to go out.");
        }

        if (planned.Count > EntryCountMax)
        {
            throw new DomainException($"{planned.Count:N0} entries is more than the {EntryCountMax:N0} one ACH file may hold.");
        }

        var created = TimeZoneInfo.ConvertTime(now, calendar.Zone).DateTime;
        var nacha = AchDebitFile.Build(settings.Originator, settlementDate, created, 'A', [.. planned.Select(p => p.Debit)]);
        var content = NachaWriter.Write(nacha);
        var check = NachaReader.Read(content);
        if (!check.IsValid)
        {
            throw new InvalidOperationException($"The generated ACH file does not validate: {string.Join("; ", check.Errors)}");
        }

        var live = planned.Where(p => !p.Debit.IsPrenote && !p.Debit.IsCredit).ToList();
        var credits = planned.Where(p => p.Refund is not null).ToList();
        var creditTotal = Money.Sum(credits.Select(p => p.Debit.Amount));
        var refundAccounts = credits.Select(p => p.AccountId).Distinct().ToList();
        var refundLedgers = await AccountLedger.LoadManyAsync(db, refundAccounts, cancellationToken);
        var paidOut = credits.ToDictionary(p => p.Refund!.Id, p => refundLedgers[p.AccountId].Post(
            db, PostingRules.ForRefundPaid(p.Debit.Amount), settlementDate, settlementDate, null, user, $"Refund {p.Refund!.Id} credited by ACH, trace {Trace(p.Debit)}", now));
        var payments = await poster.AddAsync(
            [.. live.Select(p => new PaymentInstruction(p.AccountId, p.Debit.Amount, settlementDate, Tender.Ach, PaymentSource.File, Trace(p.Debit)))],
            user, null, cancellationToken);
        var total = Money.Sum(live.Select(p => p.Debit.Amount));
        var file = new AchFile
        {
            SettlementDate = settlementDate,
            FileName = $"ach-{settlementDate:yyyyMMdd}.txt",
            Content = content,
            EntryCount = planned.Count,
            PrenoteCount = planned.Count - live.Count - credits.Count,
            TotalCents = total.Cents,
            CreatedAt = now,
            CreatedBy = user,
        };
        db.AchFiles.Add(file);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another process may have generated this date's file between our check and our insert (the
            // unique index on the settlement date stopped us): ours rolls back, theirs is the file.
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            if (await FileForAsync(settlementDate, cancellationToken) is { } winner)
            {
                return Already(winner);
            }

            throw;
        }

        var paymentByTrace = payments.ToDictionary(p => p.Reference!);
        foreach (var (accountId, enrollment, billId, refund, oneTimeDebit, debit) in planned)
        {
            if (refund is not null)
            {
                refund.MarkSent(settlementDate, paidOut[refund.Id].Id);
                AuditLog.Record(db, now, user, "Refund", refund.Id, refund.AccountId, "Refund sent by ACH", null,
                    new { SettlementDate = settlementDate, Trace = Trace(debit), Amount = debit.Amount.ToPlainString() }, null);
            }

            if (oneTimeDebit is not null)
            {
                oneTimeDebit.MarkSent(file.Id, paymentByTrace[Trace(debit)].Id, settlementDate);
                AuditLog.Record(db, now, user, "OneTimeDebit", oneTimeDebit.Id, accountId, "E-check sent by ACH", null,
                    new { SettlementDate = settlementDate, Trace = Trace(debit), Amount = debit.Amount.ToPlainString(), Receipt = Receipts.Number(paymentByTrace[Trace(debit)].Id) }, null);
            }

            db.AchEntries.Add(new AchEntry
            {
                AchFileId = file.Id,
                EnrollmentId = enrollment?.Id,
                OneTimeDebitId = oneTimeDebit?.Id,
                AccountId = accountId,
                BillId = billId,
                RefundId = refund?.Id,
                PaymentId = debit.IsPrenote || debit.IsCredit ? null : paymentByTrace[Trace(debit)].Id,
                TraceNumber = Trace(debit),
                TraceSequence = debit.TraceSequence,
                AmountCents = debit.Amount.Cents,
                EffectiveDate = settlementDate,
                IsPrenote = debit.IsPrenote,
            });
            if (debit.IsPrenote)
            {
                enrollment!.PrenoteSent(settlementDate);
            }
        }

        var receipts = await QueueReceiptsAsync([.. planned.Where(p => p.OneTime is not null).Select(p => (p.OneTime!, paymentByTrace[Trace(p.Debit)]))], settlementDate, cancellationToken);

        AuditLog.Record(db, now, user, "AchFile", file.Id, null, "Generate ACH file", null,
            new { file.FileName, SettlementDate = settlementDate, file.EntryCount, file.PrenoteCount, Total = total.ToPlainString(), Refunds = creditTotal.ToPlainString() }, null);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        if (receipts > 0)
        {
            await mail.SendSoonAsync(CancellationToken.None);
        }

        return new AchFileOutcome(true, false, file.Id, file.FileName, content, file.EntryCount, file.PrenoteCount, total,
            $"{file.FileName}: {Count(live.Count, "debit")} totalling {total}{(credits.Count > 0 ? $", {Count(credits.Count, "refund credit")} totalling {creditTotal}" : "")} and {Count(file.PrenoteCount, "prenote")} for {settlementDate:yyyy-MM-dd}.");
    }

    internal static string Count(int count, string noun) => $"{count:N0} {noun}{(count == 1 ? "" : "s")}";

    private Task<AchFile?> FileForAsync(DateOnly settlementDate, CancellationToken cancellationToken) =>
        db.AchFiles.AsNoTracking().SingleOrDefaultAsync(f => f.SettlementDate == settlementDate, cancellationToken);

    private string Trace(AchDebit debit) => AchDebitFile.TraceNumber(settings.Originator.OriginatingDfi, debit.TraceSequence);

    /// <summary>An entry of the file: the one place a bank account number is decrypted, into the file the bank takes.</summary>
    private AchDebit Debit(AchEnrollment enrollment, string accountNumber, Money amount, bool prenote, long sequence) =>
        new(enrollment.EntryClass, enrollment.RoutingNumber, protector.Unprotect(enrollment.DfiAccountCipher), enrollment.AccountType, amount, accountNumber, enrollment.HolderName, prenote, sequence);

    /// <summary>An e-check's single WEB entry, for the amount the customer authorized.</summary>
    private AchDebit Debit(OneTimeDebit debit, string accountNumber, long sequence) =>
        new(debit.EntryClass, debit.RoutingNumber, protector.Unprotect(debit.DfiAccountCipher), debit.AccountType, Money.FromCents(debit.AmountCents), accountNumber, debit.HolderName,
            IsPrenote: false, sequence, IsSingleEntry: true);

    /// <summary>
    /// Each e-check's receipt, e-mailed to the login that authorized it, in its language, queued in the file's transaction under
    /// a key naming the debit (a file that rolls back takes its receipts with it). A login since deleted gets none.
    /// </summary>
    private async Task<int> QueueReceiptsAsync(IReadOnlyList<(OneTimeDebit Debit, Payment Payment)> sent, DateOnly settlementDate, CancellationToken cancellationToken)
    {
        if (sent.Count == 0)
        {
            return 0;
        }

        var userIds = sent.Select(s => s.Debit.PortalUserId).Distinct().ToList();
        var users = await db.PortalUsers.AsNoTracking().Where(u => userIds.Contains(u.Id) && u.Email != null)
            .Select(u => new { u.Id, u.Email, u.DisplayName, u.Language }).ToDictionaryAsync(u => u.Id, cancellationToken);
        var accountIds = sent.Select(s => s.Debit.AccountId).Distinct().ToList();
        var numbers = await db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.AccountNumber, cancellationToken);
        var queued = 0;
        foreach (var (debit, payment) in sent)
        {
            if (!users.TryGetValue(debit.PortalUserId, out var login))
            {
                continue;
            }

            if (await mail.QueueAsync("ECheckReceipt", $"portal-echeck-receipt:{debit.Id}", debit.AccountId, login.Email!, login.DisplayName, login.Language,
                    [login.DisplayName, Money.FromCents(debit.AmountCents), numbers[debit.AccountId], payment.ReceiptNumber, PortalText.Date(login.Language, settlementDate),
                        debit.MaskedAccountNumber, Money.FromCents(payment.Transaction!.BalanceAfterCents)], cancellationToken))
            {
                queued++;
            }
        }

        return queued;
    }

    private static AchFileOutcome Already(AchFile file) =>
        new(false, true, file.Id, file.FileName, file.Content, file.EntryCount, file.PrenoteCount, Money.FromCents(file.TotalCents),
            $"The ACH file for {file.SettlementDate:yyyy-MM-dd} was already generated on {file.CreatedAt:yyyy-MM-dd HH:mm} UTC by {file.CreatedBy} as {file.FileName}; it is returned unchanged and nothing was debited again.");
}
