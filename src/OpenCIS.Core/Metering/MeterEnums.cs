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
