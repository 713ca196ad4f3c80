namespace OpenCIS.Core.Metering;

/// <summary>Where a meter is in its life: in the shop, on a service point, or gone.</summary>
public enum MeterStatus
{
    Inventory,
    Installed,
    Removed,
    InTest,
    Retired,
}

/// <summary>How a read was taken.</summary>
public enum ReadSource
{
    Handheld,
    Amr,
    Ami,
    Customer,
    Field,
    Estimate,
}

/// <summary>
/// Whether a read may bill. Valid, Estimated and Overridden reads bill; Suspect and Rejected reads
/// wait for a clerk's review and never bill until then.
/// </summary>
public enum ReadStatus
{
    Valid,
    Suspect,
    Rejected,
    Estimated,
    Overridden,
}

/// <summary>
/// The one list of read statuses billing may use, for the billing run, the correction workflows, the
/// estimates and the route sheets alike: a second list drifts, and a Suspect read would then bill in one
/// place and not in another.
/// </summary>
public static class ReadStatuses
{
    /// <summary>Valid, Estimated and Overridden: the statuses a bill, an estimate or a reader's range may rest on.</summary>
    public static IReadOnlyList<ReadStatus> Billable { get; } = [ReadStatus.Valid, ReadStatus.Estimated, ReadStatus.Overridden];

    public static bool IsBillable(ReadStatus status) => status is ReadStatus.Valid or ReadStatus.Estimated or ReadStatus.Overridden;
}
