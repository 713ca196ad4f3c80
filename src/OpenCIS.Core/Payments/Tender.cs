namespace OpenCIS.Core.Payments;

/// <summary>How a payment was made.</summary>
public enum Tender
{
    Cash,
    Check,
    MoneyOrder,
    Card,
    Ach,
}

/// <summary>Where a payment came in.</summary>
public enum PaymentSource
{
    Counter,
    Mail,
    File,
    Api,
    Online,

    /// <summary>Collected by a field worker at the door, on a disconnect order.</summary>
    Field,

    /// <summary>A payer's remittance on an invoice: an insurer, Medicare or Medicaid paying for a patient.</summary>
    Insurer,

    /// <summary>Collected by a collection agency on a final balance placed with it, and reported in its payment file.</summary>
    Agency,
}

public static class Tenders
{
    /// <summary>A tender as people write it: "Money order", "ACH", never the enum's name.</summary>
    public static string Name(Tender tender) => tender switch
    {
        Tender.Cash => "Cash",
        Tender.Check => "Check",
        Tender.MoneyOrder => "Money order",
        Tender.Card => "Card",
        Tender.Ach => "ACH",
        _ => tender.ToString(),
    };

    /// <summary>Accepts the names clerks and bank files use: "cash", "check", "money order", "card", "ach".</summary>
    public static bool TryParse(string? text, out Tender tender)
    {
        var normalized = (text ?? "").Trim().Replace(" ", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToUpperInvariant();
        (var ok, tender) = normalized switch
        {
            "CASH" => (true, Tender.Cash),
            "CHECK" or "CHEQUE" or "CHK" => (true, Tender.Check),
            "MONEYORDER" or "MO" => (true, Tender.MoneyOrder),
            "CARD" or "CREDITCARD" or "DEBITCARD" => (true, Tender.Card),
            "ACH" or "EFT" => (true, Tender.Ach),
            _ => (false, Tender.Cash),
        };
        return ok;
    }
}
