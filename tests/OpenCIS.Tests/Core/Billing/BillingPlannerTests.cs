using System.Collections.Immutable;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Metering;
using OpenCIS.Core.Rating;
using OpenCIS.Tests.Core.Rating;

namespace OpenCIS.Tests.Core.Billing;

/// <summary>The one planner every bill goes through: what period a bill covers and which reads it measures.</summary>
public sealed class BillingPlannerTests
{
    private static readonly DateOnly OpenedOn = new(2026, 1, 10);
    private static readonly MeterRegister OldRegister = new("W0000001", 6, 1m, Unit.Gallons);
    private static readonly MeterRegister NewRegister = new("W0000002", 6, 1m, Unit.Gallons);

    private sealed class Tariffs : ITariffVersions
    {
        public Tariff? InForce(string code, DateOnly on) => code == "W" ? TestTariffs.ResidentialWater : null;

        public IReadOnlyList<Tariff> During(string code, DateOnly start, DateOnly end) => InForce(code, end) is { } t ? [t] : [];
    }

    private static ReadFact Read(int id, DateOnly on, long reading, ReadStatus status = ReadStatus.Valid) => new(id, on, reading, status);

    private static AccountFacts Account(MeterFact meter, LastBillFact? lastBill = null, params RemovedMeterFact[] removed) =>
        new(new AccountId(1), OpenedOn, [new AgreementFact(new ServiceAgreementId(5), Service.Water, "W", 0, null, meter, [.. removed])], lastBill);

    private static PlanningRequest Regular(DateOnly from, DateOnly to) => new(BillPlanKind.Regular, from, to);

    [Fact]
    public void A_first_bill_starts_the_day_after_the_first_read_whether_the_run_or_a_final_bill_plans_it()
    {
        var meter = new MeterFact("W0000001", "5/8\"", OldRegister, [Read(1, OpenedOn, 100), Read(2, new(2026, 2, 10), 3_100), Read(3, new(2026, 3, 10), 6_100)]);

        var run = BillingPlanner.Plan(Account(meter), Regular(new(2026, 3, 1), new(2026, 3, 12)), new Tariffs());
        var final = BillingPlanner.Plan(Account(meter), new PlanningRequest(BillPlanKind.Final, new(2026, 3, 1), new(2026, 3, 10)), new Tariffs());

        // Never billed: every unit since the meter was set (100 -> 6,100) and the period from the day after that read.
        Assert.Equal(new BillingPeriod(new(2026, 1, 11), new(2026, 3, 10)), run.Input!.Period);
        Assert.Equal(run.Input.Period, final.Input!.Period);
        Assert.Equal((100L, 6_100L), (run.Input.Agreements[0].Reads!.PreviousReading, run.Input.Agreements[0].Reads!.PresentReading));
        Assert.Equal(run.Input.Agreements[0].Reads, final.Input.Agreements[0].Reads);
    }

    [Fact]
    public void A_meter_exchanged_in_the_period_is_billed_with_the_present_one_on_a_final_bill_as_on_a_regular_one()
    {
        var lastBill = new LastBillFact(new(2026, 3, 10), [new BilledRead(new ServiceAgreementId(5), "W0000001", 6_100, new(2026, 3, 10))]);
        var removed = new RemovedMeterFact(new MeterFact("W0000001", "5/8\"", OldRegister, [Read(3, new(2026, 3, 10), 6_100)]), new(2026, 3, 20), 6_500);
        var present = new MeterFact("W0000002", "5/8\"", NewRegister, [Read(4, new(2026, 3, 20), 0), Read(5, new(2026, 4, 10), 2_000)]);

        var run = BillingPlanner.Plan(Account(present, lastBill, removed), Regular(new(2026, 4, 1), new(2026, 4, 12)), new Tariffs());
        var final = BillingPlanner.Plan(Account(present, lastBill, removed), new PlanningRequest(BillPlanKind.Final, new(2026, 3, 10), new(2026, 4, 10)), new Tariffs());

        foreach (var plan in new[] { run, final })
        {
            var agreement = Assert.Single(plan.Input!.Agreements);
            Assert.Equal((0L, 2_000L), (agreement.Reads!.PreviousReading, agreement.Reads.PresentReading));
            var old = Assert.Single(agreement.RemovedMeters);
            Assert.Equal((6_100L, 6_500L, new DateOnly(2026, 3, 20)), (old.PreviousReading, old.PresentReading, old.PresentReadDate));
            Assert.Equal(new BillingPeriod(new(2026, 3, 11), new(2026, 4, 10)), plan.Input.Period);
        }

        // 400 gal on the old meter and 2,000 on the new.
        var bill = BillCalculator.Decide(final.Input!, UnitConversion.Default).Bill!;
        Assert.Equal(2_400m, bill.Segments[0].Usage!.Value.Value);
    }

    [Fact]
    public void A_final_bill_prorates_per_bill_charges_and_a_regular_bill_does_not()
    {
        var meter = new MeterFact("W0000001", "5/8\"", OldRegister, [Read(1, OpenedOn, 100), Read(2, new(2026, 2, 1), 1_100)]);

        var regular = BillingPlanner.Plan(Account(meter), Regular(new(2026, 1, 25), new(2026, 2, 3)), new Tariffs());
        var final = BillingPlanner.Plan(Account(meter), new PlanningRequest(BillPlanKind.Final, new(2026, 1, 25), new(2026, 2, 1)), new Tariffs());

        // The base charge is per bill on a regular bill, and per month (so prorated by days) on a final one.
        Assert.Equal(ChargeFrequency.Bill, regular.Input!.Agreements[0].Tariff!.Components.OfType<FixedCharge>().Single().Per);
        Assert.Equal(ChargeFrequency.Month, final.Input!.Agreements[0].Tariff!.Components.OfType<FixedCharge>().Single().Per);
    }

    [Theory]
    [InlineData(ReadStatus.Suspect, "is suspect and awaits review")]
    [InlineData(ReadStatus.Rejected, "is rejected and awaits review")]
    public void A_read_that_awaits_review_makes_the_account_an_exception(ReadStatus status, string expected)
    {
        var meter = new MeterFact("W0000001", "5/8\"", OldRegister, [Read(1, OpenedOn, 100), Read(2, new(2026, 2, 10), 3_100, status)]);

        var plan = BillingPlanner.Plan(Account(meter), Regular(new(2026, 2, 1), new(2026, 2, 12)), new Tariffs());

        Assert.Null(plan.Input);
        Assert.Contains(expected, plan.ExceptionReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_new_since_the_last_bill_is_an_exception_naming_the_last_billed_read()
    {
        var lastBill = new LastBillFact(new(2026, 2, 10), [new BilledRead(new ServiceAgreementId(5), "W0000001", 3_100, new(2026, 2, 10))]);
        var meter = new MeterFact("W0000001", "5/8\"", OldRegister, [Read(2, new(2026, 2, 10), 3_100)]);

        var plan = BillingPlanner.Plan(Account(meter, lastBill), Regular(new(2026, 2, 1), new(2026, 2, 12)), new Tariffs());

        Assert.Equal("No new read on meter W0000001 since the last bill (last billed read 2026-02-10).", plan.ExceptionReason);
    }

    [Fact]
    public void A_rate_change_in_the_period_hands_every_version_to_the_calculator()
    {
        var later = TestTariffs.ResidentialWater with { EffectiveFrom = new DateOnly(2026, 1, 25) };
        var versions = new Versions([TestTariffs.ResidentialWater, later]);

        var (inForce, during) = BillingPlanner.TariffsFor("W", new BillingPeriod(new(2026, 1, 11), new(2026, 2, 10)), versions);

        Assert.Equal(later, inForce);
        Assert.Equal(new[] { TestTariffs.ResidentialWater, later }, during.ToArray());
    }

    private sealed class Versions(ImmutableArray<Tariff> all) : ITariffVersions
    {
        public Tariff? InForce(string code, DateOnly on) => all.Where(t => t.EffectiveFrom <= on).MaxBy(t => t.EffectiveFrom);

        public IReadOnlyList<Tariff> During(string code, DateOnly start, DateOnly end) =>
            [.. all.Where(t => t.EffectiveFrom <= end && (t.EffectiveFrom > start || t == InForce(code, start))).OrderBy(t => t.EffectiveFrom)];
    }
}
