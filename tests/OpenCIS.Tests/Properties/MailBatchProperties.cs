using FsCheck;
using FsCheck.Fluent;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Customers;
using OpenCIS.Core.Payments;

namespace OpenCIS.Tests.Properties;

/// <summary>What a mail batch accepts when a clerk keys a stub: never a line with one digit mistyped.</summary>
public sealed class MailBatchProperties
{
    private static readonly Gen<ScanLine> Lines =
        from sequence in Gen.Choose(1, 9_999_999)
        from billNumber in Generators.Cents(1, ScanLine.MaxBillNumber)
        from amountCents in Generators.Cents(1, 5_000_000)
        from dueDate in Gen.Choose(0, 20_000).Select(d => new DateOnly(2000, 1, 1).AddDays(d))
        select ScanLine.For(AccountNumbers.Create(sequence), billNumber, Money.FromCents(amountCents), dueDate);

    [Fact]
    public void Any_single_digit_mistyped_anywhere_on_a_valid_line_is_refused_by_the_batch()
    {
        var cases =
            from line in Lines
            from position in Gen.Choose(0, ScanLine.DigitCount - 1)
            from shift in Gen.Choose(1, 9)
            from grouped in Gen.Elements(false, true)
            select (line, position, shift, grouped);

        var property = Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var digits = c.line.Digits.ToCharArray();
            digits[c.position] = (char)('0' + ((digits[c.position] - '0' + c.shift) % 10));
            var keyed = new string(digits);
            var text = c.grouped ? string.Join(' ', keyed[..8], keyed[8..18], keyed[18..28], keyed[28..36], keyed[36..]) : keyed;
            try
            {
                MailBatchRules.ReadStub(text, null, null);
                return false;
            }
            catch (DomainException refused)
            {
                return refused.Field == "scanLine";
            }
        });

        Check.One(Generators.Config, property);
    }

    [Fact]
    public void A_valid_line_is_accepted_with_the_amount_due_unless_the_clerk_keys_another_amount()
    {
        var property = Prop.ForAll(Lines.ToArbitrary(), Generators.Cents(1, 1_000_000).ToArbitrary(), (line, keyedCents) =>
        {
            var asDue = MailBatchRules.ReadStub(line.ToString(), null, " 1234 ");
            var keyed = MailBatchRules.ReadStub(line.Digits, Money.FromCents(keyedCents), null);
            return asDue.Line == line && asDue.AmountReceived == line.AmountDue && asDue.CheckNumber == "1234"
                && keyed.AmountReceived == Money.FromCents(keyedCents) && keyed.CheckNumber is null;
        });

        Check.One(Generators.Config, property);
    }

    [Fact]
    public void A_batch_balances_exactly_when_count_and_total_both_match_the_tape()
    {
        var property = Prop.ForAll(Generators.Cents(1, 100_000).ListOf().ToArbitrary(), Gen.Choose(-2, 2).ToArbitrary(), Generators.Cents(-500, 500).ToArbitrary(), (amounts, countOff, totalOff) =>
        {
            var keyed = amounts.Select(Money.FromCents).ToList();
            var balance = MailBatchRules.Balance(keyed.Count + countOff, Money.Sum(keyed) + Money.FromCents(totalOff), keyed);
            return balance.Balances == (countOff == 0 && totalOff == 0);
        });

        Check.One(Generators.Config, property);
    }
}
