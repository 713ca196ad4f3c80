using System.Collections.Immutable;
using OpenCIS.Core.Common;
using OpenCIS.Core.Liens;
using OpenCIS.Core.Pursuit;

namespace OpenCIS.Core.Collections;

/// <summary>
/// A collection policy version: data, not code, like a tariff. It applies to the account classes and
/// debt types it names (an empty list means all), and holds the late charge rule, the steps by days past
/// due, the fees, the limits on payment arrangements and the protections that stop or delay a step; a policy for final
/// bills may add the final-bill pursuit that follows its final notice (transfer, referral, write-off), and any policy the liens
/// an owner-responsible balance moves to when it is old and large enough.
/// Account classes and debt types are compared without regard to case ("Residential" is "residential").
/// </summary>
public sealed record CollectionPolicy(
    string Code,
    string Name,
    DateOnly EffectiveFrom,
    ImmutableArray<string> AccountClasses,
    ImmutableArray<string> DebtTypes,
    LateChargeRule LateCharge,
    ImmutableArray<CollectionStep> Steps,
    CollectionFees Fees,
    ArrangementLimits Arrangements,
    ProtectionRules Protections,
    PursuitRules? Pursuit = null,
    LienRules? Liens = null)
{
    public bool AppliesTo(string accountClass, string debtType) =>
        (AccountClasses.IsDefaultOrEmpty || Contains(AccountClasses, accountClass))
        && (DebtTypes.IsDefaultOrEmpty || Contains(DebtTypes, debtType));

    internal static bool Contains(ImmutableArray<string> names, string name)
    {
        if (names.IsDefaultOrEmpty)
        {
            return false;
        }

        foreach (var candidate in names)
        {
            if (string.Equals(candidate, name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>How a late charge is reached from the past-due amount.</summary>
public enum LateChargeForm
{
    /// <summary>A percent of the past-due amount.</summary>
    Percent,

    /// <summary>A flat amount per late bill.</summary>
    Flat,

    /// <summary>The greater of the percent and the flat amount.</summary>
    GreaterOf,

    /// <summary>The lesser of the percent and the flat amount.</summary>
    LesserOf,
}

/// <summary>
/// The late charge rule. A bill is charged once, on the first day after its due date plus the grace
/// days, on what is still unpaid of it (partial payments reduce the base). A bill paid in full by its due
/// date is never charged. Earlier late charges are in the base only when <see cref="OnEarlierLateCharges"/>.
/// The percent is rounded to the cent half away from zero; then the minimum and the maximum apply.
/// A clerk may waive <see cref="CourtesyWaiversPer12Months"/> charges an account in twelve months as a courtesy;
/// a waiver beyond that needs a Supervisor's approval.
/// </summary>
public sealed record LateChargeRule(
    LateChargeForm Form,
    decimal Percent,
    Money Flat,
    Money? Minimum,
    Money? Maximum,
    Money MinimumPastDue,
    int GraceDays,
    ImmutableArray<string> ExemptClasses,
    bool OnEarlierLateCharges = false,
    int CourtesyWaiversPer12Months = 1)
{
    public const int GraceDaysMax = 90;
    public const int CourtesyWaiversMax = 12;

    /// <summary>No late charges at all: a percent of zero.</summary>
    public static LateChargeRule None { get; } = new(LateChargeForm.Percent, 0m, Money.Zero, null, null, Money.Zero, 0, []);
}

/// <summary>The kinds of step, in the order a delinquency usually walks them.</summary>
public enum StepKind
{
    /// <summary>A reminder notice.</summary>
    Reminder,

    /// <summary>The final (shut-off) notice, printing the earliest disconnect date.</summary>
    FinalNotice,

    /// <summary>A notice hung on the door by field staff (usually 48 hours), with its fee.</summary>
    DoorHanger,

    /// <summary>The account may go on the disconnect list.</summary>
    DisconnectEligible,
}

/// <summary>How long a notice gives the customer before the next step: calendar days or business days.</summary>
public readonly record struct NoticePeriod(int Days, bool BusinessDays)
{
    public override string ToString() => BusinessDays ? $"{Days} business day{(Days == 1 ? "" : "s")}" : $"{Days} day{(Days == 1 ? "" : "s")}";
}

/// <summary>
/// One step: taken on the first day the account is at least <paramref name="DaysPastDue"/> days past due
/// with at least <paramref name="MinimumPastDue"/> past due, once the step before it has been taken and its
/// notice period has run. A notice step's <paramref name="Notice"/> is the time it gives before the next step.
/// </summary>
public sealed record CollectionStep(StepKind Kind, int DaysPastDue, Money MinimumPastDue, NoticePeriod? Notice = null)
{
    public const int DaysPastDueMax = 730;
}

/// <summary>The fees a policy charges. A fee of zero is not charged.</summary>
public sealed record CollectionFees(Money DoorHanger, Money Disconnect, Money Reconnect, Money SameDayReconnect, Money AfterHoursReconnect)
{
    public static CollectionFees None { get; } = new(Money.Zero, Money.Zero, Money.Zero, Money.Zero, Money.Zero);
}

/// <summary>
/// The limits on payment arrangements: the least down payment as a percent of the arranged amount, the
/// most installments, the debt that may be arranged, how many arrangements an account may make in twelve
/// months, how many days an installment may be late before the arrangement breaks, and the step
/// collections resume at when it does.
/// </summary>
public sealed record ArrangementLimits(
    decimal MinimumDownPaymentPercent,
    int InstallmentsMax,
    Money EligibleDebtMinimum,
    Money EligibleDebtMaximum,
    int ArrangementsPer12MonthsMax,
    int MissedInstallmentGraceDays,
    StepKind ResumeAt)
{
    public const int InstallmentsLimit = 60;

    public static ArrangementLimits Default { get; } = new(0m, 12, Money.Zero, Money.FromCents(100_000_00), 1, 0, StepKind.DisconnectEligible);
}

/// <summary>A season during which disconnections wait (a winter or heat moratorium), by month and day, for some classes or all.</summary>
public sealed record Moratorium(string Name, int FromMonth, int FromDay, int ToMonth, int ToDay, ImmutableArray<string> Classes)
{
    /// <summary>Whether <paramref name="date"/> is in the season; a season from December to March spans the new year.</summary>
    public bool Covers(DateOnly date)
    {
        var day = (date.Month * 100) + date.Day;
        var from = (FromMonth * 100) + FromDay;
        var to = (ToMonth * 100) + ToDay;
        return from <= to ? day >= from && day <= to : day >= from || day <= to;
    }

    public bool AppliesTo(string accountClass) => Classes.IsDefaultOrEmpty || CollectionPolicy.Contains(Classes, accountClass);
}

/// <summary>The days a disconnection may not happen.</summary>
[Flags]
public enum NoDisconnectDays
{
    None = 0,
    Fridays = 1,
    Weekends = 2,
    Holidays = 4,
    DayBeforeHoliday = 8,
}

/// <summary>
/// Which protections the policy honours, with their parameters. A protection the policy leaves out does
/// not stop anything, whatever the account says. Temperatures are degrees Fahrenheit, as utilities post them.
/// </summary>
public sealed record ProtectionRules(
    bool MedicalCertificate,
    int MedicalRenewalsPerYear,
    bool LifeSupport,
    ImmutableArray<Moratorium> Moratoriums,
    int? ColdAtOrBelowF,
    int? HotAtOrAboveF,
    NoDisconnectDays NoDisconnectOn,
    bool ActiveArrangement,
    bool OpenDispute,
    bool PendingPayment,
    bool BankruptcyStay,
    Money MinimumBalance,
    ImmutableArray<string> ExemptClasses,
    int? OwnerNoticeDays)
{
    public static ProtectionRules None { get; } = new(false, 0, false, [], null, null, NoDisconnectDays.None, false, false, false, false, Money.Zero, [], null);
}
