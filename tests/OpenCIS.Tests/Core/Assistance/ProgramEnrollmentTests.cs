using System.Collections.Immutable;
using OpenCIS.Core.Assistance;
using OpenCIS.Core.Common;
using OpenCIS.Core.Rating;

namespace OpenCIS.Tests.Core.Assistance;

/// <summary>When an enrollment counts (its boundaries day by day), program codes, and a pledge's checks and overdue rule.</summary>
public sealed class ProgramEnrollmentTests
{
    private static readonly DateOnly Enrolled = new(2026, 3, 15);

    public static TheoryData<DateOnly?, DateOnly?, DateOnly?, int?, DateOnly?> Spans => new()
    {
        // verified, expires, ended, months -> last day it counts (null: open)
        { null, null, null, null, null },
        { null, new DateOnly(2026, 12, 31), null, null, new DateOnly(2026, 12, 31) },
        { null, null, new DateOnly(2026, 6, 1), null, new DateOnly(2026, 5, 31) },
        { null, null, null, 12, new DateOnly(2027, 3, 14) },
        { new DateOnly(2026, 9, 1), null, null, 12, new DateOnly(2027, 8, 31) },
        { new DateOnly(2026, 9, 1), new DateOnly(2027, 1, 31), null, 12, new DateOnly(2027, 1, 31) },
        { new DateOnly(2024, 1, 31), null, null, 1, null },
    };

    [Theory]
    [MemberData(nameof(Spans))]
    public void An_enrollment_counts_through_the_earliest_of_its_expiry_the_day_before_it_ended_and_its_verification_running_out(
        DateOnly? verified, DateOnly? expires, DateOnly? ended, int? months, DateOnly? through)
    {
        var span = ProgramEnrollments.Span("SENIOR", Enrolled, verified, expires, ended, months);
        if (verified == new DateOnly(2024, 1, 31))
        {
            // Verified long before and never again: it lapsed before it began, so it never counts.
            Assert.Null(span);
            return;
        }

        Assert.NotNull(span);
        Assert.Equal(through, span.Through);
        Assert.False(span.CountsOn(Enrolled.AddDays(-1)));
        Assert.True(span.CountsOn(Enrolled));
        if (through is { } last)
        {
            Assert.True(span.CountsOn(last));
            Assert.False(span.CountsOn(last.AddDays(1)));
        }
    }

    [Fact]
    public void Programs_are_matched_without_regard_to_case_so_a_tariff_naming_senior_bills_an_account_in_SENIOR()
    {
        var programs = ProgramEnrollments.CountingOn([new EnrolledSpan("SENIOR", Enrolled, null), new EnrolledSpan("MEDICAL", Enrolled, Enrolled)], Enrolled.AddDays(1));
        Assert.Equal(["SENIOR"], programs.ToArray());
        Assert.Contains("senior", programs);
        Assert.Equal("LOW-INCOME_2", ProgramCodes.Normalize(" low-income_2 "));
        Assert.Equal("code", Assert.Throws<DomainException>(() => ProgramCodes.Normalize("senior discount")).Field);
        Assert.Equal("programCode", Assert.Throws<DomainException>(() => ProgramCodes.Normalize("", "programCode")).Field);
    }

    [Fact]
    public void The_planner_adds_the_programs_counting_on_the_period_end_to_the_rating_input()
    {
        var discount = new PercentCharge("SENIOR", "Senior discount", -30m, ["BASE"]) { ForPrograms = ["senior"] };
        var tariff = new Tariff("W", "Water", new DateOnly(2020, 1, 1), [new FixedCharge("BASE", "Base", 20m), discount]);
        var spans = ImmutableArray.Create(new EnrolledSpan("SENIOR", Enrolled, new DateOnly(2026, 4, 30)));
        ChargeLine[] Rated(DateOnly end) => [.. RatingEngine.Rate(tariff, new RatingInput(new BillingPeriod(end.AddDays(-29), end), null, null, 1)
        {
            Programs = ProgramEnrollments.CountingOn(spans, end),
        }, UnitConversion.Default)];
        Assert.Equal(-600, Rated(new DateOnly(2026, 4, 30)).Single(l => l.Code == "SENIOR").Amount.Cents);
        Assert.DoesNotContain(Rated(new DateOnly(2026, 5, 1)), l => l.Code == "SENIOR");
    }

    [Fact]
    public void A_pledge_names_its_agency_a_positive_amount_and_a_date_after_it_and_is_overdue_only_while_open_past_that_date()
    {
        var day = new DateOnly(2026, 11, 1);
        Assert.Equal("Agency", AssistancePledges.Check(" Agency ", Money.FromCents(100), day, day));
        Assert.Equal("agency", Assert.Throws<DomainException>(() => AssistancePledges.Check(" ", Money.FromCents(100), day, day)).Field);
        Assert.Equal("amount", Assert.Throws<DomainException>(() => AssistancePledges.Check("A", Money.Zero, day, day)).Field);
        Assert.Equal("expectedBy", Assert.Throws<DomainException>(() => AssistancePledges.Check("A", Money.FromCents(1), day, day.AddDays(-1))).Field);
        Assert.False(AssistancePledges.IsOverdue(PledgeStatus.Pledged, day, day));
        Assert.True(AssistancePledges.IsOverdue(PledgeStatus.Pledged, day, day.AddDays(1)));
        Assert.False(AssistancePledges.IsOverdue(PledgeStatus.Paid, day, day.AddDays(1)));
    }
}
