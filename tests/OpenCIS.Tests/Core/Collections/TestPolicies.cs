using System.Collections.Immutable;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Collections;
using OpenCIS.Core.Common;

namespace OpenCIS.Tests.Core.Collections;

/// <summary>Collection policies and accounts written out in the tests, so a change to an example file cannot change what a test expects.</summary>
public static class TestPolicies
{
    public static Money Dollars(decimal dollars) => Money.Round(dollars);

    public static DateOnly D(int year, int month, int day) => new(year, month, day);

    /// <summary>10% of the past due, no grace, nothing under $5.00; municipal exempt.</summary>
    public static LateChargeRule TenPercent { get; } = new(LateChargeForm.Percent, 10m, Money.Zero, null, null, Dollars(5m), 0, ["municipal"]);

    /// <summary>
    /// Reminder at 1 day, final notice at 10 days (10 days' notice), door hanger at 20 days (2 days' notice,
    /// $15 fee), disconnect at 22 days with $50 past due; every protection on, Fridays, weekends, holidays and
    /// the day before a holiday forbidden, a winter moratorium for residential accounts from Dec 15 to Feb 28.
    /// </summary>
    public static CollectionPolicy Standard { get; } = new(
        "TEST", "Test policy", D(2026, 1, 1), [], [],
        TenPercent,
        [
            new CollectionStep(StepKind.Reminder, 1, Dollars(5m)),
            new CollectionStep(StepKind.FinalNotice, 10, Dollars(50m), new NoticePeriod(10, false)),
            new CollectionStep(StepKind.DoorHanger, 20, Dollars(50m), new NoticePeriod(2, false)),
            new CollectionStep(StepKind.DisconnectEligible, 22, Dollars(50m)),
        ],
        new CollectionFees(Dollars(15m), Dollars(25m), Dollars(25m), Dollars(50m), Dollars(75m)),
        new ArrangementLimits(25m, 6, Dollars(50m), Dollars(5000m), 2, 5, StepKind.DisconnectEligible),
        new ProtectionRules(
            true, 2, true, [new Moratorium("Winter", 12, 15, 2, 28, ["residential"])], 20, 105,
            NoDisconnectDays.Fridays | NoDisconnectDays.Weekends | NoDisconnectDays.Holidays | NoDisconnectDays.DayBeforeHoliday,
            true, true, true, true, Dollars(50m), ["municipal"], 10));

    /// <summary>A residential account with one $200.00 bill dated 2 Mar 2026, due 23 Mar 2026 (a Monday), and nothing else.</summary>
    public static CollectionAccount OneBill { get; } = new(
        "residential", "utility", [new CollectionBill("B1", D(2026, 3, 2), Dollars(200m), D(2026, 3, 23))], [], AccountProtections.None, [], []);

    public static ImmutableArray<CollectionEvent> Run(CollectionPolicy policy, CollectionAccount account, DateOnly from, DateOnly to, params DailyTemperature[] temperatures) =>
        CollectionTimeline.Run(policy, account, CollectionCalendar.For(HolidayCalendar.UsFederal, from, to, temperatures), from, to);
}
