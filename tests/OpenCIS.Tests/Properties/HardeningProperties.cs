using FsCheck;
using FsCheck.Fluent;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;

namespace OpenCIS.Tests.Properties;

/// <summary>Invariants behind the hardening findings: CSV text never becomes a formula; card numbers are caught wherever they sit.</summary>
public sealed class HardeningProperties
{
    private static readonly Gen<string> Texts =
        Gen.Elements("=", "+", "-", "@", "\t", "\r", "a", "\"", ",", "\n", " ", "1", "HYPERLINK(", "'", "=cmd|' /C calc'!A0").ListOf().Select(parts => string.Concat(parts));

    [Fact]
    public void A_csv_field_reads_back_as_its_text_and_never_as_a_formula()
    {
        var property = Prop.ForAll(Texts.ToArbitrary(), text =>
        {
            var line = Csv.Field(text) + "," + Csv.Field("next") + "\r\n";
            var record = Assert.Single(Rows(line));
            var back = record[0];
            Assert.Equal("next", record[1]);
            Assert.False(back.Length > 0 && back[0] is '=' or '+' or '-' or '@' or '\t' or '\r', $"'{back}' starts a formula");
            Assert.Equal(text, back.Length > 0 && back[0] == '\'' && text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? back[1..] : back);
        });
        Check.One(Generators.Config, property);
    }

    [Fact]
    public void Any_valid_card_number_is_caught_however_it_is_spaced_and_whatever_surrounds_it()
    {
        var cards =
            from body in Gen.Choose(0, 9).ArrayOf(15)
            from prefix in Gen.Elements("", "card ", "ref:", "#")
            from separator in Gen.Elements("", " ", "-")
            select (body, prefix, separator);
        var property = Prop.ForAll(cards.ToArbitrary(), c =>
        {
            var digits = string.Concat(c.body.Select(d => (char)('0' + d)));
            var number = digits + OpenCIS.Core.Customers.AccountNumbers.LuhnCheckDigit(digits);
            var spaced = string.Join(c.separator, Enumerable.Range(0, 4).Select(i => number.Substring(i * 4, 4)));
            Assert.True(CardNumbers.LooksLikeCardNumber(c.prefix + spaced + " exp 12/29"), spaced);
        });
        Check.One(Generators.Config, property);
    }

    /// <summary>The records of a CSV text as CsvHelper reads them (no header, nothing trimmed).</summary>
    internal static List<string[]> Rows(string text)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text));
        using var csv = CsvHelper.CsvReader.Create(stream, new CsvHelper.CsvReaderOptions { HasHeader = false, Separator = ',' }, true);
        var rows = new List<string[]>();
        while (csv.Read())
        {
            rows.Add([.. Enumerable.Range(0, csv.FieldCount).Select(i => csv.GetString(i))]);
        }

        return rows;
    }
}
