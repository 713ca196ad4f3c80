namespace OpenCIS.Core.Payments;

/// <summary>Why the bank sent a payment back: a returned check, or a card charge back.</summary>
public enum PaymentReturnReason
{
    Nsf,
    StopPayment,
    AccountClosed,
    ChargeBack,
    Other,
}

public static class PaymentReturnReasons
{
    /// <summary>Accepts the words clerks and the bank's notice use: "NSF", "stop payment", "account closed", "charge back", "other".</summary>
    public static bool TryParse(string? text, out PaymentReturnReason reason)
    {
        var normalized = (text ?? "").Trim().Replace(" ", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToUpperInvariant();
        (var ok, reason) = normalized switch
        {
            "NSF" or "INSUFFICIENTFUNDS" => (true, PaymentReturnReason.Nsf),
            "STOPPAYMENT" or "STOP" => (true, PaymentReturnReason.StopPayment),
            "ACCOUNTCLOSED" or "CLOSED" => (true, PaymentReturnReason.AccountClosed),
            "CHARGEBACK" or "CARDCHARGEBACK" => (true, PaymentReturnReason.ChargeBack),
            "OTHER" => (true, PaymentReturnReason.Other),
            _ => (false, PaymentReturnReason.Other),
        };
        return ok;
    }

    public static string Describe(PaymentReturnReason reason) => reason switch
    {
        PaymentReturnReason.Nsf => "insufficient funds (NSF)",
        PaymentReturnReason.StopPayment => "stop payment",
        PaymentReturnReason.AccountClosed => "bank account closed",
        PaymentReturnReason.ChargeBack => "card charge back",
        _ => "other",
    };
}
