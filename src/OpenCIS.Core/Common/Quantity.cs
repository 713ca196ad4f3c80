using System.Globalization;

namespace OpenCIS.Core.Common;

/// <summary>Units of measure the system bills in. Each quantity carries its unit so gallons never mix with CCF.</summary>
public enum Unit
{
    Gallons,
    CubicFeet,
    Ccf,
    Kgal,
    CubicMeters,
    Kwh,
    Wh,
    Each,

    /// <summary>Demand: kilowatts, the highest rate of use in a period.</summary>
    Kw,

    /// <summary>Demand: kilovolt-amperes (apparent power).</summary>
    Kva,

    /// <summary>Gas energy: 100,000 BTU. Gas is metered by volume and billed in therms through a heating value.</summary>
    Therm,

    /// <summary>Reactive energy: volt-ampere reactive hours. No charge prices it; with the real energy it gives the power factor.</summary>
    Varh,

    /// <summary>Reactive energy: kilovolt-ampere reactive hours (1,000 varh).</summary>
    Kvarh,
}

/// <summary>A measured amount with its unit. Conversions go through <see cref="UnitConversion"/>.</summary>
public readonly record struct Quantity(decimal Value, Unit Unit)
{
    public static Quantity Zero(Unit unit) => new(0m, unit);

    public static Quantity operator +(Quantity left, Quantity right)
    {
        if (left.Unit != right.Unit)
        {
            throw new InvalidOperationException($"Cannot add {left.Unit} to {right.Unit}; convert first.");
        }

        return new Quantity(left.Value + right.Value, left.Unit);
    }

    public override string ToString() => $"{Value.ToString("#,##0.###", CultureInfo.InvariantCulture)} {UnitConversion.Abbreviation(Unit)}";

    /// <summary>A quantity as people type it: a number and a unit, with or without a space ("7500gal", "7 ccf", "1,200 kWh").</summary>
    public static bool TryParse(string? text, out Quantity quantity)
    {
        quantity = default;
        var trimmed = (text ?? "").Trim().Replace(",", "", StringComparison.Ordinal);
        var split = 0;
        while (split < trimmed.Length && (char.IsAsciiDigit(trimmed[split]) || trimmed[split] == '.'))
        {
            split++;
        }

        if (split == 0 || !decimal.TryParse(trimmed[..split], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || UnitConversion.Parse(trimmed[split..]) is not { } unit)
        {
            return false;
        }

        quantity = new Quantity(value, unit);
        return true;
    }
}

/// <summary>
/// Unit conversion. Volumes convert through gallons; 1 CCF = 100 cubic feet and the gallons per
/// CCF factor belongs to the utility (748.052 by default).
/// </summary>
public sealed record UnitConversion(decimal GallonsPerCcf)
{
    public static readonly UnitConversion Default = new(748.052m);

    public static string Abbreviation(Unit unit) => unit switch
    {
        Unit.Gallons => "gal",
        Unit.CubicFeet => "cu ft",
        Unit.Ccf => "CCF",
        Unit.Kgal => "kgal",
        Unit.CubicMeters => "m3",
        Unit.Kwh => "kWh",
        Unit.Wh => "Wh",
        Unit.Each => "each",
        Unit.Kw => "kW",
        Unit.Kva => "kVA",
        Unit.Therm => "therm",
        Unit.Varh => "varh",
        Unit.Kvarh => "kvarh",
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, null),
    };

    /// <summary>A unit from what people write: gal, kgal, cf, ccf (or hcf), m3, kwh, wh, kw, kva, therm, varh, kvarh, in any case.</summary>
    public static Unit? Parse(string text) => text.Trim().ToUpperInvariant() switch
    {
        "GAL" or "GALLON" or "GALLONS" => Unit.Gallons,
        "KGAL" => Unit.Kgal,
        "CF" or "FT3" or "CUFT" or "CU FT" => Unit.CubicFeet,
        "CCF" or "HCF" => Unit.Ccf,
        "M3" => Unit.CubicMeters,
        "KWH" => Unit.Kwh,
        "WH" => Unit.Wh,
        "KW" => Unit.Kw,
        "KVA" => Unit.Kva,
        "THERM" or "THERMS" => Unit.Therm,
        "VARH" => Unit.Varh,
        "KVARH" => Unit.Kvarh,
        _ => null,
    };

    public Quantity Convert(Quantity quantity, Unit target)
    {
        if (quantity.Unit == target)
        {
            return quantity;
        }

        if (IsEnergy(quantity.Unit) && IsEnergy(target))
        {
            var kwh = quantity.Unit == Unit.Wh ? quantity.Value / 1000m : quantity.Value;
            return new Quantity(target == Unit.Wh ? kwh * 1000m : kwh, target);
        }

        if (IsReactive(quantity.Unit) && IsReactive(target))
        {
            var kvarh = quantity.Unit == Unit.Varh ? quantity.Value / 1000m : quantity.Value;
            return new Quantity(target == Unit.Varh ? kvarh * 1000m : kvarh, target);
        }

        if (!IsVolume(quantity.Unit) || !IsVolume(target))
        {
            throw new DomainException($"Use in {Abbreviation(quantity.Unit)} cannot be priced in {Abbreviation(target)}: the units do not convert.", "unit");
        }

        var gallons = quantity.Value * GallonsPer(quantity.Unit);
        return new Quantity(gallons / GallonsPer(target), target);
    }

    public static bool IsVolume(Unit unit) => unit is Unit.Gallons or Unit.Kgal or Unit.Ccf or Unit.CubicFeet or Unit.CubicMeters;

    public static bool IsEnergy(Unit unit) => unit is Unit.Kwh or Unit.Wh;

    /// <summary>Reactive energy (varh, kvarh): measured beside the real energy for the power factor, never priced.</summary>
    public static bool IsReactive(Unit unit) => unit is Unit.Varh or Unit.Kvarh;

    /// <summary>US gallons in one cubic meter (exact: 1 gal = 3.785411784 L).</summary>
    public const decimal GallonsPerCubicMeter = 264.17205235814845m;

    private decimal GallonsPer(Unit unit) => unit switch
    {
        Unit.CubicMeters => GallonsPerCubicMeter,
        Unit.Gallons => 1m,
        Unit.Kgal => 1000m,
        Unit.Ccf => GallonsPerCcf,
        Unit.CubicFeet => GallonsPerCcf / 100m,
        _ => throw new InvalidOperationException($"{unit} is not a volume."),
    };
}
