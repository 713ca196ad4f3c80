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
