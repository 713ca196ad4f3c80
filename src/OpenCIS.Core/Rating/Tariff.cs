using System.Collections.Immutable;
using System.Text.Json.Serialization;
using OpenCIS.Core.Common;

namespace OpenCIS.Core.Rating;

/// <summary>
/// A rate schedule version: data, not code. A schedule code (for example "W-RES") has one
/// version per effective date; the version in force on a period's last day rates that period.
/// </summary>
public sealed record Tariff(
    string Code,
    string Name,
    DateOnly EffectiveFrom,
    ImmutableArray<TariffComponent> Components);

/// <summary>One priced element of a tariff. Every component produces at most one bill line per block.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(FixedCharge), "fixed")]
[JsonDerivedType(typeof(BlockCharge), "blocks")]
[JsonDerivedType(typeof(FlatCharge), "flat")]
public abstract record TariffComponent(string Code, string Description);

/// <summary>
/// A charge per bill. When <paramref name="ByMeterSize"/> names the meter's size, that amount
/// applies instead of <paramref name="Amount"/> (a 2" meter pays more than a 5/8" one).
/// </summary>
public sealed record FixedCharge(
    string Code,
    string Description,
    decimal Amount,
    ImmutableDictionary<string, decimal>? ByMeterSize = null) : TariffComponent(Code, Description);

/// <summary>
/// Volumetric blocks. Each block covers usage above the previous block's bound up to and
/// including its own <see cref="Block.UpTo"/> (so with a first block up to 5,000 gal, the
/// 5,000th gallon is in block 1 and the 5,001st in block 2). The last block has no bound.
/// Prices are per <paramref name="PricePer"/> units of <paramref name="Unit"/> (1, or 1,000 for "per kgal").
/// </summary>
public sealed record BlockCharge(
    string Code,
    string Description,
    Unit Unit,
    decimal PricePer,
    ImmutableArray<Block> Blocks) : TariffComponent(Code, Description);

public sealed record Block(decimal? UpTo, decimal Price);

/// <summary>A price per counted unit: trash carts, dwelling units.</summary>
public sealed record FlatCharge(
    string Code,
    string Description,
    decimal PricePerUnit,
    string UnitName) : TariffComponent(Code, Description);
