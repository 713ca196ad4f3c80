using FsCheck;
using FsCheck.Fluent;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Reports;

namespace OpenCIS.Tests.Properties;

public sealed class TrendProperties
{
    /// <summary>Charges and credits on a few accounts over fifteen months, and allocations between a charge and a credit of the same account.</summary>
    private static Gen<(HistoricItem[] Items, HistoricAllocation[] Allocations)> Ledger { get; } =
        from raw in Gen.ListOf(
            from account in Gen.Choose(1, 4)
            from posted in Gen.Choose(0, 450)
            from dueAfter in Gen.Choose(0, 30)
            from cents in Gen.Frequency((3, Generators.Cents(1, 90_000)), (2, Generators.Cents(-90_000, -1)))
            select (account, posted, dueAfter, cents))
        from picks in Gen.ListOf(Gen.Choose(0, 1_000))
        select Build(raw.ToArray(), picks.ToArray());

    private static (HistoricItem[], HistoricAllocation[]) Build((int Account, int Posted, int DueAfter, long Cents)[] raw, int[] picks)
    {
        var start = new DateOnly(2025, 9, 1);
        var items = raw.Select((r, i) => new HistoricItem(i + 1, r.Account, start.AddDays(r.Posted), start.AddDays(r.Posted + r.DueAfter), Money.FromCents(r.Cents))).ToArray();
        var charges = items.Where(i => i.Amount.IsPositive).ToArray();
        var credits = items.Where(i => i.Amount.IsNegative).ToArray();
        var allocations = new List<HistoricAllocation>();
        for (var p = 0; p + 1 < picks.Length && charges.Length > 0 && credits.Length > 0; p += 2)
        {
            var charge = charges[picks[p] % charges.Length];
            var credit = credits[picks[p + 1] % credits.Length];
            allocations.Add(new HistoricAllocation(charge.ItemId, credit.ItemId, Money.FromCents(1 + (picks[p] % 5_000))));
        }

        return (items, [.. allocations]);
    }

    [Fact]
    public void Each_month_ends_aging_sums_to_what_was_posted_by_then_and_ages_nothing_before_it_was_posted()
    {
        var input = from ledger in Ledger
                    from year in Gen.Choose(2025, 2027)
                    from month in Gen.Choose(1, 12)
                    select (ledger.Items, ledger.Allocations, Through: new CalendarMonth(year, month));
        var property = Prop.ForAll(input.ToArbitrary(), x =>
        {
            var months = Trends.MonthsEnding(x.Through);
            var aging = Trends.AgingAtMonthEnds(months, x.Items, x.Allocations);
            return aging.Count == months.Count
                && months.Select((m, i) => aging[i].Total == Money.Sum(x.Items.Where(item => item.PostedOn <= m.Last).Select(item => item.Amount))).All(ok => ok);
        });

        Check.One(Generators.Config, property);
    }

    [Fact]
    public void Sums_by_month_add_up_to_the_values_dated_inside_the_window()
    {
        var input = from values in Gen.ListOf(from day in Generators.Dates from value in Generators.Cents(-50_000, 50_000) select (day, value))
                    from month in Gen.Choose(1, 12)
                    select (Values: values.ToArray(), Through: new CalendarMonth(2026, month));
        var property = Prop.ForAll(input.ToArbitrary(), x =>
        {
            var months = Trends.MonthsEnding(x.Through);
            var sums = Trends.SumByMonth(months, x.Values);
            return sums.Sum() == x.Values.Where(v => v.day >= months[0].First && v.day <= months[^1].Last).Sum(v => v.value)
                && months.Select((m, i) => sums[i] == x.Values.Where(v => m.Contains(v.day)).Sum(v => v.value)).All(ok => ok);
        });

        Check.One(Generators.Config, property);
    }
}
