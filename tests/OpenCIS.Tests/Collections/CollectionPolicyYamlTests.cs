using OpenCIS.Core.Common;
using OpenCIS.Core.Collections;
using OpenCIS.UseCases.Collections;

namespace OpenCIS.Tests.Collections;

/// <summary>Policy and scenario files: the examples read, a policy writes and reads back the same, and every mistake is named by line and field.</summary>
public sealed class CollectionPolicyYamlTests
{
    private static string Example(string file) => File.ReadAllText(RepositoryExamples.Path("collections", file));

    [Theory]
    [InlineData("riverbend.yaml")]
    [InlineData("riverbend-final.yaml")]
    [InlineData("lake-mary-fl.yaml")]
    [InlineData("phoenix-az.yaml")]
    [InlineData("key-west-fl.yaml")]
    public void The_example_policies_read_and_write_back_to_the_same_policy(string file)
    {
        var policy = CollectionPolicyYaml.Read(Example(file), file);
        var again = CollectionPolicyYaml.Read(CollectionPolicyYaml.Write(policy), file);

        Assert.Equal(CollectionPolicyYaml.Write(policy), CollectionPolicyYaml.Write(again));
        Assert.Equal(policy.LateCharge with { ExemptClasses = [] }, again.LateCharge with { ExemptClasses = [] });
        Assert.Equal(policy.LateCharge.ExemptClasses.ToArray(), again.LateCharge.ExemptClasses.ToArray());
        Assert.Equal(policy.Steps.ToArray(), again.Steps.ToArray());
        Assert.Equal(policy.Fees, again.Fees);
        Assert.Equal(policy.Arrangements, again.Arrangements);
        Assert.Equal(policy.Protections.NoDisconnectOn, again.Protections.NoDisconnectOn);
        Assert.Equal(policy.Protections.Moratoriums.Select(m => m with { Classes = [] }).ToArray(), again.Protections.Moratoriums.Select(m => m with { Classes = [] }).ToArray());
    }

    [Fact]
    public void The_demo_policy_says_what_the_docs_say()
    {
        var policy = CollectionPolicyYaml.Read(Example("riverbend.yaml"), "riverbend.yaml");
        Assert.Equal("RIVERBEND-UTIL", policy.Code);
        Assert.Equal(LateChargeForm.Percent, policy.LateCharge.Form);
        Assert.Equal(10m, policy.LateCharge.Percent);
        Assert.True(policy.LateCharge.OnEarlierLateCharges);
        Assert.Equal([StepKind.Reminder, StepKind.FinalNotice, StepKind.DoorHanger, StepKind.DisconnectEligible], policy.Steps.Select(s => s.Kind).ToArray());
        Assert.Equal(new NoticePeriod(10, false), policy.Steps[1].Notice);
        Assert.Equal(NoDisconnectDays.Fridays | NoDisconnectDays.Weekends | NoDisconnectDays.Holidays | NoDisconnectDays.DayBeforeHoliday, policy.Protections.NoDisconnectOn);
        Assert.True(policy.AppliesTo("Residential", "utility"));
        Assert.False(policy.AppliesTo("residential", "ems"));
        Assert.Equal(new OpenCIS.Core.Liens.LienRules(120, Money.FromCents(250_00), 30, Money.FromCents(45_00)), policy.Liens);
    }

    [Fact]
    public void A_policy_with_mistakes_is_refused_with_each_line_and_field_named()
    {
        const string yaml = """
            code: BAD
            name: A policy with mistakes
            effective: 2026-02-30
            late_charge:
              form: percentage
              percent: 150
              minimum: 10.00
              maximum: 5.00
              grace_days: 200
            steps:
              - { step: final_notice, days_past_due: 10, notice_days: 10, notice_business_days: 7 }
              - { step: reminder, days_past_due: 1 }
              - { step: disconnect_eligible, days_past_due: -3, minimum_past_due: 12.345 }
            arrangements:
              minimum_down_payment_percent: 25
              installments_max: 6
              eligible_debt_maximum: 500.00
              per_12_months_max: 2
              resume_at: door_hanger
            protections:
              no_disconnect_on: [fridays, tuesdays]
              moratoriums:
                - { name: Winter, from: 13-01, to: 03-31 }
              colour: blue
            """;
        var refusal = Assert.Throws<CollectionFileException>(() => CollectionPolicyYaml.Read(yaml, "bad.yaml"));
        var named = refusal.Errors.Select(e => $"{e.Line}:{e.Field}").ToArray();
        Assert.Equal(
        [
            "3:effective", "5:form", "6:percent", "8:maximum", "9:grace_days", "11:notice_business_days", "12:step",
            "13:days_past_due", "13:minimum_past_due", "19:resume_at", "21:no_disconnect_on", "23:from", "24:colour",
        ], named);
        Assert.Equal("bad.yaml line 5, field form: 'percentage' is not one of percent, flat, greater_of, lesser_of", refusal.Errors[1].ToString());
        Assert.Equal("bad.yaml line 19, field resume_at: door_hanger is not one of the policy's steps", refusal.Errors[9].ToString());
    }

    [Fact]
    public void A_policy_that_is_not_yaml_names_the_line_where_it_breaks()
    {
        var refusal = Assert.Throws<CollectionFileException>(() => CollectionPolicyYaml.Read("code: X\nname: [unclosed\nsteps:\n", "broken.yaml"));
        var error = Assert.Single(refusal.Errors);
        Assert.Equal("yaml", error.Field);
        Assert.True(error.Line >= 2, error.ToString());
    }

    [Fact]
    public void A_scenario_with_mistakes_is_refused_with_each_line_and_field_named()
    {
        const string yaml = """
            account: { class: residential }
            from: 2026-01-01
            to: 2025-12-01
            bills:
              - { ref: B1, date: 2026-01-05, amount: 80.001, due: 2026-01-25 }
              - { ref: B2, date: 2026-02-05, amount: 80.00, due: 2026-02-01 }
            payments:
              - { date: 2026-01-20, amount: -5.00 }
            arrangements:
              - { created: 2026-02-01, amount: 100.00, down_payment: 150.00, installments: 3, first_due: 2026-03-01 }
            holidays: { calendar: Martian }
            temperatures:
              - { date: 2026-01-15, low: 40, high: 30 }
            """;
        var refusal = Assert.Throws<CollectionFileException>(() => CollectionScenarioYaml.Read(yaml, "scenario.yaml"));
        Assert.Equal(["3:to", "5:amount", "6:due", "8:amount", "10:down_payment", "11:calendar", "13:high"], refusal.Errors.Select(e => $"{e.Line}:{e.Field}").ToArray());
    }

    [Fact]
    public void The_example_scenario_reads()
    {
        var scenario = CollectionScenarioYaml.Read(Example("riverbend-scenario.yaml"), "riverbend-scenario.yaml");
        Assert.Equal("residential", scenario.Account.AccountClass);
        Assert.Equal(2, scenario.Account.Bills.Length);
        Assert.Equal("Dr. Ada Lane", Assert.Single(scenario.Account.Protections.MedicalCertificates).Physician);
        Assert.Equal(new DateOnly(2026, 12, 15), scenario.To);
    }
}
