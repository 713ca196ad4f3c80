using System.Globalization;
using System.Text;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;

namespace OpenCIS.Core.Reports;

/// <summary>A calendar month: the unit every trend is counted in.</summary>
public readonly record struct CalendarMonth : IComparable<CalendarMonth>
{
    public CalendarMonth(int year, int month)
    {
        if (year is < 1 or > 9999 || month is < 1 or > 12)
        {
            throw new ArgumentOutOfRangeException(nameof(month), $"{year}-{month} is not a month.");
        }

        Year = year;
        Month = month;
    }

    public int Year { get; }
    public int Month { get; }

    public DateOnly First => new(Year, Month, 1);
    public DateOnly Last => First.AddMonths(1).AddDays(-1);
    public int Days => DateTime.DaysInMonth(Year, Month);

    public static CalendarMonth Of(DateOnly date) => new(date.Year, date.Month);

    public CalendarMonth AddMonths(int months) => Of(First.AddMonths(months));

    public bool Contains(DateOnly date) => date.Year == Year && date.Month == Month;

    /// <summary>The month as yyyy-MM: the labels, the CSV's first column and the <c>through</c> of the API and CLI.</summary>
    public override string ToString() => First.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>Reads yyyy-MM (a four-digit year between 1900 and 2999), nothing else.</summary>
    public static bool TryParse(string? text, out CalendarMonth month)
    {
        month = default;
        if (!DateOnly.TryParseExact((text ?? "") + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first) || first.Year is < 1900 or > 2999)
        {
            return false;
        }

        month = Of(first);
        return true;
    }

    public int CompareTo(CalendarMonth other) => First.CompareTo(other.First);
}

public enum TrendUnit
{
    /// <summary>Values are cents.</summary>
    Money,

    Count,

    /// <summary>Values are whole days.</summary>
    Days,
}

/// <summary>One line or set of bars of a chart: a value per month, null where the month has none to give (DSO with nothing billed).</summary>
public sealed record TrendSeries(string Name, IReadOnlyList<long?> Values);

/// <summary>
/// One chart of the trends dashboard: its months (oldest first) and its named series, each with one value per month in the
/// chart's unit (money in cents). The same figures are drawn, tabled, and exported as CSV and XLSX.
/// </summary>
public sealed record TrendChart(string Key, string Title, TrendUnit Unit, IReadOnlyList<CalendarMonth> Months, IReadOnlyList<TrendSeries> Series)
{
    /// <summary>
    /// A header row (<c>month</c> and each series' name), then one row per month; money in dollars with two decimals, counts and days as
    /// whole numbers, an empty cell where a series has no value; invariant culture, CRLF line ends.
    /// </summary>
    public string ToCsv()
    {
        var csv = new StringBuilder();
        csv.Append("month");
        foreach (var series in Series)
        {
            csv.Append(',').Append(Csv.Field(series.Name));
        }

        csv.Append("\r\n");
        for (var m = 0; m < Months.Count; m++)
        {
            csv.Append(Months[m].ToString());
            foreach (var series in Series)
            {
                csv.Append(',').Append(Format(series.Values[m]));
            }

            csv.Append("\r\n");
        }

        return csv.ToString();
    }

    /// <summary>A value as plain text: dollars with two decimals for money, the whole number otherwise, empty for none.</summary>
    public string Format(long? value) => value switch
    {
        null => "",
        { } cents when Unit == TrendUnit.Money => Money.FromCents(cents).ToPlainString(),
        { } number => number.ToString(CultureInfo.InvariantCulture),
    };
}

/// <summary>The pure arithmetic of the trends: months, sums by month, days sales outstanding and aging at each month end.</summary>
public static class Trends
{
    /// <summary>The trends' window: twelve months.</summary>
    public const int WindowMonths = 12;

    /// <summary>The <paramref name="count"/> months ending with <paramref name="through"/>, oldest first.</summary>
    public static IReadOnlyList<CalendarMonth> MonthsEnding(CalendarMonth through, int count = WindowMonths)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return [.. Enumerable.Range(0, count).Select(i => through.AddMonths(i - count + 1))];
    }

    /// <summary>Each month's sum of the values dated in it; values dated outside the months are left out.</summary>
    public static long[] SumByMonth(IReadOnlyList<CalendarMonth> months, IEnumerable<(DateOnly On, long Value)> values)
    {
        var sums = new long[months.Count];
        foreach (var (on, value) in values)
        {
            var index = IndexOf(months, on);
            if (index >= 0)
            {
                sums[index] = checked(sums[index] + value);
            }
        }

        return sums;
    }

    private static int IndexOf(IReadOnlyList<CalendarMonth> months, DateOnly on)
    {
        if (months.Count == 0 || on < months[0].First || on > months[^1].Last)
        {
            return -1;
        }

        return (on.Year - months[0].Year) * 12 + on.Month - months[0].Month;
    }

    /// <summary>
    /// Days sales outstanding for a period, the standard definition: receivables at the period's end ÷ credit sales (what was billed)
    /// in the period × the days in the period. It reads how many days of billing are still owed; rounded to whole days, half away from
    /// zero. Nothing billed (or a net credit) in the period gives no figure (null): the ratio would be infinite or meaningless.
    /// </summary>
    public static long? DaysSalesOutstanding(Money receivablesAtEnd, Money billedInPeriod, int daysInPeriod)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(daysInPeriod, 1);
        if (!billedInPeriod.IsPositive)
        {
            return null;
        }

        return (long)Math.Round(receivablesAtEnd.Cents * (decimal)daysInPeriod / billedInPeriod.Cents, MidpointRounding.AwayFromZero);
    }

    /// <summary>
    /// The finance aging (<see cref="PastDueBuckets"/>) at the last day of each month, rebuilt from the items and allocations posted by
    /// then (<see cref="OpenItemHistory"/>), so a month's buckets are what its aging report said on its last day. Each month's buckets
    /// sum to what its items posted by then sum to: an allocation takes the same amount off a charge and a credit.
    /// </summary>
    public static IReadOnlyList<PastDueBuckets> AgingAtMonthEnds(IReadOnlyList<CalendarMonth> months, IReadOnlyCollection<HistoricItem> items, IReadOnlyCollection<HistoricAllocation> allocations) =>
        [.. months.Select(m => PastDueBuckets.Of(OpenItemHistory.OpenOn(items, allocations, m.Last).Select(o => o.Item), m.Last))];
}
