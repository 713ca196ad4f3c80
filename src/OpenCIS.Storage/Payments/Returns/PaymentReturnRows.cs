using OpenCIS.Core.Payments;

namespace OpenCIS.Storage.Payments.Returns;

/// <summary>
/// A payment the bank sent back (a returned check, a card charge back), as posted at the counter: the
/// reversal of its payment and the fee it cost. A payment is returned at most once (unique payment id).
/// </summary>
public sealed class PaymentReturn
{
    public long Id { get; init; }
    public long PaymentId { get; init; }
    public long AccountId { get; init; }
    public PaymentReturnReason Reason { get; init; }
    public string? BankReference { get; init; }
    public DateOnly ReturnedOn { get; init; }
    public DateTimeOffset ReturnedAt { get; init; }
    public string ReturnedBy { get; init; } = "";
    public long AmountCents { get; init; }
    public long FeeCents { get; init; }
    public long ReversalTransactionId { get; init; }
    public long? FeeTransactionId { get; init; }
    public bool MadeCashOnly { get; init; }
    public string? IdempotencyKey { get; init; }
    public string RequestFingerprint { get; init; } = "";

    public static KeyColumns<PaymentReturn> RequestKey { get; } = new(r => r.ReturnedBy, r => r.IdempotencyKey);
}
