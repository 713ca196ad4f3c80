using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace OpenCIS.Tests.Cli;

/// <summary>
/// <c>opencis collections simulate</c> (no database) reproduces the timelines that real utilities publish in
/// their ordinances: the policies are in examples/collections, each naming its source; the scenarios are here.
/// </summary>
public sealed class CollectionsSimulateTests
{
    private static readonly IConfiguration NoSettings = new ConfigurationBuilder().Build();

    /// <summary>Writes <paramref name="text"/> to a file of its own for the length of <paramref name="use"/>.</summary>
    private static async Task<T> WithFileAsync<T>(string text, Func<string, Task<T>> use)
    {
        var path = Path.Combine(Path.GetTempPath(), $"collections-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, text);
        try
        {
            return await use(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static Task<CliRun> RunAsync(string policyPath, string scenarioPath, bool json = true) =>
        CliRun.ExecuteAsync(NoSettings, ["collections", "simulate", "--policy", policyPath, "--scenario", scenarioPath, .. json ? new[] { "--json" } : []]);

    private static Task<(string Date, string Action, string? Amount, string Reason)[]> SimulateAsync(string policyFile, string scenario) =>
        WithFileAsync(scenario, async path =>
        {
            var run = await RunAsync(RepositoryExamples.Path("collections", policyFile), path);
            Assert.True(run.ExitCode == 0, run.Output);
            using var json = JsonDocument.Parse(run.Output);
            return json.RootElement.GetProperty("events").EnumerateArray().Select(e => (
                e.GetProperty("date").GetString()!, e.GetProperty("action").GetString()!, e.GetProperty("amount").GetString(), e.GetProperty("reason").GetString()!)).ToArray();
        });

    private static string[] Lines(IEnumerable<(string Date, string Action, string? Amount, string Reason)> events) =>
        [.. events.Select(e => $"{e.Date} {e.Action} {e.Amount ?? "-"}")];

    /// <summary>
    /// City of Lake Mary, Florida, Code of Ordinances, water and wastewater bills
    /// (codelibrary.amlegal.com/codes/lakemary/latest/lakemary_fl/0-0-0-39570): due when billed; unpaid 25 calendar days
    /// after the billing date, a 10% penalty that also applies to earlier unpaid penalties; a shut-off notice; shut off on
    /// the thirtieth day after the billing date.
    /// </summary>
    [Fact]
    public async Task Lake_Mary_Florida_10_percent_after_25_days_notice_then_shut_off_on_the_thirtieth_day()
    {
        var events = await SimulateAsync("lake-mary-fl.yaml", """
            account: { class: residential }
            from: 2026-03-01
            to: 2026-04-30
            bills:
              - { ref: MAR, date: 2026-03-02, amount: 80.00, due: 2026-03-02 }
              - { ref: APR, date: 2026-04-01, amount: 80.00, due: 2026-04-01 }
            """);

        Assert.Equal(["2026-03-28 LateCharge 8.00", "2026-03-28 Notice -", "2026-04-01 DisconnectEligible 88.00", "2026-04-27 LateCharge 8.80"], Lines(events));
        Assert.Equal("bill MAR due Mar 2, 2026: 10% of $80.00 past due = $8.00", events[0].Reason);
        Assert.Equal("final (shut-off) notice: 26 days past due, $80.00 outstanding; earliest disconnect date Apr 1, 2026", events[1].Reason);
        Assert.Equal("30 days past due, $88.00 outstanding; shut-off notice mailed Mar 28, 2026, 4 days elapsed; no protection", events[2].Reason);
        // The penalty applies to the earlier unpaid penalty too.
        Assert.Equal("bill APR due Apr 1, 2026: 10% of $88.00 past due (bill $80.00 + earlier late charges $8.00) = $8.80", events[3].Reason);
    }

    [Fact]
    public async Task Lake_Mary_Florida_a_partial_payment_reduces_the_penalty_and_payment_on_the_thirtieth_day_avoids_the_shut_off()
    {
        var events = await SimulateAsync("lake-mary-fl.yaml", """
            account: { class: residential }
            from: 2026-03-01
            to: 2026-04-10
            bills:
              - { ref: MAR, date: 2026-03-02, amount: 80.00, due: 2026-03-02 }
            payments:
              - { date: 2026-03-20, amount: 30.00 }
              - { date: 2026-04-01, amount: 55.00 }
            """);

        Assert.Equal(["2026-03-28 LateCharge 5.00", "2026-03-28 Notice -", "2026-04-01 PastDuePaid -"], Lines(events));
        Assert.Equal("bill MAR due Mar 2, 2026: 10% of $50.00 past due = $5.00", events[0].Reason);
    }

    /// <summary>
    /// City of Phoenix City Code 37-88 (phoenix.municipal.codes/CC/37-88): a late fee of 3% of the delinquent amount;
    /// no suspension on a Friday, Saturday, Sunday, a City-observed holiday, or the day before one. Independence Day
    /// 2026 is kept on Friday 3 July, so an account due for shut-off on Thursday 2 July waits until Monday 6 July.
    /// </summary>
    [Fact]
    public async Task Phoenix_Arizona_3_percent_late_fee_and_no_shut_off_the_day_before_a_holiday_a_holiday_or_a_weekend()
    {
        var events = await SimulateAsync("phoenix-az.yaml", """
            account: { class: residential }
            from: 2026-05-01
            to: 2026-07-09
            bills:
              - { ref: CSB-0511, date: 2026-05-11, amount: 120.00, due: 2026-06-01 }
            holidays: { calendar: US-Federal }
            """);

        Assert.Equal(
        [
            "2026-06-02 LateCharge 3.60",
            "2026-06-22 Notice -",
            "2026-07-02 Protected -",
            "2026-07-03 Protected -",
            "2026-07-04 Protected -",
            "2026-07-06 DisconnectEligible 123.60",
        ], Lines(events));
        Assert.Equal("bill CSB-0511 due Jun 1, 2026: 3% of $120.00 past due = $3.60", events[0].Reason);
        Assert.Equal("final (shut-off) notice: 21 days past due, $123.60 outstanding; earliest disconnect date Jul 6, 2026", events[1].Reason);
        Assert.Equal("disconnect eligibility held: no disconnects the day before a holiday (Independence Day)", events[2].Reason);
        Assert.Equal("disconnect eligibility held: no disconnects on holidays (Independence Day)", events[3].Reason);
        Assert.Equal("disconnect eligibility held: no disconnects on weekends", events[4].Reason);
        Assert.Equal("35 days past due, $123.60 outstanding; shut-off notice mailed Jun 22, 2026, 14 days elapsed; no protection", events[5].Reason);
    }

    /// <summary>
    /// City of Key West Code sec. 74-209 (keywest.elaws.us/code/coor_subpta_ch74_artii_div5_subdivi_sec74-209): delinquent
    /// 30 days after the meter reading; the greater of $4.00 or 10% of the delinquent balance; 48 hours' notice by door hanger
    /// before disconnection.
    /// </summary>
    [Fact]
    public async Task Key_West_Florida_greater_of_4_dollars_or_10_percent_then_a_48_hour_door_hanger()
    {
        var events = await SimulateAsync("key-west-fl.yaml", """
            account: { class: residential }
            from: 2026-01-01
            to: 2026-02-28
            bills:
              - { ref: R-0105, date: 2026-01-05, amount: 38.00, due: 2026-02-04 }
            """);

        Assert.Equal(["2026-02-05 LateCharge 4.00", "2026-02-17 DoorHanger -", "2026-02-19 DisconnectEligible 42.00"], Lines(events));
        Assert.Equal("bill R-0105 due Feb 4, 2026: greater of 10% of $38.00 past due ($3.80) and $4.00 = $4.00", events[0].Reason);
        Assert.Equal("door hanger: 13 days past due, $42.00 outstanding; notice of 2 days, disconnect from Feb 19, 2026", events[1].Reason);
        Assert.Equal("15 days past due, $42.00 outstanding; door hanger hung Feb 17, 2026, 2 days elapsed; no protection", events[2].Reason);
    }

    [Fact]
    public async Task The_json_output_is_exactly_events_with_date_action_amount_and_reason()
    {
        const string scenario = """
            account: { class: residential }
            from: 2026-03-01
            to: 2026-03-28
            bills:
              - { ref: MAR, date: 2026-03-02, amount: 80.00, due: 2026-03-02 }
            """;
        var lakeMary = RepositoryExamples.Path("collections", "lake-mary-fl.yaml");
        var (json, table) = await WithFileAsync(scenario, async path => (await RunAsync(lakeMary, path), await RunAsync(lakeMary, path, json: false)));

        Assert.Equal(0, json.ExitCode);
        Assert.Equal(
            """{"events":[{"date":"2026-03-28","action":"LateCharge","amount":"8.00","reason":"bill MAR due Mar 2, 2026: 10% of $80.00 past due = $8.00"},"""
            + """{"date":"2026-03-28","action":"Notice","amount":null,"reason":"final (shut-off) notice: 26 days past due, $80.00 outstanding; earliest disconnect date Apr 1, 2026"}]}""",
            json.Output.Trim());
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("LateCharge", table.Output, StringComparison.Ordinal);
        Assert.Contains("2 events.", table.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_policy_is_refused_with_line_and_field_and_simulates_nothing()
    {
        const string policy = """
            code: BAD
            name: Bad
            effective: 2026-01-01
            late_charge: { form: percent, percent: ten }
            steps:
              - { step: shut_off, days_past_due: 30 }
            """;
        var (run, name) = await WithFileAsync(policy, async path => (await RunAsync(path, RepositoryExamples.Path("collections", "riverbend-scenario.yaml"), json: false), Path.GetFileName(path)));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{name} line 4, field percent:", run.Output, StringComparison.Ordinal);
        Assert.Contains($"{name} line 6, field step:", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("LateCharge", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_demo_scenario_runs_under_the_demo_policy_and_names_the_medical_certificate()
    {
        var run = await RunAsync(RepositoryExamples.Path("collections", "riverbend.yaml"), RepositoryExamples.Path("collections", "riverbend-scenario.yaml"));
        Assert.True(run.ExitCode == 0, run.Output);
        using var json = JsonDocument.Parse(run.Output);
        var reasons = json.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("reason").GetString()!).ToArray();
        Assert.Contains("disconnect eligibility held: medical certificate until Dec 2, 2026 (Dr. Ada Lane)", reasons);
        Assert.Contains(reasons, r => r.StartsWith("promised $52.40 by Nov 9, 2026", StringComparison.Ordinal));
    }
}
