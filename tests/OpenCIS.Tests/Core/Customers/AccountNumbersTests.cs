using OpenCIS.Core.Customers;

namespace OpenCIS.Tests.Core.Customers;

public sealed class AccountNumbersTests
{
    [Theory]
    [InlineData(1, "00000018")]
    [InlineData(1234567, "12345674")]
    [InlineData(9_999_999, "99999997")]
    public void Account_numbers_are_seven_digits_and_a_luhn_check_digit(long sequence, string expected)
    {
        Assert.Equal(expected, AccountNumbers.Create(sequence));
        Assert.True(AccountNumbers.IsValid(expected));
    }

    [Fact]
    public void The_check_digit_matches_the_published_luhn_example() =>
        Assert.Equal('3', AccountNumbers.LuhnCheckDigit("7992739871"));

    [Theory]
    [InlineData(1)]
    [InlineData(42)]
    [InlineData(1234567)]
    [InlineData(7654321)]
    [InlineData(9_999_999)]
    public void Any_single_digit_changed_makes_the_number_invalid(long sequence)
    {
        var number = AccountNumbers.Create(sequence);
        for (var position = 0; position < number.Length; position++)
        {
            foreach (var digit in "0123456789".Where(d => d != number[position]))
            {
                var mistyped = string.Concat(number.AsSpan(0, position), digit.ToString(), number.AsSpan(position + 1));
                Assert.False(AccountNumbers.IsValid(mistyped), $"{mistyped} (from {number}) should fail the check digit");
            }
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0000001")]
    [InlineData("000000180")]
    [InlineData("0000001a")]
    [InlineData("0000-018")]
    public void Wrong_shapes_are_invalid(string? text) => Assert.False(AccountNumbers.IsValid(text));

    [Theory]
    [InlineData(0)]
    [InlineData(10_000_000)]
    public void Sequences_outside_seven_digits_are_refused(long sequence) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => AccountNumbers.Create(sequence));
}
