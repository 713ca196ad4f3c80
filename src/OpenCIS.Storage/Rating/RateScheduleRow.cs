using OpenCIS.Core.Billing;

namespace OpenCIS.Storage.Rating;

/// <summary>One version of a rate schedule, stored as the tariff's JSON definition.</summary>
public sealed class RateSchedule
{
    public long Id { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public Service Service { get; init; }
    public DateOnly EffectiveFrom { get; init; }
    public string Definition { get; init; } = "";
}
