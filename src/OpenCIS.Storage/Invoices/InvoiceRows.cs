using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Invoices;

namespace OpenCIS.Storage.Invoices;

/// <summary>An invoice type as kept (<see cref="InvoiceTypeDefinition"/>), with who last changed it.</summary>
public sealed class InvoiceTypeRow
{
    public string Code { get; init; } = "";
    public string Name { get; internal set; } = "";
    public string RevenueGlAccount { get; internal set; } = "";
    public int TermsDays { get; internal set; }
    public int? StatementEveryDays { get; internal set; }
    public bool Active { get; internal set; }

    /// <summary>Where payers' contractual adjustments and hardship waivers of the type's invoices are charged; none: the type takes neither.</summary>
    public string? AllowanceGlAccount { get; internal set; }

    /// <summary>The code of the collection policy the type's invoices follow for their late charge and notices; none: neither.</summary>
    public string? CollectionPolicy { get; internal set; }

    public string UpdatedBy { get; internal set; } = "";
    public DateTimeOffset UpdatedAt { get; internal set; }

    public InvoiceTypeDefinition ToDefinition() => new(Code, Name, RevenueGlAccount, TermsDays, StatementEveryDays, Active, AllowanceGlAccount, CollectionPolicy);

    internal void Apply(InvoiceTypeDefinition definition, string user, DateTimeOffset at)
    {
        Name = definition.Name;
        RevenueGlAccount = definition.RevenueGlAccount;
        TermsDays = definition.TermsDays;
        StatementEveryDays = definition.StatementEveryDays;
        Active = definition.Active;
        AllowanceGlAccount = definition.AllowanceGlAccount;
        CollectionPolicy = definition.CollectionPolicy;
        UpdatedBy = user;
        UpdatedAt = at;
    }
}

/// <summary>
/// A city receivable billed to a party by invoice: posted once, as its financial transaction on the party's city
/// receivables account, whose open item is what remains to pay. The invoice number is its id; it prints on the scan
/// line where a bill's number does. Never changed after it is posted.
/// </summary>
public sealed class InvoiceRow
{
    public long Id { get; internal set; }
    public long AccountId { get; init; }

    /// <summary>The party billed: the customer the receivables account belongs to.</summary>
    public long CustomerId { get; init; }

    public string TypeCode { get; init; } = "";
    public long FinancialTransactionId { get; init; }
    public DateOnly IssuedOn { get; init; }
    public DateOnly DueOn { get; init; }
    public long AmountCents { get; init; }
    public string? Reference { get; init; }
    public string? ParcelId { get; init; }
    public string? Note { get; init; }
    public string CreatedBy { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>How it came: "screen", "api", or the imported file's name.</summary>
    public string Source { get; init; } = "";

    public string? IdempotencyKey { get; init; }
    public string? RequestFingerprint { get; init; }

    public List<InvoiceLineRow> Lines { get; init; } = [];

    public static KeyColumns<InvoiceRow> RequestKey { get; } = new(i => i.CreatedBy, i => i.IdempotencyKey);
}

/// <summary>One line of an invoice, as charged.</summary>
public sealed class InvoiceLineRow
{
    public long Id { get; internal set; }
    public long InvoiceId { get; init; }
    public int LineNumber { get; init; }
    public string Description { get; init; } = "";
    public decimal Quantity { get; init; }
    public decimal UnitPrice { get; init; }
    public long AmountCents { get; init; }
}

/// <summary>A file of invoices imported whole: its fingerprint makes a second import of the same file post nothing.</summary>
public sealed class InvoiceImportRow
{
    public long Id { get; internal set; }
    public string FileName { get; init; } = "";
    public string Sha256 { get; init; } = "";
    public int InvoiceCount { get; init; }
    public long TotalCents { get; init; }
    public string ImportedBy { get; init; } = "";
    public DateTimeOffset ImportedAt { get; init; }
}

/// <summary>One city-wide debt check: who asked, from where, how and for what (a tax id only by its last four), and what it found.</summary>
public sealed class DebtCheckRow
{
    public long Id { get; internal set; }
    public string CheckedBy { get; init; } = "";
    public DateTimeOffset CheckedAt { get; init; }
    public string LookedUpBy { get; init; } = "";
    public string Query { get; init; } = "";

    /// <summary>"screen" or "api".</summary>
    public string Source { get; init; } = "";

    public int DebtorsFound { get; init; }
    public long OwedCents { get; init; }
}

/// <summary>
/// A hold on a party or a parcel: the city's other systems ask for holds before they issue a permit or licence. Kept
/// after its release, with who released it and why ("system" when it released itself, the debt paid).
/// </summary>
public sealed class HoldRow
{
    public long Id { get; internal set; }
    public long? CustomerId { get; init; }
    public string? ParcelId { get; init; }
    public string Reason { get; init; } = "";
    public DateOnly PlacedOn { get; init; }
    public DateOnly? EndsOn { get; init; }
    public bool ReleaseWhenPaid { get; init; }
    public string PlacedBy { get; init; } = "";
    public DateTimeOffset PlacedAt { get; init; }
    public DateTimeOffset? ReleasedAt { get; private set; }
    public string? ReleasedBy { get; private set; }
    public string? ReleaseNote { get; private set; }

    internal void Release(string user, DateTimeOffset at, string note)
    {
        if (ReleasedAt is not null)
        {
            throw new Core.Common.DomainException($"Hold {Id} was already released by {ReleasedBy} on {ReleasedAt:yyyy-MM-dd}.", "holdId");
        }

        (ReleasedBy, ReleasedAt, ReleaseNote) = (user, at, note);
    }
}

/// <summary>
/// A payer's remittance on an invoice (insurance, Medicare, Medicaid): its payment (a payment row, posted to the invoice
/// first) and its contractual adjustment (a transaction of its own), with the claim it answers and what the patient still
/// owed after it.
/// </summary>
public sealed class InvoiceRemittanceRow
{
    public long Id { get; internal set; }
    public long InvoiceId { get; init; }
    public long AccountId { get; init; }
    public PayerKind PayerKind { get; init; }
    public string PayerName { get; init; } = "";
    public string ClaimNumber { get; init; } = "";
    public long PaidCents { get; init; }
    public long AdjustmentCents { get; init; }
    public long PatientResponsibilityCents { get; init; }

    /// <summary>The payment row of the payer's money; none when the payer paid nothing (a denial with only an adjustment).</summary>
    public long? PaymentId { get; init; }

    public long? AdjustmentTransactionId { get; init; }
    public DateOnly ReceivedOn { get; init; }
    public string PostedBy { get; init; } = "";
    public DateTimeOffset PostedAt { get; init; }
    public string? IdempotencyKey { get; init; }
    public string? RequestFingerprint { get; init; }

    public static KeyColumns<InvoiceRemittanceRow> RequestKey { get; } = new(r => r.PostedBy, r => r.IdempotencyKey);
}

/// <summary>A hardship waiver on an invoice: asked for with its reason, then approved (posted) or rejected by a Supervisor.</summary>
public sealed class InvoiceWaiverRow
{
    public long Id { get; internal set; }
    public long InvoiceId { get; init; }
    public long AccountId { get; init; }
    public long AmountCents { get; init; }
    public string Reason { get; init; } = "";
    public WaiverStatus Status { get; private set; }
    public string RequestedBy { get; init; } = "";
    public DateTimeOffset RequestedAt { get; init; }
    public string? DecidedBy { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public string? DecisionNote { get; private set; }

    /// <summary>What the approval posted (at most what was open then) and its transaction.</summary>
    public long? PostedCents { get; private set; }

    public long? FinancialTransactionId { get; private set; }

    internal void Approve(string user, DateTimeOffset at, string? note, long postedCents, long transactionId)
    {
        EnsurePending();
        (Status, DecidedBy, DecidedAt, DecisionNote, PostedCents, FinancialTransactionId) = (WaiverStatus.Approved, user, at, note, postedCents, transactionId);
    }

    internal void Reject(string user, DateTimeOffset at, string note)
    {
        EnsurePending();
        (Status, DecidedBy, DecidedAt, DecisionNote) = (WaiverStatus.Rejected, user, at, note);
    }

    private void EnsurePending()
    {
        if (Status != WaiverStatus.Pending)
        {
            throw new Core.Common.DomainException($"Waiver {Id} was already {Status.ToString().ToLowerInvariant()} by {DecidedBy} on {DecidedAt:yyyy-MM-dd}.", "decision");
        }
    }
}

/// <summary>
/// A patient statement of an invoice (the statement cycle's first, second or final notice): what was open on its date,
/// the date it asks payment by, and how it went (by mail in the day's print file, or e-mailed).
/// </summary>
public sealed class InvoiceStatementRow
{
    public long Id { get; internal set; }
    public long InvoiceId { get; init; }
    public long AccountId { get; init; }
    public int Sequence { get; init; }
    public DateOnly StatementDate { get; init; }
    public long OpenCents { get; init; }
    public DateOnly PayBy { get; init; }

    /// <summary>"mail" or "email".</summary>
    public string Delivery { get; init; } = "";

    /// <summary>
    /// For a notice its type's collection policy gave (a type without a statement cycle), the step: Reminder or
    /// FinalNotice; null for a statement of the type's cycle. The sequence is then the notice's place among the policy's notices.
    /// </summary>
    public Core.Collections.StepKind? Notice { get; init; }

    public string CreatedBy { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>
/// An invoice's late charge under its type's collection policy: one per invoice (the unique invoice id makes a second
/// run of the day post nothing), with the posting on the party's account and the calculation in words.
/// </summary>
public sealed class InvoiceLateChargeRow
{
    public long Id { get; internal set; }
    public long InvoiceId { get; init; }
    public long AccountId { get; init; }
    public long FinancialTransactionId { get; init; }
    public long AmountCents { get; init; }
    public DateOnly ChargedOn { get; init; }
    public string PolicyCode { get; init; } = "";
    public string Explanation { get; init; } = "";
    public string CreatedBy { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
}

internal static class InvoicesModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<InvoiceTypeRow>(e =>
        {
            e.ToTable("invoice_types");
            e.HasKey(t => t.Code);
            e.Property(t => t.Code).HasMaxLength(InvoiceTypeDefinition.CodeLengthMax);
            e.Property(t => t.Name).HasMaxLength(InvoiceTypeDefinition.NameLengthMax);
            e.Property(t => t.RevenueGlAccount).HasMaxLength(6);
            e.Property(t => t.AllowanceGlAccount).HasMaxLength(6);
            e.Property(t => t.CollectionPolicy).HasMaxLength(InvoiceTypeDefinition.PolicyCodeLengthMax);
            e.Property(t => t.UpdatedBy).HasMaxLength(100);
        });
        builder.Entity<InvoiceRow>(e =>
        {
            e.ToTable("invoices");
            e.Property(i => i.TypeCode).HasMaxLength(InvoiceTypeDefinition.CodeLengthMax);
            e.Property(i => i.Reference).HasMaxLength(InvoiceDraft.ReferenceLengthMax);
            e.Property(i => i.ParcelId).HasMaxLength(40);
            e.Property(i => i.Note).HasMaxLength(InvoiceDraft.NoteLengthMax);
            e.Property(i => i.CreatedBy).HasMaxLength(100);
            e.Property(i => i.Source).HasMaxLength(260);
            e.Property(i => i.IdempotencyKey).HasMaxLength(Idempotency.MaxKeyLength);
            e.Property(i => i.RequestFingerprint).HasMaxLength(64);
            e.HasIndex(i => i.AccountId);
            e.HasIndex(i => i.CustomerId);
            e.HasIndex(i => new { i.TypeCode, i.IssuedOn });
            e.HasIndex(i => i.FinancialTransactionId).IsUnique();
            e.HasIndex(i => i.Reference);
            e.HasIndex(i => i.ParcelId);
            e.HasIndex(InvoiceRow.RequestKey.PropertyNames).IsUnique();
            e.HasMany(i => i.Lines).WithOne().HasForeignKey(l => l.InvoiceId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<InvoiceLineRow>(e =>
        {
            e.ToTable("invoice_lines");
            e.Property(l => l.Description).HasMaxLength(InvoiceLine.DescriptionLengthMax);
            e.Property(l => l.Quantity).HasPrecision(18, 4);
            e.Property(l => l.UnitPrice).HasPrecision(18, 4);
        });
        builder.Entity<DebtCheckRow>(e =>
        {
            e.ToTable("debt_checks");
            e.Property(c => c.CheckedBy).HasMaxLength(100);
            e.Property(c => c.LookedUpBy).HasMaxLength(20);
            e.Property(c => c.Query).HasMaxLength(200);
            e.Property(c => c.Source).HasMaxLength(20);
            e.HasIndex(c => c.CheckedAt);
        });
        builder.Entity<HoldRow>(e =>
        {
            e.ToTable("holds");
            e.Property(h => h.ParcelId).HasMaxLength(40);
            e.Property(h => h.Reason).HasMaxLength(Core.Invoices.Holds.ReasonLengthMax);
            e.Property(h => h.PlacedBy).HasMaxLength(100);
            e.Property(h => h.ReleasedBy).HasMaxLength(100);
            e.Property(h => h.ReleaseNote).HasMaxLength(200);
            e.HasIndex(h => h.CustomerId);
            e.HasIndex(h => h.ParcelId);
        });
        builder.Entity<InvoiceRemittanceRow>(e =>
        {
            e.ToTable("invoice_remittances");
            e.Property(r => r.PayerKind).HasConversion<string>().HasMaxLength(20);
            e.Property(r => r.PayerName).HasMaxLength(InsuranceRemittances.PayerNameLengthMax);
            e.Property(r => r.ClaimNumber).HasMaxLength(InsuranceRemittances.ClaimNumberLengthMax);
            e.Property(r => r.PostedBy).HasMaxLength(100);
            e.Property(r => r.IdempotencyKey).HasMaxLength(Idempotency.MaxKeyLength);
            e.Property(r => r.RequestFingerprint).HasMaxLength(64);
            e.HasIndex(r => r.InvoiceId);
            e.HasIndex(InvoiceRemittanceRow.RequestKey.PropertyNames).IsUnique();
        });
        builder.Entity<InvoiceWaiverRow>(e =>
        {
            e.ToTable("invoice_waivers");
            e.Property(w => w.Reason).HasMaxLength(HardshipWaivers.ReasonLengthMax);
            e.Property(w => w.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(w => w.RequestedBy).HasMaxLength(100);
            e.Property(w => w.DecidedBy).HasMaxLength(100);
            e.Property(w => w.DecisionNote).HasMaxLength(HardshipWaivers.NoteLengthMax);
            e.HasIndex(w => w.InvoiceId);
            e.HasIndex(w => w.Status);
        });
        builder.Entity<InvoiceStatementRow>(e =>
        {
            e.ToTable("invoice_statements");
            e.Property(s => s.Delivery).HasMaxLength(10);
            e.Property(s => s.CreatedBy).HasMaxLength(100);
            e.HasIndex(s => new { s.InvoiceId, s.Sequence }).IsUnique();
            e.HasIndex(s => s.StatementDate);
            e.Property(s => s.Notice).HasConversion<string>().HasMaxLength(20);
        });
        builder.Entity<InvoiceLateChargeRow>(e =>
        {
            e.ToTable("invoice_late_charges");
            e.HasIndex(l => l.InvoiceId).IsUnique();
            e.HasIndex(l => l.AccountId);
            e.Property(l => l.PolicyCode).HasMaxLength(InvoiceTypeDefinition.PolicyCodeLengthMax);
            e.Property(l => l.Explanation).HasMaxLength(400);
            e.Property(l => l.CreatedBy).HasMaxLength(100);
        });
        builder.Entity<InvoiceImportRow>(e =>
        {
            e.ToTable("invoice_imports");
            e.Property(i => i.FileName).HasMaxLength(260);
            e.Property(i => i.Sha256).HasMaxLength(64);
            e.Property(i => i.ImportedBy).HasMaxLength(100);
            e.HasIndex(i => i.Sha256).IsUnique();
        });
    }
}
