using System.Collections.Immutable;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Metering;
using OpenCIS.Core.Rating;
using OpenCIS.Tests.Core.Rating;

namespace OpenCIS.Tests.Core.Billing;

public sealed class BillCalculatorTests
{
    private static readonly BillingPeriod Period = TestTariffs.March2026;
    private static readonly MeterRegister FourDialMeter = new("W0000001", 4, 1m, Unit.Gallons);

    private static MeteredReads Reads(long previous, long present) =>
        new(FourDialMeter, previous, Period.Start.AddDays(-1), present, Period.End);

    private static AgreementToBill Water(MeteredReads? reads, Tariff? tariff = null, string? readProblem = null) =>
        new(new ServiceAgreementId(1), Service.Water, tariff ?? TestTariffs.ResidentialWater, true, reads, readProblem, null, 0, "5/8\"");

    private static AgreementToBill SewerOnWater(Tariff? tariff = null) =>
        new(new ServiceAgreementId(2), Service.Sewer, tariff ?? TestTariffs.ResidentialSewer, false, null, null, Service.Water, 0, null);

    private static AgreementToBill Trash(int carts) =>
        new(new ServiceAgreementId(3), Service.Trash, TestTariffs.ResidentialTrash, false, null, null, null, carts, null);

    private static BillingDecision Decide(params AgreementToBill[] agreements) =>
        BillCalculator.Decide(new BillingInput(new AccountId(7), Period, [.. agreements]), UnitConversion.Default);

    [Fact]
    public void Water_sewer_on_water_usage_and_trash_make_one_bill()
    {
        // 1000 -> 9000 on a four-dial meter is 8,000 gal.
        var decision = Decide(Water(Reads(1000, 9000)), SewerOnWater(), Trash(2));

        Assert.Null(decision.ExceptionReason);
        var bill = decision.Bill!;
        Assert.Equal([Service.Water, Service.Sewer, Service.Trash], bill.Segments.Select(s => s.Service));
        // Water: 12.50 + 15.50 + 3,000 gal x 4.25 = 12.75 -> 40.75
        Assert.Equal(4075, bill.Segments[0].Total.Cents);
        // Sewer on the same 8,000 gal: 18.00 + 8 x 5.15 = 41.20 -> 59.20
        Assert.Equal(new Quantity(8000m, Unit.Gallons), bill.Segments[1].Usage);
        Assert.Equal(5920, bill.Segments[1].Total.Cents);
        Assert.Equal(4300, bill.Segments[2].Total.Cents);
        Assert.Equal(4075 + 5920 + 4300, bill.Total.Cents);
    }

    [Fact]
    public void Two_meters_of_one_service_are_each_rated_on_their_own_use_and_sewer_skips_the_one_not_shared()
    {
        // The domestic meter used 8,000 gal; a fire line (its own agreement and meter, not shared with sewer) 3,000.
        var fireMeter = new MeterRegister("F0000001", 4, 1m, Unit.Gallons);
        var fireLine = new AgreementToBill(new ServiceAgreementId(4), Service.Water, TestTariffs.ResidentialWater, true,
            new MeteredReads(fireMeter, 2000, Period.Start.AddDays(-1), 5000, Period.End), null, null, 0, "5/8\"")
        {
            Inputs = new RatingInput(Period, null, "5/8\"", 0) { Attributes = ImmutableDictionary<string, string>.Empty.Add(BillCalculator.UsageSharedAttribute, "no") },
        };
        var bill = Decide(Water(Reads(1000, 9000)), fireLine, SewerOnWater()).Bill!;

        Assert.Equal([new Quantity(8000m, Unit.Gallons), new Quantity(3000m, Unit.Gallons), new Quantity(8000m, Unit.Gallons)], bill.Segments.Select(s => s.Usage));
        // Each water meter on its own first tier: 8,000 gal is $40.75; 3,000 gal is 12.50 + 3 x 3.10 = $21.80, all in the first block.
        Assert.Equal(4075, bill.Segments[0].Total.Cents);
        Assert.Equal(2180, bill.Segments[1].Total.Cents);
        Assert.Equal(5920, bill.Segments[2].Total.Cents);

        // Shared (no attribute), sewer bills on both meters' use.
        var shared = Decide(Water(Reads(1000, 9000)), fireLine with { Inputs = null }, SewerOnWater()).Bill!;
        Assert.Equal(new Quantity(11000m, Unit.Gallons), shared.Segments[2].Usage);
    }

    [Fact]
    public void A_rolled_over_register_bills_the_true_usage()
    {
        var decision = Decide(Water(Reads(9990, 10)));

        Assert.Equal(new Quantity(20m, Unit.Gallons), decision.Bill!.Segments[0].Usage);
    }

    [Fact]
    public void No_read_makes_the_account_an_exception_with_the_read_problem()
    {
        var decision = Decide(Water(null, readProblem: "No read for water meter W0000001 in the read window."), Trash(1));

        Assert.Null(decision.Bill);
        Assert.Equal("No read for water meter W0000001 in the read window.", decision.ExceptionReason);
    }

    [Fact]
    public void No_read_and_no_stated_problem_still_says_which_meter()
    {
        var decision = Decide(Water(null));

        Assert.Null(decision.Bill);
        Assert.Equal("No billable read for the Water meter.", decision.ExceptionReason);
    }

    [Fact]
    public void Negative_consumption_makes_the_account_an_exception()
    {
        var decision = Decide(Water(Reads(5000, 100)));

        Assert.Null(decision.Bill);
        Assert.StartsWith("Negative consumption on meter W0000001", decision.ExceptionReason, StringComparison.Ordinal);
    }

    [Fact]
    public void No_tariff_makes_the_whole_account_an_exception_not_a_partial_bill()
    {
        var decision = Decide(Water(Reads(1000, 2000)), new AgreementToBill(new ServiceAgreementId(3), Service.Trash, null, false, null, null, null, 1, null));

        Assert.Null(decision.Bill);
        Assert.Equal("No rate schedule in effect for Trash on 2026-03-31.", decision.ExceptionReason);
    }

    [Fact]
    public void Sewer_on_water_usage_without_water_usage_is_an_exception()
    {
        var decision = Decide(SewerOnWater(), Trash(1));

        Assert.Null(decision.Bill);
        Assert.Equal("Sewer is billed on Water usage, but the account has no Water usage this period.", decision.ExceptionReason);
    }

    [Fact]
    public void No_agreements_is_an_exception() =>
        Assert.Equal("No active service agreements to bill.", Decide().ExceptionReason);
}
