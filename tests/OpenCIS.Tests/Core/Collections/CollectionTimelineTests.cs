using OpenCIS.Core.Collections;
using OpenCIS.Core.Common;
using static OpenCIS.Tests.Core.Collections.TestPolicies;

namespace OpenCIS.Tests.Core.Collections;

/// <summary>Time-travel scenarios: one account walked day by day under the standard test policy.</summary>
public sealed class CollectionTimelineTests
{
    private static string[] Lines(IEnumerable<CollectionEvent> events) =>
        [.. events.Select(e => $"{e.Date:yyyy-MM-dd} {e.Action} {e.Amount?.ToPlainString() ?? "-"}")];

    [Fact]
    public void An_unpaid_bill_walks_from_late_charge_to_the_disconnect_list_and_off_it_on_Fridays_and_weekends()
    {
        var events = Run(Standard, OneBill, D(2026, 3, 1), D(2026, 4, 20));

        Assert.Equal(
        [
            "2026-03-24 LateCharge 20.00",
            "2026-03-24 Notice -",
            "2026-04-02 Notice -",
            "2026-04-12 DoorHanger 15.00",
            "2026-04-14 DisconnectEligible 235.00",
            "2026-04-17 Protected -",
            "2026-04-18 Protected -",
            "2026-04-20 DisconnectEligible 235.00",
        ], Lines(events));
        Assert.Equal("bill B1 due Mar 23, 2026: 10% of $200.00 past due = $20.00", events[0].Reason);
        Assert.Equal("B1", events[0].Bill);
        Assert.Equal("reminder notice: 1 day past due, $200.00 over the $5.00 minimum", events[1].Reason);
        Assert.Equal("final (shut-off) notice: 10 days past due, $220.00 over the $50.00 minimum; earliest disconnect date Apr 14, 2026", events[2].Reason);
        Assert.Equal("door hanger: 20 days past due, $220.00 over the $50.00 minimum; notice of 2 days, disconnect from Apr 14, 2026; fee $15.00", events[3].Reason);
        Assert.Equal("22 days past due, $235.00 over the $50.00 minimum; shut-off notice mailed Apr 2, 2026, 12 days elapsed; door hanger hung Apr 12, 2026, 2 days elapsed; no protection", events[4].Reason);
        Assert.Equal("off the disconnect list: no disconnects on Fridays", events[5].Reason);
        Assert.Equal("off the disconnect list: no disconnects on weekends", events[6].Reason);
    }

    [Fact]
    public void Paying_the_past_due_ends_the_walk_and_nothing_more_happens()
    {
        var account = OneBill with { Payments = [new CollectionPayment(D(2026, 4, 3), Dollars(220m))] };
        var events = Run(Standard, account, D(2026, 3, 1), D(2026, 5, 31));
        Assert.Equal(["2026-03-24 LateCharge 20.00", "2026-03-24 Notice -", "2026-04-02 Notice -", "2026-04-03 PastDuePaid -"], Lines(events));
    }

    [Fact]
    public void A_medical_certificate_holds_the_disconnect_and_names_itself_until_it_ends()
    {
        var account = OneBill with
        {
            Protections = AccountProtections.None with { MedicalCertificates = [new MedicalCertificate("Dr. Ada Lane", D(2026, 4, 10), D(2026, 4, 30))] },
        };
        var events = Run(Standard, account, D(2026, 3, 1), D(2026, 5, 4));

        // The door hanger is a notice of disconnection, so the certificate holds it too; it goes out the day after.
        var afterFinalNotice = events.SkipWhile(e => e.Step != StepKind.FinalNotice).Skip(1).ToArray();
        Assert.Equal(["2026-04-12 Protected -", "2026-05-01 DoorHanger 15.00", "2026-05-03 Protected -", "2026-05-04 DisconnectEligible 235.00"], Lines(afterFinalNotice));
        Assert.Equal("door hanger held: medical certificate until Apr 30, 2026 (Dr. Ada Lane)", afterFinalNotice[0].Reason);
        Assert.Equal("disconnect eligibility held: no disconnects on weekends", afterFinalNotice[2].Reason);
        Assert.DoesNotContain(events, e => e.Action == CollectionAction.DisconnectEligible && e.Date <= D(2026, 4, 30));
    }

    [Fact]
    public void A_certificate_beyond_the_renewals_a_year_does_not_protect()
    {
        MedicalCertificate[] certificates =
        [
            new("Dr. A", D(2026, 1, 1), D(2026, 1, 21)),
            new("Dr. A", D(2026, 2, 1), D(2026, 2, 21)),
            new("Dr. A", D(2026, 3, 1), D(2026, 3, 21)),
            new("Dr. A", D(2026, 4, 1), D(2026, 4, 21)), // a third renewal within the year: the policy allows two
        ];
        var protections = AccountProtections.None with { MedicalCertificates = [.. certificates] };
        Assert.Equal("Dr. A", CollectionProtections.CertificateOn(Standard.Protections, protections, D(2026, 3, 10))?.Physician);
        Assert.Null(CollectionProtections.CertificateOn(Standard.Protections, protections, D(2026, 4, 10)));
    }

    [Fact]
    public void An_open_dispute_protects_only_the_disputed_amount()
    {
        var disputed = OneBill with { Protections = AccountProtections.None with { Disputes = [new Dispute(Dollars(200m), D(2026, 3, 30), D(2026, 4, 20))] } };
        var events = Run(Standard, disputed, D(2026, 3, 1), D(2026, 4, 21));
        var held = Assert.Single(events, e => e.Action == CollectionAction.Protected);
        Assert.Equal(D(2026, 4, 2), held.Date);
        Assert.Equal("final (shut-off) notice held: open dispute over $200.00; the undisputed $20.00 is under the $50.00 the step needs", held.Reason);
        // Resolved on 20 Apr: the notice goes out that day.
        Assert.Contains(events, e => e.Date == D(2026, 4, 20) && e.Action == CollectionAction.Notice);

        var small = OneBill with { Protections = AccountProtections.None with { Disputes = [new Dispute(Dollars(30m), D(2026, 3, 30), null)] } };
        Assert.Contains(Run(Standard, small, D(2026, 3, 1), D(2026, 4, 14)), e => e.Action == CollectionAction.DisconnectEligible);
    }

    [Fact]
    public void A_broken_arrangement_resumes_collections_at_the_disconnect_list_with_its_reason()
    {
        var arrangement = new PaymentArrangement(D(2026, 4, 1), Dollars(220m), Dollars(55m), PaymentArrangements.Schedule(Dollars(220m), Dollars(55m), 3, D(2026, 5, 1)));
        var account = OneBill with
        {
            Arrangements = [arrangement],
            Payments = [new CollectionPayment(D(2026, 4, 1), Dollars(55m)), new CollectionPayment(D(2026, 5, 1), Dollars(55m))],
        };
        var events = Run(Standard, account, D(2026, 3, 1), D(2026, 6, 9));

        var held = events.Single(e => e.Action == CollectionAction.Protected && e.Date == D(2026, 4, 2));
        Assert.Equal($"final (shut-off) notice held: active payment arrangement (made Apr 1, 2026 for $220.00)", held.Reason);
        var broken = events.Single(e => e.Action == CollectionAction.ArrangementBroken);
        Assert.Equal(D(2026, 6, 7), broken.Date); // installment 2 due 1 Jun, 5 days of grace
        Assert.Equal("installment 2 of $55.00 due Jun 1, 2026 unpaid after 5 days of grace ($110.00 of $165.00 paid); collections resume at the disconnect eligibility", broken.Reason);
        // 7 June is a Sunday: the list waits for Monday.
        var listed = events.Single(e => e.Action == CollectionAction.DisconnectEligible);
        Assert.Equal(D(2026, 6, 8), listed.Date);
        Assert.Equal("broken arrangement: 77 days past due, $110.00 over the $50.00 minimum; no shut-off notice mailed; no protection", listed.Reason);
    }

    [Fact]
    public void A_broken_promise_is_flagged_the_day_after_its_date()
    {
        var account = OneBill with
        {
            Promises = [new PromiseToPay(D(2026, 3, 25), D(2026, 3, 31), Dollars(100m)), new PromiseToPay(D(2026, 3, 25), D(2026, 4, 6), Dollars(100m))],
            Payments = [new CollectionPayment(D(2026, 3, 30), Dollars(40m)), new CollectionPayment(D(2026, 4, 6), Dollars(20m))],
        };
        var broken = Run(Standard, account, D(2026, 3, 1), D(2026, 4, 10)).Where(e => e.Action == CollectionAction.PromiseBroken).ToArray();
        Assert.Equal(2, broken.Length);
        Assert.Equal(D(2026, 4, 1), broken[0].Date);
        Assert.Equal("promised $100.00 by Mar 31, 2026 (promise taken Mar 25, 2026); $40.00 came in", broken[0].Reason);
        Assert.Equal(D(2026, 4, 7), broken[1].Date);
    }

    [Fact]
    public void A_bankruptcy_stay_holds_the_late_charge_and_every_step_naming_its_case()
    {
        var stayed = OneBill with { Protections = AccountProtections.None with { BankruptcyStay = true, BankruptcyCase = "Chapter 13 case 26-bk-1 (Bankr. D. Or.), petition Mar 2, 2026" } };
        var events = Run(Standard, stayed, D(2026, 3, 1), D(2026, 4, 20));

        Assert.DoesNotContain(events, e => e.Action is CollectionAction.LateCharge or CollectionAction.Notice or CollectionAction.DoorHanger or CollectionAction.DisconnectEligible);
        Assert.Equal("bill B1 due Mar 23, 2026: not charged, bankruptcy stay: Chapter 13 case 26-bk-1 (Bankr. D. Or.), petition Mar 2, 2026",
            events.Single(e => e.Action == CollectionAction.NoLateCharge).Reason);
        Assert.Contains(events, e => e.Action == CollectionAction.Protected && e.Reason == "reminder notice held: bankruptcy stay: Chapter 13 case 26-bk-1 (Bankr. D. Or.), petition Mar 2, 2026");
    }

    [Fact]
    public void Cold_days_the_winter_moratorium_and_an_exempt_class_hold_the_disconnect()
    {
        var december = OneBill with { Bills = [new CollectionBill("B12", D(2026, 11, 2), Dollars(200m), D(2026, 11, 23))] };
        var cold = Run(Standard, december, D(2026, 11, 1), D(2026, 12, 16), new DailyTemperature(D(2026, 12, 15), 30, 41), new DailyTemperature(D(2026, 12, 16), 12, 25));
        var held = cold.Where(e => e.Action == CollectionAction.Protected).Select(e => e.Reason).ToArray();
        Assert.Contains("disconnect eligibility held: Winter moratorium (Dec 15 to Feb 28)", held);

        var commercial = december with { AccountClass = "commercial" };
        var commercialEvents = Run(Standard, commercial, D(2026, 11, 1), D(2026, 12, 16), new DailyTemperature(D(2026, 12, 16), 12, 25));
        Assert.Contains(commercialEvents, e => e.Action == CollectionAction.Protected && e.Reason == "off the disconnect list: forecast low 12°F, at or below 20°F");

        var municipal = december with { AccountClass = "municipal" };
        var municipalEvents = Run(Standard, municipal, D(2026, 11, 1), D(2026, 12, 16));
        Assert.Contains(municipalEvents, e => e.Action == CollectionAction.NoLateCharge && e.Reason.EndsWith("class Municipal is exempt", StringComparison.Ordinal));
        Assert.Contains(municipalEvents, e => e.Action == CollectionAction.Protected && e.Reason == "door hanger held: class Municipal is exempt from disconnection");
        Assert.DoesNotContain(municipalEvents, e => e.Action is CollectionAction.DisconnectEligible or CollectionAction.LateCharge);
    }

    [Fact]
    public void A_tenant_occupied_premise_copies_the_final_notice_to_the_owner_and_waits_the_days_the_policy_asks()
    {
        var account = OneBill with { Protections = AccountProtections.None with { TenantOccupied = true } };
        var events = Run(Standard, account, D(2026, 3, 1), D(2026, 4, 14));
        var owner = Assert.Single(events, e => e.Action == CollectionAction.OwnerNotice);
        Assert.Equal(D(2026, 4, 2), owner.Date);
        Assert.Equal("final notice copied to the owner of the tenant-occupied premise; disconnection waits 10 days, to Apr 12, 2026", owner.Reason);
        Assert.Contains(events, e => e.Action == CollectionAction.DisconnectEligible && e.Date == D(2026, 4, 14));
    }

    [Fact]
    public void A_policy_for_other_classes_is_refused_naming_itself()
    {
        var commercialOnly = Standard with { AccountClasses = ["commercial"] };
        var refusal = Assert.Throws<DomainException>(() => Run(commercialOnly, OneBill, D(2026, 3, 1), D(2026, 3, 31)));
        Assert.Equal("Policy TEST does not apply to class Residential and debt type utility.", refusal.Message);
    }

    [Fact]
    public void A_notice_period_in_business_days_skips_weekends_and_holidays()
    {
        // A final notice on Wednesday 25 Nov 2026 with 5 business days: Thanksgiving (26th) and the weekend do not count.
        var policy = Standard with
        {
            Steps = [new CollectionStep(StepKind.FinalNotice, 10, Dollars(50m), new NoticePeriod(5, true)), new CollectionStep(StepKind.DisconnectEligible, 10, Dollars(50m))],
        };
        var account = OneBill with { Bills = [new CollectionBill("B11", D(2026, 10, 26), Dollars(200m), D(2026, 11, 15))] };
        var events = Run(policy, account, D(2026, 11, 1), D(2026, 12, 4));

        var notice = events.Single(e => e.Action == CollectionAction.Notice);
        Assert.Equal(D(2026, 11, 25), notice.Date);
        Assert.EndsWith("earliest disconnect date Dec 3, 2026", notice.Reason, StringComparison.Ordinal);
        Assert.Equal(D(2026, 12, 3), events.Single(e => e.Action == CollectionAction.DisconnectEligible).Date);
    }

    [Fact]
    public void Each_protection_names_itself_and_says_whether_it_stops_or_delays()
    {
        // A commercial account, so the residential winter moratorium does not come first.
        var facts = new ProtectionFacts("commercial", Dollars(300m), Dollars(50m), null, null);
        var calendar = CollectionCalendar.For(OpenCIS.Core.Billing.HolidayCalendar.UsFederal, D(2026, 2, 1), D(2026, 6, 30), []);
        var rules = Standard.Protections;
        Protection? On(AccountProtections account, StepKind step, DateOnly date) => CollectionProtections.Evaluate(rules, step, date, account, facts, calendar);

        var pending = On(AccountProtections.None with { PendingPayments = [new PendingPayment(Dollars(100m), D(2026, 2, 10), D(2026, 2, 12), "ACH debit in file")] }, StepKind.DisconnectEligible, D(2026, 2, 11));
        Assert.Equal(new Protection("pending payment", true, "pending payment of $100.00 (ACH debit in file) until Feb 12, 2026"), pending);

        var stay = On(AccountProtections.None with { BankruptcyStay = true }, StepKind.Reminder, D(2026, 2, 11));
        Assert.Equal(new Protection("bankruptcy stay", false, "bankruptcy stay"), stay);

        Assert.Equal("life-support equipment at the premise", On(AccountProtections.None with { LifeSupport = true }, StepKind.DoorHanger, D(2026, 2, 11))?.Reason);
        // A reminder still goes out under a life-support flag: only the field steps wait.
        Assert.Null(On(AccountProtections.None with { LifeSupport = true }, StepKind.Reminder, D(2026, 2, 11)));
        Assert.Equal("balance $40.00 under the $50.00 minimum for disconnection",
            CollectionProtections.Evaluate(rules, StepKind.DisconnectEligible, D(2026, 2, 11), AccountProtections.None, facts with { PastDue = Dollars(40m) }, calendar)?.Reason);
        Assert.Equal("no disconnects on holidays (Washington's Birthday)", On(AccountProtections.None, StepKind.DisconnectEligible, D(2026, 2, 16))?.Reason);
        // Juneteenth 2026 is a Friday, so Thursday 18 June is the day before a holiday.
        Assert.Equal("no disconnects the day before a holiday (Juneteenth National Independence Day)", On(AccountProtections.None, StepKind.DisconnectEligible, D(2026, 6, 18))?.Reason);
        Assert.Null(On(AccountProtections.None, StepKind.DisconnectEligible, D(2026, 6, 17)));
    }

    [Fact]
    public void The_daily_run_picks_up_where_the_history_leaves_off_and_refuses_a_history_from_its_own_days()
    {
        var before = Run(Standard, OneBill, D(2026, 3, 1), D(2026, 4, 13));
        var calendar = CollectionCalendar.For(OpenCIS.Core.Billing.HolidayCalendar.UsFederal, D(2026, 4, 14), D(2026, 4, 14), []);

        var today = CollectionTimeline.Run(Standard, OneBill, calendar, D(2026, 4, 14), D(2026, 4, 14), before);
        var listed = Assert.Single(today);
        Assert.Equal(CollectionAction.DisconnectEligible, listed.Action);
        Assert.Equal(Dollars(235m), listed.Amount); // the late charge and the door hanger's fee came from the history

        var refusal = Assert.Throws<DomainException>(() => CollectionTimeline.Run(Standard, OneBill, calendar, D(2026, 4, 12), D(2026, 4, 14), before));
        Assert.Equal("history", refusal.Field);
    }

    [Fact]
    public void Under_a_policy_with_no_disconnect_step_the_final_notice_prints_no_disconnect_date_and_the_walk_stops_there()
    {
        // A final bill's policy: the service is already off, so a reminder and a final notice, nothing to disconnect.
        var finalDebt = Standard with { DebtTypes = ["final"], Steps = [Standard.Steps[0], Standard.Steps[1]] };
        var account = OneBill with { DebtType = "final" };
        var events = Run(finalDebt, account, D(2026, 3, 1), D(2026, 5, 31));

        Assert.Equal(["2026-03-24 LateCharge 20.00", "2026-03-24 Notice -", "2026-04-02 Notice -"], Lines(events));
        Assert.Equal("final (shut-off) notice: 10 days past due, $220.00 over the $50.00 minimum; no disconnection under this policy", events[2].Reason);
        var standing = CollectionTimeline.Day(finalDebt, account, CollectionCalendar.For(OpenCIS.Core.Billing.HolidayCalendar.UsFederal, D(2026, 5, 31), D(2026, 5, 31), []),
            D(2026, 5, 31), [.. events]).Standing;
        Assert.Equal(StepKind.FinalNotice, standing.LastStep);
        Assert.False(standing.Listed);
        Assert.Null(standing.EarliestDisconnectOn);
        Assert.Equal(D(2026, 4, 2), standing.FinalNoticeOn);
        Assert.EndsWith("last step: final (shut-off) notice; no further step", standing.Explanation, StringComparison.Ordinal);
    }
}
