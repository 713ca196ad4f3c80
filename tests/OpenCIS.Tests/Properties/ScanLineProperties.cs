using FsCheck;
using FsCheck.Fluent;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Customers;

namespace OpenCIS.Tests.Properties;

public sealed class ScanLineProperties
{
    private static readonly Gen<ScanLine> Lines =
        from sequence in Gen.Choose(1, 9_999_999)
        from billNumber in Generators.Cents(1, ScanLine.MaxBillNumber)
        from amountCents in Gen.Frequency((8, Generators.Cents(0, 5_000_000)), (1, Generators.Cents(-100_000, -1)), (1, Generators.Cents(0, ScanLine.MaxAmountCents)))
        from dueDate in Gen.Choose(0, 20_000).Select(d => new DateOnly(2000, 1, 1).AddDays(d))
        select ScanLine.For(AccountNumbers.Create(sequence), billNumber, Money.FromCents(amountCents), dueDate);

    [Fact]
    public void Any_single_digit_changed_anywhere_on_the_line_is_detected()
    {
        var cases =
            from line in Lines
            from position in Gen.Choose(0, ScanLine.DigitCount - 1)
            from shift in Gen.Choose(1, 9)
            select (line, position, shift);

        var property = Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var digits = c.line.Digits.ToCharArray();
            digits[c.position] = (char)('0' + ((digits[c.position] - '0' + c.shift) % 10));
            var keyed = new string(digits);
            return !ScanLine.IsValid(keyed) && !ScanLine.IsValid(Grouped(keyed));
        });

        Check.One(Generators.Config, property);
    }

    [Fact]
    public void Every_line_parses_back_to_itself_printed_or_as_bare_digits()
    {
        var property = Prop.ForAll(Lines.ToArbitrary(), line =>
            ScanLine.Parse(line.ToString()) == line && ScanLine.Parse(line.Digits) == line && line.AmountDue >= Money.Zero);

        Check.One(Generators.Config, property);
    }

    private static string Grouped(string digits) => string.Join(' ', digits[..8], digits[8..18], digits[18..28], digits[28..36], digits[36..]);
}
