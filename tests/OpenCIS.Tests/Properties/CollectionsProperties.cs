using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Collections;
using OpenCIS.Core.Common;
using OpenCIS.Tests.Core.Collections;

namespace OpenCIS.Tests.Properties;

/// <summary>
/// Collections invariants over generated bills, payments, rules and protections: a late charge never exceeds
/// the maximum, no bill is charged twice, a bill paid by its due date is never charged, installments sum to
/// the arranged amount, and a protected account never goes on the disconnect list.
/// </summary>
public sealed class CollectionsProperties
{
    private static readonly DateOnly Start = new(2026, 1, 1);

    private static Gen<LateChargeRule> Rules { get; } =
        from form in Gen.Elements(Enum.GetValues<LateChargeForm>())
        from percentHundredths in Gen.Choose(0, 2500)
        from flat in Generators.Cents(0, 5_000)
        from minimum in Gen.Frequency((1, Gen.Constant((long?)null)), (2, Generators.Cents(0, 2_000).Select(c => (long?)c)))
        from extra in Generators.Cents(0, 50_000)
        from hasMaximum in Gen.Elements(true, false)
        from minimumPastDue in Generators.Cents(0, 3_000)
        from grace in Gen.Choose(0, 10)
        from compounding in Gen.Elements(true, false)
        select new LateChargeRule(form, percentHundredths / 100m, Money.FromCents(flat), minimum is { } least ? Money.FromCents(least) : null,
            hasMaximum ? Money.FromCents((minimum ?? 0) + extra) : null, Money.FromCents(minimumPastDue), grace, [], compounding);

    /// <summary>One to six bills a month apart, each due 21 days after its date, and payments scattered over the months.</summary>
    private static Gen<CollectionAccount> Accounts { get; } =
        from bills in Gen.Choose(1, 6)
        from amounts in Gen.ArrayOf(Generators.Cents(100, 60_000), bills)
        from payments in Gen.ListOf(from day in Gen.Choose(0, 240) from cents in Generators.Cents(100, 40_000) select new CollectionPayment(Start.AddDays(day), Money.FromCents(cents)))
        select new CollectionAccount("residential", "utility",
            [.. amounts.Select((cents, i) => new CollectionBill($"B{i + 1}", Start.AddMonths(i), Money.FromCents(cents), Start.AddMonths(i).AddDays(21)))],
            [.. payments.Take(12)], AccountProtections.None, [], []);

    private static ImmutableArray<CollectionEvent> Run(CollectionPolicy policy, CollectionAccount account) =>
        TestPolicies.Run(policy, account, Start, Start.AddDays(240));

    [Fact]
    public void A_late_charge_never_exceeds_the_policy_maximum_and_is_never_negative()
    {
        var cases =
            from rule in Rules
            from bill in Generators.Cents(1, 1_000_000)
            from paid in Generators.Cents(0, 1_000_000)
            from earlier in Generators.Cents(0, 50_000)
            select (rule, bill, paid, earlier);

        var property = Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var due = new DateOnly(2026, 3, 23);
            var decision = LateCharges.ForBill(c.rule, "residential", Money.FromCents(c.bill), due, [new LateChargePayment(due.AddDays(1), Money.FromCents(c.paid))],
                Money.FromCents(c.earlier), false, due.AddDays(c.rule.GraceDays + 1));
            return !decision.Amount.IsNegative && (c.rule.Maximum is not { } maximum || decision.Amount <= maximum) && decision.Explanation.Length > 0;
        });

        Check.One(Generators.Config, property);
    }

    [Fact]
    public void No_bill_is_charged_twice_and_every_late_charge_stays_within_the_rule()
    {
        var cases = from rule in Rules from account in Accounts select (rule, account);
        var property = Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var events = Run(TestPolicies.Standard with { LateCharge = c.rule }, c.account);
            var charges = events.Where(e => e.Action == CollectionAction.LateCharge).ToList();
            return charges.GroupBy(e => e.Bill).All(g => g.Count() == 1)
                && charges.All(e => e.Bill is not null && e.Amount is { IsPositive: true } amount && (c.rule.Maximum is not { } maximum || amount <= maximum));
        });

        Check.One(Generators.Config, property);
    }

    [Fact]
    public void A_bill_paid_in_full_by_its_due_date_is_never_charged()
    {
        var cases =
            from rule in Rules
            from account in Accounts
            from early in Gen.Choose(0, 20)
            select (rule, account, early);

        var property = Prop.ForAll(cases.ToArbitrary(), c =>
        {
            // Every bill paid in full on or before its due date; whatever else comes in later changes nothing.
            var onTime = c.account.Bills.Select(b => new CollectionPayment(b.DueDate.AddDays(-Math.Min(c.early, 21)), b.Amount));
            var account = c.account with { Payments = [.. onTime, .. c.account.Payments.Where(p => p.ReceivedOn > c.account.Bills[^1].DueDate)] };
            var events = Run(TestPolicies.Standard with { LateCharge = c.rule }, account);
            var single = c.account.Bills[0];
            var alone = LateCharges.ForBill(c.rule, "residential", single.Amount, single.DueDate, [new LateChargePayment(single.DueDate, single.Amount)], Money.Zero, false, single.DueDate.AddDays(60));
            return !events.Any(e => e.Action is CollectionAction.LateCharge or CollectionAction.NoLateCharge) && !alone.Charged;
        });

        Check.One(Generators.Config, property);
    }

    [Fact]
    public void Installments_and_the_down_payment_sum_to_the_arranged_amount_within_a_cent_of_each_other()
    {
        var cases =
            from arranged in Generators.Cents(1, 10_000_000)
            from downShare in Gen.Choose(0, 100)
            from count in Gen.Choose(1, ArrangementLimits.InstallmentsLimit)
            from day in Gen.Choose(0, 365)
            select (arranged, down: arranged * downShare / 100, count, first: Start.AddDays(day));

        var property = Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var schedule = PaymentArrangements.Schedule(Money.FromCents(c.arranged), Money.FromCents(c.down), c.count, c.first);
            var amounts = schedule.Select(i => i.Amount.Cents).ToArray();
            return schedule.Length == c.count
                && c.down + amounts.Sum() == c.arranged
                && amounts.Max() - amounts.Min() <= 1
                && schedule.Select(i => i.DueOn).SequenceEqual(schedule.Select(i => i.DueOn).Order());
        });

        Check.One(Generators.Config, property);
    }

    [Fact]
    public void A_protected_account_never_goes_on_the_disconnect_list()
    {
        var cases =
            from account in Accounts
            from certificateStart in Gen.Choose(0, 240)
            from certificateDays in Gen.Choose(1, 60)
            from bankrupt in Gen.Frequency((1, Gen.Constant(true)), (4, Gen.Constant(false)))
            from lifeSupport in Gen.Frequency((1, Gen.Constant(true)), (4, Gen.Constant(false)))
            select (account, certificate: new MedicalCertificate("Dr. Generated", Start.AddDays(certificateStart), Start.AddDays(certificateStart + certificateDays)), bankrupt, lifeSupport);

        var property = Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var protections = AccountProtections.None with { MedicalCertificates = [c.certificate], BankruptcyStay = c.bankrupt, LifeSupport = c.lifeSupport };
            var events = Run(TestPolicies.Standard, c.account with { Protections = protections });
            var listed = events.Where(e => e.Action == CollectionAction.DisconnectEligible).Select(e => e.Date).ToList();
            var forbidden = CollectionCalendar.For(HolidayCalendar.UsFederal, Start, Start.AddDays(240), []);
            return (!c.bankrupt && !c.lifeSupport || listed.Count == 0)
                && listed.All(d => (d < c.certificate.From || d > c.certificate.To) && forbidden.NoDisconnectReason(TestPolicies.Standard.Protections.NoDisconnectOn, d) is null);
        });

        Check.One(Generators.Config, property);
    }

    /// <summary>
    /// The daily run calls the timeline one day at a time with what it recorded before; that must give exactly
    /// what one walk over the whole range gives, whatever the payments, arrangements, promises and protections.
    /// </summary>
    [Fact]
    public void Day_by_day_with_the_history_gives_the_same_events_as_one_walk_over_the_range()
    {
        var cases =
            from account in Accounts
            from certificateStart in Gen.Choose(0, 150)
            from arrangementDay in Gen.Choose(20, 120)
            from arranged in Generators.Cents(5_000, 60_000)
            from promiseDay in Gen.Choose(0, 150)
            select account with
            {
                Protections = AccountProtections.None with { MedicalCertificates = [new MedicalCertificate("Dr. Generated", Start.AddDays(certificateStart), Start.AddDays(certificateStart + 20))] },
                Arrangements = [new PaymentArrangement(Start.AddDays(arrangementDay), Money.FromCents(arranged), Money.FromCents(arranged / 4),
                    PaymentArrangements.Schedule(Money.FromCents(arranged), Money.FromCents(arranged / 4), 3, Start.AddDays(arrangementDay + 30)))],
                Promises = [new PromiseToPay(Start.AddDays(promiseDay), Start.AddDays(promiseDay + 7), Money.FromCents(10_000))],
            };
        var last = Start.AddDays(150);
        var calendar = CollectionCalendar.For(HolidayCalendar.UsFederal, Start, last, []);

        var property = Prop.ForAll(cases.ToArbitrary(), account =>
        {
            var whole = CollectionTimeline.Run(TestPolicies.Standard, account, calendar, Start, last);
            var daily = ImmutableArray.CreateBuilder<CollectionEvent>();
            for (var day = Start; day <= last; day = day.AddDays(1))
            {
                daily.AddRange(CollectionTimeline.Run(TestPolicies.Standard, account, calendar, day, day, daily.ToImmutable()));
            }

            var differ = whole.Zip(daily).FirstOrDefault(pair => pair.First != pair.Second);
            return whole.Length == daily.Count && differ == default
                ? true
                : throw new InvalidOperationException($"{whole.Length} events in one walk, {daily.Count} day by day; first difference: {differ.First} / {differ.Second}");
        });

        Check.One(Generators.Config.WithMaxTest(100), property);
    }
}
