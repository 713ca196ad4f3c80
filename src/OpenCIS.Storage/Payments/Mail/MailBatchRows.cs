namespace OpenCIS.Storage.Payments.Mail;

public enum MailBatchStatus
{
    Open,
    Posted,
}

/// <summary>
/// A tray of mailed checks keyed from their stubs: the adding-machine tape's control count and total,
/// and the items keyed against them. It posts once, all its items in one transaction.
/// </summary>
public sealed class MailBatch
{
    public long Id { get; init; }
    public DateOnly BusinessDate { get; init; }
    public int ControlCount { get; init; }
    public long ControlTotalCents { get; init; }
    public MailBatchStatus Status { get; init; }
    public DateTimeOffset OpenedAt { get; init; }
    public string OpenedBy { get; init; } = "";
    public DateTimeOffset? PostedAt { get; init; }
    public string? PostedBy { get; init; }
}

/// <summary>One stub keyed into a batch; <see cref="PaymentId"/> is set when the batch posts.</summary>
public sealed class MailBatchItem
{
    public long Id { get; init; }
    public long MailBatchId { get; init; }
    public string ScanLine { get; init; } = "";
    public long AccountId { get; init; }
    public string AccountNumber { get; init; } = "";
    public long BillNumber { get; init; }
    public long AmountDueCents { get; init; }
    public long AmountCents { get; init; }
    public string? CheckNumber { get; init; }
    public DateTimeOffset KeyedAt { get; init; }
    public string KeyedBy { get; init; } = "";
    public long? PaymentId { get; set; }
}
