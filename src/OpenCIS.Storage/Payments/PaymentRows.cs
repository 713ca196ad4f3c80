using OpenCIS.Core.Payments;
using OpenCIS.Storage.Ledger;

namespace OpenCIS.Storage.Payments;

/// <summary>A payment received, with its receipt number and the transaction that posted it.</summary>
public sealed class Payment
{
    public long Id { get; internal set; }
    public long AccountId { get; init; }
    public long AmountCents { get; init; }
    public Tender Tender { get; init; }
    public PaymentSource Source { get; init; }
    public string? Reference { get; init; }
    public DateOnly ReceivedOn { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
    public string Cashier { get; init; } = "";
    public long FinancialTransactionId { get; init; }
    public FinancialTransaction? Transaction { get; init; }
    public long? ImportedFileId { get; init; }
    public string? IdempotencyKey { get; init; }
    public string? RequestFingerprint { get; init; }
    /// <summary>The cashier's drawer a counter payment went into; null for mail, files and the API.</summary>
    public long? DrawerSessionId { get; init; }
    /// <summary>Cash handed back at the counter: tendered minus applied.</summary>
    public long? ChangeDueCents { get; init; }

    public string ReceiptNumber => Receipts.Number(Id);

    /// <summary>The key of a payment taken one at a time (counter, drawer, API), its cashier's own.</summary>
    public static KeyColumns<Payment> RequestKey { get; } = new(p => p.Cashier, p => p.IdempotencyKey);
}

/// <summary>A file that was posted, by its SHA-256 fingerprint, so the same file never posts twice.</summary>
public sealed class ImportedFile
{
    public long Id { get; init; }
    public string Kind { get; init; } = "";
    public string FileName { get; init; } = "";
    public string Sha256 { get; init; } = "";
    public DateTimeOffset ImportedAt { get; init; }
    public string ImportedBy { get; init; } = "";
    /// <summary>Set when an import that streams its file finishes.</summary>
    public int RecordCount { get; set; }

    public long TotalCents { get; init; }
}
