using System.Collections.Immutable;
using OpenCIS.Core.Common;

namespace OpenCIS.Core.Assistance;

/// <summary>
/// An assistance program's code (SENIOR, LOWINCOME, MEDICAL) as the tariff names it in <c>for_programs</c>: letters,
/// digits, '-' and '_', kept in capitals and matched without regard to case, so a tariff's <c>[senior]</c> names SENIOR.
/// </summary>
public static class ProgramCodes
{
    public const int LengthMax = 20;

    public static readonly StringComparer Comparer = StringComparer.OrdinalIgnoreCase;

    /// <summary>The code in capitals; a blank, too long or oddly written code is refused under <paramref name="field"/>.</summary>
    public static string Normalize(string? code, string field = "code")
    {
        var trimmed = code?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            throw new DomainException("A program needs a code (SENIOR, LOWINCOME, MEDICAL).", field);
        }

        if (trimmed.Length > LengthMax || !trimmed.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new DomainException($"A program code is 1 to {LengthMax} letters, digits, '-' or '_'; '{trimmed}' is not.", field);
        }

        return trimmed.ToUpperInvariant();
    }
}

/// <summary>
/// The span of days an account's enrollment in a program counts: from the day it was enrolled through the last day
/// before it lapsed (its expiry, its verification running out, or the day it was ended); open when none applies.
/// </summary>
public sealed record EnrolledSpan(string ProgramCode, DateOnly From, DateOnly? Through)
{
    public bool CountsOn(DateOnly day) => From <= day && (Through is null || day <= Through.Value);
}

/// <summary>
/// The rule for whether an enrollment counts on a day. A bill gets a program's charges when the enrollment counts on
/// the bill's period end (the day its present read was taken): enrolled on or before it, not expired (the expiry day
/// itself still counts), not ended (the day it was ended no longer counts), and, for a program that must be
/// re-verified every N months, verified within N months (the verification, or the enrollment when never verified,
/// counts through the day before the same day N months later).
/// </summary>
public static class ProgramEnrollments
{
    public const int NoteLengthMax = 500;
    public const int VerificationMonthsMax = 120;

    /// <summary>The span the enrollment counts, or null when it never counts (ended or lapsed before it began).</summary>
    public static EnrolledSpan? Span(string programCode, DateOnly enrolledOn, DateOnly? verifiedOn, DateOnly? expiresOn, DateOnly? endedOn, int? verificationMonths)
    {
        DateOnly? through = expiresOn;
        if (endedOn is { } ended)
        {
            through = Earlier(through, ended.AddDays(-1));
        }

        if (verificationMonths is > 0 and var months)
        {
            var verified = verifiedOn ?? enrolledOn;
            through = Earlier(through, verified.AddMonths(months).AddDays(-1));
        }

        return through is { } last && last < enrolledOn ? null : new EnrolledSpan(programCode, enrolledOn, through);
    }

    /// <summary>The programs among <paramref name="spans"/> that count on <paramref name="day"/>, matched without regard to case.</summary>
    public static ImmutableHashSet<string> CountingOn(IEnumerable<EnrolledSpan> spans, DateOnly day) =>
        spans.Where(s => s.CountsOn(day)).Select(s => s.ProgramCode).ToImmutableHashSet(ProgramCodes.Comparer);

    /// <summary>Checks an enrollment's dates before it is kept; each refusal names its field.</summary>
    public static void CheckDates(DateOnly enrolledOn, DateOnly? expiresOn, DateOnly? endedOn)
    {
        if (expiresOn is { } expires && expires < enrolledOn)
        {
            throw new DomainException($"The enrollment cannot expire ({expires:yyyy-MM-dd}) before it starts ({enrolledOn:yyyy-MM-dd}).", "expiresOn");
        }

        if (endedOn is { } ended && ended < enrolledOn)
        {
            throw new DomainException($"The enrollment cannot end ({ended:yyyy-MM-dd}) before it starts ({enrolledOn:yyyy-MM-dd}).", "endedOn");
        }
    }

    /// <summary>A clerk's note on an enrollment or a pledge, trimmed (null when blank); too long a note is refused.</summary>
    public static string? Note(string? note)
    {
        var trimmed = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        return trimmed is { Length: > NoteLengthMax }
            ? throw new DomainException($"A note is at most {NoteLengthMax} characters.", "note")
            : trimmed;
    }

    private static DateOnly? Earlier(DateOnly? a, DateOnly b) => a is { } x && x < b ? x : b;
}

public enum PledgeStatus
{
    /// <summary>Promised by the agency, its payment not yet received.</summary>
    Pledged,

    /// <summary>The agency's payment arrived and is linked.</summary>
    Paid,

    /// <summary>Its date passed without payment and a clerk closed it.</summary>
    Expired,

    /// <summary>Withdrawn by the agency or recorded in error.</summary>
    Cancelled,
}

/// <summary>The rules of an energy-assistance pledge: what it may be, and when it is overdue.</summary>
public static class AssistancePledges
{
    public const int AgencyLengthMax = 100;
    public const long AmountCentsMax = 10_000_000; // $100,000: far above any agency's pledge to one household.

    /// <summary>A pledge still open after the day its payment was expected by.</summary>
    public static bool IsOverdue(PledgeStatus status, DateOnly expectedBy, DateOnly today) => status == PledgeStatus.Pledged && today > expectedBy;

    /// <summary>Checks a pledge before it is recorded; each refusal names its field.</summary>
    public static string Check(string? agency, Money amount, DateOnly pledgedOn, DateOnly expectedBy)
    {
        var name = agency?.Trim() ?? "";
        if (name.Length == 0 || name.Length > AgencyLengthMax)
        {
            throw new DomainException($"A pledge names its agency (1 to {AgencyLengthMax} characters).", "agency");
        }

        if (!amount.IsPositive || amount.Cents > AmountCentsMax)
        {
            throw new DomainException($"A pledge's amount is more than zero and at most {Money.FromCents(AmountCentsMax)}.", "amount");
        }

        if (expectedBy < pledgedOn)
        {
            throw new DomainException($"The payment cannot be expected ({expectedBy:yyyy-MM-dd}) before the pledge ({pledgedOn:yyyy-MM-dd}).", "expectedBy");
        }

        return name;
    }
}
