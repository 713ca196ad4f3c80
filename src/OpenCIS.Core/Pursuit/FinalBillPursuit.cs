using System.Collections.Immutable;
using OpenCIS.Core.Common;

namespace OpenCIS.Core.Pursuit;

/// <summary>Who a final balance is referred to: a collection agency working it for a commission, or the city's legal office (a State's Attorney).</summary>
public enum ReferralKind
{
    Agency,
    Legal,
}

/// <summary>How an agency remits: the net of its commission (it keeps its cut), or the gross it collected (it bills its commission).</summary>
public enum RemittanceBasis
{
    Net,
    Gross,
}

/// <summary>Where a referral stands: open while the agency or the legal office works it; then recalled by the city, or paid in full.</summary>
public enum ReferralStatus
{
    Open,
    Recalled,
    PaidInFull,
}

/// <summary>Transfer a final balance to the same customer's active account, for the classes named (all when none are).</summary>
public sealed record PursuitTransfer(int DaysPastDue, ImmutableArray<string> Classes)
{
    public bool AppliesTo(string accountClass) => Classes.IsDefaultOrEmpty || Classes.Contains(accountClass, StringComparer.OrdinalIgnoreCase);
}

/// <summary>
/// Refer a final balance to the agency (or legal office) <paramref name="Agency"/> once it is <paramref name="DaysPastDue"/> days past due,
/// owes at least <paramref name="MinimumBalance"/>, and has had no payment in <paramref name="NoPaymentDays"/> days (zero: whatever the
/// payments). An agency referral is recalled after <paramref name="RecallAfterDays"/> days (none: never by itself).
/// </summary>
public sealed record PursuitReferral(string Agency, int DaysPastDue, Money MinimumBalance, int NoPaymentDays, int? RecallAfterDays);

/// <summary>
/// A policy's final-bill pursuit, walked in this order once the final notice is out: a transfer to an active account of the same
/// customer; else a referral to legal for a balance as large as it takes (and to no agency); else to a collection agency; and once a referral is recalled (or when
/// there is none to make), the balance is ready to be written off after <see cref="WriteOffDaysPastDue"/> days, through a
/// Supervisor's write-off. Any part may be left out.
/// </summary>
public sealed record PursuitRules(PursuitTransfer? Transfer, PursuitReferral? Legal, PursuitReferral? Agency, int? WriteOffDaysPastDue)
{
    public const int DaysMax = 3650;
}

/// <summary>What the pursuit knows of a final account on the day: its class, age, balance, payments, and the same customer's active account.</summary>
public sealed record PursuitAccount(
    string AccountClass,
    int DaysPastDue,
    Money Balance,
    DateOnly? LastPaymentOn,
    string? ActiveAccountNumber,
    PursuitOpenReferral? OpenReferral,
    bool WasReferred,
    string? Protection);

/// <summary>The referral an account is in now: to whom, which kind, and since when.</summary>
public sealed record PursuitOpenReferral(long Id, string Agency, ReferralKind Kind, DateOnly ReferredOn);

public enum PursuitActionKind
{
    /// <summary>Nothing to do today; the reason says why.</summary>
    None,
    Transfer,
    ReferLegal,
    ReferAgency,
    Recall,
    CloseReferralPaid,

    /// <summary>The balance is ready for a Supervisor to write off; nothing posts until one does.</summary>
    ReadyToWriteOff,
}

/// <summary>The day's action for one final account, with the reason in words for the timeline and the pursuit list.</summary>
public sealed record PursuitAction(PursuitActionKind Kind, string Reason, string? Agency = null, string? ToAccountNumber = null, long? ReferralId = null);

/// <summary>The final-bill pursuit decisions. Pure: the daily run loads each final account's facts and acts on what comes back.</summary>
public static class FinalBillPursuit
{
    /// <summary>The one thing the pursuit does for <paramref name="account"/> on <paramref name="today"/> under <paramref name="rules"/>.</summary>
    public static PursuitAction Decide(PursuitRules rules, PursuitAccount account, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(account);
        if (!account.Balance.IsPositive)
        {
            return account.OpenReferral is { } paid
                ? new PursuitAction(PursuitActionKind.CloseReferralPaid, $"paid in full; referral to {paid.Agency} closed", paid.Agency, ReferralId: paid.Id)
                : new PursuitAction(PursuitActionKind.None, "nothing owed");
        }

        if (account.Protection is { } protection)
        {
            return new PursuitAction(PursuitActionKind.None, $"pursuit waits: {protection}");
        }

        if (rules.Transfer is { } transfer && account.OpenReferral is null && account.ActiveAccountNumber is { } active
            && account.DaysPastDue >= transfer.DaysPastDue && transfer.AppliesTo(account.AccountClass))
        {
            return new PursuitAction(PursuitActionKind.Transfer,
                $"{account.Balance} transferred to the customer's active account {active}, {Days(account.DaysPastDue)} past due", ToAccountNumber: active);
        }

        if (account.OpenReferral is { } open)
        {
            var held = today.DayNumber - open.ReferredOn.DayNumber;
            var recallAfter = open.Kind == ReferralKind.Agency ? rules.Agency?.RecallAfterDays : null;
            return recallAfter is { } limit && held >= limit
                ? new PursuitAction(PursuitActionKind.Recall, $"recalled from {open.Agency} after {Days(held)} with {account.Balance} unpaid", open.Agency, ReferralId: open.Id)
                : new PursuitAction(PursuitActionKind.None, $"with {open.Agency} since {open.ReferredOn:yyyy-MM-dd}");
        }

        if (!account.WasReferred)
        {
            // A balance the legal office takes goes to it and to no agency, once old enough.
            if (rules.Legal is { } legal && account.Balance >= legal.MinimumBalance)
            {
                return Qualifies(legal, account, today)
                    ? new PursuitAction(PursuitActionKind.ReferLegal,
                        $"{account.Balance} referred to {legal.Agency}: {Days(account.DaysPastDue)} past due, at least {legal.MinimumBalance}", legal.Agency)
                    : new PursuitAction(PursuitActionKind.None, Waits(legal));
            }

            if (rules.Agency is { } agency && Qualifies(agency, account, today))
            {
                var quiet = agency.NoPaymentDays > 0 ? $", no payment in {Days(agency.NoPaymentDays)}" : "";
                return new PursuitAction(PursuitActionKind.ReferAgency,
                    $"{account.Balance} placed with {agency.Agency}: {Days(account.DaysPastDue)} past due{quiet}", agency.Agency);
            }

            // A balance the agency would take waits for it (its age, or a quiet spell after a payment) rather than being written off.
            if (rules.Agency is { } waiting && account.Balance >= waiting.MinimumBalance)
            {
                return new PursuitAction(PursuitActionKind.None, Waits(waiting));
            }
        }

        return rules.WriteOffDaysPastDue is { } writeOff && account.DaysPastDue >= writeOff
            ? new PursuitAction(PursuitActionKind.ReadyToWriteOff,
                $"{account.Balance} ready to write off: {Days(account.DaysPastDue)} past due{(account.WasReferred ? ", referral ended" : "")}")
            : new PursuitAction(PursuitActionKind.None, "no pursuit step due");
    }

    private static string Waits(PursuitReferral rule) =>
        $"referral to {rule.Agency} waits: it needs {Days(rule.DaysPastDue)} past due" + (rule.NoPaymentDays > 0 ? $" and no payment in {Days(rule.NoPaymentDays)}" : "");

    private static bool Qualifies(PursuitReferral rule, PursuitAccount account, DateOnly today) =>
        account.DaysPastDue >= rule.DaysPastDue
        && account.Balance >= rule.MinimumBalance
        && (rule.NoPaymentDays == 0 || account.LastPaymentOn is not { } paid || today.DayNumber - paid.DayNumber >= rule.NoPaymentDays);

    /// <summary>
    /// An agency's commission on what it collected: the percent (basis points: 2500 is 25%) rounded to the cent half away from zero.
    /// On a net remittance the agency keeps it and sends the rest; on a gross one it sends all and bills it.
    /// </summary>
    public static Money Commission(Money collected, int basisPoints)
    {
        if (basisPoints is < 0 or > 10_000)
        {
            throw new DomainException($"A commission of {basisPoints / 100m}% is not between 0% and 100%.", "commissionPercent");
        }

        return Money.Round(collected.Dollars * basisPoints / 10_000m);
    }

    /// <summary>What the agency sends the city for <paramref name="collected"/>: all of it on a gross basis, less its commission on a net one.</summary>
    public static Money Remitted(Money collected, Money commission, RemittanceBasis basis) => basis == RemittanceBasis.Net ? collected - commission : collected;

    /// <summary>
    /// How a payment on an account with written-off debt splits: it pays what is owed now first; what is left, up to the written-off
    /// amount not yet recovered, is a recovery (cash against the allowance, the account does not move); any rest is a credit.
    /// </summary>
    public static Money Recovered(Money payment, Money balanceBefore, Money unrecovered)
    {
        if (!payment.IsPositive || !unrecovered.IsPositive)
        {
            return Money.Zero;
        }

        var afterOwed = payment - Money.Max(balanceBefore, Money.Zero);
        return afterOwed.IsPositive ? Money.Min(afterOwed, unrecovered) : Money.Zero;
    }

    private static string Days(int days) => days == 1 ? "1 day" : $"{days} days";
}
