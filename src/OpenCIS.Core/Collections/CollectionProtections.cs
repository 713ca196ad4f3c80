using OpenCIS.Core.Common;

namespace OpenCIS.Core.Collections;

/// <summary>
/// A protection holding a step on a date, named in words ("medical certificate until Jan 15, 2027").
/// <paramref name="Delays"/> is true when it only moves the step to a later day (a Friday, a cold day, a
/// pending payment), false when it stops the step while it lasts (a certificate, an arrangement, a stay).
/// </summary>
public sealed record Protection(string Name, bool Delays, string Reason);

/// <summary>The facts about an account on one day that the protections are checked against.</summary>
/// <param name="PastDue">What is past due on the day, disputed amounts included.</param>
/// <param name="StepMinimum">The least past-due amount the step asks for.</param>
/// <param name="ActiveArrangement">The active arrangement's state in words, or null when there is none.</param>
/// <param name="OwnerNoticedOn">When the owner of a tenant-occupied premise was noticed, if they were.</param>
public readonly record struct ProtectionFacts(string AccountClass, Money PastDue, Money StepMinimum, string? ActiveArrangement, DateOnly? OwnerNoticedOn);

/// <summary>
/// Decides whether a protection stops or delays a step on a date. Only the protections the policy honours
/// count. Bankruptcy stays, active arrangements and open disputes hold every step; the others hold the door
/// hanger and the disconnect only (notices still tell the customer where they stand). The first protection
/// found, in a fixed order, is the one named.
/// </summary>
public static class CollectionProtections
{
    /// <summary>How a bankruptcy stay names itself; its reason starts with it.</summary>
    public const string BankruptcyStayName = "bankruptcy stay";

    /// <summary>The stay's reason: the name, and the case when the account's stay names one.</summary>
    public static string StayReason(AccountProtections account) =>
        account.BankruptcyCase is { } stayCase ? $"{BankruptcyStayName}: {stayCase}" : BankruptcyStayName;

    public static Protection? Evaluate(ProtectionRules rules, StepKind step, DateOnly date, AccountProtections account, in ProtectionFacts facts, CollectionCalendar calendar)
    {
        if (rules.BankruptcyStay && account.BankruptcyStay)
        {
            return new(BankruptcyStayName, false, StayReason(account));
        }

        if (rules.ActiveArrangement && facts.ActiveArrangement is { } arrangement)
        {
            return new("payment arrangement", false, $"active payment arrangement ({arrangement})");
        }

        if (rules.OpenDispute && Disputed(account, date) is { IsPositive: true } disputed && facts.PastDue - disputed < facts.StepMinimum)
        {
            return new("open dispute", false, $"open dispute over {disputed}; the undisputed {Money.Max(Money.Zero, facts.PastDue - disputed)} is under the {facts.StepMinimum} the step needs");
        }

        return step is StepKind.DoorHanger or StepKind.DisconnectEligible ? FieldProtection(rules, step, date, account, facts, calendar) : null;
    }

    /// <summary>The amount under dispute on the date: open disputes only.</summary>
    public static Money Disputed(AccountProtections account, DateOnly date)
    {
        var total = Money.Zero;
        foreach (var dispute in account.Disputes)
        {
            if (dispute.IsOpenOn(date))
            {
                total += dispute.Amount;
            }
        }

        return total;
    }

    /// <summary>The medical certificate in force on the date, if the policy honours it: a certificate beyond the renewals a year allowed is not.</summary>
    public static MedicalCertificate? CertificateOn(ProtectionRules rules, AccountProtections account, DateOnly date)
    {
        foreach (var certificate in account.MedicalCertificates)
        {
            if (certificate.From > date || certificate.To < date)
            {
                continue;
            }

            if (WithinRenewals(rules, account.MedicalCertificates, certificate.From))
            {
                return certificate;
            }
        }

        return null;
    }

    /// <summary>
    /// Whether a certificate from <paramref name="from"/> is within the renewals a year the policy allows, given
    /// the account's certificates: the first certificate in a year is not a renewal; each one started within the
    /// 365 days before it is. Entering a certificate and honouring one use this same count.
    /// </summary>
    public static bool WithinRenewals(ProtectionRules rules, IEnumerable<MedicalCertificate> certificates, DateOnly from) =>
        EarlierCertificates(certificates, from) <= rules.MedicalRenewalsPerYear;

    /// <summary>The certificates started in the 365 days before <paramref name="from"/>.</summary>
    public static int EarlierCertificates(IEnumerable<MedicalCertificate> certificates, DateOnly from)
    {
        var earlier = 0;
        foreach (var other in certificates)
        {
            if (other.From < from && other.From > from.AddDays(-365))
            {
                earlier++;
            }
        }

        return earlier;
    }

    private static Protection? FieldProtection(ProtectionRules rules, StepKind step, DateOnly date, AccountProtections account, in ProtectionFacts facts, CollectionCalendar calendar)
    {
        if (CollectionPolicy.Contains(rules.ExemptClasses, facts.AccountClass))
        {
            return new("exempt class", false, $"class {CollectionText.Class(facts.AccountClass)} is exempt from disconnection");
        }

        if (rules.LifeSupport && account.LifeSupport)
        {
            return new("life support", false, "life-support equipment at the premise");
        }

        if (rules.MedicalCertificate && CertificateOn(rules, account, date) is { } certificate)
        {
            return new("medical certificate", false, $"medical certificate until {CollectionText.Date(certificate.To)} ({certificate.Physician})");
        }

        var undisputed = facts.PastDue - (rules.OpenDispute ? Disputed(account, date) : Money.Zero);
        if (step == StepKind.DisconnectEligible && rules.MinimumBalance.IsPositive && undisputed < rules.MinimumBalance)
        {
            return new("minimum balance", false, $"balance {Money.Max(Money.Zero, undisputed)} under the {rules.MinimumBalance} minimum for disconnection");
        }

        if (rules.PendingPayment)
        {
            foreach (var pending in account.PendingPayments)
            {
                if (pending.From <= date && date <= pending.To)
                {
                    return new("pending payment", true, $"pending payment of {pending.Amount} ({pending.Source}) until {CollectionText.Date(pending.To)}");
                }
            }
        }

        return step == StepKind.DisconnectEligible ? DisconnectDayProtection(rules, date, account, facts, calendar) : null;
    }

    private static Protection? DisconnectDayProtection(ProtectionRules rules, DateOnly date, AccountProtections account, in ProtectionFacts facts, CollectionCalendar calendar)
    {
        if (account.TenantOccupied && rules.OwnerNoticeDays is { } ownerDays)
        {
            if (facts.OwnerNoticedOn is not { } noticed)
            {
                return new("owner notice", true, "the owner of the tenant-occupied premise has not been noticed");
            }

            if (date < noticed.AddDays(ownerDays))
            {
                return new("owner notice", true, $"owner noticed {CollectionText.Date(noticed)}; {CollectionText.Days(ownerDays)} required, until {CollectionText.Date(noticed.AddDays(ownerDays))}");
            }
        }

        foreach (var moratorium in rules.Moratoriums)
        {
            if (moratorium.Covers(date) && moratorium.AppliesTo(facts.AccountClass))
            {
                return new("moratorium", true, $"{moratorium.Name} moratorium ({MonthDay(moratorium.FromMonth, moratorium.FromDay)} to {MonthDay(moratorium.ToMonth, moratorium.ToDay)})");
            }
        }

        if (calendar.TemperatureOn(date) is { } temperature)
        {
            if (rules.ColdAtOrBelowF is { } cold && temperature.LowF <= cold)
            {
                return new("cold weather", true, $"forecast low {temperature.LowF}°F, at or below {cold}°F");
            }

            if (rules.HotAtOrAboveF is { } hot && temperature.HighF >= hot)
            {
                return new("hot weather", true, $"forecast high {temperature.HighF}°F, at or above {hot}°F");
            }
        }

        return calendar.NoDisconnectReason(rules.NoDisconnectOn, date) is { } reason ? new("no-disconnect day", true, reason) : null;
    }

    private static string MonthDay(int month, int day) => new DateOnly(2000, month, day).ToString("MMM d", System.Globalization.CultureInfo.InvariantCulture);
}
