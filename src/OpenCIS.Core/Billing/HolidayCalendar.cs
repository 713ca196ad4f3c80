namespace OpenCIS.Core.Billing;

/// <summary>How a holiday falls in a year.</summary>
public abstract record HolidayRule
{
    public abstract DateOnly In(int year);

    /// <summary>A fixed date; when <paramref name="Observed"/>, a Saturday holiday is kept on the Friday before and a Sunday one on the Monday after.</summary>
    public sealed record Fixed(int Month, int Day, bool Observed = true) : HolidayRule
    {
        public override DateOnly In(int year)
        {
            var date = new DateOnly(year, Month, Day);
            return !Observed ? date : date.DayOfWeek switch
            {
                DayOfWeek.Saturday => date.AddDays(-1),
                DayOfWeek.Sunday => date.AddDays(1),
                _ => date,
            };
        }
    }

    /// <summary>A fixed date kept on the Monday after when it falls on a Sunday, and on the day itself otherwise (the NERC rule).</summary>
    public sealed record SundayToMonday(int Month, int Day) : HolidayRule
    {
        public override DateOnly In(int year)
        {
            var date = new DateOnly(year, Month, Day);
            return date.DayOfWeek == DayOfWeek.Sunday ? date.AddDays(1) : date;
        }
    }

    /// <summary>The <paramref name="Nth"/> given weekday of a month (the third Monday of January).</summary>
    public sealed record NthWeekday(int Month, DayOfWeek Weekday, int Nth) : HolidayRule
    {
        public override DateOnly In(int year)
        {
            var first = new DateOnly(year, Month, 1);
            var offset = ((int)Weekday - (int)first.DayOfWeek + 7) % 7;
            return first.AddDays(offset + (7 * (Nth - 1)));
        }
    }

    /// <summary>The last given weekday of a month (the last Monday of May).</summary>
    public sealed record LastWeekday(int Month, DayOfWeek Weekday) : HolidayRule
    {
        public override DateOnly In(int year)
        {
            var last = new DateOnly(year, Month, DateTime.DaysInMonth(year, Month));
            return last.AddDays(-(((int)last.DayOfWeek - (int)Weekday + 7) % 7));
        }
    }

    /// <summary>One given date, kept once: a day the city declares closed (the day after Thanksgiving 2026).</summary>
    public sealed record OneOff(DateOnly Date) : HolidayRule
    {
        /// <summary>The date itself, whatever the year asked: the calendar keeps only the dates that fall in the year it lists.</summary>
        public override DateOnly In(int year) => Date;
    }
}

/// <summary>The days a utility's offices are closed besides weekends, by rule, for any year.</summary>
public sealed class HolidayCalendar(IReadOnlyList<(string Name, HolidayRule Rule)> holidays)
{
    private readonly IReadOnlyList<(string Name, HolidayRule Rule)> holidays = holidays;

    /// <summary>The eleven United States federal holidays, kept on the observed day.</summary>
    public static readonly HolidayCalendar UsFederal = new(
    [
        ("New Year's Day", new HolidayRule.Fixed(1, 1)),
        ("Birthday of Martin Luther King, Jr.", new HolidayRule.NthWeekday(1, DayOfWeek.Monday, 3)),
        ("Washington's Birthday", new HolidayRule.NthWeekday(2, DayOfWeek.Monday, 3)),
        ("Memorial Day", new HolidayRule.LastWeekday(5, DayOfWeek.Monday)),
        ("Juneteenth National Independence Day", new HolidayRule.Fixed(6, 19)),
        ("Independence Day", new HolidayRule.Fixed(7, 4)),
        ("Labor Day", new HolidayRule.NthWeekday(9, DayOfWeek.Monday, 1)),
        ("Columbus Day", new HolidayRule.NthWeekday(10, DayOfWeek.Monday, 2)),
        ("Veterans Day", new HolidayRule.Fixed(11, 11)),
        ("Thanksgiving Day", new HolidayRule.NthWeekday(11, DayOfWeek.Thursday, 4)),
        ("Christmas Day", new HolidayRule.Fixed(12, 25)),
    ]);

    /// <summary>
    /// The six holidays the North American Electric Reliability Corporation keeps off-peak, and electric time-of-use tariffs
    /// with it: a Sunday holiday is kept on the Monday after, a Saturday one is not moved.
    /// </summary>
    public static readonly HolidayCalendar Nerc = new(
    [
        ("New Year's Day", new HolidayRule.SundayToMonday(1, 1)),
        ("Memorial Day", new HolidayRule.LastWeekday(5, DayOfWeek.Monday)),
        ("Independence Day", new HolidayRule.SundayToMonday(7, 4)),
        ("Labor Day", new HolidayRule.NthWeekday(9, DayOfWeek.Monday, 1)),
        ("Thanksgiving Day", new HolidayRule.NthWeekday(11, DayOfWeek.Thursday, 4)),
        ("Christmas Day", new HolidayRule.SundayToMonday(12, 25)),
    ]);

    /// <summary>No holidays: only weekends are closed.</summary>
    public static readonly HolidayCalendar None = new([]);

    public const string UsFederalName = "US-Federal";
    public const string NoneName = "None";

    /// <summary>The named rule sets a cycle can keep, and a utility's own dated holidays are added to.</summary>
    public static readonly IReadOnlyList<string> RuleSets = [UsFederalName, NoneName];

    /// <summary>
    /// A calendar from a named rule set (<c>US-Federal</c> or <c>None</c>) plus the utility's own dated holidays.
    /// An unknown rule set is refused rather than read as "no holidays": a typo would otherwise move every due date.
    /// </summary>
    public static HolidayCalendar Named(string ruleSet, IEnumerable<(DateOnly Date, string Name)> ownHolidays)
    {
        var rules = ruleSet switch
        {
            UsFederalName => UsFederal.holidays,
            NoneName => None.holidays,
            _ => throw new Common.DomainException($"'{ruleSet}' is not a holiday calendar; use one of {string.Join(", ", RuleSets)}.", "holidayCalendar"),
        };
        return new([.. rules, .. ownHolidays.Select(h => (h.Name, (HolidayRule)new HolidayRule.OneOff(h.Date)))]);
    }

    /// <summary>The holidays kept in <paramref name="year"/>, in date order. A New Year's Day kept on the Friday before falls in the year before.</summary>
    public IReadOnlyList<(DateOnly Date, string Name)> In(int year) =>
        [.. holidays.SelectMany(h => new[] { (Date: h.Rule.In(year), h.Name), (Date: h.Rule.In(year + 1), h.Name) })
            .Where(h => h.Date.Year == year).Distinct().OrderBy(h => h.Date)];

    public string? HolidayOn(DateOnly date) =>
        holidays.Select(h => (h.Name, Kept: new[] { h.Rule.In(date.Year), h.Rule.In(date.Year + 1) }))
            .Where(h => h.Kept.Contains(date)).Select(h => h.Name).FirstOrDefault();

    public bool IsBusinessDay(DateOnly date) => date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && HolidayOn(date) is null;

    /// <summary>
    /// A bill's due date: <paramref name="days"/> after the bill date, moved forward to the next
    /// business day when it falls on a weekend or a holiday.
    /// </summary>
    public DateOnly DueDate(DateOnly billDate, int days)
    {
        var due = billDate.AddDays(days);
        while (!IsBusinessDay(due))
        {
            due = due.AddDays(1);
        }

        return due;
    }
}
