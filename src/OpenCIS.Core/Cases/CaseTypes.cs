using System.Collections.Immutable;
using OpenCIS.Core.Common;

namespace OpenCIS.Core.Cases;

/// <summary>The kinds of case a clerk opens on an account.</summary>
public enum CaseKind
{
    Complaint,
    BillingDispute,
    HighBillInvestigation,
    LeakAdjustmentRequest,
    AdministrativeHearingRequest,

    /// <summary>A customer's request to start, stop or transfer service, made in the portal, for a clerk to carry out.</summary>
    ServiceRequest,
}

/// <summary>Where a case is in its workflow. Resolved is the end: a resolved case does not move again.</summary>
public enum CaseStatus
{
    Open,
    Assigned,
    WaitingOnCustomer,
    WaitingOnField,
    Resolved,
}

/// <summary>
/// A kind of case: its name, the queue it starts in, the days it has (its due date is that many days after it is
/// opened), the resolution codes it may close with, and whether it names an amount (a billing dispute holds its
/// amount out of collections until it is resolved).
/// </summary>
public sealed record CaseType(CaseKind Kind, string Name, string Queue, int DueDays, ImmutableArray<string> Resolutions, bool TakesAmount);

/// <summary>The case types and their workflow.</summary>
public static class CaseTypes
{
    public const int SubjectLengthMax = 200;
    public const int TextLengthMax = 4000;

    public static readonly ImmutableArray<CaseType> All =
    [
        new(CaseKind.Complaint, "Complaint", "Customer service", 10, ["resolved", "unfounded", "referred", "withdrawn"], false),
        new(CaseKind.BillingDispute, "Billing dispute", "Billing", 30, ["upheld-adjusted", "partly-upheld", "denied", "withdrawn"], true),
        new(CaseKind.HighBillInvestigation, "High-bill investigation", "Billing", 15, ["usage-confirmed", "leak-found", "read-error-rebilled", "meter-error", "withdrawn"], false),
        new(CaseKind.LeakAdjustmentRequest, "Leak-adjustment request", "Billing", 30, ["adjusted", "denied", "withdrawn"], false),
        new(CaseKind.AdministrativeHearingRequest, "Administrative hearing request", "Hearings", 45, ["refund-granted", "upheld", "denied", "withdrawn"], false),
        new(CaseKind.ServiceRequest, "Service request", "Customer service", 3, ["done", "declined", "withdrawn"], false),
    ];

    public static CaseType For(CaseKind kind) => All.Single(t => t.Kind == kind);

    /// <summary>The case type named by its kind ("billing-dispute", "BillingDispute", "billing_dispute"), or refused naming the field.</summary>
    public static CaseType Parse(string? text, string field)
    {
        var key = (text ?? "").Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        return All.FirstOrDefault(t => string.Equals(t.Kind.ToString(), key, StringComparison.OrdinalIgnoreCase))
               ?? throw new DomainException($"'{text}' is not a case type; the types are {string.Join(", ", All.Select(t => Key(t.Kind)))}.", field);
    }

    /// <summary>A kind as the API and the CLI spell it: "billing-dispute".</summary>
    public static string Key(CaseKind kind) => string.Concat(kind.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    public static DateOnly DueOn(CaseKind kind, DateOnly openedOn) => openedOn.AddDays(For(kind).DueDays);

    /// <summary>Refuses a move the workflow does not allow, naming the status.</summary>
    public static void CheckMove(long caseId, CaseStatus from, CaseStatus to)
    {
        if (from == CaseStatus.Resolved)
        {
            throw new DomainException($"Case {caseId} is resolved; a resolved case does not change.", "status");
        }

        if (to == CaseStatus.Open)
        {
            throw new DomainException($"Case {caseId} cannot go back to open; assign it or set what it waits on.", "status");
        }
    }

    /// <summary>The resolution code, checked against the type's codes.</summary>
    public static string Resolution(CaseKind kind, string? code)
    {
        var type = For(kind);
        var text = (code ?? "").Trim().ToLowerInvariant();
        return type.Resolutions.Contains(text)
            ? text
            : throw new DomainException($"'{code}' is not a resolution of a {type.Name.ToLowerInvariant()}; its resolutions are {string.Join(", ", type.Resolutions)}.", "resolution");
    }
}
