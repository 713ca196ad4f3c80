using FsCheck;
using FsCheck.Fluent;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;

namespace OpenCIS.Tests.Properties;

public sealed class DrawerProperties
{
    private static readonly Gen<TenderPart> Parts =
        from tender in Gen.Elements(Enum.GetValues<Tender>())
        from cents in Generators.Cents(1, 500_000)
        select tender == Tender.Card
            ? new TenderPart(tender, Money.FromCents(cents), CardToken: "tok", CardLastFour: "4242")
            : new TenderPart(tender, Money.FromCents(cents));

    /// <summary>A payment: its tenders, and how much of what was tendered is applied (the rest is cash change).</summary>
    private static readonly Gen<(Money Applied, TenderPart[] Parts)> Payments =
        from parts in Gen.NonEmptyListOf(Parts).Select(p => p.Take(DrawerRules.TenderPartsMax).ToArray())
        from changeShare in Gen.Choose(0, 100)
        let cash = parts.Where(p => p.Tender == Tender.Cash).Sum(p => p.Amount.Cents)
        let tendered = parts.Sum(p => p.Amount.Cents)
        let change = Math.Min(cash * changeShare / 100, tendered - 1)
        select (Money.FromCents(tendered - change), parts);

    private static readonly Gen<Dictionary<Tender, Money>> Counts =
        from amounts in Gen.ArrayOf(Generators.Cents(0, 5_000_000), Enum.GetValues<Tender>().Length)
        select Enum.GetValues<Tender>().Zip(amounts).ToDictionary(x => x.First, x => Money.FromCents(x.Second));

    [Fact]
    public void Over_short_is_counted_minus_expected_for_any_sequence_of_payments()
    {
        var cases =
            from startingFloat in Generators.Cents(0, 100_000)
            from payments in Gen.ListOf(Payments).Select(p => p.Take(40).ToArray())
            from counted in Counts
            select (startingFloat, payments, counted);

        var property = Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var decided = c.payments.Select(p => DrawerRules.DecideTender(p.Applied, p.Parts)).ToList();
            var expected = DrawerRules.ExpectedTotals(Money.FromCents(c.startingFloat), decided.SelectMany(p => p.Kept));
            var balance = DrawerRules.Balance(expected, c.counted);

            // The oracle: the float plus what was applied, from first principles, with change out of the cash.
            var expectedTotal = c.startingFloat + c.payments.Sum(p => p.Applied.Cents);
            var countedTotal = c.counted.Values.Sum(m => m.Cents);
            return balance.Total.Cents == countedTotal - expectedTotal
                && DrawerRules.AllTenders.All(t => balance.OverShort[t] == c.counted[t] - expected[t])
                && decided.All(p => p.ChangeDue == p.Tendered - p.Applied && Money.Sum(p.Kept.Select(k => k.Amount)) == p.Applied)
                && balance.HasDifference == DrawerRules.AllTenders.Any(t => c.counted[t] != expected[t]);
        });

        Check.One(Generators.Config, property);
    }
}
