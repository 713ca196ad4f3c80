namespace OpenCIS.Core.Payments;

public static class Receipts
{
    /// <summary>Receipt numbers follow the payment's sequence, so they are unique and never reused.</summary>
    public static string Number(long paymentId) => $"R{paymentId:D8}";

    public static bool TryParse(string text, out long paymentId)
    {
        paymentId = 0;
        return text.Length > 1 && (text[0] == 'R' || text[0] == 'r') && long.TryParse(text.AsSpan(1), out paymentId);
    }
}
