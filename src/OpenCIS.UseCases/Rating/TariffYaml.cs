using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Rating;
using OpenCIS.Storage.Payments;
using OpenCIS.UseCases.Payments;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using OpenCIS.Storage.Rating;
using OpenCIS.Storage;

namespace OpenCIS.UseCases.Rating;

/// <summary>A tariff file that cannot be read, with every problem named by line and field.</summary>
public sealed class TariffFormatException(IReadOnlyList<FileError> errors)
    : Exception(string.Join(Environment.NewLine, errors.Select(e => e.ToString())))
{
    public IReadOnlyList<FileError> Errors { get; } = errors;
}

/// <summary>
/// Reads and writes tariffs in the YAML format documented in docs/tariffs.md. Reading checks
/// everything and reports every problem with its line; a file with any problem gives no tariff.
/// </summary>
public static class TariffYaml
{
    public static Tariff Read(string text, string fileName) => ReadFile(text, fileName).Tariff;

    /// <summary>The tariff and the service it is for (the optional <c>service</c> field: water, sewer, trash, stormwater, electric, gas).</summary>
    public static (Tariff Tariff, Service? Service) ReadFile(string text, string fileName)
    {
        var errors = new List<FileError>();
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException exception)
        {
            throw new TariffFormatException([new FileError(fileName, (int)exception.Start.Line, "yaml", exception.InnerException?.Message ?? exception.Message)]);
        }
        catch (InvalidOperationException)
        {
            // The scanner gives up without a position on some malformed text (an unclosed bracket):
            // the line of the last thing it could read is where to look.
            throw new TariffFormatException([new FileError(fileName, YamlFields.LastReadableLine(text), "yaml", "the text is not well-formed YAML from here on (an unclosed bracket or quote?)")]);
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new TariffFormatException([new FileError(fileName, 1, "tariff", "a tariff file is one mapping with code, name, effective and charges")]);
        }

        var reader = new Reader(fileName, errors);
        var code = reader.Text(root, "code");
        var name = reader.Text(root, "name");
        var effective = reader.Date(root, "effective");
        Service? service = null;
        if (reader.Text(root, "service", required: false) is { } serviceText)
        {
            if (Enum.TryParse<Service>(serviceText, ignoreCase: true, out var parsed) && !int.TryParse(serviceText, out _))
            {
                service = parsed;
            }
            else
            {
                errors.Add(new FileError(fileName, (int)reader.Child(root, "service")!.Start.Line, "service", $"'{serviceText}' is not a service ({string.Join(", ", Enum.GetNames<Service>().Select(n => n.ToLowerInvariant()))})"));
            }
        }

        reader.Unknown(root, "code", "name", "service", "effective", "charges");
        var components = ImmutableArray.CreateBuilder<TariffComponent>();
        if (reader.Child(root, "charges") is YamlSequenceNode charges)
        {
            var declared = new List<string>();
            foreach (var charge in charges)
            {
                var component = reader.Component(charge);
                if (component is PercentCharge percent)
                {
                    // Its base is the charges before it, so a later or unknown code is a mistake.
                    foreach (var of in percent.Of.Where(o => !o.EndsWith('*') && !declared.Contains(o, StringComparer.Ordinal)))
                    {
                        errors.Add(new FileError(fileName, (int)(reader.Child((YamlMappingNode)charge, "of") ?? charge).Start.Line, "of", $"charge {percent.Code} is a percentage of {of}, which is not a charge before it"));
                    }
                }

                if (charge is YamlMappingNode map && reader.Child(map, "code") is YamlScalarNode { Value: { } declaredCode })
                {
                    declared.Add(declaredCode);
                }

                if (component is not null && components.FirstOrDefault(c => c.Code == component.Code) is not null)
                {
                    errors.Add(new FileError(fileName, (int)charge.Start.Line, "code", $"{component.Code} is the code of a charge above; each charge needs its own"));
                }
                else if (component is not null)
                {
                    components.Add(component);
                }
            }

        }
        else
        {
            errors.Add(new FileError(fileName, (int)root.Start.Line, "charges", "a tariff needs a list of charges"));
        }

        if (errors.Count > 0)
        {
            throw new TariffFormatException([.. errors.OrderBy(e => e.Line)]);
        }

        return (new Tariff(code!, name!, effective!.Value, components.ToImmutable()), service);
    }

    /// <summary>Writes a tariff in the documented format; reading the text back gives the same tariff.</summary>
    public static string Write(Tariff tariff, Service? service = null)
    {
        var yaml = new StringBuilder();
        yaml.Append("code: ").AppendLine(Scalar(tariff.Code));
        yaml.Append("name: ").AppendLine(Scalar(tariff.Name));
        if (service is { } known)
        {
            yaml.Append("service: ").AppendLine(known.ToString().ToLowerInvariant());
        }

        yaml.Append("effective: ").AppendLine(tariff.EffectiveFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        yaml.AppendLine("charges:");
        foreach (var component in tariff.Components)
        {
            yaml.Append("  - code: ").AppendLine(Scalar(component.Code));
            yaml.Append("    description: ").AppendLine(Scalar(component.Description));
            if (!component.Months.IsDefaultOrEmpty)
            {
                yaml.Append("    months: [").Append(string.Join(", ", component.Months)).AppendLine("]");
            }

            if ((component switch { BlockCharge b => b.UsePercent, RiderCharge r => r.UsePercent, _ => 100m }) is var share and not 100m)
            {
                yaml.Append("    percent_of_use: ").AppendLine(Number(share));
            }

            if (!component.ForPrograms.IsDefaultOrEmpty)
            {
                yaml.Append("    for_programs: [").Append(string.Join(", ", component.ForPrograms.Select(Scalar))).AppendLine("]");
            }

            if (component.Rounding != LineRounding.HalfAwayFromZero)
            {
                yaml.Append("    rounding: ").AppendLine(component.Rounding == LineRounding.HalfEven ? "half-even" : "up");
            }

            if (component.LineMinimum is { } least)
            {
                yaml.Append("    line_minimum: ").AppendLine(Number(least));
            }

            if (component.LineMaximum is { } most)
            {
                yaml.Append("    line_maximum: ").AppendLine(Number(most));
            }

            switch (component)
            {
                case FixedCharge fixedCharge:
                    yaml.Append("    fixed: ").AppendLine(Number(fixedCharge.Amount));
                    yaml.Append("    per: ").AppendLine(fixedCharge.Per.ToString().ToLowerInvariant());
                    if (fixedCharge.PriceAttribute != FixedCharge.MeterSizeAttribute)
                    {
                        yaml.Append("    by: { attribute: ").Append(Scalar(fixedCharge.PriceAttribute)).Append(", prices: { ")
                            .Append(string.Join(", ", (fixedCharge.ByMeterSize ?? ImmutableDictionary<string, decimal>.Empty).OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{Scalar(s.Key)}: {Number(s.Value)}")))
                            .Append(" }").Append(fixedCharge.Optional ? ", optional: true" : "")
                            .Append(fixedCharge.Standard is { } standard ? $", standard: {Scalar(standard)}" : "").AppendLine(" }");
                    }
                    else if (fixedCharge.ByMeterSize is { Count: > 0 } sizes)
                    {
                        yaml.Append("    by_meter_size: { ").Append(string.Join(", ", sizes.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{Scalar(s.Key)}: {Number(s.Value)}"))).AppendLine(" }");
                    }

                    break;
                case BlockCharge { Seasons.IsDefaultOrEmpty: false } seasonal:
                    yaml.Append("    unit: ").AppendLine(UnitText(seasonal.Unit));
                    yaml.Append("    per: ").AppendLine(Number(seasonal.PricePer));
                    yaml.AppendLine("    seasons:");
                    foreach (var season in seasonal.Seasons)
                    {
                        yaml.Append("      - name: ").AppendLine(Scalar(season.Name));
                        if (season.Days is { } days)
                        {
                            yaml.Append(CultureInfo.InvariantCulture, $"        from: '{days.FromMonth:00}-{days.FromDay:00}'").AppendLine();
                            yaml.Append(CultureInfo.InvariantCulture, $"        to: '{days.ToMonth:00}-{days.ToDay:00}'").AppendLine();
                        }
                        else
                        {
                            yaml.Append("        months: [").Append(string.Join(", ", season.Months)).AppendLine("]");
                        }

                        Tiers(yaml, "        ", season.Blocks);
                    }

                    break;
                case BlockCharge blocks:
                    yaml.AppendLine("    blocks:");
                    yaml.Append("      unit: ").AppendLine(UnitText(blocks.Unit));
                    yaml.Append("      per: ").AppendLine(Number(blocks.PricePer));
                    Tiers(yaml, "      ", blocks.Blocks);
                    break;
                case FlatCharge flat:
                    yaml.Append("    flat: ").AppendLine(Number(flat.PricePerUnit));
                    yaml.Append("    unit_name: ").AppendLine(Scalar(flat.UnitName));
                    break;
                case MinimumCharge minimum:
                    yaml.Append("    minimum: ").AppendLine(Number(minimum.Amount));
                    break;
                case SewerCharge sewer:
                    yaml.AppendLine("    sewer:");
                    yaml.Append("      basis: ").AppendLine(sewer.Basis switch
                    {
                        SewerBasis.LesserOfUseAndWinterAverage => "lesser_of_use_and_winter_average",
                        SewerBasis.WinterAverage => "winter_average",
                        _ => "use",
                    });
                    yaml.Append("      percent: ").AppendLine(Number(sewer.Percent));
                    if (sewer.WinterAverageCapPercent != 100m)
                    {
                        yaml.Append("      winter_average_cap_percent: ").AppendLine(Number(sewer.WinterAverageCapPercent));
                    }

                    yaml.Append("      unit: ").AppendLine(UnitText(sewer.Unit));
                    yaml.Append("      per: ").AppendLine(Number(sewer.PricePer));
                    Tiers(yaml, "      ", sewer.Blocks);
                    break;
                case RiderCharge rider:
                    yaml.Append("    rider: ").AppendLine(Scalar(rider.Rider));
                    yaml.Append("    unit: ").AppendLine(UnitText(rider.Unit));
                    break;
                case RegisterCharge registers:
                    yaml.AppendLine("    registers:");
                    yaml.Append("      unit: ").AppendLine(UnitText(registers.Unit));
                    yaml.Append("      prices: { ").Append(string.Join(", ", registers.Prices.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{Scalar(p.Key)}: {Number(p.Value)}"))).AppendLine(" }");
                    if (!registers.TimeOfUse.IsDefaultOrEmpty)
                    {
                        yaml.AppendLine("      time_of_use:");
                        if (registers.Holidays != TimeOfUseHolidays.None)
                        {
                            yaml.Append("        holidays: ").AppendLine(registers.Holidays);
                        }

                        yaml.AppendLine("        periods:");
                        foreach (var period in registers.TimeOfUse)
                        {
                            yaml.Append(CultureInfo.InvariantCulture, $"          - {{ register: {Scalar(period.Register)}, hours: {period.FromHour}-{period.ToHour}");
                            if (!period.Days.IsDefaultOrEmpty)
                            {
                                yaml.Append(", days: [").Append(string.Join(", ", period.Days.Select(d => d.ToString().ToLowerInvariant()))).Append(']');
                            }

                            if (!period.Months.IsDefaultOrEmpty)
                            {
                                yaml.Append(", months: [").Append(string.Join(", ", period.Months)).Append(']');
                            }

                            yaml.AppendLine(" }");
                        }

                        if (registers.OtherHours is { } other)
                        {
                            yaml.Append("        other_hours: ").AppendLine(Scalar(other));
                        }
                    }

                    break;
                case AreaCharge area:
                    yaml.AppendLine("    area:");
                    yaml.Append("      unit_size: ").AppendLine(Number(area.UnitSize));
                    yaml.Append("      rounding: ").AppendLine(area.UnitRounding.ToString().ToLowerInvariant());
                    yaml.Append("      price: ").AppendLine(Number(area.PricePerUnit));
                    if (area.MinimumUnits > 0m)
                    {
                        yaml.Append("      minimum_units: ").AppendLine(Number(area.MinimumUnits));
                    }

                    break;
                case DemandCharge demand:
                    yaml.AppendLine("    demand:");
                    yaml.Append("      unit: ").AppendLine(UnitText(demand.Unit));
                    if (demand.Ratchet is { } ratchet)
                    {
                        yaml.Append(CultureInfo.InvariantCulture, $"      ratchet: {{ percent: {Number(ratchet.Percent)}, months: {ratchet.Months}, floor: {Number(ratchet.Floor)} }}").AppendLine();
                    }

                    if (demand.PowerFactorTarget is { } target)
                    {
                        yaml.Append("      power_factor: ").AppendLine(Number(target));
                    }

                    Tiers(yaml, "      ", demand.Blocks);
                    break;
                case PercentCharge percent:
                    yaml.Append("    percent: ").AppendLine(Number(percent.Percent));
                    yaml.Append("    of: [").Append(string.Join(", ", percent.Of.Select(Scalar))).AppendLine("]");
                    break;
                default:
                    throw new InvalidOperationException($"Charge {component.Code} is of a kind the YAML writer does not know ({component.GetType().Name}).");
            }
        }

        return yaml.ToString();
    }

    private static void Tiers(StringBuilder yaml, string indent, ImmutableArray<Block> blocks)
    {
        yaml.Append(indent).AppendLine("tiers:");
        foreach (var block in blocks)
        {
            yaml.Append(indent).Append("  - { ").Append(block.UpTo is { } upTo ? $"up_to: {Number(upTo)}, " : "").Append("price: ").Append(Number(block.Price)).AppendLine(" }");
        }
    }

    // A decimal keeps its scale: 12.50 is written as the tariff gave it.
    private static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static string UnitText(Unit unit) => unit switch
    {
        Unit.Gallons => "gal",
        Unit.Kgal => "kgal",
        Unit.CubicFeet => "cf",
        Unit.Ccf => "ccf",
        Unit.CubicMeters => "m3",
        Unit.Kwh => "kwh",
        Unit.Wh => "wh",
        Unit.Kw => "kw",
        Unit.Kva => "kva",
        Unit.Therm => "therm",
        _ => throw new InvalidOperationException($"A tariff cannot price in {unit}."),
    };

    /// <summary>Text quoted when YAML would read it as something else (a number, a flow character, a colon).</summary>
    private static string Scalar(string text) =>
        text.Length == 0 || text.Any(c => c is ':' or '#' or '\'' or '"' or '{' or '}' or '[' or ']' or ',' or '*' or '&' or '!' or '|' or '>' or '%' or '@' or '`')
            || decimal.TryParse(text, NumberStyles.Any, CultureInfo.InvariantCulture, out _) || text != text.Trim()
            || text is "true" or "false" or "yes" or "no" or "null" or "~"
            ? "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'"
            : text;

    /// <summary>Walks the YAML nodes, converting values and noting problems with their lines.</summary>
    private sealed class Reader(string fileName, List<FileError> errors)
    {
        private static readonly string[] Kinds = ["fixed", "blocks", "seasons", "flat", "minimum", "sewer", "rider", "registers", "demand", "area", "percent"];

        // The field-by-field reading (missing, unknown and malformed fields) is the one every YAML file shares.
        private readonly YamlFields fields = new(fileName, found => new TariffFormatException(found), errors);

        public YamlNode? Child(YamlMappingNode map, string key) => YamlFields.Child(map, key);

        private void Problem(YamlNode node, string field, string message) => fields.Problem(node, field, message);

        public void Unknown(YamlMappingNode map, params string[] known) => fields.Known(map, known);

        public string? Text(YamlMappingNode map, string key, bool required = true) => fields.Text(map, key, required);

        public DateOnly? Date(YamlMappingNode map, string key) => fields.Date(map, key);

        public decimal? Number(YamlNode node, string field)
        {
            if (node is YamlScalarNode { Value: { } text } && decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
            {
                return number;
            }

            Problem(node, field, $"'{(node as YamlScalarNode)?.Value}' is not a number");
            return null;
        }

        public decimal? Number(YamlMappingNode map, string key, bool required = true) =>
            Child(map, key) is { } node ? Number(node, key) : required ? Missing<decimal>(map, key) : null;

        /// <summary>
        /// A price: zero or more (a credit is a discount's percentage, not a negative price), and for an amount charged
        /// as it stands (a fixed charge, a meter size's charge, a minimum) whole cents.
        /// </summary>
        public decimal? Price(YamlNode node, string field, bool wholeCents = false)
        {
            if (Number(node, field) is not { } price)
            {
                return null;
            }

            if (price < 0)
            {
                Problem(node, field, $"'{(node as YamlScalarNode)?.Value}' is negative; a price is zero or more");
                return null;
            }

            if (wholeCents && price != decimal.Round(price, 2))
            {
                Problem(node, field, $"'{(node as YamlScalarNode)?.Value}' has more than two decimals; a charge of a fixed amount is in whole cents");
                return null;
            }

            return price;
        }

        public decimal? Price(YamlMappingNode map, string key, bool wholeCents = false) =>
            Child(map, key) is { } node ? Price(node, key, wholeCents) : Missing<decimal>(map, key);

        private T? Missing<T>(YamlNode node, string key) where T : struct
        {
            Problem(node, key, "is missing");
            return null;
        }

        public Unit? UnitOf(YamlMappingNode map, string key = "unit")
        {
            var text = Text(map, key);
            if (text is null)
            {
                return null;
            }

            if (UnitConversion.Parse(text) is { } unit)
            {
                if (UnitConversion.IsReactive(unit))
                {
                    Problem(Child(map, key)!, key, $"'{text}' is reactive energy, which no charge prices; a run takes it from the meter's intervals for the power factor");
                    return null;
                }

                return unit;
            }

            Problem(Child(map, key)!, key, $"'{text}' is not a unit (gal, kgal, cf, ccf, m3, kwh, wh)");
            return null;
        }

        /// <summary>A day of the year written MM-DD (04-15 is April 15; 02-29 is allowed).</summary>
        private (int Month, int Day)? DayOfYear(YamlMappingNode map, string key)
        {
            var text = Text(map, key);
            if (text is null)
            {
                return null;
            }

            if (text.Length == 5 && text[2] == '-' && int.TryParse(text[..2], NumberStyles.None, CultureInfo.InvariantCulture, out var month)
                && int.TryParse(text[3..], NumberStyles.None, CultureInfo.InvariantCulture, out var day) && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(2024, month))
            {
                return (month, day);
            }

            Problem(Child(map, key)!, key, $"'{text}' is not a day of the year as MM-DD (04-15 is April 15)");
            return null;
        }

        public ImmutableArray<int> Months(YamlMappingNode map)
        {
            if (Child(map, "months") is not { } node)
            {
                return [];
            }

            if (node is not YamlSequenceNode list)
            {
                Problem(node, "months", "must be a list of month numbers, 1 to 12");
                return [];
            }

            var months = ImmutableArray.CreateBuilder<int>();
            foreach (var item in list)
            {
                if (item is YamlScalarNode { Value: { } text } && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var month) && month is >= 1 and <= 12)
                {
                    months.Add(month);
                }
                else
                {
                    Problem(item, "months", $"'{(item as YamlScalarNode)?.Value}' is not a month number, 1 to 12");
                }
            }

            return months.ToImmutable();
        }

        public ImmutableArray<Block> Tiers(YamlMappingNode map, string owner)
        {
            if (Child(map, "tiers") is not YamlSequenceNode list || list.Children.Count == 0)
            {
                Problem(Child(map, "tiers") ?? map, "tiers", $"{owner} needs a list of tiers, each with a price and all but the last with up_to");
                return [];
            }

            var blocks = ImmutableArray.CreateBuilder<Block>();
            decimal? previous = 0m;
            for (var i = 0; i < list.Children.Count; i++)
            {
                if (list.Children[i] is not YamlMappingNode tier)
                {
                    Problem(list.Children[i], "tiers", "each tier is a mapping: { up_to: N, price: P }");
                    continue;
                }

                Unknown(tier, "up_to", "price");
                var upTo = Number(tier, "up_to", required: false);
                var price = Price(tier, "price");
                var last = i == list.Children.Count - 1;
                if (upTo is null && !last)
                {
                    Problem(tier, "up_to", "only the last tier may be open-ended");
                }
                else if (upTo is { } bound && previous is { } lower && bound <= lower)
                {
                    Problem(tier, "up_to", $"{bound} must be above the tier before ({lower})");
                }

                previous = upTo;
                blocks.Add(new Block(last ? upTo : upTo, price ?? 0m));
            }

            return blocks.ToImmutable();
        }

        public TariffComponent? Component(YamlNode node)
        {
            if (node is not YamlMappingNode map)
            {
                Problem(node, "charges", "each charge is a mapping with a code, a description and one kind (fixed, blocks, flat, minimum, sewer, rider, registers, percent)");
                return null;
            }

            var code = Text(map, "code");
            var description = Text(map, "description", required: false) ?? code ?? "";
            var kinds = Kinds.Where(k => Child(map, k) is not null).ToList();
            if (kinds.Count != 1)
            {
                Problem(map, "charges", kinds.Count == 0
                    ? $"charge {code} has no kind; give one of {string.Join(", ", Kinds.Where(k => k != "seasons"))}"
                    : $"charge {code} has more than one kind ({string.Join(", ", kinds)})");
                return null;
            }

            var months = Months(map);
            TariffComponent? component = kinds[0] switch
            {
                "fixed" => Fixed(map, code, description),
                "blocks" or "seasons" => Blocks(map, code, description, kinds[0]),
                "flat" => Price(map, "flat") is { } price ? new FlatCharge(code ?? "", description, price, Text(map, "unit_name", required: false) ?? "unit") : null,
                "minimum" => Price(map, "minimum", wholeCents: true) is { } minimum ? new MinimumCharge(code ?? "", description, minimum) : null,
                "sewer" => Sewer(map, code, description),
                "rider" => Rider(map, code, description),
                "registers" => Registers(map, code, description),
                "demand" => Demand(map, code, description),
                "area" => Area(map, code, description),
                _ => Percent(map, code, description),
            };
            Unknown(map, [.. Known(kinds[0]), "code", "description", "months", "rounding", "line_minimum", "line_maximum", "for_programs"]);
            var programs = ImmutableArray.CreateBuilder<string>();
            if (Child(map, "for_programs") is { } programsNode)
            {
                if (programsNode is YamlSequenceNode programList && programList.Children.Count > 0 && programList.Children.All(p => p is YamlScalarNode { Value.Length: > 0 }))
                {
                    programs.AddRange(programList.Children.Select(p => ((YamlScalarNode)p).Value!));
                }
                else
                {
                    Problem(programsNode, "for_programs", "must list the programs the charge is for: [senior, low-income]");
                }
            }

            var rounding = Text(map, "rounding", required: false) switch
            {
                null or "half-away-from-zero" => LineRounding.HalfAwayFromZero,
                "half-even" => LineRounding.HalfEven,
                "up" => LineRounding.Up,
                var other => InvalidRounding(Child(map, "rounding")!, other),
            };
            var least = Child(map, "line_minimum") is { } minimumNode ? Price(minimumNode, "line_minimum", wholeCents: true) : null;
            var most = Child(map, "line_maximum") is { } maximumNode ? Price(maximumNode, "line_maximum", wholeCents: true) : null;
            if (least is { } low && most is { } high && low > high)
            {
                Problem(Child(map, "line_maximum")!, "line_maximum", $"{high} is less than the line_minimum {low}");
            }

            var share = Child(map, "percent_of_use") is { } shareNode ? Price(shareNode, "percent_of_use") : 100m;
            if (share is 0m)
            {
                Problem(Child(map, "percent_of_use")!, "percent_of_use", "0% of use bills nothing; leave the charge out instead");
            }

            component = (component, share) switch
            {
                (BlockCharge blocks, { } percent) => blocks with { UsePercent = percent },
                (RiderCharge rider, { } percent) => rider with { UsePercent = percent },
                _ => component,
            };
            return code is null || component is null || rounding is null
                ? null
                : component with { Months = months, Rounding = rounding.Value, LineMinimum = least, LineMaximum = most, ForPrograms = programs.ToImmutable() };
        }

        private LineRounding? InvalidRounding(YamlNode node, string text)
        {
            Problem(node, "rounding", $"'{text}' is not half-away-from-zero, half-even or up");
            return null;
        }

        private static string[] Known(string kind) => kind switch
        {
            "fixed" => ["fixed", "per", "by_meter_size", "by"],
            "blocks" => ["blocks", "percent_of_use"],
            "seasons" => ["seasons", "unit", "per", "percent_of_use"],
            "flat" => ["flat", "unit_name"],
            "minimum" => ["minimum"],
            "sewer" => ["sewer"],
            "rider" => ["rider", "unit", "percent_of_use"],
            "registers" => ["registers"],
            "demand" => ["demand"],
            "area" => ["area"],
            _ => ["percent", "of"],
        };

        private FixedCharge? Fixed(YamlMappingNode map, string? code, string description)
        {
            var per = Text(map, "per", required: false) switch
            {
                null or "bill" => ChargeFrequency.Bill,
                "month" => ChargeFrequency.Month,
                "day" => ChargeFrequency.Day,
                "quarter" => ChargeFrequency.Quarter,
                "year" => ChargeFrequency.Year,
                var other => Invalid(Child(map, "per")!, "per", $"'{other}' is not bill, day, month, quarter or year"),
            };
            // A charge per bill or month is an amount on the bill, in whole cents; one per day is a rate.
            var wholeCents = per != ChargeFrequency.Day;
            var amount = Price(map, "fixed", wholeCents);
            ImmutableDictionary<string, decimal>? bySize = null;
            if (Child(map, "by_meter_size") is { } sizes)
            {
                if (sizes is YamlMappingNode sizeMap)
                {
                    var builder = ImmutableDictionary.CreateBuilder<string, decimal>(StringComparer.Ordinal);
                    foreach (var (key, value) in sizeMap.Children)
                    {
                        if (Price(value, "by_meter_size", wholeCents) is { } sized)
                        {
                            builder[((YamlScalarNode)key).Value ?? ""] = sized;
                        }
                    }

                    bySize = builder.ToImmutable();
                }
                else
                {
                    Problem(sizes, "by_meter_size", "must map meter sizes to amounts");
                }
            }

            var attribute = FixedCharge.MeterSizeAttribute;
            var optional = false;
            string? standard = null;
            if (Child(map, "by") is { } by)
            {
                if (by is YamlMappingNode byMap && bySize is null)
                {
                    Unknown(byMap, "attribute", "prices", "optional", "standard");
                    standard = Text(byMap, "standard", required: false);
                    attribute = Text(byMap, "attribute") ?? attribute;
                    switch (Text(byMap, "optional", required: false))
                    {
                        case null or "false":
                            break;
                        case "true":
                            optional = true;
                            break;
                        default:
                            Problem(Child(byMap, "optional")!, "optional", "must be true or false");
                            break;
                    }

                    var builder = ImmutableDictionary.CreateBuilder<string, decimal>(StringComparer.Ordinal);
                    if (Child(byMap, "prices") is YamlMappingNode prices && prices.Children.Count > 0)
                    {
                        foreach (var (key, value) in prices.Children)
                        {
                            if (Price(value, "prices", wholeCents) is { } chosen)
                            {
                                builder[((YamlScalarNode)key).Value ?? ""] = chosen;
                            }
                        }
                    }
                    else
                    {
                        Problem(Child(byMap, "prices") ?? byMap, "prices", "must map each value of the attribute to its amount");
                    }

                    bySize = builder.ToImmutable();
                    if (standard is not null && !bySize.ContainsKey(standard))
                    {
                        Problem(Child(byMap, "standard")!, "standard", $"'{standard}' is not one of the priced values ({string.Join(", ", bySize.Keys.Order(StringComparer.Ordinal))})");
                    }
                }
                else
                {
                    Problem(by, "by", bySize is null ? "must be a mapping: { attribute: cart_size, prices: { 64gal: 18.00, 96gal: 21.50 } }" : "a charge prices by_meter_size or by another attribute, not both");
                }
            }

            return amount is null || per is null ? null : new FixedCharge(code ?? "", description, amount.Value, bySize, per.Value) { PriceAttribute = attribute, Optional = optional, Standard = standard };
        }

        private ChargeFrequency? Invalid(YamlNode node, string field, string message)
        {
            Problem(node, field, message);
            return null;
        }

        private BlockCharge? Blocks(YamlMappingNode map, string? code, string description, string kind)
        {
            if (kind == "blocks")
            {
                if (Child(map, "blocks") is not YamlMappingNode blocks)
                {
                    Problem(Child(map, "blocks")!, "blocks", "must be a mapping with unit, per and tiers");
                    return null;
                }

                Unknown(blocks, "unit", "per", "tiers");
                var unit = UnitOf(blocks);
                var per = Number(blocks, "per", required: false) ?? 1m;
                var tiers = Tiers(blocks, $"charge {code}");
                return unit is null ? null : new BlockCharge(code ?? "", description, unit.Value, per, tiers);
            }

            var seasonalUnit = UnitOf(map);
            var seasonalPer = Number(map, "per", required: false) ?? 1m;
            if (Child(map, "seasons") is not YamlSequenceNode list)
            {
                Problem(Child(map, "seasons")!, "seasons", "must be a list of seasons, each with a name, months and tiers");
                return null;
            }

            var seasons = ImmutableArray.CreateBuilder<Season>();
            foreach (var item in list)
            {
                if (item is not YamlMappingNode season)
                {
                    Problem(item, "seasons", "each season is a mapping with a name, months and tiers");
                    continue;
                }

                Unknown(season, "name", "months", "from", "to", "tiers");
                var name = Text(season, "name") ?? "";
                SeasonDays? days = null;
                var months = ImmutableArray<int>.Empty;
                if (Child(season, "from") is not null || Child(season, "to") is not null)
                {
                    var from = DayOfYear(season, "from");
                    var to = DayOfYear(season, "to");
                    if (Child(season, "months") is { } both)
                    {
                        Problem(both, "months", $"season {name} has from and to; months too is one bound too many");
                    }

                    days = from is { } f && to is { } t ? new SeasonDays(f.Month, f.Day, t.Month, t.Day) : null;
                }
                else
                {
                    months = Months(season);
                    if (months.IsEmpty)
                    {
                        Problem(season, "months", $"season {name} needs its months, or from and to");
                    }
                }

                seasons.Add(new Season(name, months, Tiers(season, $"season {name}")) { Days = days });
            }

            // Every day of a leap year in at most one season.
            var year = Enumerable.Range(0, 366).Select(d => new DateOnly(2024, 1, 1).AddDays(d));
            var overlap = year.Where(d => seasons.Count(s => s.Contains(d)) > 1).ToList();
            if (overlap.Count > 0)
            {
                Problem(list, "seasons", $"{overlap.Count} day{(overlap.Count == 1 ? " is" : "s are")} in more than one season, from {overlap[0]:MMMM d}");
            }

            return seasonalUnit is null ? null : new BlockCharge(code ?? "", description, seasonalUnit.Value, seasonalPer, []) { Seasons = seasons.ToImmutable() };
        }

        private SewerCharge? Sewer(YamlMappingNode map, string? code, string description)
        {
            if (Child(map, "sewer") is not YamlMappingNode sewer)
            {
                Problem(Child(map, "sewer")!, "sewer", "must be a mapping with basis, unit, per and tiers");
                return null;
            }

            Unknown(sewer, "basis", "percent", "unit", "per", "tiers", "winter_average_cap_percent");
            SewerBasis? basis = Text(sewer, "basis", required: false) switch
            {
                null or "use" => SewerBasis.Use,
                "lesser_of_use_and_winter_average" => SewerBasis.LesserOfUseAndWinterAverage,
                "winter_average" => SewerBasis.WinterAverage,
                var other => InvalidBasis(Child(sewer, "basis")!, other),
            };
            var percent = Number(sewer, "percent", required: false) ?? 100m;
            var unit = UnitOf(sewer);
            var per = Number(sewer, "per", required: false) ?? 1m;
            var tiers = Tiers(sewer, $"charge {code}");
            var cap = Child(sewer, "winter_average_cap_percent") is { } capNode ? Price(capNode, "winter_average_cap_percent") : 100m;
            if (cap is not null and not 100m && basis != SewerBasis.LesserOfUseAndWinterAverage)
            {
                Problem(Child(sewer, "winter_average_cap_percent")!, "winter_average_cap_percent", "caps only the basis lesser_of_use_and_winter_average");
            }

            return unit is null || basis is null || cap is null
                ? null
                : new SewerCharge(code ?? "", description, unit.Value, per, tiers, basis.Value, percent) { WinterAverageCapPercent = cap.Value };
        }

        private SewerBasis? InvalidBasis(YamlNode node, string text)
        {
            Problem(node, "basis", $"'{text}' is not use, lesser_of_use_and_winter_average or winter_average");
            return null;
        }

        private RiderCharge? Rider(YamlMappingNode map, string? code, string description)
        {
            var rider = Text(map, "rider");
            var unit = UnitOf(map);
            return rider is null || unit is null ? null : new RiderCharge(code ?? "", description, rider, unit.Value);
        }

        private RegisterCharge? Registers(YamlMappingNode map, string? code, string description)
        {
            if (Child(map, "registers") is not YamlMappingNode registers)
            {
                Problem(Child(map, "registers")!, "registers", "must be a mapping with unit and prices");
                return null;
            }

            Unknown(registers, "unit", "prices", "time_of_use");
            var unit = UnitOf(registers);
            var prices = ImmutableDictionary.CreateBuilder<string, decimal>(StringComparer.Ordinal);
            if (Child(registers, "prices") is YamlMappingNode priceMap && priceMap.Children.Count > 0)
            {
                foreach (var (key, value) in priceMap.Children)
                {
                    if (Price(value, "prices") is { } price)
                    {
                        prices[((YamlScalarNode)key).Value ?? ""] = price;
                    }
                }
            }
            else
            {
                Problem(Child(registers, "prices") ?? registers, "prices", "must map each register (ON, OFF, ...) to its price per unit");
            }

            var charge = unit is null ? null : new RegisterCharge(code ?? "", description, unit.Value, prices.ToImmutable());
            if (Child(registers, "time_of_use") is not { } touNode)
            {
                return charge;
            }

            if (touNode is not YamlMappingNode tou)
            {
                Problem(touNode, "time_of_use", "must be a mapping with periods, other_hours and optionally holidays");
                return null;
            }

            Unknown(tou, "periods", "other_hours", "holidays");
            var holidays = Text(tou, "holidays", required: false) ?? TimeOfUseHolidays.None;
            if (!TimeOfUseHolidays.Names.Contains(holidays))
            {
                Problem(Child(tou, "holidays")!, "holidays", $"'{holidays}' is not a holiday set: {string.Join(", ", TimeOfUseHolidays.Names)}");
            }

            var other = Text(tou, "other_hours");
            if (other is not null && !prices.ContainsKey(other))
            {
                Problem(Child(tou, "other_hours")!, "other_hours", $"'{other}' is not a register this charge prices ({string.Join(", ", prices.Keys.Order(StringComparer.Ordinal))})");
            }

            var periods = ImmutableArray.CreateBuilder<TimeOfUsePeriod>();
            if (Child(tou, "periods") is YamlSequenceNode list && list.Children.Count > 0)
            {
                foreach (var item in list.Children)
                {
                    if (TimeOfUsePeriodOf(item, prices) is { } period)
                    {
                        periods.Add(period);
                    }
                }
            }
            else
            {
                Problem(Child(tou, "periods") ?? tou, "periods", "must list the periods: { register: ON, hours: 14-19, days: [weekday], months: [6, 7, 8, 9] }");
            }

            return charge is null ? null : charge with { TimeOfUse = periods.ToImmutable(), OtherHours = other, Holidays = holidays };
        }

        private TimeOfUsePeriod? TimeOfUsePeriodOf(YamlNode item, ImmutableDictionary<string, decimal>.Builder prices)
        {
            if (item is not YamlMappingNode map)
            {
                Problem(item, "periods", "each period is a mapping: { register: ON, hours: 14-19, days: [weekday], months: [6, 7, 8, 9] }");
                return null;
            }

            Unknown(map, "register", "hours", "days", "months");
            var register = Text(map, "register");
            if (register is not null && !prices.ContainsKey(register))
            {
                Problem(Child(map, "register")!, "register", $"'{register}' is not a register this charge prices ({string.Join(", ", prices.Keys.Order(StringComparer.Ordinal))})");
                register = null;
            }

            var hoursText = Text(map, "hours");
            (int From, int To)? hours = null;
            if (hoursText is not null)
            {
                var parts = hoursText.Split('-');
                if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var from) && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var to)
                    && from is >= 0 and < 24 && to is > 0 and <= 24 && from < to)
                {
                    hours = (from, to);
                }
                else
                {
                    Problem(Child(map, "hours")!, "hours", $"'{hoursText}' is not hours from-to on the 24-hour clock (14-19 is 2 p.m. to 7 p.m.; the end hour is not included)");
                }
            }

            var days = ImmutableArray.CreateBuilder<DayType>();
            if (Child(map, "days") is { } daysNode)
            {
                if (daysNode is YamlSequenceNode dayList)
                {
                    foreach (var day in dayList.Children)
                    {
                        switch ((day as YamlScalarNode)?.Value)
                        {
                            case "weekday": days.Add(DayType.Weekday); break;
                            case "weekend": days.Add(DayType.Weekend); break;
                            case "holiday": days.Add(DayType.Holiday); break;
                            case var other: Problem(day, "days", $"'{other}' is not weekday, weekend or holiday"); break;
                        }
                    }
                }
                else
                {
                    Problem(daysNode, "days", "must be a list of weekday, weekend and holiday");
                }
            }

            var months = Months(map);
            return register is null || hours is null ? null : new TimeOfUsePeriod(register, hours.Value.From, hours.Value.To, days.ToImmutable(), months);
        }

        private DemandCharge? Demand(YamlMappingNode map, string? code, string description)
        {
            if (Child(map, "demand") is not YamlMappingNode demand)
            {
                Problem(Child(map, "demand")!, "demand", "must be a mapping with unit (kw or kva), tiers, and optionally ratchet and power_factor");
                return null;
            }

            Unknown(demand, "unit", "tiers", "ratchet", "power_factor");
            var unit = UnitOf(demand);
            if (unit is not (null or Unit.Kw or Unit.Kva))
            {
                Problem(Child(demand, "unit")!, "unit", $"demand is in kw or kva, not {UnitText(unit.Value)}");
                unit = null;
            }

            var tiers = Tiers(demand, $"charge {code}");
            DemandRatchet? ratchet = null;
            if (Child(demand, "ratchet") is { } ratchetNode)
            {
                if (ratchetNode is YamlMappingNode ratchetMap)
                {
                    Unknown(ratchetMap, "percent", "months", "floor");
                    var percent = Price(ratchetMap, "percent");
                    var months = Number(ratchetMap, "months");
                    var floor = Child(ratchetMap, "floor") is { } floorNode ? Price(floorNode, "floor") : 0m;
                    if (months is { } m && (m != decimal.Truncate(m) || m is < 1 or > 36))
                    {
                        Problem(Child(ratchetMap, "months")!, "months", $"'{m}' is not a whole number of bills from 1 to 36");
                        months = null;
                    }

                    ratchet = percent is { } p && months is { } n && floor is { } f ? new DemandRatchet(p, (int)n, f) : null;
                }
                else
                {
                    Problem(ratchetNode, "ratchet", "must be a mapping: { percent: 80, months: 11, floor: 50 }");
                }
            }

            var target = Child(demand, "power_factor") is { } factorNode ? Number(factorNode, "power_factor") : null;
            if (target is not (null or (> 0m and <= 1m)))
            {
                Problem(Child(demand, "power_factor")!, "power_factor", $"'{target}' is not a power factor between 0 and 1");
                target = null;
            }

            return unit is null ? null : new DemandCharge(code ?? "", description, unit.Value, tiers) { Ratchet = ratchet, PowerFactorTarget = target };
        }

        private AreaCharge? Area(YamlMappingNode map, string? code, string description)
        {
            if (Child(map, "area") is not YamlMappingNode area)
            {
                Problem(Child(map, "area")!, "area", "must be a mapping with unit_size, rounding, price and optionally minimum_units");
                return null;
            }

            Unknown(area, "unit_size", "rounding", "price", "minimum_units");
            var size = Price(area, "unit_size");
            if (size is 0m)
            {
                Problem(Child(area, "unit_size")!, "unit_size", "a unit of no area cannot divide one");
                size = null;
            }

            AreaRounding? rounding = Text(area, "rounding", required: false) switch
            {
                null or "up" => AreaRounding.Up,
                "nearest" => AreaRounding.Nearest,
                "down" => AreaRounding.Down,
                "none" => AreaRounding.None,
                var other => InvalidAreaRounding(Child(area, "rounding")!, other),
            };
            var price = Price(area, "price");
            var least = Child(area, "minimum_units") is { } leastNode ? Price(leastNode, "minimum_units") : 0m;
            return size is { } s && rounding is { } r && price is { } p && least is { } l ? new AreaCharge(code ?? "", description, s, r, p, l) : null;
        }

        private AreaRounding? InvalidAreaRounding(YamlNode node, string text)
        {
            Problem(node, "rounding", $"'{text}' is not up, nearest, down or none");
            return null;
        }

        private PercentCharge? Percent(YamlMappingNode map, string? code, string description)
        {
            var percent = Number(map, "percent");
            var of = ImmutableArray.CreateBuilder<string>();
            if (Child(map, "of") is YamlSequenceNode list && list.Children.Count > 0)
            {
                of.AddRange(list.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? ""));
            }
            else
            {
                Problem(Child(map, "of") ?? map, "of", "must list the codes of the charges it is a percentage of ('W*' for every code starting with W)");
            }

            return percent is null ? null : new PercentCharge(code ?? "", description, percent.Value, of.ToImmutable());
        }
    }
}
