using System.Globalization;

namespace OpenCIS.Core.Common;

/// <summary>
/// An exact amount of money in integer cents. Arithmetic is checked, so an overflow fails
/// loudly instead of wrapping. The one rounding rule for money is <see cref="Round"/>:
/// half away from zero, to the cent.
/// </summary>
public readonly record struct Money(long Cents) : IComparable<Money>
{
    public static readonly Money Zero = new(0);

    public static Money FromCents(long cents) => new(cents);

    /// <summary>Rounds a decimal dollar amount to the cent, half away from zero (the rule used everywhere).</summary>
    public static Money Round(decimal dollars) =>
        new(checked((long)decimal.Round(dollars * 100m, 0, MidpointRounding.AwayFromZero)));

    /// <summary>Parses "12.34", "-5", "1,234.50" or "$7.00"; more than two decimals is an error, never rounded silently.</summary>
    /// <summary>The largest amount taken from text: a trillion dollars, far past any bill, well inside the cents a long holds.</summary>
    public const decimal DollarsMax = 1_000_000_000_000m;

    /// <summary>"1,234.50" and "-12,345": commas between groups of three digits, before any decimal point.</summary>
    private static bool ThousandsGrouped(string text)
    {
        var unsigned = text.TrimStart('+', '-');
        var point = unsigned.IndexOf('.', StringComparison.Ordinal);
        var groups = (point < 0 ? unsigned : unsigned[..point]).Split(',');
        return groups[0].Length is >= 1 and <= 3 && groups.All(g => g.All(char.IsAsciiDigit)) && groups.Skip(1).All(g => g.Length == 3)
            && (point < 0 || !unsigned[point..].Contains(',', StringComparison.Ordinal));
    }

    /// <summary>The amount as a person or another system wrote it, or a refusal naming <paramref name="field"/>.</summary>
    public static Money ParseField(string? text, string field) =>
        TryParse(text, out var amount) ? amount : throw new DomainException($"'{text}' is not an amount (dollars and cents, e.g. 120.00).", field);

    public static bool TryParse(string? text, out Money money)
    {
        money = Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var unsigned = text.Trim().Replace("$", "", StringComparison.Ordinal);
        // A comma only groups thousands ("1,234.50"); "0,05" is not five cents, nor five dollars.
        if (unsigned.Contains(',', StringComparison.Ordinal) && !ThousandsGrouped(unsigned))
        {
            return false;
        }

        var cleaned = unsigned.Replace(",", "", StringComparison.Ordinal);
        if (!decimal.TryParse(cleaned, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var dollars))
        {
            return false;
        }

        if (decimal.Round(dollars, 2) != dollars || Math.Abs(dollars) > DollarsMax)
        {
            return false;
        }

        money = new Money(checked((long)(dollars * 100m)));
        return true;
    }

    public decimal Dollars => Cents / 100m;
    public bool IsZero => Cents == 0;
    public bool IsPositive => Cents > 0;
    public bool IsNegative => Cents < 0;

    public static Money operator +(Money left, Money right) => new(checked(left.Cents + right.Cents));
    public static Money operator -(Money left, Money right) => new(checked(left.Cents - right.Cents));
    public static Money operator -(Money value) => new(checked(-value.Cents));
    public static bool operator <(Money left, Money right) => left.Cents < right.Cents;
    public static bool operator >(Money left, Money right) => left.Cents > right.Cents;
    public static bool operator <=(Money left, Money right) => left.Cents <= right.Cents;
    public static bool operator >=(Money left, Money right) => left.Cents >= right.Cents;

    public static Money Min(Money left, Money right) => left.Cents <= right.Cents ? left : right;
    public static Money Max(Money left, Money right) => left.Cents >= right.Cents ? left : right;

    public static Money Sum(IEnumerable<Money> amounts)
    {
        long total = 0;
        foreach (var amount in amounts)
        {
            total = checked(total + amount.Cents);
        }

        return new Money(total);
    }

    public int CompareTo(Money other) => Cents.CompareTo(other.Cents);

    /// <summary>Plain decimal text with two places ("1234.50", "-3.07"), for files and the API.</summary>
    public string ToPlainString() => Dollars.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>Display text with a dollar sign and thousands separators ("$1,234.50", "-$3.07").</summary>
    public override string ToString() =>
        Cents < 0
            ? "-$" + (-Dollars).ToString("#,##0.00", CultureInfo.InvariantCulture)
            : "$" + Dollars.ToString("#,##0.00", CultureInfo.InvariantCulture);
}
