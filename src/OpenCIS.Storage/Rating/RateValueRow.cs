namespace OpenCIS.Storage.Rating;

/// <summary>
/// One dated value a tariff names (a rider's price per unit, the gas's heating value): in force from its date until the
/// next value of the same name. A value in force is history; only one still to come may be corrected.
/// </summary>
public sealed class RateValueRow
{
    public const int NameLengthMax = 40;

    public long Id { get; init; }
    public string Name { get; init; } = "";
    public DateOnly EffectiveFrom { get; init; }
    public decimal Value { get; internal set; }
    public string RecordedBy { get; internal set; } = "";
    public DateTimeOffset RecordedAt { get; internal set; }
}
