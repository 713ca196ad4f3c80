using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Customers;

namespace OpenCIS.Tests.Core.Billing;

public sealed class ScanLineTests
{
    [Fact]
    public void The_fields_sit_in_fixed_columns_and_the_last_digit_is_the_luhn_digit_of_the_rest()
    {
        var line = ScanLine.For("00000018", 1234, Money.FromCents(12_345), new DateOnly(2026, 12, 15));

        Assert.Equal("000000180000001234000001234520261215", line.Digits[..36]);
        Assert.Equal(AccountNumbers.LuhnCheckDigit(line.Digits[..36]), line.CheckDigit);
        Assert.Equal(ScanLine.DigitCount, line.Digits.Length);
        Assert.Equal($"00000018 0000001234 0000012345 20261215 {line.CheckDigit}", line.ToString());
    }

    [Fact]
    public void A_printed_line_parses_back_to_the_same_fields()
    {
        var line = ScanLine.For("12345674", 9_876_543_210, Money.FromCents(9_999_999_999), new DateOnly(2027, 2, 28));

        var parsed = ScanLine.Parse(line.ToString());

        Assert.Equal(line, parsed);
        Assert.Equal("12345674", parsed.AccountNumber);
        Assert.Equal(9_876_543_210, parsed.BillNumber);
        Assert.Equal(Money.FromCents(9_999_999_999), parsed.AmountDue);
        Assert.Equal(new DateOnly(2027, 2, 28), parsed.DueDate);
        Assert.Equal(line, ScanLine.Parse(line.Digits));
    }

    [Fact]
    public void A_credit_balance_asks_for_nothing()
    {
        var line = ScanLine.For("00000018", 7, Money.FromCents(-2_500), new DateOnly(2026, 12, 15));

        Assert.Equal(Money.Zero, line.AmountDue);
        Assert.Equal("0000000000", line.Digits[18..28]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0000001800000012340000012345202612150")]
    [InlineData("00000018 0000001234 0000012345 20261215")]
    [InlineData("0000001A 0000001234 0000012345 20261215 0")]
    public void Lines_of_the_wrong_shape_or_with_a_wrong_check_digit_are_refused(string text)
    {
        Assert.False(ScanLine.IsValid(text));
        Assert.Throws<DomainException>(() => ScanLine.Parse(text));
    }

    [Fact]
    public void A_line_whose_check_digit_passes_but_whose_account_number_does_not_is_refused()
    {
        // 00000019 fails the account number's own check digit; give the line a valid overall digit anyway.
        var body = "00000019" + "0000000001" + "0000000100" + "20261215";
        var text = body + AccountNumbers.LuhnCheckDigit(body);

        Assert.False(ScanLine.TryParse(text, out _, out var problem));
        Assert.Contains("not a valid account number", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_line_that_carries_no_real_due_date_is_refused()
    {
        var body = "00000018" + "0000000001" + "0000000100" + "20261345";
        var text = body + AccountNumbers.LuhnCheckDigit(body);

        Assert.False(ScanLine.TryParse(text, out _, out var problem));
        Assert.Contains("not a due date", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Out_of_range_inputs_fail_loudly()
    {
        var due = new DateOnly(2026, 12, 15);
        Assert.Throws<ArgumentException>(() => ScanLine.For("00000019", 1, Money.Zero, due));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScanLine.For("00000018", 0, Money.Zero, due));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScanLine.For("00000018", 1, Money.FromCents(10_000_000_000), due));
    }
}
