using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using OpenCIS.Core.Collections;
using OpenCIS.Core.Common;
using OpenCIS.Core.Liens;
using OpenCIS.Core.Pursuit;
using YamlDotNet.RepresentationModel;

namespace OpenCIS.UseCases.Collections;

/// <summary>
/// Reads and writes collection policies in the YAML format documented in docs/collections.md. Reading
/// checks everything and reports every problem with its line and field; a file with any problem gives no
/// policy. Writing gives text that reads back to the same policy.
/// </summary>
public static class CollectionPolicyYaml
{
    internal static readonly IReadOnlyDictionary<string, StepKind> StepKinds = new Dictionary<string, StepKind>(StringComparer.Ordinal)
    {
        ["reminder"] = StepKind.Reminder,
        ["final_notice"] = StepKind.FinalNotice,
        ["door_hanger"] = StepKind.DoorHanger,
        ["disconnect_eligible"] = StepKind.DisconnectEligible,
    };

    private static readonly IReadOnlyDictionary<string, LateChargeForm> Forms = new Dictionary<string, LateChargeForm>(StringComparer.Ordinal)
    {
        ["percent"] = LateChargeForm.Percent,
        ["flat"] = LateChargeForm.Flat,
        ["greater_of"] = LateChargeForm.GreaterOf,
        ["lesser_of"] = LateChargeForm.LesserOf,
    };

    private static readonly IReadOnlyDictionary<string, NoDisconnectDays> Days = new Dictionary<string, NoDisconnectDays>(StringComparer.Ordinal)
    {
        ["fridays"] = NoDisconnectDays.Fridays,
        ["weekends"] = NoDisconnectDays.Weekends,
        ["holidays"] = NoDisconnectDays.Holidays,
        ["day_before_holiday"] = NoDisconnectDays.DayBeforeHoliday,
    };

    public static CollectionPolicy Read(string text, string fileName)
    {
        var fields = new YamlFields(fileName, errors => new CollectionFileException(errors));
        var root = fields.Root(text, "policy");
        fields.Known(root, "code", "name", "effective", "applies_to", "late_charge", "steps", "fees", "arrangements", "protections", "pursuit", "liens");
        var code = fields.Text(root, "code");
        var name = fields.Text(root, "name");
        var effective = fields.Date(root, "effective");
        var (classes, debtTypes) = AppliesTo(fields, root);
        var lateCharge = fields.Mapping(root, "late_charge") is { } late ? LateCharge(fields, late) : null;
        var steps = Steps(fields, root);
        var fees = fields.Mapping(root, "fees", required: false) is { } feeMap ? Fees(fields, feeMap) : CollectionFees.None;
        var arrangements = fields.Mapping(root, "arrangements", required: false) is { } arrangementMap ? Arrangements(fields, arrangementMap, steps) : ArrangementLimits.Default;
        var protections = fields.Mapping(root, "protections", required: false) is { } protectionMap ? Protections(fields, protectionMap) : ProtectionRules.None;
        var pursuit = fields.Mapping(root, "pursuit", required: false) is { } pursuitMap ? Pursuit(fields, pursuitMap) : null;
        var liens = fields.Mapping(root, "liens", required: false) is { } lienMap ? Liens(fields, lienMap) : null;
        fields.ThrowIfAny();
        return new CollectionPolicy(code!, name!, effective!.Value, classes, debtTypes, lateCharge!, steps, fees, arrangements!, protections, pursuit, liens);
    }

    private static (ImmutableArray<string> Classes, ImmutableArray<string> DebtTypes) AppliesTo(YamlFields fields, YamlMappingNode root)
    {
        if (fields.Mapping(root, "applies_to", required: false) is not { } applies)
        {
            return ([], []);
        }

        fields.Known(applies, "classes", "debt_types");
        return (fields.Names(applies, "classes"), fields.Names(applies, "debt_types"));
    }

    private static LateChargeRule? LateCharge(YamlFields fields, YamlMappingNode map)
    {
        fields.Known(map, "form", "percent", "flat", "minimum", "maximum", "minimum_past_due", "grace_days", "exempt_classes", "on_earlier_late_charges", "courtesy_waivers_per_12_months");
        var form = fields.Choice(map, "form", Forms);
        var percent = fields.Percent(map, "percent", required: form is LateChargeForm.Percent or LateChargeForm.GreaterOf or LateChargeForm.LesserOf);
        var flat = fields.Amount(map, "flat", required: form is LateChargeForm.Flat or LateChargeForm.GreaterOf or LateChargeForm.LesserOf);
        var minimum = fields.Amount(map, "minimum", required: false);
        var maximum = fields.Amount(map, "maximum", required: false);
        if (minimum is { } least && maximum is { } most && least > most)
        {
            fields.Problem(YamlFields.Child(map, "maximum")!, "maximum", $"the maximum {most} is under the minimum {least}");
        }

        var minimumPastDue = fields.Amount(map, "minimum_past_due", required: false) ?? Money.Zero;
        var grace = fields.Whole(map, "grace_days", 0, LateChargeRule.GraceDaysMax, required: false) ?? 0;
        var courtesy = fields.Whole(map, "courtesy_waivers_per_12_months", 0, LateChargeRule.CourtesyWaiversMax, required: false) ?? 1;
        return form is null ? null : new LateChargeRule(form.Value, percent ?? 0m, flat ?? Money.Zero, minimum, maximum, minimumPastDue, grace, fields.Names(map, "exempt_classes"),
            fields.Flag(map, "on_earlier_late_charges"), courtesy);
    }

    private static ImmutableArray<CollectionStep> Steps(YamlFields fields, YamlMappingNode root)
    {
        var steps = ImmutableArray.CreateBuilder<CollectionStep>();
        foreach (var map in fields.Mappings(root, "steps", "{ step: reminder, days_past_due: N, ... }", required: true))
        {
            fields.Known(map, "step", "days_past_due", "minimum_past_due", "notice_days", "notice_business_days");
            var kind = fields.Choice(map, "step", StepKinds);
            var days = fields.Whole(map, "days_past_due", 0, CollectionStep.DaysPastDueMax);
            var minimum = fields.Amount(map, "minimum_past_due", required: false) ?? Money.Zero;
            var calendarDays = fields.Whole(map, "notice_days", 1, 90, required: false);
            var businessDays = fields.Whole(map, "notice_business_days", 1, 60, required: false);
            if (calendarDays is not null && businessDays is not null)
            {
                fields.Problem(YamlFields.Child(map, "notice_business_days")!, "notice_business_days", "give notice_days or notice_business_days, not both");
            }

            NoticePeriod? notice = calendarDays is { } c ? new NoticePeriod(c, false) : businessDays is { } b ? new NoticePeriod(b, true) : null;
            if (kind is null || days is null)
            {
                continue;
            }

            if (steps.Count > 0 && steps[^1] is { } before)
            {
                if (kind.Value <= before.Kind)
                {
                    fields.Problem(YamlFields.Child(map, "step")!, "step", $"{Word(kind.Value)} must come after {Word(before.Kind)}: steps run reminder, final_notice, door_hanger, disconnect_eligible, each at most once");
                }
                else if (days.Value < before.DaysPastDue)
                {
                    fields.Problem(YamlFields.Child(map, "days_past_due")!, "days_past_due", $"{days.Value} is fewer days than the step before ({before.DaysPastDue})");
                }
            }

            steps.Add(new CollectionStep(kind.Value, days.Value, minimum, notice));
        }

        return steps.ToImmutable();
    }

    private static CollectionFees Fees(YamlFields fields, YamlMappingNode map)
    {
        fields.Known(map, "door_hanger", "disconnect", "reconnect", "same_day_reconnect", "after_hours_reconnect");
        Money Fee(string key) => fields.Amount(map, key, required: false) ?? Money.Zero;
        return new CollectionFees(Fee("door_hanger"), Fee("disconnect"), Fee("reconnect"), Fee("same_day_reconnect"), Fee("after_hours_reconnect"));
    }

    private static ArrangementLimits? Arrangements(YamlFields fields, YamlMappingNode map, ImmutableArray<CollectionStep> steps)
    {
        fields.Known(map, "minimum_down_payment_percent", "installments_max", "eligible_debt_minimum", "eligible_debt_maximum", "per_12_months_max", "missed_installment_grace_days", "resume_at");
        var downPercent = fields.Percent(map, "minimum_down_payment_percent");
        var installments = fields.Whole(map, "installments_max", 1, ArrangementLimits.InstallmentsLimit);
        var least = fields.Amount(map, "eligible_debt_minimum", required: false) ?? Money.Zero;
        var most = fields.Amount(map, "eligible_debt_maximum");
        if (most is { } maximum && maximum < least)
        {
            fields.Problem(YamlFields.Child(map, "eligible_debt_maximum")!, "eligible_debt_maximum", $"the most eligible debt {maximum} is under the least {least}");
        }

        var per12Months = fields.Whole(map, "per_12_months_max", 1, 12);
        var grace = fields.Whole(map, "missed_installment_grace_days", 0, 60, required: false) ?? 0;
        var resumeAt = fields.Choice(map, "resume_at", StepKinds);
        if (resumeAt is { } resume && steps.All(s => s.Kind != resume))
        {
            fields.Problem(YamlFields.Child(map, "resume_at")!, "resume_at", $"{Word(resume)} is not one of the policy's steps");
        }

        return downPercent is null || installments is null || most is null || per12Months is null || resumeAt is null
            ? null
            : new ArrangementLimits(downPercent.Value, installments.Value, least, most.Value, per12Months.Value, grace, resumeAt.Value);
    }

    private static ProtectionRules Protections(YamlFields fields, YamlMappingNode map)
    {
        fields.Known(map, "medical_certificate", "life_support", "moratoriums", "cold_at_or_below_f", "hot_at_or_above_f", "no_disconnect_on",
            "active_arrangement", "open_dispute", "pending_payment", "bankruptcy_stay", "minimum_balance", "exempt_classes", "owner_notice_days");
        var renewals = 0;
        var medical = false;
        if (fields.Mapping(map, "medical_certificate", required: false) is { } certificate)
        {
            fields.Known(certificate, "renewals_per_year");
            medical = true;
            renewals = fields.Whole(certificate, "renewals_per_year", 0, 12) ?? 0;
        }

        var moratoriums = fields.Items<Moratorium>(map, "moratoriums", "{ name: Winter, from: 12-01, to: 03-31, classes: [residential] }", (season, add) =>
        {
            fields.Known(season, "name", "from", "to", "classes");
            var name = fields.Text(season, "name");
            var from = MonthDay(fields, season, "from");
            var to = MonthDay(fields, season, "to");
            if (name is not null && from is { } start && to is { } end)
            {
                add.Add(new Moratorium(name, start.Month, start.Day, end.Month, end.Day, fields.Names(season, "classes")));
            }
        });

        var forbidden = NoDisconnectDays.None;
        foreach (var item in fields.List(map, "no_disconnect_on"))
        {
            if (item is YamlScalarNode { Value: { } word } && Days.TryGetValue(word, out var day))
            {
                forbidden |= day;
            }
            else
            {
                fields.Problem(item, "no_disconnect_on", $"'{(item as YamlScalarNode)?.Value}' is not one of {string.Join(", ", Days.Keys)}");
            }
        }

        return new ProtectionRules(
            medical, renewals, fields.Flag(map, "life_support"), moratoriums,
            fields.Whole(map, "cold_at_or_below_f", -60, 80, required: false), fields.Whole(map, "hot_at_or_above_f", 60, 130, required: false), forbidden,
            fields.Flag(map, "active_arrangement"), fields.Flag(map, "open_dispute"), fields.Flag(map, "pending_payment"), fields.Flag(map, "bankruptcy_stay"),
            fields.Amount(map, "minimum_balance", required: false) ?? Money.Zero, fields.Names(map, "exempt_classes"), fields.Whole(map, "owner_notice_days", 1, 60, required: false));
    }

    private static PursuitRules Pursuit(YamlFields fields, YamlMappingNode map)
    {
        fields.Known(map, "transfer", "legal", "agency", "write_off");
        PursuitTransfer? transfer = null;
        if (fields.Mapping(map, "transfer", required: false) is { } move)
        {
            fields.Known(move, "days_past_due", "classes");
            transfer = fields.Whole(move, "days_past_due", 0, PursuitRules.DaysMax) is { } days ? new PursuitTransfer(days, fields.Names(move, "classes")) : null;
        }

        var legal = fields.Mapping(map, "legal", required: false) is { } legalMap ? Referral(fields, legalMap, recall: false) : null;
        var agency = fields.Mapping(map, "agency", required: false) is { } agencyMap ? Referral(fields, agencyMap, recall: true) : null;
        int? writeOff = null;
        if (fields.Mapping(map, "write_off", required: false) is { } writeOffMap)
        {
            fields.Known(writeOffMap, "days_past_due");
            writeOff = fields.Whole(writeOffMap, "days_past_due", 0, PursuitRules.DaysMax);
        }

        return new PursuitRules(transfer, legal, agency, writeOff);
    }

    private static LienRules? Liens(YamlFields fields, YamlMappingNode map)
    {
        fields.Known(map, "days_past_due", "minimum_balance", "notice_days", "filing_fee");
        var days = fields.Whole(map, "days_past_due", 1, LienRules.DaysMax);
        var minimum = fields.Amount(map, "minimum_balance", required: false) ?? Money.Zero;
        var notice = fields.Whole(map, "notice_days", 1, LienRules.DaysMax);
        var fee = fields.Amount(map, "filing_fee", required: false) ?? Money.Zero;
        return days is null || notice is null ? null : new LienRules(days.Value, minimum, notice.Value, fee);
    }

    private static PursuitReferral? Referral(YamlFields fields, YamlMappingNode map, bool recall)
    {
        fields.Known(map, recall ? ["agency", "days_past_due", "minimum_balance", "no_payment_days", "recall_after_days"] : ["agency", "days_past_due", "minimum_balance", "no_payment_days"]);
        var agency = fields.Text(map, "agency");
        var days = fields.Whole(map, "days_past_due", 0, PursuitRules.DaysMax);
        var minimum = fields.Amount(map, "minimum_balance", required: false) ?? Money.Zero;
        var quiet = fields.Whole(map, "no_payment_days", 0, PursuitRules.DaysMax, required: false) ?? 0;
        var recallAfter = recall ? fields.Whole(map, "recall_after_days", 1, PursuitRules.DaysMax, required: false) : null;
        return agency is null || days is null ? null : new PursuitReferral(agency.Trim().ToUpperInvariant(), days.Value, minimum, quiet, recallAfter);
    }

    /// <summary>A month and day written MM-DD (12-01), checked against a leap year so 02-29 is allowed.</summary>
    private static (int Month, int Day)? MonthDay(YamlFields fields, YamlMappingNode map, string key)
    {
        var text = fields.Text(map, key);
        if (text is not null && DateOnly.TryParseExact("2000-" + text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return (date.Month, date.Day);
        }

        if (text is not null)
        {
            fields.Problem(YamlFields.Child(map, key)!, key, $"'{text}' is not a month and day (MM-DD)");
        }

        return null;
    }

    internal static string Word(StepKind kind) => StepKinds.First(k => k.Value == kind).Key;

    /// <summary>Writes a policy in the documented format; reading the text back gives the same policy.</summary>
    public static string Write(CollectionPolicy policy)
    {
        var yaml = new StringBuilder();
        yaml.Append("code: ").AppendLine(Quoted(policy.Code));
        yaml.Append("name: ").AppendLine(Quoted(policy.Name));
        yaml.Append("effective: ").AppendLine(Date(policy.EffectiveFrom));
        yaml.AppendLine("applies_to:");
        yaml.Append("  classes: ").AppendLine(NameList(policy.AccountClasses));
        yaml.Append("  debt_types: ").AppendLine(NameList(policy.DebtTypes));
        WriteLateCharge(yaml, policy.LateCharge);
        yaml.AppendLine("steps:");
        foreach (var step in policy.Steps)
        {
            yaml.Append("  - { step: ").Append(Word(step.Kind)).Append(", days_past_due: ").Append(Number(step.DaysPastDue))
                .Append(", minimum_past_due: ").Append(step.MinimumPastDue.ToPlainString());
            if (step.Notice is { } notice)
            {
                yaml.Append(notice.BusinessDays ? ", notice_business_days: " : ", notice_days: ").Append(Number(notice.Days));
            }

            yaml.AppendLine(" }");
        }

        var fees = policy.Fees;
        yaml.AppendLine("fees:");
        yaml.Append("  door_hanger: ").AppendLine(fees.DoorHanger.ToPlainString());
        yaml.Append("  disconnect: ").AppendLine(fees.Disconnect.ToPlainString());
        yaml.Append("  reconnect: ").AppendLine(fees.Reconnect.ToPlainString());
        yaml.Append("  same_day_reconnect: ").AppendLine(fees.SameDayReconnect.ToPlainString());
        yaml.Append("  after_hours_reconnect: ").AppendLine(fees.AfterHoursReconnect.ToPlainString());
        var limits = policy.Arrangements;
        yaml.AppendLine("arrangements:");
        yaml.Append("  minimum_down_payment_percent: ").AppendLine(Number(limits.MinimumDownPaymentPercent));
        yaml.Append("  installments_max: ").AppendLine(Number(limits.InstallmentsMax));
        yaml.Append("  eligible_debt_minimum: ").AppendLine(limits.EligibleDebtMinimum.ToPlainString());
        yaml.Append("  eligible_debt_maximum: ").AppendLine(limits.EligibleDebtMaximum.ToPlainString());
        yaml.Append("  per_12_months_max: ").AppendLine(Number(limits.ArrangementsPer12MonthsMax));
        yaml.Append("  missed_installment_grace_days: ").AppendLine(Number(limits.MissedInstallmentGraceDays));
        yaml.Append("  resume_at: ").AppendLine(Word(limits.ResumeAt));
        WriteProtections(yaml, policy.Protections);
        if (policy.Pursuit is { } pursuit)
        {
            WritePursuit(yaml, pursuit);
        }

        if (policy.Liens is { } liens)
        {
            yaml.AppendLine("liens:");
            yaml.Append("  days_past_due: ").AppendLine(Number(liens.DaysPastDue));
            yaml.Append("  minimum_balance: ").AppendLine(liens.MinimumBalance.ToPlainString());
            yaml.Append("  notice_days: ").AppendLine(Number(liens.NoticeDays));
            yaml.Append("  filing_fee: ").AppendLine(liens.FilingFee.ToPlainString());
        }

        return yaml.ToString();
    }

    private static void WriteLateCharge(StringBuilder yaml, LateChargeRule rule)
    {
        yaml.AppendLine("late_charge:");
        yaml.Append("  form: ").AppendLine(Forms.First(f => f.Value == rule.Form).Key);
        yaml.Append("  percent: ").AppendLine(Number(rule.Percent));
        yaml.Append("  flat: ").AppendLine(rule.Flat.ToPlainString());
        if (rule.Minimum is { } minimum)
        {
            yaml.Append("  minimum: ").AppendLine(minimum.ToPlainString());
        }

        if (rule.Maximum is { } maximum)
        {
            yaml.Append("  maximum: ").AppendLine(maximum.ToPlainString());
        }

        yaml.Append("  minimum_past_due: ").AppendLine(rule.MinimumPastDue.ToPlainString());
        yaml.Append("  grace_days: ").AppendLine(Number(rule.GraceDays));
        yaml.Append("  exempt_classes: ").AppendLine(NameList(rule.ExemptClasses));
        yaml.Append("  on_earlier_late_charges: ").AppendLine(rule.OnEarlierLateCharges ? "true" : "false");
        yaml.Append("  courtesy_waivers_per_12_months: ").AppendLine(Number(rule.CourtesyWaiversPer12Months));
    }

    private static void WriteProtections(StringBuilder yaml, ProtectionRules rules)
    {
        yaml.AppendLine("protections:");
        if (rules.MedicalCertificate)
        {
            yaml.Append("  medical_certificate: { renewals_per_year: ").Append(Number(rules.MedicalRenewalsPerYear)).AppendLine(" }");
        }

        yaml.Append("  life_support: ").AppendLine(Flag(rules.LifeSupport));
        yaml.AppendLine(rules.Moratoriums.IsDefaultOrEmpty ? "  moratoriums: []" : "  moratoriums:");
        foreach (var season in rules.Moratoriums)
        {
            yaml.Append("    - { name: ").Append(Quoted(season.Name))
                .Append(", from: '").Append(Number(season.FromMonth, "00")).Append('-').Append(Number(season.FromDay, "00"))
                .Append("', to: '").Append(Number(season.ToMonth, "00")).Append('-').Append(Number(season.ToDay, "00"))
                .Append("', classes: ").Append(NameList(season.Classes)).AppendLine(" }");
        }

        if (rules.ColdAtOrBelowF is { } cold)
        {
            yaml.Append("  cold_at_or_below_f: ").AppendLine(Number(cold));
        }

        if (rules.HotAtOrAboveF is { } hot)
        {
            yaml.Append("  hot_at_or_above_f: ").AppendLine(Number(hot));
        }

        yaml.Append("  no_disconnect_on: [").Append(string.Join(", ", Days.Where(d => (rules.NoDisconnectOn & d.Value) != 0).Select(d => d.Key))).AppendLine("]");
        yaml.Append("  active_arrangement: ").AppendLine(Flag(rules.ActiveArrangement));
        yaml.Append("  open_dispute: ").AppendLine(Flag(rules.OpenDispute));
        yaml.Append("  pending_payment: ").AppendLine(Flag(rules.PendingPayment));
        yaml.Append("  bankruptcy_stay: ").AppendLine(Flag(rules.BankruptcyStay));
        yaml.Append("  minimum_balance: ").AppendLine(rules.MinimumBalance.ToPlainString());
        yaml.Append("  exempt_classes: ").AppendLine(NameList(rules.ExemptClasses));
        if (rules.OwnerNoticeDays is { } ownerDays)
        {
            yaml.Append("  owner_notice_days: ").AppendLine(Number(ownerDays));
        }
    }

    private static void WritePursuit(StringBuilder yaml, PursuitRules rules)
    {
        yaml.AppendLine("pursuit:");
        if (rules.Transfer is { } transfer)
        {
            yaml.Append("  transfer: { days_past_due: ").Append(Number(transfer.DaysPastDue)).Append(", classes: ").Append(NameList(transfer.Classes)).AppendLine(" }");
        }

        foreach (var (key, referral) in new[] { ("legal", rules.Legal), ("agency", rules.Agency) })
        {
            if (referral is null)
            {
                continue;
            }

            yaml.Append("  ").Append(key).Append(": { agency: ").Append(Quoted(referral.Agency)).Append(", days_past_due: ").Append(Number(referral.DaysPastDue))
                .Append(", minimum_balance: ").Append(referral.MinimumBalance.ToPlainString()).Append(", no_payment_days: ").Append(Number(referral.NoPaymentDays));
            if (referral.RecallAfterDays is { } recall)
            {
                yaml.Append(", recall_after_days: ").Append(Number(recall));
            }

            yaml.AppendLine(" }");
        }

        if (rules.WriteOffDaysPastDue is { } writeOff)
        {
            yaml.Append("  write_off: { days_past_due: ").Append(Number(writeOff)).AppendLine(" }");
        }
    }

    private static string Flag(bool value) => value ? "true" : "false";

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Number(int value, string format = "0") => value.ToString(format, CultureInfo.InvariantCulture);

    private static string NameList(ImmutableArray<string> names) => "[" + string.Join(", ", names.IsDefault ? Enumerable.Empty<string>() : names.Select(Quoted)) + "]";

    /// <summary>Text in single quotes, so no name or code is read as a number, a flag or YAML syntax.</summary>
    private static string Quoted(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
