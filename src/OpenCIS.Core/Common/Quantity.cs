using System.Globalization;

namespace OpenCIS.Core.Common;

/// <summary>Units of measure the system bills in. Each quantity carries its unit so gallons never mix with CCF.</summary>
public enum Unit
{
    Gallons,
    CubicFeet,
    Ccf,
    Kgal,
    Kwh,
    Each,
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
        Unit.Kwh => "kWh",
        Unit.Each => "each",
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, null),
    };

    public Quantity Convert(Quantity quantity, Unit target)
    {
        if (quantity.Unit == target)
        {
            return quantity;
        }

        if (quantity.Unit is Unit.Kwh or Unit.Each || target is Unit.Kwh or Unit.Each)
        {
            throw new InvalidOperationException($"Cannot convert {quantity.Unit} to {target}.");
        }

        var gallons = quantity.Value * GallonsPer(quantity.Unit);
        return new Quantity(gallons / GallonsPer(target), target);
    }

    private decimal GallonsPer(Unit unit) => unit switch
    {
        Unit.Gallons => 1m,
        Unit.Kgal => 1000m,
        Unit.Ccf => GallonsPerCcf,
        Unit.CubicFeet => GallonsPerCcf / 100m,
        _ => throw new InvalidOperationException($"{unit} is not a volume."),
    };
}
