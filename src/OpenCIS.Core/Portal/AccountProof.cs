using OpenCIS.Core.Common;

namespace OpenCIS.Core.Portal;

/// <summary>A bill the customer may have in hand: its number (the bill's id, printed on it) and its amount due.</summary>
public sealed record RecentBill(long BillNumber, DateOnly BillDate, Money AmountDue);

/// <summary>
/// How a customer proves an account is theirs in the portal: the account number with one secret from a recent bill,
/// the bill's number or its amount due, as printed. Only the last <see cref="BillsAccepted"/> bills count, so an old
/// bill found in a recycling bin opens nothing once the account has been billed since; an account never billed cannot be
/// claimed online (the customer calls, and a clerk can link it).
/// </summary>
public static class AccountProof
{
    /// <summary>How many of the account's latest issued bills a secret may come from.</summary>
    public const int BillsAccepted = 2;

    /// <summary>What matched, in words kept with the link ("bill 1042", "amount due on bill 1042"); null when nothing did.</summary>
    public static string? Match(string? secret, IReadOnlyList<RecentBill> bills)
    {
        var text = (secret ?? "").Trim();
        if (text.Length == 0)
        {
            return null;
        }

        var recent = bills.OrderByDescending(b => b.BillDate).ThenByDescending(b => b.BillNumber).Take(BillsAccepted).ToList();
        // A bill number is digits only ("1042", "#1042"); an amount may be written "84.10", "$84.10" or, when whole, "84".
        var digits = text.TrimStart('#');
        if (digits.Length > 0 && digits.All(char.IsAsciiDigit) && long.TryParse(digits, out var number) && recent.Any(b => b.BillNumber == number))
        {
            return $"bill {number}";
        }

        if (!Money.TryParse(text, out var amount) || !amount.IsPositive)
        {
            return null;
        }

        return recent.FirstOrDefault(b => b.AmountDue == amount) is { } bill ? $"amount due on bill {bill.BillNumber}" : null;
    }
}
