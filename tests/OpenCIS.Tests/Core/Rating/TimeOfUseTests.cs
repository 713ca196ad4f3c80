using System.Collections.Immutable;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Metering;
using OpenCIS.Core.Rating;

namespace OpenCIS.Tests.Core.Rating;

/// <summary>Time-of-use registers summed from interval days, demand from the highest interval, and dated values for a period.</summary>
public sealed class TimeOfUseTests
{
    /// <summary>On-peak 14:00-19:00 on summer weekdays (June to September), off-peak every other hour; NERC holidays are off-peak.</summary>
    private static readonly RegisterCharge Energy = new("E", "Energy", Unit.Kwh, ImmutableDictionary<string, decimal>.Empty.Add("ON", 0.25m).Add("OFF", 0.08m))
    {
        TimeOfUse = [new TimeOfUsePeriod("ON", 14, 19, [DayType.Weekday], [6, 7, 8, 9])],
        OtherHours = "OFF",
        Holidays = TimeOfUseHolidays.Nerc,
    };

    /// <summary>A day using 1 kWh every hour, except <paramref name="peakHour"/> at 3 kWh (as four 15-minute reads, one of 1.5 kWh).</summary>
    private static IntervalDay Day(DateOnly day, int peakHour = 15)
    {
        var reads = new List<IntervalRead>();
        for (var hour = 0; hour < 24; hour++)
        {
            for (var quarter = 0; quarter < 4; quarter++)
            {
                var value = hour == peakHour ? (quarter == 2 ? 1.5m : 0.5m) : 0.25m;
                reads.Add(new IntervalRead(day.ToDateTime(new TimeOnly(hour, quarter * 15)), 15, value));
            }
        }

        return IntervalDay.FromReads(reads, Unit.Kwh).Single();
    }

    private static ImmutableArray<IntervalDay> Days(DateOnly from, DateOnly to) =>
        [.. Enumerable.Range(0, to.DayNumber - from.DayNumber + 1).Select(i => Day(from.AddDays(i)))];

    [Fact]
    public void Interval_reads_are_summed_by_clock_hour_and_the_peak_is_the_largest_interval_per_hour()
    {
        var day = Day(new DateOnly(2026, 7, 15));
        Assert.Equal(24, day.Hours.Length);
        Assert.Equal(3m, day.Hours[15]);
        Assert.Equal(1m, day.Hours[3]);
        Assert.Equal(26m, day.Total);
        Assert.Equal(6m, day.PeakDemand); // 1.5 kWh in 15 minutes is 6 kW
        Assert.Equal((15 * 60) + 30, day.PeakMinute);
    }

    [Fact]
    public void On_peak_hours_are_summer_weekdays_from_two_to_seven_and_a_nerc_holiday_is_off_peak()
    {
        // July 2026: 23 weekdays, one of them Independence Day observed? July 4 is a Saturday: NERC does not move it.
        var period = new BillingPeriod(new DateOnly(2026, 7, 1), new DateOnly(2026, 7, 31));
        var registers = TimeOfUse.Registers(Energy, Days(period.Start, period.End), period);
        // Each weekday's 14-19 hours: 4 hours at 1 kWh and the peak hour at 3 = 7 kWh on-peak.
        Assert.Equal(23 * 7m, registers["ON"]);
        Assert.Equal((31 * 26m) - (23 * 7m), registers["OFF"]);

        var september = new BillingPeriod(new DateOnly(2026, 9, 1), new DateOnly(2026, 9, 30));
        // Labor Day (September 7) is a weekday holiday: 22 weekdays less one.
        Assert.Equal(21 * 7m, TimeOfUse.Registers(Energy, Days(september.Start, september.End), september)["ON"]);
    }

    [Fact]
    public void Registers_rated_from_intervals_say_where_their_use_came_from()
    {
        var period = new BillingPeriod(new DateOnly(2026, 7, 1), new DateOnly(2026, 7, 31));
        var input = new RatingInput(period, new Quantity(806m, Unit.Kwh), null, 0) { Intervals = Days(period.Start, period.End) };
        var lines = RatingEngine.Rate(new Tariff("E-TOU", "Time of use", new DateOnly(2026, 1, 1), [Energy]), input, UnitConversion.Default);
        Assert.Equal(["E-OFF $51.60", "E-ON $40.25"], lines.Select(l => $"{l.Code} {l.Amount}"));
        Assert.StartsWith("ON hours of 31 days of interval reads (14:00-19:00 weekday, months 6,7,8,9). ON: 161 kWh x $0.25 = $40.25", lines[1].Trace, StringComparison.Ordinal);
        Assert.Contains("all other hours", lines[0].Trace, StringComparison.Ordinal);
    }

    [Fact]
    public void A_period_missing_a_day_of_intervals_is_an_error_naming_the_days()
    {
        var period = new BillingPeriod(new DateOnly(2026, 7, 1), new DateOnly(2026, 7, 31));
        var days = Days(period.Start, period.End).RemoveAt(9).RemoveAt(9);
        var input = new RatingInput(period, new Quantity(806m, Unit.Kwh), null, 0) { Intervals = days };
        var problem = Assert.Throws<DomainException>(() => RatingEngine.Rate(new Tariff("E-TOU", "Time of use", new DateOnly(2026, 1, 1), [Energy]), input, UnitConversion.Default));
        Assert.Equal("intervals", problem.Field);
        Assert.Contains("2 days have none (2026-07-10, 2026-07-11)", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Demand_without_a_demand_read_is_the_highest_interval_and_says_when()
    {
        var period = new BillingPeriod(new DateOnly(2026, 7, 1), new DateOnly(2026, 7, 31));
        var days = Days(period.Start, period.End).SetItem(13, Day(new DateOnly(2026, 7, 14), peakHour: 17) with { PeakDemand = 48.2m, PeakMinute = (17 * 60) + 15 });
        var charge = new DemandCharge("D", "Demand", Unit.Kw, [new Block(null, 9m)]);
        var input = new RatingInput(period, null, null, 0) { Intervals = days };
        var (billing, note) = RatingEngine.BillingDemand(charge, input);
        Assert.Equal(48.2m, billing);
        Assert.StartsWith("Highest interval demand 48.2 kW on 2026-07-14 at 17:15. ", note, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_that_changed_during_the_period_is_weighted_by_its_days()
    {
        var values = new[] { new RateValue("PPA", new DateOnly(2026, 6, 1), 0.010m), new RateValue("PPA", new DateOnly(2026, 7, 11), 0.013m) };
        var july = new BillingPeriod(new DateOnly(2026, 7, 1), new DateOnly(2026, 7, 30));
        var value = RateValues.ForPeriod(values, july)!;
        Assert.Equal(0.012m, value.Value);
        Assert.Equal("PPA changed during the period: (0.01 x 10 days + 0.013 x 20 days) / 30 days = 0.012. ", value.Note);

        Assert.Equal(new PeriodValue(0.013m, ""), RateValues.ForPeriod(values, new BillingPeriod(new DateOnly(2026, 8, 1), new DateOnly(2026, 8, 31))));
        Assert.Null(RateValues.ForPeriod(values, new BillingPeriod(new DateOnly(2026, 5, 20), new DateOnly(2026, 6, 19))));
    }

    [Fact]
    public void The_planner_gives_a_rider_its_period_value_and_a_ratchet_its_prior_bills()
    {
        var tariff = new Tariff("GS", "General service", new DateOnly(2026, 1, 1), [
            new RiderCharge("PPA", "Purchased power", "PPA", Unit.Kwh),
            new DemandCharge("D", "Demand", Unit.Kw, [new Block(null, 9m)]) { Ratchet = new DemandRatchet(80m, 11) },
        ]);
        var versions = new Catalog(tariff, [new RateValue("PPA", new DateOnly(2026, 6, 1), 0.010m), new RateValue("PPA", new DateOnly(2026, 7, 11), 0.013m)]);
        var agreement = new AgreementFact(new ServiceAgreementId(1), Service.Electric, "GS", 0, null, null, [])
        {
            Facts = new ServiceFacts
            {
                DemandHistory = [new BilledDemand(new DateOnly(2025, 7, 31), 500m), new BilledDemand(new DateOnly(2026, 6, 30), 90m), new BilledDemand(new DateOnly(2026, 1, 31), 120m)],
            },
        };
        var facts = new AccountFacts(new AccountId(7), new DateOnly(2020, 1, 1), [agreement], new LastBillFact(new DateOnly(2026, 6, 30), []));
        var plan = BillingPlanner.Plan(facts, new PlanningRequest(BillPlanKind.Regular, new DateOnly(2026, 7, 20), new DateOnly(2026, 7, 30)), versions);
        var inputs = plan.Input!.Agreements.Single().Inputs!;
        Assert.Equal(0.012m, inputs.Riders["PPA"]);
        Assert.Contains("PPA changed during the period", inputs.ValueNotes["PPA"], StringComparison.Ordinal);
        // Eleven months back from July 1: the bill of July 2025 is out of the ratchet's reach.
        Assert.Equal([90m, 120m], inputs.DemandHistory.ToArray());
    }

    /// <summary>A day of the same 26 kWh with <paramref name="kvarhPerHour"/> of reactive energy every hour.</summary>
    private static IntervalDay ReactiveDay(DateOnly day, decimal kvarhPerHour) =>
        new(day, Unit.Kvarh, [.. Enumerable.Repeat(kvarhPerHour, 24)], kvarhPerHour, 0);

    [Fact]
    public void The_power_factor_is_the_periods_kwh_over_its_apparent_energy_rounded_to_three_places()
    {
        var period = new BillingPeriod(new DateOnly(2026, 7, 1), new DateOnly(2026, 7, 30));
        var kwh = Days(period.Start, period.End);
        // 30 days of 26 kWh (780 kWh) and 0.75 kvarh an hour (540 kvarh): 780 / √(780² + 540²) = 0.8222...
        var days = kwh.AddRange(kwh.Select(d => ReactiveDay(d.Day, 0.75m)));
        var measured = PowerFactors.FromIntervals(days, period);
        Assert.Equal(0.822m, measured.Factor);
        Assert.Equal("Power factor 0.822 = 780 kWh / √(780² kWh + 540² kvarh), from 30 days of interval reads. ", measured.Note);

        // Reactive energy in varh converts; a day without it leaves the factor unknown, naming the day.
        Assert.Equal(0.822m, PowerFactors.FromIntervals(kwh.AddRange(kwh.Select(d => new IntervalDay(d.Day, Unit.Varh, [.. Enumerable.Repeat(750m, 24)], 0m, 0))), period).Factor);
        var gap = PowerFactors.FromIntervals(kwh.AddRange(kwh.Where(d => d.Day.Day != 12).Select(d => ReactiveDay(d.Day, 0.75m))), period);
        Assert.Null(gap.Factor);
        Assert.Equal("no reactive energy (kvarh) interval reads for 1 day of 2026-07-01 to 2026-07-30 (2026-07-12)", gap.Note);

        // No energy at all: nothing to adjust.
        var idle = period.Start;
        Assert.Equal(1m, PowerFactors.FromIntervals([new IntervalDay(idle, Unit.Kwh, [.. new decimal[24]], 0m, 0), new IntervalDay(idle, Unit.Kvarh, [.. new decimal[24]], 0m, 0)], new BillingPeriod(idle, idle)).Factor);
    }

    [Fact]
    public void The_planner_measures_a_demand_charges_power_factor_from_kvarh_days_and_rating_names_them_when_missing()
    {
        var tariff = new Tariff("GS", "General service", new DateOnly(2026, 1, 1), [
            new DemandCharge("D", "Demand", Unit.Kw, [new Block(null, 10m)]) { PowerFactorTarget = 0.90m },
        ]);
        var versions = new Catalog(tariff, []);
        var period = new BillingPeriod(new DateOnly(2026, 7, 1), new DateOnly(2026, 7, 30));
        var kwh = Days(period.Start, period.End);
        ChargeLine Rate(ImmutableArray<IntervalDay> days)
        {
            var agreement = new AgreementFact(new ServiceAgreementId(1), Service.Electric, "GS", 0, null, null, []) { Facts = new ServiceFacts { Intervals = days } };
            var facts = new AccountFacts(new AccountId(7), new DateOnly(2020, 1, 1), [agreement], new LastBillFact(new DateOnly(2026, 6, 30), []));
            var plan = BillingPlanner.Plan(facts, new PlanningRequest(BillPlanKind.Regular, new DateOnly(2026, 7, 20), new DateOnly(2026, 7, 30)), versions);
            var inputs = plan.Input!.Agreements.Single().Inputs!;
            // Registers and demand see only the real energy.
            Assert.All(inputs.Intervals, d => Assert.Equal(Unit.Kwh, d.Unit));
            return RatingEngine.Rate(tariff, inputs, UnitConversion.Default).Single();
        }

        // 6 kW at 0.822 against 0.90 bills 6 x 0.9 / 0.822 = 6.569343... kW.
        var line = Rate(kwh.AddRange(kwh.Select(d => ReactiveDay(d.Day, 0.75m))));
        Assert.StartsWith("Highest interval demand 6 kW on 2026-07-01 at 15:30. Power factor 0.822 = 780 kWh / √(780² kWh + 540² kvarh), from 30 days of interval reads. Billing demand: actual 6 kW x 0.9 target / 0.822 power factor", line.Trace, StringComparison.Ordinal);
        Assert.Equal(Money.FromCents(6569), line.Amount);

        // Above the target: billed as read, and the trace still says where the factor came from.
        var good = Rate(kwh.AddRange(kwh.Select(d => ReactiveDay(d.Day, 0.2m))));
        Assert.Equal(Money.FromCents(6000), good.Amount);
        Assert.Contains("Power factor 0.983 = ", good.Trace, StringComparison.Ordinal);

        // No kvarh days: the account cannot be rated, and the error names what is missing.
        var missing = Assert.Throws<DomainException>(() => Rate(kwh));
        Assert.Equal("Charge D adjusts for power factor, and the service has none: no reactive energy (kvarh) interval reads for 30 days of 2026-07-01 to 2026-07-30 (2026-07-01, 2026-07-02, 2026-07-03, 2026-07-04, 2026-07-05, ...).", missing.Message);
    }

    private sealed class Catalog(Tariff tariff, IReadOnlyList<RateValue> values) : ITariffVersions
    {
        public Tariff? InForce(string code, DateOnly on) => code == tariff.Code && on >= tariff.EffectiveFrom ? tariff : null;

        public IReadOnlyList<Tariff> During(string code, DateOnly start, DateOnly end) => InForce(code, end) is { } t ? [t] : [];

        public IReadOnlyList<RateValue> ValuesOf(string name) => [.. values.Where(v => v.Name == name)];
    }
}
