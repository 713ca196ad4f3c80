using OpenCIS.Core.Common;

namespace OpenCIS.Core.Collections;

/// <summary>What collections does, or declines to do, on a day.</summary>
public enum CollectionAction
{
    /// <summary>A late charge on a bill, with its calculation.</summary>
    LateCharge,

    /// <summary>A bill that was late but is not charged, and why (exempt, under the minimum, paid within grace).</summary>
    NoLateCharge,

    /// <summary>A reminder or the final (shut-off) notice.</summary>
    Notice,

    /// <summary>The final notice copied to the owner of a tenant-occupied premise.</summary>
    OwnerNotice,

    /// <summary>A door hanger delivered in the field, with its fee.</summary>
    DoorHanger,

    /// <summary>The account goes on the disconnect list.</summary>
    DisconnectEligible,

    /// <summary>A protection stops or delays a step, or takes the account off the disconnect list.</summary>
    Protected,

    /// <summary>An installment went unpaid past its grace days; collections resume.</summary>
    ArrangementBroken,

    /// <summary>An arrangement paid in full.</summary>
    ArrangementCompleted,

    /// <summary>Less than promised came in by the promised date.</summary>
    PromiseBroken,

    /// <summary>Nothing is past due any more: the walk ends, and a new delinquency starts again at the first step.</summary>
    PastDuePaid,
}

/// <summary>
/// One thing collections did on a day, with its amount when it has one, and its reason in words. A late
/// charge names its bill (<paramref name="Bill"/>); a step's event names the step.
/// </summary>
public sealed record CollectionEvent(DateOnly Date, CollectionAction Action, Money? Amount, string Reason, StepKind? Step = null, string? Bill = null);

/// <summary>
/// Where an account stands at the end of a day: what is past due and for how long, the last step taken,
/// whether it is on the disconnect list and why, the protection holding it, the final notice pending with
/// the earliest disconnect date it printed (known on the day it is sent), and all of it in words.
/// </summary>
public sealed record CollectionStanding(
    Money PastDue,
    int DaysPastDue,
    StepKind? LastStep,
    bool Listed,
    string? ListReason,
    string? HeldBy,
    DateOnly? FinalNoticeOn,
    DateOnly? EarliestDisconnectOn,
    string Explanation);

/// <summary>One day of one account: what collections did, and where the account stands after it.</summary>
public sealed record CollectionDay(System.Collections.Immutable.ImmutableArray<CollectionEvent> Events, CollectionStanding Standing);
