namespace OpenCIS.Core.Payments.Ach;

/// <summary>
/// ABA routing transit numbers: nine digits, the last a check digit chosen so that the digits
/// weighted 3, 7, 1, 3, 7, 1, 3, 7, 1 sum to a multiple of ten. The check catches every single
/// mistyped digit, so a keyed routing number that is wrong is refused at enrollment instead of
/// coming back from the bank as a return days later.
/// </summary>
public static class RoutingNumbers
{
    public const int Length = 9;

    private static readonly int[] Weights = [3, 7, 1, 3, 7, 1, 3, 7, 1];

    /// <summary>The ninth digit for the first eight (the RDFI identification a NACHA entry carries).</summary>
    public static char CheckDigit(string firstEight)
    {
        if (firstEight is null || firstEight.Length != 8 || !firstEight.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("A routing number's check digit is computed from exactly eight digits.", nameof(firstEight));
        }

        var sum = 0;
        for (var i = 0; i < 8; i++)
        {
            sum += (firstEight[i] - '0') * Weights[i];
        }

        return (char)('0' + ((10 - (sum % 10)) % 10));
    }

    /// <summary>Nine digits, not all zero, whose weighted sum is a multiple of ten.</summary>
    public static bool IsValid(string? routingNumber)
    {
        if (routingNumber is null || routingNumber.Length != Length || !routingNumber.All(char.IsAsciiDigit))
        {
            return false;
        }

        if (routingNumber.All(c => c == '0'))
        {
            return false;
        }

        return CheckDigit(routingNumber[..8]) == routingNumber[8];
    }
}
