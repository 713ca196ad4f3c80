using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Invoices;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Invoices;
using OpenCIS.UseCases.Ledger;

namespace OpenCIS.UseCases.Invoices;

public sealed record WaiverView(long Id, long InvoiceNumber, string TypeCode, string PartyName, string AccountNumber, Money Amount, string Reason, WaiverStatus Status,
    string RequestedBy, DateTimeOffset RequestedAt, string? DecidedBy, DateTimeOffset? DecidedAt, string? DecisionNote, Money? Posted, long? TransactionId, Money InvoiceOpen);

public sealed record WaiverOutcome(WaiverView Waiver, bool AlreadyDone, string Message);

/// <summary>
/// Hardship waivers on invoices: asked for with a reason (one waiting per invoice at a time, so a retry asks nothing
/// twice), then approved by a Supervisor other than who asked, which posts the waiver (the type's allowance account
/// debited, receivables credited, settling the invoice) in the same transaction as the decision, or rejected with a
/// note. Each step is audited; deciding a waiver already decided the same way again changes nothing.
/// </summary>
public sealed class InvoiceWaivers(OpenCisDbContext db, BusinessCalendar calendar, TimeProvider clock)
{
    public async Task<WaiverOutcome> RequestAsync(long invoiceNumber, Money? amount, string? reason, string user, CancellationToken cancellationToken = default)
    {
        var invoice = await db.Invoices.AsNoTracking().SingleOrDefaultAsync(i => i.Id == invoiceNumber, cancellationToken)
            ?? throw new DomainException($"There is no invoice {invoiceNumber}.", "invoiceNumber");
        var type = (await db.InvoiceTypes.AsNoTracking().SingleAsync(t => t.Code == invoice.TypeCode, cancellationToken)).ToDefinition();
        type.AllowanceAccountOrRefuse("waivers");
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await AccountLocks.LockAccountAsync(db, invoice.AccountId, cancellationToken);
        if (await db.InvoiceWaivers.AsNoTracking().FirstOrDefaultAsync(w => w.InvoiceId == invoiceNumber && w.Status == WaiverStatus.Pending, cancellationToken) is { } waiting)
        {
            var trimmed = reason?.Trim() ?? "";
            if (waiting.RequestedBy == user && waiting.Reason == trimmed && (amount is null || amount.Value.Cents == waiting.AmountCents))
            {
                return new WaiverOutcome(await FindAsync(waiting.Id, cancellationToken), true, $"Waiver {waiting.Id} was already asked for; it waits for a Supervisor.");
            }

            throw new DomainException($"Invoice {invoiceNumber} already has waiver {waiting.Id} waiting for a Supervisor (asked by {waiting.RequestedBy}); it is decided first.", "invoiceNumber");
        }

        var open = await InvoiceOpen.OfAsync(db, invoice, cancellationToken);
        var asked = HardshipWaivers.Requested(open, amount, reason);
        var row = new InvoiceWaiverRow
        {
            InvoiceId = invoice.Id,
            AccountId = invoice.AccountId,
            AmountCents = asked.Cents,
            Reason = reason!.Trim(),
            RequestedBy = user,
            RequestedAt = now,
        };
        db.InvoiceWaivers.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        AuditLog.Record(db, now, user, "InvoiceWaiver", row.Id, invoice.AccountId, "Waiver asked", null, new { Invoice = invoice.Id, Amount = asked.ToPlainString() }, row.Reason);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new WaiverOutcome(await FindAsync(row.Id, cancellationToken), false, $"Waiver of {asked} on invoice {invoice.Id} asked for; it waits for a Supervisor's approval.");
    }

    /// <summary>A Supervisor's decision: approve (posting at most what is open now) or reject (with a note saying why).</summary>
    public async Task<WaiverOutcome> DecideAsync(long waiverId, bool approve, string? note, string user, CancellationToken cancellationToken = default)
    {
        var trimmedNote = note?.Trim();
        if (trimmedNote is { Length: > HardshipWaivers.NoteLengthMax })
        {
            throw new DomainException($"A decision's note can be at most {HardshipWaivers.NoteLengthMax} characters.", "note");
        }

        if (!approve && string.IsNullOrEmpty(trimmedNote))
        {
            throw new DomainException("Say why the waiver is rejected; the person who asked reads it.", "note");
        }

        var found = await db.InvoiceWaivers.AsNoTracking().SingleOrDefaultAsync(w => w.Id == waiverId, cancellationToken)
            ?? throw new DomainException($"There is no waiver {waiverId}.", "waiverId");
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await AccountLocks.LockAccountAsync(db, found.AccountId, cancellationToken);
        var waiver = await db.InvoiceWaivers.SingleAsync(w => w.Id == waiverId, cancellationToken);
        if (waiver.Status != WaiverStatus.Pending && waiver.DecidedBy == user && (waiver.Status == WaiverStatus.Approved) == approve)
        {
            return new WaiverOutcome(await FindAsync(waiverId, cancellationToken), true, $"Waiver {waiverId} was already {Words(waiver.Status)}; nothing changed.");
        }

        if (waiver.Status != WaiverStatus.Pending)
        {
            throw new DomainException($"Waiver {waiverId} was already {Words(waiver.Status)} by {waiver.DecidedBy} on {waiver.DecidedAt:yyyy-MM-dd}.", "decision");
        }

        var invoice = await db.Invoices.AsNoTracking().SingleAsync(i => i.Id == waiver.InvoiceId, cancellationToken);
        string message;
        if (approve)
        {
            var type = (await db.InvoiceTypes.AsNoTracking().SingleAsync(t => t.Code == invoice.TypeCode, cancellationToken)).ToDefinition();
            var open = await InvoiceOpen.OfAsync(db, invoice, cancellationToken);
            var amount = HardshipWaivers.ToPost(Money.FromCents(waiver.AmountCents), open, waiver.RequestedBy, user);
            var ledger = await AccountLedger.LoadAsync(db, invoice.AccountId, cancellationToken);
            var today = calendar.Today();
            var posted = ledger.Post(db, PostingRules.ForHardshipWaiver(amount, type.AllowanceAccountOrRefuse("waivers")), today, today, null, user,
                $"Hardship waiver {waiver.Id} on invoice {invoice.Id}: {waiver.Reason}", now, settlesFirst: invoice.FinancialTransactionId);
            await db.SaveChangesAsync(cancellationToken);
            waiver.Approve(user, now, trimmedNote, amount.Cents, posted.Id);
            message = amount.Cents == waiver.AmountCents
                ? $"Waiver {waiver.Id} approved: {amount} waived on invoice {invoice.Id}."
                : $"Waiver {waiver.Id} approved: {amount} waived on invoice {invoice.Id}, all that was still open (it asked {Money.FromCents(waiver.AmountCents)}).";
        }
        else
        {
            waiver.Reject(user, now, trimmedNote!);
            message = $"Waiver {waiver.Id} on invoice {invoice.Id} rejected.";
        }

        AuditLog.Record(db, now, user, "InvoiceWaiver", waiver.Id, waiver.AccountId, approve ? "Waiver approved" : "Waiver rejected", new { Status = WaiverStatus.Pending },
            new { waiver.Status, Posted = waiver.PostedCents is { } cents ? Money.FromCents(cents).ToPlainString() : null, TransactionId = waiver.FinancialTransactionId }, trimmedNote);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return new WaiverOutcome(await FindAsync(waiverId, cancellationToken), false, message);
    }

    /// <summary>Waivers, newest first: those waiting (status "pending"), decided, or all; or one invoice's.</summary>
    public async Task<IReadOnlyList<WaiverView>> ListAsync(WaiverStatus? status = null, long? invoiceNumber = null, int take = 200, CancellationToken cancellationToken = default)
    {
        var rows = db.InvoiceWaivers.AsNoTracking();
        if (status is { } wanted)
        {
            rows = rows.Where(w => w.Status == wanted);
        }

        if (invoiceNumber is { } number)
        {
            rows = rows.Where(w => w.InvoiceId == number);
        }

        return await ViewsAsync(rows.OrderByDescending(w => w.Id).Take(take), cancellationToken);
    }

    public async Task<WaiverView?> FindOrNullAsync(long id, CancellationToken cancellationToken = default) =>
        (await ViewsAsync(db.InvoiceWaivers.AsNoTracking().Where(w => w.Id == id), cancellationToken)).SingleOrDefault();

    private async Task<WaiverView> FindAsync(long id, CancellationToken cancellationToken) =>
        await FindOrNullAsync(id, cancellationToken) ?? throw new InvalidOperationException($"Waiver {id} cannot be read.");

    private async Task<IReadOnlyList<WaiverView>> ViewsAsync(IQueryable<InvoiceWaiverRow> rows, CancellationToken cancellationToken)
    {
        var list = await rows.Join(db.Invoices, w => w.InvoiceId, i => i.Id, (w, i) => new
            {
                Waiver = w,
                i.TypeCode,
                Party = db.Customers.Where(c => c.Id == i.CustomerId).Select(c => c.DisplayName).Single(),
                Account = db.Accounts.Where(a => a.Id == i.AccountId).Select(a => a.AccountNumber).Single(),
                Open = db.OpenItems.Where(o => o.AccountId == i.AccountId && o.FinancialTransactionId == i.FinancialTransactionId).Sum(o => o.OpenCents),
            })
            .ToListAsync(cancellationToken);
        return list.Select(x => new WaiverView(x.Waiver.Id, x.Waiver.InvoiceId, x.TypeCode, x.Party, x.Account, Money.FromCents(x.Waiver.AmountCents), x.Waiver.Reason, x.Waiver.Status,
                x.Waiver.RequestedBy, x.Waiver.RequestedAt, x.Waiver.DecidedBy, x.Waiver.DecidedAt, x.Waiver.DecisionNote,
                x.Waiver.PostedCents is { } posted ? Money.FromCents(posted) : null, x.Waiver.FinancialTransactionId, Money.FromCents(x.Open)))
            .OrderByDescending(v => v.Id).ToList();
    }

    private static string Words(WaiverStatus status) => status.ToString().ToLowerInvariant();
}
