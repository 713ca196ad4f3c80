using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Invoices;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Customers;
using OpenCIS.Storage.Invoices;
using OpenCIS.UseCases.Customers;
using OpenCIS.UseCases.Encryption;
using OpenCIS.UseCases.Ledger;

namespace OpenCIS.UseCases.Invoices;

/// <summary>
/// An invoice to post: the party (a customer on file by id, or a new party as keyed), its type and lines, the other
/// system's reference, the parcel (code enforcement) and a note.
/// </summary>
public sealed record CreateInvoiceRequest(long? CustomerId, ApplyingCustomer? NewParty, string TypeCode, IReadOnlyList<InvoiceLine> Lines,
    string? Reference = null, string? ParcelId = null, string? Note = null, string? IdempotencyKey = null);

public sealed record InvoiceOutcome(InvoiceView Invoice, bool AlreadyDone, string Message);

/// <summary>
/// Bills a party by invoice: the party's city receivables account is locked (opened the first time), the invoice is
/// posted as one balanced transaction (receivables debited, the type's revenue account credited) whose open item falls
/// due on the type's terms, and the invoice and its lines are kept with it, all in one database transaction. The same
/// Idempotency-Key and request again returns the first invoice and posts nothing.
/// </summary>
public sealed class CreateInvoice(OpenCisDbContext db, FieldProtector protector, BusinessCalendar calendar, TimeProvider clock, InvoiceQueries queries)
{
    public const string ScreenSource = "screen";
    public const string ApiSource = "api";

    public async Task<InvoiceOutcome> ExecuteAsync(CreateInvoiceRequest request, string user, string source = ScreenSource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = Idempotency.CheckKey(request.IdempotencyKey, user);
        var draft = InvoiceDraft.Create(request.TypeCode, request.Lines, request.Reference, request.ParcelId, request.Note);
        var fingerprint = Fingerprint(request, draft);
        if (await EarlierAsync(key, fingerprint, cancellationToken) is { } earlier)
        {
            return earlier;
        }

        var type = await ActiveTypeAsync(db, draft.TypeCode, "type", cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var party = await Parties.ResolveAsync(db, protector, request.CustomerId, request.NewParty, now, cancellationToken);
        if (party.Id == 0)
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        var account = await Parties.ReceivablesAccountAsync(db, party, calendar.Today(), cancellationToken);
        var invoice = await PostAsync(db, account, party.Id, type, draft, calendar.Today(), user, now, source, Idempotency.KeyFor(key, user), fingerprint, cancellationToken);
        if (await Idempotency.SaveOrFindEarlierAsync(db, transaction, key, () => EarlierAsync(key, fingerprint, cancellationToken), "invoice", cancellationToken) is { } collided)
        {
            return collided;
        }

        Audit(db, invoice, user, now);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        var view = await queries.FindAsync(invoice.Id, cancellationToken) ?? throw new InvalidOperationException($"Invoice {invoice.Id} was posted but cannot be read.");
        return new InvoiceOutcome(view, false, $"Invoice {view.Number} to {view.PartyName} for {view.Amount}, due {view.DueOn:yyyy-MM-dd}, posted to account {view.AccountNumber}.");
    }

    /// <summary>The type an invoice names, refused when unknown or no longer used.</summary>
    internal static async Task<InvoiceTypeDefinition> ActiveTypeAsync(OpenCisDbContext db, string code, string field, CancellationToken cancellationToken)
    {
        var row = await db.InvoiceTypes.AsNoTracking().SingleOrDefaultAsync(t => t.Code == code, cancellationToken)
            ?? throw new DomainException($"There is no invoice type {code}.", field);
        return row.Active ? row.ToDefinition() : throw new DomainException($"Invoice type {code} ({row.Name}) is no longer used.", field);
    }

    /// <summary>
    /// Posts one invoice under the account's lock (taken here; the caller's transaction holds it): the transaction and
    /// its open item are saved, the invoice with its lines added to the unit of work for the caller to save and audit.
    /// </summary>
    internal static async Task<InvoiceRow> PostAsync(OpenCisDbContext db, Account account, long customerId, InvoiceTypeDefinition type, InvoiceDraft draft, DateOnly today,
        string user, DateTimeOffset now, string source, string? idempotencyKey, string? fingerprint, CancellationToken cancellationToken)
    {
        await AccountLocks.LockAccountAsync(db, account.Id, cancellationToken);
        var ledger = await AccountLedger.LoadAsync(db, account.Id, cancellationToken);
        var dueOn = type.DueOn(today);
        var what = draft.Reference is { } reference ? $"{type.Name} {reference}" : type.Name;
        var posted = ledger.Post(db, PostingRules.ForInvoice(draft.Total, type.RevenueGlAccount), today, dueOn, null, user, $"Invoice: {what}", now);
        await db.SaveChangesAsync(cancellationToken);
        var invoice = new InvoiceRow
        {
            AccountId = account.Id,
            CustomerId = customerId,
            TypeCode = type.Code,
            FinancialTransactionId = posted.Id,
            IssuedOn = today,
            DueOn = dueOn,
            AmountCents = draft.Total.Cents,
            Reference = draft.Reference,
            ParcelId = draft.ParcelId,
            Note = draft.Note,
            CreatedBy = user,
            CreatedAt = now,
            Source = source,
            IdempotencyKey = idempotencyKey,
            RequestFingerprint = fingerprint,
            Lines = [.. draft.Lines.Select((l, i) => new InvoiceLineRow { LineNumber = i + 1, Description = l.Description, Quantity = l.Quantity, UnitPrice = l.UnitPrice, AmountCents = l.Amount.Cents })],
        };
        db.Invoices.Add(invoice);
        return invoice;
    }

    /// <summary>The audit entry of an invoice once saved (it names the invoice's number).</summary>
    internal static void Audit(OpenCisDbContext db, InvoiceRow invoice, string user, DateTimeOffset now) =>
        AuditLog.Record(db, now, user, "Invoice", invoice.Id, invoice.AccountId, $"Invoice {invoice.TypeCode}", null,
            new { Type = invoice.TypeCode, Amount = Money.FromCents(invoice.AmountCents).ToPlainString(), invoice.DueOn, invoice.Reference, TransactionId = invoice.FinancialTransactionId, invoice.Source },
            invoice.Note);

    private static string Fingerprint(CreateInvoiceRequest request, InvoiceDraft draft) =>
        Idempotency.Fingerprint("invoice", request.CustomerId, request.NewParty?.DisplayName, request.NewParty?.MailingLine1, request.NewParty?.MailingZip, request.NewParty?.IdentityNumber,
            draft.TypeCode, draft.Reference, draft.ParcelId, draft.Note,
            string.Join(";", draft.Lines.Select(l => string.Create(CultureInfo.InvariantCulture, $"{l.Description}|{l.Quantity}|{l.UnitPrice}"))));

    private async Task<InvoiceOutcome?> EarlierAsync(RequestKey? key, string fingerprint, CancellationToken cancellationToken) =>
        await Idempotency.EarlierAsync(db.Invoices, InvoiceRow.RequestKey, key, i => new { i.Id, i.RequestFingerprint }, i => i.RequestFingerprint == fingerprint,
                i => $"invoice (invoice {i.Id})", cancellationToken) is { } earlier
            ? new InvoiceOutcome((await queries.FindAsync(earlier.Id, cancellationToken))!, true, $"Invoice {earlier.Id} was already posted; nothing was posted again.")
            : null;
}
