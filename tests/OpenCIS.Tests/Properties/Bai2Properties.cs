using FsCheck;
using FsCheck.Fluent;
using OpenCIS.Core.Common;
using OpenCIS.Core.Customers;
using OpenCIS.Core.Payments;

namespace OpenCIS.Tests.Properties;

public sealed class Bai2Properties
{
    private static readonly Gen<Bai2Item> Items =
        from cents in Gen.Frequency((8, Generators.Cents(1, 50_000)), (1, Generators.Cents(1, 99_999_999)))
        from sequence in Gen.Choose(1, 9_999_999)
        from check in Gen.Choose(1000, 9999)
        select new Bai2Item(Money.FromCents(cents), AccountNumbers.Create(sequence), $"CHK{check}");

    private static readonly Gen<Bai2Account[]> Accounts =
        Gen.NonEmptyListOf(
                from number in Gen.Choose(1, 999_999)
                from items in Gen.NonEmptyListOf(Items).Select(i => i.Take(30).ToArray())
                select new Bai2Account($"555{number}", items))
            .Select(a => a.Take(8).ToArray());

    private static string Write(Bai2Account[] accounts) =>
        Bai2Writer.Write("121000248", "RIVERBEND", new DateTime(2026, 11, 20, 6, 0, 0), "1", new DateOnly(2026, 11, 19), accounts);

    [Fact]
    public void A_generated_file_reads_back_with_every_item_and_its_totals()
    {
        var property = Prop.ForAll(Accounts.ToArbitrary(), accounts =>
        {
            var file = Bai2Parser.Parse(Write(accounts)).File;
            var written = accounts.SelectMany(a => a.Items).ToList();
            return file is not null
                && file.ControlTotal == Money.Sum(written.Select(i => i.Amount))
                && file.Items.Select(i => (i.Amount, i.CustomerReference, i.BankReference)).SequenceEqual(written.Select(i => (i.Amount, i.CustomerReference, i.BankReference)));
        });

        Check.One(Generators.Config, property);
    }

    [Fact]
    public void Changing_any_one_item_amount_breaks_a_control_total()
    {
        var cases =
            from accounts in Accounts
            from pick in Gen.Choose(0, int.MaxValue)
            from change in Gen.Frequency((3, Generators.Cents(1, 999)), (1, Generators.Cents(1_000, 10_000_000)))
            select (accounts, pick, change);

        var property = Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var lines = Write(c.accounts).Split('\n');
            var detailLines = lines.Select((line, index) => (line, index)).Where(l => l.line.StartsWith("16,", StringComparison.Ordinal)).ToList();
            var (line, index) = detailLines[c.pick % detailLines.Count];
            var fields = line.Split(',');
            var cents = long.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture);
            fields[2] = (cents + c.change).ToString(System.Globalization.CultureInfo.InvariantCulture);
            lines[index] = string.Join(',', fields);

            var result = Bai2Parser.Parse(string.Join('\n', lines));
            var trailer = lines.Select((l, i) => (l, i)).First(l => l.i > index && l.l.StartsWith("49,", StringComparison.Ordinal)).i + 1;
            return result.File is null && result.Errors.Any(e => e.Record == trailer && e.Field == "account control total");
        });

        Check.One(Generators.Config, property);
    }
}
