using System.Collections.Immutable;
using System.Globalization;
using OpenCIS.Core.Common;

namespace OpenCIS.Core.Billing;

/// <summary>Why an account is adjusted. <see cref="CreditOnly"/> reasons can only lower what the customer owes.</summary>
public sealed record AdjustmentReason(string Code, string Description, bool CreditOnly);

/// <summary>The reason codes a clerk chooses from. Kept in code for now: adding one is a reviewed change, like a GL account.</summary>
public static class AdjustmentReasons
{
    public const string Leak = "LEAK";

    public static ImmutableArray<AdjustmentReason> All { get; } =
    [
        new("BILLING-ERROR", "Billing error (wrong rate, class or charge)", false),
        new("METER-ERROR", "Meter error (misread, defective or swapped meter)", false),
        new("COURTESY", "Courtesy credit", true),
        new(Leak, "Leak allowance", true),
        new("DEPOSIT-INTEREST", "Interest on deposit", true),
        new("FEE-WAIVER", "Late or returned-payment fee waived", true),
        new("MISC-CHARGE", "Miscellaneous charge (service call, damaged cart)", false),
    ];

    public static AdjustmentReason Find(string? code) =>
        All.FirstOrDefault(r => string.Equals(r.Code, code?.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new DomainException($"'{code}' is not an adjustment reason; use one of {string.Join(", ", All.Select(r => r.Code))}.", "reasonCode");
}

/// <summary>
/// When an adjustment needs a second person. Amounts above the threshold (either way: a large debit
/// is as much a risk as a large credit) wait as Pending until a Supervisor other than the requester approves.
/// </summary>
public static class AdjustmentApproval
{
    public static readonly Money DefaultThreshold = Money.FromCents(100_00);

    /// <summary>The largest single adjustment anyone may request: bigger corrections are a rebill or a finance journal.</summary>
    public static readonly Money Maximum = Money.FromCents(100_000_00);

    public static bool NeedsApproval(Money amountOnAccount, Money threshold) => NeedsApproval(amountOnAccount, threshold, Money.Zero);

    /// <summary>
    /// Adjustments a clerk posted alone on the same account and business day count toward the threshold with this one
    /// (each by its size, credit or debit), so $99.99 twice is $199.98 and waits for a Supervisor like one $199.98 would.
    /// </summary>
    public static bool NeedsApproval(Money amountOnAccount, Money threshold, Money postedAloneToday) =>
        Size(amountOnAccount) + postedAloneToday > threshold;

    private static Money Size(Money amount) => amount.IsNegative ? -amount : amount;

    /// <summary>Checks the request itself: a reason, an amount, its direction for the reason code, and the limit.</summary>
    public static void Validate(AdjustmentReason reason, Money amountOnAccount, string? note)
    {
        if (amountOnAccount.IsZero)
        {
            throw new DomainException("The amount must not be zero.", "amount");
        }

        if (reason.CreditOnly && amountOnAccount.IsPositive)
        {
            throw new DomainException($"{reason.Code} can only credit the account.", "direction");
        }

        if ((amountOnAccount.IsNegative ? -amountOnAccount : amountOnAccount) > Maximum)
        {
            throw new DomainException($"A single adjustment cannot exceed {Maximum}; cancel and rebill instead.", "amount");
        }

        if (string.IsNullOrWhiteSpace(note))
        {
            throw new DomainException("Say why: the note is kept with the adjustment.", "note");
        }
    }

    /// <summary>Who may decide: never the person who asked.</summary>
    public static void CheckDecider(string requestedBy, string decidedBy)
    {
        if (string.Equals(requestedBy, decidedBy, StringComparison.OrdinalIgnoreCase))
        {
            throw new DomainException($"{decidedBy} requested this adjustment; another supervisor must approve or reject it.", "adjustmentId");
        }
    }
}

/// <summary>What a rebill changed, by service and in total: new minus old (negative: the customer owes less).</summary>
public sealed record RebillDifference(Money OldTotal, Money NewTotal, ImmutableArray<(Service Service, Money Old, Money New)> ByService)
{
    public Money Difference => NewTotal - OldTotal;

    public static RebillDifference Between(IEnumerable<(Service Service, Money Amount)> oldSegments, IEnumerable<(Service Service, Money Amount)> newSegments)
    {
        var old = oldSegments.GroupBy(s => s.Service).ToDictionary(g => g.Key, g => Money.Sum(g.Select(s => s.Amount)));
        var @new = newSegments.GroupBy(s => s.Service).ToDictionary(g => g.Key, g => Money.Sum(g.Select(s => s.Amount)));
        var services = old.Keys.Union(@new.Keys).Order().ToImmutableArray();
        return new RebillDifference(
            Money.Sum(old.Values),
            Money.Sum(@new.Values),
            services.Select(s => (s, old.GetValueOrDefault(s), @new.GetValueOrDefault(s))).ToImmutableArray());
    }
}

/// <summary>
/// The utility's leak allowance policy: the average is taken over the account's bills of the last
/// <see cref="LookbackMonths"/> months (at least <see cref="MinimumBills"/> of them), and the customer
/// is credited <see cref="CreditPercent"/> of what the usage above that average was charged.
/// </summary>
public sealed record LeakPolicy(int LookbackMonths, int MinimumBills, decimal CreditPercent)
{
    public static LeakPolicy Default { get; } = new(12, 3, 100m);
}

/// <summary>One earlier bill's usage for the service, over its days.</summary>
public sealed record UsagePeriod(DateOnly BilledOn, int Days, decimal Usage);

/// <summary>What each service charged on the leak bill at its actual usage and at the average usage.</summary>
public sealed record ServiceCharges(Service Service, Money AtActualUsage, Money AtAverageUsage);

public sealed record LeakAllowanceResult(decimal AverageUsage, decimal ExcessUsage, Money Credit, ImmutableArray<string> Trace);

/// <summary>
/// The leak allowance: the usage above the account's normal use is charged again at the average
/// usage (the rating engine does that, so tiers and sewer caps apply the way they did on the bill),
/// and the difference, times the policy's percentage, is credited. Pure: the workflow supplies the history and both ratings.
/// </summary>
public static class LeakAllowance
{
    /// <summary>
    /// The usage the account would normally have used over the leak bill's days: the daily average of
    /// its earlier bills in the lookback window, times the bill's days. Null, with the reason, when there is too little history.
    /// </summary>
    public static (decimal? Usage, string Explanation) AverageUsage(IEnumerable<UsagePeriod> history, DateOnly billedOn, int billDays, LeakPolicy policy)
    {
        var from = billedOn.AddMonths(-policy.LookbackMonths);
        var window = history.Where(h => h.BilledOn >= from && h.BilledOn < billedOn && h.Days > 0).OrderBy(h => h.BilledOn).ToList();
        if (window.Count < policy.MinimumBills)
        {
            return (null, $"The account has {window.Count} earlier bill{(window.Count == 1 ? "" : "s")} in the last {policy.LookbackMonths} months; the policy needs {policy.MinimumBills} to set an average.");
        }

        var usage = window.Sum(h => h.Usage);
        var days = window.Sum(h => h.Days);
        var average = decimal.Round(usage / days * billDays, 0, MidpointRounding.AwayFromZero);
        return (average, string.Create(CultureInfo.InvariantCulture,
            $"Average of {window.Count} bills since {from:yyyy-MM-dd}: {usage:N0} over {days} days = {usage / days:N1} a day x {billDays} days = {average:N0}"));
    }

    public static LeakAllowanceResult Calculate(decimal actualUsage, decimal averageUsage, string averageExplanation, string unit, IEnumerable<ServiceCharges> charges, LeakPolicy policy)
    {
        if (policy.CreditPercent is <= 0 or > 100)
        {
            throw new DomainException($"The leak policy's credit percentage must be above 0 and at most 100; it is {policy.CreditPercent}.", "policy");
        }

        var excess = actualUsage - averageUsage;
        var trace = ImmutableArray.CreateBuilder<string>();
        trace.Add($"{averageExplanation} {unit}.");
        if (excess <= 0)
        {
            trace.Add(string.Create(CultureInfo.InvariantCulture, $"Billed usage {actualUsage:N0} {unit} is not above the average: no allowance."));
            return new LeakAllowanceResult(averageUsage, 0m, Money.Zero, trace.ToImmutable());
        }

        trace.Add(string.Create(CultureInfo.InvariantCulture, $"Billed usage {actualUsage:N0} {unit} - average {averageUsage:N0} {unit} = excess {excess:N0} {unit}."));
        var credit = Money.Zero;
        foreach (var service in charges.OrderBy(c => c.Service))
        {
            var excessCharge = service.AtActualUsage - service.AtAverageUsage;
            if (!excessCharge.IsPositive)
            {
                continue;
            }

            var part = Money.Round(excessCharge.Dollars * policy.CreditPercent / 100m);
            credit += part;
            trace.Add(string.Create(CultureInfo.InvariantCulture,
                $"{service.Service}: charged {service.AtActualUsage} on the billed usage, {service.AtAverageUsage} on the average; {excessCharge} x {policy.CreditPercent:0.##}% = {part}."));
        }

        trace.Add($"Leak allowance: credit {credit}.");
        return new LeakAllowanceResult(averageUsage, excess, credit, trace.ToImmutable());
    }
}
