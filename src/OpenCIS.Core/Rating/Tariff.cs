using System.Collections.Immutable;
using System.Text.Json.Serialization;
using OpenCIS.Core.Common;

namespace OpenCIS.Core.Rating;

/// <summary>
/// A rate schedule version: data, not code. A schedule code (for example "W-RES") has one
/// version per effective date; the version in force on a period's last day rates that period.
/// Its components are rated in order; a tax or minimum sees the lines of the components before it.
/// Every line is rounded to the cent on its own, half away from zero unless its charge says otherwise.
/// </summary>
public sealed record Tariff(
    string Code,
    string Name,
    DateOnly EffectiveFrom,
    ImmutableArray<TariffComponent> Components);

/// <summary>How often a fixed amount is charged.</summary>
public enum ChargeFrequency
{
    /// <summary>Once per bill, whatever the period's length.</summary>
    Bill,

    /// <summary>Once per month: a period of 27 to 33 days is one month; a shorter or longer one pays days ÷ 30 of it.</summary>
    Month,

    /// <summary>Per day of the period.</summary>
    Day,

    /// <summary>Once per quarter: a period of 85 to 97 days is one quarter; any other pays days ÷ 91.25 of it (a monthly bill a third or so).</summary>
    Quarter,

    /// <summary>Once per year: a period of 360 to 370 days is one year; any other pays days ÷ 365 of it.</summary>
    Year,
}

/// <summary>One priced element of a tariff. <see cref="Months"/>, when set, limits it to periods ending in those months.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(FixedCharge), "fixed")]
[JsonDerivedType(typeof(BlockCharge), "blocks")]
[JsonDerivedType(typeof(FlatCharge), "flat")]
[JsonDerivedType(typeof(MinimumCharge), "minimum")]
[JsonDerivedType(typeof(SewerCharge), "sewer")]
[JsonDerivedType(typeof(RiderCharge), "rider")]
[JsonDerivedType(typeof(RegisterCharge), "registers")]
[JsonDerivedType(typeof(PercentCharge), "percent")]
[JsonDerivedType(typeof(DemandCharge), "demand")]
[JsonDerivedType(typeof(AreaCharge), "area")]
public abstract record TariffComponent(string Code, string Description)
{
    public ImmutableArray<int> Months { get; init; } = [];

    /// <summary>How each of this charge's lines is rounded to the cent.</summary>
    public LineRounding Rounding { get; init; } = LineRounding.HalfAwayFromZero;

    /// <summary>The least this charge comes to (its lines together): less, and a line tops it up.</summary>
    public decimal? LineMinimum { get; init; }

    /// <summary>The most this charge comes to (its lines together): more, and a line takes the excess off.</summary>
    public decimal? LineMaximum { get; init; }

    /// <summary>When set, the charge applies only to a service enrolled in one of these programs (a senior discount).</summary>
    public ImmutableArray<string> ForPrograms { get; init; } = [];
}

/// <summary>How a line's amount is rounded to the cent.</summary>
public enum LineRounding
{
    /// <summary>Half a cent or more goes up, less goes down (away from zero for a credit): $26.125 is $26.13.</summary>
    HalfAwayFromZero,

    /// <summary>Half a cent goes to the even cent: $26.125 is $26.12, $26.135 is $26.14.</summary>
    HalfEven,

    /// <summary>Any fraction of a cent goes up to the next cent: $26.121 is $26.13 (a credit of $1.005 is $1.00).</summary>
    Up,
}

/// <summary>
/// A fixed amount per bill, month or day. When <paramref name="ByMeterSize"/> names the meter's size,
/// that amount applies instead of <paramref name="Amount"/> (a 2" meter pays more than a 5/8" one).
/// </summary>
public sealed record FixedCharge(
    string Code,
    string Description,
    decimal Amount,
    ImmutableDictionary<string, decimal>? ByMeterSize = null,
    ChargeFrequency Per = ChargeFrequency.Bill) : TariffComponent(Code, Description)
{
    /// <summary>
    /// The attribute of the service whose value chooses the price in <see cref="ByMeterSize"/>: the meter's size unless
    /// another is named (cart_size, fire_line_size, pickups, class). A price chosen by another attribute has no
    /// fallback: a service without the attribute, or with a value the charge does not price, cannot be rated.
    /// </summary>
    public string PriceAttribute { get; init; } = MeterSizeAttribute;

    /// <summary>
    /// An add-on priced by another attribute (backyard service, an extra weekly pickup): a service without the attribute
    /// takes no line, as a service not enrolled takes no program's charge; one with a value it does not price is refused.
    /// </summary>
    public bool Optional { get; init; }

    /// <summary>
    /// The value a service starts with when starting service gives it none and the premise has none to keep (the cart
    /// the city issues to a new customer): one of the priced values, recorded on the agreement, where a clerk may change it.
    /// Rating never assumes it: a service without the attribute still cannot be rated.
    /// </summary>
    public string? Standard { get; init; }

    public const string MeterSizeAttribute = "meter_size";
}

/// <summary>
/// Volumetric blocks. Each block covers usage above the previous block's bound up to and
/// including its own <see cref="Block.UpTo"/> (so with a first block up to 5,000 gal, the
/// 5,000th gallon is in block 1 and the 5,001st in block 2). The last block has no bound.
/// Prices are per <paramref name="PricePer"/> units of <paramref name="Unit"/> (1, or 1,000 for "per kgal").
/// A first block at price 0 is an allowance included in a base charge. With <see cref="Seasons"/>,
/// each season has blocks of its own; a period that spans seasons splits its usage between them
/// in proportion to its days in each, and each part is priced on its season's blocks.
/// </summary>
public sealed record BlockCharge(
    string Code,
    string Description,
    Unit Unit,
    decimal PricePer,
    ImmutableArray<Block> Blocks) : TariffComponent(Code, Description)
{
    public ImmutableArray<Season> Seasons { get; init; } = [];

    /// <summary>The percent of the use this charge bills (100: all of it; 80 bills 800 of 1,000 gallons).</summary>
    public decimal UsePercent { get; init; } = 100m;
}

public sealed record Block(decimal? UpTo, decimal Price);

/// <summary>
/// A season of a seasonal block charge: the months it covers, or with <see cref="Days"/> the days from one date of the
/// year to another ("April 15 to October 15"), and its blocks.
/// </summary>
public sealed record Season(string Name, ImmutableArray<int> Months, ImmutableArray<Block> Blocks)
{
    /// <summary>When set, the season runs between these days of the year instead of by whole months.</summary>
    public SeasonDays? Days { get; init; }

    public bool Contains(DateOnly date) => Days is { } days ? days.Contains(date) : Months.Contains(date.Month);
}

/// <summary>
/// A season's first and last day of the year, both inclusive. A season whose first day comes after its last wraps
/// the new year (November 1 to March 31).
/// </summary>
public sealed record SeasonDays(int FromMonth, int FromDay, int ToMonth, int ToDay)
{
    public bool Contains(DateOnly date)
    {
        var day = (date.Month * 100) + date.Day;
        var (from, to) = ((FromMonth * 100) + FromDay, (ToMonth * 100) + ToDay);
        return from <= to ? day >= from && day <= to : day >= from || day <= to;
    }

    public override string ToString() => $"{FromMonth:00}-{FromDay:00} to {ToMonth:00}-{ToDay:00}";
}

/// <summary>A price per counted unit: trash carts, dwelling units, EDUs.</summary>
public sealed record FlatCharge(
    string Code,
    string Description,
    decimal PricePerUnit,
    string UnitName) : TariffComponent(Code, Description);

/// <summary>
/// A minimum bill: when the lines of the components before it add up to less than
/// <paramref name="Amount"/>, a line for the difference.
/// </summary>
public sealed record MinimumCharge(string Code, string Description, decimal Amount) : TariffComponent(Code, Description);

/// <summary>Which water volume a sewer charge bills.</summary>
public enum SewerBasis
{
    /// <summary>The water used (times <see cref="SewerCharge.Percent"/>).</summary>
    Use,

    /// <summary>The lesser of the water used and the winter average (times the percent).</summary>
    LesserOfUseAndWinterAverage,

    /// <summary>The winter average itself (times the percent), whatever was used: summer months on winter use.</summary>
    WinterAverage,
}

/// <summary>
/// Sewer (wastewater) volume derived from water use by <paramref name="Basis"/> and
/// <paramref name="Percent"/>, priced on <paramref name="Blocks"/> like a block charge.
/// The winter average is per bill, in the unit given with it.
/// </summary>
public sealed record SewerCharge(
    string Code,
    string Description,
    Unit Unit,
    decimal PricePer,
    ImmutableArray<Block> Blocks,
    SewerBasis Basis,
    decimal Percent = 100m) : TariffComponent(Code, Description)
{
    /// <summary>
    /// For <see cref="SewerBasis.LesserOfUseAndWinterAverage"/>: the cap is this percent of the winter average (100: the
    /// average itself; 110 lets use run a tenth over it).
    /// </summary>
    public decimal WinterAverageCapPercent { get; init; } = 100m;
}

/// <summary>
/// A rider priced per unit of use at a value set each month (a fuel or power-cost adjustment):
/// the tariff names the rider; the value comes with the rating.
/// </summary>
public sealed record RiderCharge(string Code, string Description, string Rider, Unit Unit) : TariffComponent(Code, Description)
{
    /// <summary>The percent of the use this rider bills (100: all of it).</summary>
    public decimal UsePercent { get; init; } = 100m;
}

/// <summary>
/// Time-of-use (or other) registers, each with its price per unit: on-peak and off-peak kWh. With <see cref="TimeOfUse"/>
/// the tariff defines its registers by hours, day types and months, and a service's interval reads are summed into them:
/// each hour goes to the first period that holds it, or to <see cref="OtherHours"/>.
/// </summary>
public sealed record RegisterCharge(
    string Code,
    string Description,
    Unit Unit,
    ImmutableDictionary<string, decimal> Prices) : TariffComponent(Code, Description)
{
    public ImmutableArray<TimeOfUsePeriod> TimeOfUse { get; init; } = [];

    /// <summary>The register of every hour no period holds (off-peak).</summary>
    public string? OtherHours { get; init; }

    /// <summary>The holidays that count as <see cref="DayType.Holiday"/> rather than weekdays: <c>none</c>, <c>nerc</c> or <c>us-federal</c>.</summary>
    public string Holidays { get; init; } = TimeOfUseHolidays.None;
}

/// <summary>What kind of day an hour falls on, for time-of-use periods.</summary>
public enum DayType
{
    /// <summary>Monday to Friday, not a holiday.</summary>
    Weekday,

    /// <summary>Saturday and Sunday.</summary>
    Weekend,

    /// <summary>A holiday of the tariff's set that falls on a weekday.</summary>
    Holiday,
}

/// <summary>
/// A time-of-use period: the hours from <paramref name="FromHour"/> up to (not including) <paramref name="ToHour"/> (14 to 19 is
/// 2 p.m. to 7 p.m.), on the given day types (none: every day) and in the given months (none: all year).
/// </summary>
public sealed record TimeOfUsePeriod(string Register, int FromHour, int ToHour, ImmutableArray<DayType> Days, ImmutableArray<int> Months)
{
    public bool Holds(int month, DayType day, int hour) =>
        hour >= FromHour && hour < ToHour && (Days.IsDefaultOrEmpty || Days.Contains(day)) && (Months.IsDefaultOrEmpty || Months.Contains(month));
}

/// <summary>
/// A percentage tax or surcharge on the lines of chosen components before it: codes, or code
/// prefixes ending in '*'. Another tax's line can be in its base when that tax comes first.
/// </summary>
public sealed record PercentCharge(
    string Code,
    string Description,
    decimal Percent,
    ImmutableArray<string> Of) : TariffComponent(Code, Description);

/// <summary>
/// A demand ratchet: the billing demand is at least <paramref name="Percent"/> of the highest billing demand of the
/// prior <paramref name="Months"/> bills, and at least <paramref name="Floor"/>.
/// </summary>
public sealed record DemandRatchet(decimal Percent, int Months, decimal Floor = 0m);

/// <summary>
/// Demand (kW or kVA) priced on blocks of the billing demand: the period's highest demand, raised by a
/// <see cref="Ratchet"/> and, below a <see cref="PowerFactorTarget"/>, by the power factor adjustment
/// (demand x target ÷ actual power factor).
/// </summary>
public sealed record DemandCharge(
    string Code,
    string Description,
    Unit Unit,
    ImmutableArray<Block> Blocks) : TariffComponent(Code, Description)
{
    public DemandRatchet? Ratchet { get; init; }

    /// <summary>A power factor below this (0.90, say) raises the billing demand to demand x target ÷ power factor.</summary>
    public decimal? PowerFactorTarget { get; init; }
}

/// <summary>How an area's count of billing units is rounded: stormwater's ERUs.</summary>
public enum AreaRounding
{
    /// <summary>Any part of a unit counts as a whole one.</summary>
    Up,

    /// <summary>To the nearest whole unit, half up.</summary>
    Nearest,

    /// <summary>Only whole units count.</summary>
    Down,

    /// <summary>Fractions of a unit are billed as they are (1.36 units).</summary>
    None,
}

/// <summary>
/// A charge on an area (stormwater on impervious square feet): the area divided by <paramref name="UnitSize"/> (2,500 sq
/// ft is one ERU, say), rounded by <paramref name="UnitRounding"/>, at least <paramref name="MinimumUnits"/>, times the price
/// per unit.
/// </summary>
public sealed record AreaCharge(
    string Code,
    string Description,
    decimal UnitSize,
    AreaRounding UnitRounding,
    decimal PricePerUnit,
    decimal MinimumUnits = 0m) : TariffComponent(Code, Description);
