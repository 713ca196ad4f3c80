using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Invoices;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Payments;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Invoices;
using OpenCIS.UseCases.Ledger;
using OpenCIS.UseCases.Payments;

namespace OpenCIS.UseCases.Invoices;

/// <summary>
/// A payer's remittance on an invoice as its explanation of benefits gives it: who paid (an insurer, Medicare,
/// Medicaid), the claim, what was paid (by check or EFT, with its number) and the contractual adjustment. Medicaid's
/// adjustment may be left out: it is what the payment leaves.
/// </summary>
public sealed record RemittanceRequest(long InvoiceNumber, PayerKind PayerKind, string? PayerName, string? ClaimNumber, Money Paid, Money? ContractualAdjustment,
    Tender Tender, string? Reference, string? IdempotencyKey = null);

public sealed record RemittanceView(long Id, long InvoiceNumber, PayerKind PayerKind, string Payer, string ClaimNumber, Money Paid, Money ContractualAdjustment,
    Money PatientResponsibility, string? ReceiptNumber, long? AdjustmentTransactionId, DateOnly ReceivedOn, string PostedBy, DateTimeOffset PostedAt);

public sealed record RemittanceOutcome(RemittanceView Remittance, bool AlreadyPosted, string Message);

/// <summary>
/// Posts a payer's remittance in one database transaction under the account's lock: the payment (a payment row, as the
/// counter's, paying the invoice first) and the contractual adjustment (the type's allowance account debited,
/// receivables credited, settling the invoice), with the remittance kept beside them and audited. The same
/// Idempotency-Key and request again posts nothing and returns the first.
/// </summary>
public sealed class PostRemittance(OpenCisDbContext db, PaymentBatchPoster poster, BusinessCalendar calendar, TimeProvider clock)
{
    public async Task<RemittanceOutcome> ExecuteAsync(RemittanceRequest request, string user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = Idempotency.CheckKey(request.IdempotencyKey, user);
        var payerName = Text(request.PayerName, InsuranceRemittances.PayerNameLengthMax, "payerName", "The payer's name")
            ?? (request.PayerKind == PayerKind.Insurance ? throw new DomainException("Name the insurer that paid.", "payerName") : request.PayerKind.ToString());
        var claim = Text(request.ClaimNumber, InsuranceRemittances.ClaimNumberLengthMax, "claimNumber", "The claim number")
            ?? throw new DomainException("Give the payer's claim number, as on its explanation of benefits.", "claimNumber");
        if (request.Tender is not (Tender.Check or Tender.Ach))
        {
            throw new DomainException("A payer pays by check or by EFT (ACH).", "tender");
        }

        var reference = Text(request.Reference, 50, "reference", "The check or EFT number");
        if (request.Paid.IsPositive && reference is null)
        {
            throw new DomainException("Give the payer's check or EFT trace number.", "reference");
        }

        var fingerprint = Idempotency.Fingerprint("remittance", request.InvoiceNumber, request.PayerKind, payerName, claim, request.Paid.Cents, request.ContractualAdjustment?.Cents,
            request.Tender, reference);
        if (await EarlierAsync(key, fingerprint, cancellationToken) is { } earlier)
        {
            return earlier;
        }

        var invoice = await db.Invoices.AsNoTracking().SingleOrDefaultAsync(i => i.Id == request.InvoiceNumber, cancellationToken)
            ?? throw new DomainException($"There is no invoice {request.InvoiceNumber}.", "invoiceNumber");
        var type = (await db.InvoiceTypes.AsNoTracking().SingleAsync(t => t.Code == invoice.TypeCode, cancellationToken)).ToDefinition();
        var today = calendar.Today();
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await AccountLocks.LockAccountAsync(db, invoice.AccountId, cancellationToken);
        var open = await InvoiceOpen.OfAsync(db, invoice, cancellationToken);
        var decision = InsuranceRemittances.Decide(request.PayerKind, open, request.Paid, request.ContractualAdjustment);
        var allowance = decision.ContractualAdjustment.IsPositive ? type.AllowanceAccountOrRefuse("contractual adjustments") : null;
        var label = InsuranceRemittances.PayerLabel(request.PayerKind, payerName);

        long? paymentId = null;
        if (decision.Paid.IsPositive)
        {
            var payments = await poster.AddAsync([new PaymentInstruction(invoice.AccountId, decision.Paid, today, request.Tender, PaymentSource.Insurer, reference, invoice.Id)],
                user, null, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            paymentId = payments[0].Id;
        }

        long? adjustmentId = null;
        if (allowance is not null)
        {
            var ledger = await AccountLedger.LoadAsync(db, invoice.AccountId, cancellationToken);
            var posted = ledger.Post(db, PostingRules.ForContractualAdjustment(decision.ContractualAdjustment, allowance), today, today, null, user,
                $"Contractual adjustment: {label} claim {claim}, invoice {invoice.Id}", now, settlesFirst: invoice.FinancialTransactionId);
            await db.SaveChangesAsync(cancellationToken);
            adjustmentId = posted.Id;
        }

        var row = new InvoiceRemittanceRow
        {
            InvoiceId = invoice.Id,
            AccountId = invoice.AccountId,
            PayerKind = request.PayerKind,
            PayerName = payerName,
            ClaimNumber = claim,
            PaidCents = decision.Paid.Cents,
            AdjustmentCents = decision.ContractualAdjustment.Cents,
            PatientResponsibilityCents = decision.PatientResponsibility.Cents,
            PaymentId = paymentId,
            AdjustmentTransactionId = adjustmentId,
            ReceivedOn = today,
            PostedBy = user,
            PostedAt = now,
            IdempotencyKey = Idempotency.KeyFor(key, user),
            RequestFingerprint = fingerprint,
        };
        db.InvoiceRemittances.Add(row);
        if (await Idempotency.SaveOrFindEarlierAsync(db, transaction, key, () => EarlierAsync(key, fingerprint, cancellationToken), "remittance", cancellationToken) is { } raced)
        {
            return raced;
        }

        AuditLog.Record(db, now, user, "InvoiceRemittance", row.Id, invoice.AccountId, $"Remittance from {label}", null,
            new { Invoice = invoice.Id, Claim = claim, Paid = decision.Paid.ToPlainString(), Adjustment = decision.ContractualAdjustment.ToPlainString(), PatientOwes = decision.PatientResponsibility.ToPlainString() },
            reference);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        var view = await FindAsync(row.Id, cancellationToken);
        return new RemittanceOutcome(view, false,
            $"{label} claim {claim} on invoice {invoice.Id}: paid {decision.Paid}, contractual adjustment {decision.ContractualAdjustment}; the patient owes {decision.PatientResponsibility}.");
    }

    /// <summary>The remittances posted on an invoice, oldest first.</summary>
    public async Task<IReadOnlyList<RemittanceView>> OfInvoiceAsync(long invoiceNumber, CancellationToken cancellationToken = default) =>
        await ViewsAsync(db.InvoiceRemittances.Where(r => r.InvoiceId == invoiceNumber), cancellationToken);

    private async Task<RemittanceView> FindAsync(long id, CancellationToken cancellationToken) =>
        (await ViewsAsync(db.InvoiceRemittances.Where(r => r.Id == id), cancellationToken)).Single();

    private static async Task<IReadOnlyList<RemittanceView>> ViewsAsync(IQueryable<InvoiceRemittanceRow> rows, CancellationToken cancellationToken) =>
        (await rows.AsNoTracking().OrderBy(r => r.Id).ToListAsync(cancellationToken))
            .Select(r => new RemittanceView(r.Id, r.InvoiceId, r.PayerKind, InsuranceRemittances.PayerLabel(r.PayerKind, r.PayerName), r.ClaimNumber, Money.FromCents(r.PaidCents),
                Money.FromCents(r.AdjustmentCents), Money.FromCents(r.PatientResponsibilityCents), r.PaymentId is { } p ? Receipts.Number(p) : null, r.AdjustmentTransactionId,
                r.ReceivedOn, r.PostedBy, r.PostedAt))
            .ToList();

    private async Task<RemittanceOutcome?> EarlierAsync(RequestKey? key, string fingerprint, CancellationToken cancellationToken) =>
        await Idempotency.EarlierAsync(db.InvoiceRemittances, InvoiceRemittanceRow.RequestKey, key, r => new { r.Id, r.RequestFingerprint }, r => r.RequestFingerprint == fingerprint,
                r => $"remittance {r.Id}", cancellationToken) is { } earlier
            ? new RemittanceOutcome(await FindAsync(earlier.Id, cancellationToken), true, $"Remittance {earlier.Id} was already posted; nothing was posted again.")
            : null;

    private static string? Text(string? text, int max, string field, string what)
    {
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        return trimmed.Length <= max ? trimmed : throw new DomainException($"{what} can be at most {max} characters.", field);
    }
}

/// <summary>What is still open on an invoice: its charge's open items (read inside the caller's transaction, under the account's lock).</summary>
internal static class InvoiceOpen
{
    public static async Task<Money> OfAsync(OpenCisDbContext db, InvoiceRow invoice, CancellationToken cancellationToken) =>
        Money.FromCents(await db.OpenItems.Where(o => o.AccountId == invoice.AccountId && o.FinancialTransactionId == invoice.FinancialTransactionId)
            .SumAsync(o => o.OpenCents, cancellationToken));
}
