using OpenCIS.Core.Collections;
using OpenCIS.Core.Common;
using OpenCIS.Core.Invoices;
using OpenCIS.Tests.Core.Collections;
using static OpenCIS.Tests.Core.Collections.TestPolicies;

namespace OpenCIS.Tests.Core.Invoices;

/// <summary>
/// An invoice under its type's collection policy (<see cref="TestPolicies.Standard"/>: 10% after no grace, a reminder at 1
/// day, the final notice at 10 days with 10 days' notice, then a door hanger and the disconnect step an invoice passes over).
/// </summary>
public sealed class InvoiceCollectionsRulesTests
{
    private static readonly DateOnly Due = D(2026, 3, 23);

    private static InvoiceDebt Invoice(decimal amount = 200m, decimal open = 200m, decimal paidByDue = 0m, bool charged = false, int notices = 0, DateOnly? lastNotice = null) =>
        new("ALARM", Dollars(amount), Due, Dollars(paidByDue), Dollars(open), charged, notices, lastNotice);

    [Fact]
    public void The_late_charge_is_the_policys_rule_on_what_is_unpaid_once()
    {
        Assert.False(InvoiceCollections.Day(Standard, Invoice(), true, Due).LateCharge.Charged);
        var day = InvoiceCollections.Day(Standard, Invoice(open: 120m), true, Due.AddDays(1));
        Assert.Equal((Dollars(12m), "10% of $120.00 past due = $12.00"), (day.LateCharge.Amount, day.LateCharge.Explanation));
        Assert.False(InvoiceCollections.Day(Standard, Invoice(open: 120m, charged: true), true, Due.AddDays(2)).LateCharge.Charged);
        // Paid in full by its due date: never charged, even if a returned payment reopened it.
        Assert.False(InvoiceCollections.Day(Standard, Invoice(paidByDue: 200m, open: 200m), true, Due.AddDays(5)).LateCharge.Charged);
    }

    [Fact]
    public void The_type_code_stands_for_the_class_so_a_rule_can_exempt_a_type()
    {
        var exemptEms = Standard with { LateCharge = TenPercent with { ExemptClasses = ["ems"] } };
        var ems = Invoice() with { TypeCode = "EMS" };
        Assert.Equal("class EMS is exempt", InvoiceCollections.Day(exemptEms, ems, false, Due.AddDays(3)).LateCharge.Explanation);
        Assert.True(InvoiceCollections.Day(exemptEms, Invoice(), false, Due.AddDays(3)).LateCharge.Charged);
    }

    [Fact]
    public void Notices_follow_the_notice_steps_in_order_one_a_day_after_the_period_of_the_one_before()
    {
        Assert.Equal([StepKind.Reminder, StepKind.FinalNotice], InvoiceCollections.NoticeSteps(Standard).Select(s => s.Kind));
        Assert.Null(InvoiceCollections.NoticeDue(Standard, Invoice(), Due));
        Assert.Equal((1, StepKind.Reminder, "REMINDER"), Due1(InvoiceCollections.NoticeDue(Standard, Invoice(), Due.AddDays(1))));
        // The final notice needs 10 days past due, 50.00 open, and the reminder's period (none given: the next day).
        var reminded = Invoice(notices: 1, lastNotice: Due.AddDays(1));
        Assert.Null(InvoiceCollections.NoticeDue(Standard, reminded, Due.AddDays(9)));
        Assert.Equal((2, StepKind.FinalNotice, "FINAL NOTICE"), Due1(InvoiceCollections.NoticeDue(Standard, reminded, Due.AddDays(10))));
        Assert.Null(InvoiceCollections.NoticeDue(Standard, reminded with { Open = Dollars(49.99m) }, Due.AddDays(10)));
        // Reminded late (day 8): the final notice waits for its period, not just its day.
        var slow = Standard with { Steps = [new CollectionStep(StepKind.Reminder, 1, Money.Zero, new NoticePeriod(5, false)), Standard.Steps[1]] };
        Assert.Null(InvoiceCollections.NoticeDue(slow, Invoice(notices: 1, lastNotice: Due.AddDays(8)), Due.AddDays(12)));
        Assert.NotNull(InvoiceCollections.NoticeDue(slow, Invoice(notices: 1, lastNotice: Due.AddDays(8)), Due.AddDays(13)));
        // Door hanger and disconnect are for services: after the final notice an invoice has had every notice.
        Assert.Null(InvoiceCollections.NoticeDue(Standard, Invoice(notices: 2, lastNotice: Due.AddDays(10)), Due.AddDays(40)));
        Assert.Contains("every notice sent", InvoiceCollections.Day(Standard, Invoice(notices: 2, lastNotice: Due.AddDays(10)), true, Due.AddDays(40)).Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_type_with_statements_takes_the_late_charge_but_no_policy_notices()
    {
        var day = InvoiceCollections.Day(Standard, Invoice(), false, Due.AddDays(12));
        Assert.True(day.LateCharge.Charged);
        Assert.Null(day.Notice);
        Assert.Contains("notices are the type's statements", day.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_notice_period_in_business_days_counts_weekdays()
    {
        // Friday 27 March 2026 plus 3 business days: Monday, Tuesday, Wednesday 1 April.
        Assert.Equal(D(2026, 4, 1), InvoiceCollections.PeriodEnds(D(2026, 3, 27), new NoticePeriod(3, true)));
        Assert.Equal(D(2026, 3, 30), InvoiceCollections.PeriodEnds(D(2026, 3, 27), new NoticePeriod(3, false)));
        Assert.Equal(D(2026, 3, 28), InvoiceCollections.PeriodEnds(D(2026, 3, 27), null));
    }

    private static (int, StepKind, string) Due1(InvoiceNoticeDue? due) => (due!.Sequence, due.Step.Kind, due.Heading);
}
