using OpenCIS.Core.Common;

namespace OpenCIS.Tests.Core;

public sealed class MoneyTests
{
    [Theory]
    [InlineData("1.005", 101)]
    [InlineData("1.0049", 100)]
    [InlineData("2.345", 235)]
    [InlineData("2.335", 234)] // away from zero (to even would agree here)
    [InlineData("2.325", 233)] // banker's rounding would give 2.32
    [InlineData("0.005", 1)]
    [InlineData("0.0049", 0)]
    [InlineData("-0.005", -1)]
    [InlineData("-1.005", -101)]
    [InlineData("-2.325", -233)]
    [InlineData("-0.0049", 0)]
    [InlineData("17.00", 1700)]
    public void Round_is_half_away_from_zero_to_the_cent(string dollars, long expectedCents)
    {
        var amount = Money.Round(decimal.Parse(dollars, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(expectedCents, amount.Cents);
    }

    [Theory]
    [InlineData("12.34", 1234)]
    [InlineData("-5", -500)]
    [InlineData("1,234.50", 123450)]
    [InlineData("-12,345,678", -1234567800)]
    [InlineData("1000000000000.00", 100000000000000)]
    [InlineData("$7.00", 700)]
    [InlineData(" 0.1 ", 10)]
    public void TryParse_accepts_dollars_and_cents(string text, long expectedCents)
    {
        Assert.True(Money.TryParse(text, out var amount));
        Assert.Equal(expectedCents, amount.Cents);
    }

    [Theory]
    [InlineData("1.234")]
    [InlineData("0.005")]
    [InlineData("-12.999")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData("twelve")]
    [InlineData("1e3")]
    [InlineData("12.34.56")]
    [InlineData("0,05")]
    [InlineData("12,34")]
    [InlineData("1,2345.00")]
    [InlineData("1.000,50")]
    [InlineData(",100")]
    [InlineData("99999999999999999999")]
    [InlineData("-99999999999999999999.99")]
    [InlineData("1000000000000.01")]
    public void TryParse_rejects_more_than_two_decimals_and_non_amounts(string? text)
    {
        Assert.False(Money.TryParse(text, out var amount));
        Assert.Equal(Money.Zero, amount);
    }

    [Theory]
    [InlineData(123450, "$1,234.50", "1234.50")]
    [InlineData(-307, "-$3.07", "-3.07")]
    [InlineData(0, "$0.00", "0.00")]
    [InlineData(5, "$0.05", "0.05")]
    public void Formats_for_display_and_for_files(long cents, string display, string plain)
    {
        var amount = Money.FromCents(cents);

        Assert.Equal(display, amount.ToString());
        Assert.Equal(plain, amount.ToPlainString());
    }

    [Fact]
    public void Arithmetic_overflow_fails_loudly_instead_of_wrapping()
    {
        var largest = Money.FromCents(long.MaxValue);

        Assert.Throws<OverflowException>(() => largest + Money.FromCents(1));
        Assert.Throws<OverflowException>(() => Money.Sum([largest, Money.FromCents(1)]));
    }
}
