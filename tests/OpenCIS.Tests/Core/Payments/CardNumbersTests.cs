using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;

namespace OpenCIS.Tests.Core.Payments;

public sealed class CardNumbersTests
{
    [Theory]
    [InlineData("4111111111111111", true)]
    [InlineData("4111-1111-1111-1111", true)]
    [InlineData("5500000000000004", true)]
    [InlineData("2221000000000009", true)]
    [InlineData("378282246310005", true)]
    [InlineData("6011111111111117", true)]
    [InlineData("000123456789", false)]
    [InlineData("7700112233", false)]
    [InlineData("4111111111111112", false)]
    [InlineData("9111111111111111", false)]
    public void A_bank_account_is_refused_only_when_it_is_a_card_by_brand_length_and_check_digit(string number, bool card) =>
        Assert.Equal(card, CardNumbers.IsCardNumber(number));

    [Theory]
    [InlineData("CK 1042", false)]
    [InlineData("tok_4111111111111111", true)]
    [InlineData("last four 1111", false)]
    [InlineData("021000021 1234567", false)]
    public void A_reference_holding_a_card_number_anywhere_is_caught(string reference, bool card) =>
        Assert.Equal(card, CardNumbers.LooksLikeCardNumber(reference));

    [Theory]
    [InlineData("2026-12-04", true)]
    [InlineData("1900-01-01", true)]
    [InlineData("2199-12-31", true)]
    [InlineData("1899-12-31", false)]
    [InlineData("9999-12-31", false)]
    [InlineData("0001-01-01", false)]
    [InlineData("2026-02-30", false)]
    [InlineData("12/04/2026", false)]
    public void Dates_parse_only_in_iso_form_and_within_the_years_kept(string text, bool parses) =>
        Assert.Equal(parses, IsoDate.TryParse(text, out _));
}

public sealed class PaymentFileSeparatorTests
{
    /// <summary>Our files are comma-separated by definition: references full of pipes or semicolons must not make the reader guess another separator.</summary>
    [Fact]
    public void A_payment_file_is_read_with_commas_whatever_its_references_hold()
    {
        var csv = "account,amount,date,tender,reference\n00000018,1.00,2026-11-21,check,A|B|C|D|E|F\n00000026,2.00,2026-11-21,check,G;H;I;J;K;L\n";
        var (lines, errors) = OpenCIS.UseCases.Payments.PostPaymentFile.Parse("pipes.csv", System.Text.Encoding.UTF8.GetBytes(csv));
        Assert.Empty(errors);
        Assert.Equal(["A|B|C|D|E|F", "G;H;I;J;K;L"], lines.Select(l => l.Reference));
    }
}

/// <summary>What the fuzzing harness found on PostgreSQL, which keeps no NUL in text and holds columns to their length.</summary>
public sealed class FuzzFindingsTests
{
    [Fact]
    public void A_payment_file_holding_a_nul_byte_is_refused_naming_its_record_not_sent_to_the_database()
    {
        var csv = "account,amount,date,tender,reference\n00000018,1.00,2026-11-21,check,CK1\n00000026,2.00,2026-11-21,check,C\0K2\n";
        var (_, errors) = OpenCIS.UseCases.Payments.PostPaymentFile.Parse("nul.csv", System.Text.Encoding.UTF8.GetBytes(csv));
        var error = Assert.Single(errors);
        Assert.Equal((3, "record"), (error.Line, error.Field));
        Assert.Contains("NUL", error.Message, StringComparison.Ordinal);
    }
}
