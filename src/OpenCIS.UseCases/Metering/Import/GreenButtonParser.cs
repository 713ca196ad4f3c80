using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Payments;
using OpenCIS.UseCases.Payments;
using OpenCIS.Storage.Metering;
using OpenCIS.Storage;

namespace OpenCIS.UseCases.Metering.Import;

/// <summary>What a Green Button file held, and every problem found in it. A caller posts nothing when <see cref="Errors"/> is not empty.</summary>
public sealed record GreenButtonParseResult(IReadOnlyList<GreenButtonUsagePoint> UsagePoints, IReadOnlyList<FileError> Errors);

/// <summary>
/// One ESPI UsagePoint. <see cref="Id"/> is its self link with any scheme, host and ".../resource/" prefix removed
/// (for example "RetailCustomer/9b6c/UsagePoint/1"), so two customers' "UsagePoint/1" stay apart.
/// </summary>
public sealed record GreenButtonUsagePoint(string Id, string? Title, IReadOnlyList<GreenButtonMeterReading> MeterReadings);

/// <summary>One ESPI MeterReading with its ReadingType and its intervals from every IntervalBlock, in start order.</summary>
public sealed record GreenButtonMeterReading(string Id, GreenButtonReadingType ReadingType, IReadOnlyList<GreenButtonInterval> Intervals);

/// <summary>
/// The ESPI ReadingType of a MeterReading. <see cref="UomCode"/> is the ESPI UnitSymbolKind code and <see cref="Unit"/>
/// what it maps to. The accumulation, flow-direction and commodity codes are kept as the file gave them, because a
/// caller that sums intervals must know whether they are deltas (not cumulative register values) and whether energy
/// was delivered or received; this parser does not decide that for it.
/// </summary>
public sealed record GreenButtonReadingType(
    int UomCode,
    Unit Unit,
    int PowerOfTenMultiplier,
    int? IntervalLengthSeconds,
    int? AccumulationBehaviourCode = null,
    int? FlowDirectionCode = null,
    int? CommodityCode = null);

/// <summary>One interval reading. <see cref="Value"/> is already scaled by 10^powerOfTenMultiplier and is in the reading type's unit.</summary>
public readonly record struct GreenButtonInterval(DateTimeOffset Start, int DurationSeconds, decimal Value);

/// <summary>
/// Reads a Green Button (NAESB REQ.21 ESPI) Atom file one entry at a time, so a year of 15-minute data for many
/// usage points never sits in memory as one XML tree. Entries may come in any order; they are related afterwards
/// through their self, up and related links. Problems are collected with their XML line, never thrown.
/// </summary>
public static class GreenButtonParser
{
    public const string AtomNamespace = "http://www.w3.org/2005/Atom";
    public const string EspiNamespace = "http://naesb.org/espi";

    /// <summary>More intervals than this in one file is refused: split the file. It keeps one import's memory bounded.</summary>
    public const int MaximumIntervals = 5_000_000;

    /// <summary>After this many errors the rest are not listed; a file this broken is sent back whole anyway.</summary>
    public const int MaximumErrors = 500;

    // UnitSymbolKind codes from the NAESB ESPI usage.xsd (v3.3): 72 = Wh (real energy), 73 = VArh (reactive energy, kept as
    // interval days for the power factor), 42 = m3, 119 = ft3, 128 = US gallons.
    // Compensated gas volumes (120, 167) and imperial gallons (130) are deliberately not mapped: billing them as plain
    // volumes would be wrong, so they are reported as unknown units.
    private static readonly Dictionary<int, Unit> UnitsByUomCode = new()
    {
        [72] = Unit.Wh,
        [73] = Unit.Varh,
        [42] = Unit.CubicMeters,
        [119] = Unit.CubicFeet,
        [128] = Unit.Gallons,
    };

    /// <summary>ESPI powerOfTenMultiplier values run from -12 (pico) to 12 (tera); anything outside is a broken file.</summary>
    private const int PowerOfTenLimit = 12;

    public static Unit? UnitForUomCode(int uomCode) => UnitsByUomCode.TryGetValue(uomCode, out var unit) ? unit : null;

    /// <summary>Sums the intervals whose start lies in [from, to). An interval is counted whole by its start, never split.</summary>
    public static decimal Total(IEnumerable<GreenButtonInterval> intervals, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(intervals);
        if (to < from)
        {
            throw new ArgumentException($"The period ends ({to:O}) before it starts ({from:O}).", nameof(to));
        }

        var total = 0m;
        foreach (var interval in intervals)
        {
            if (interval.Start >= from && interval.Start < to)
            {
                total += interval.Value;
            }
        }

        return total;
    }

    public static GreenButtonParseResult Parse(string fileName, Stream xml, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(xml);

        var state = new ParseState(fileName);
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = true,
            CloseInput = false,
        };

        var entryCount = 0;
        try
        {
            using var reader = XmlReader.Create(xml, settings);
            while (!state.IntervalLimitReached && reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "entry" || reader.NamespaceURI != AtomNamespace)
                {
                    continue;
                }

                ct.ThrowIfCancellationRequested();
                XElement entry;
                using (var subtree = reader.ReadSubtree())
                {
                    entry = XElement.Load(subtree, LoadOptions.SetLineInfo);
                }

                entryCount++;
                ReadEntry(entry, state);
            }
        }
        catch (XmlException exception)
        {
            // Whatever was read before the break is still related below, but the caller posts nothing from a file with errors.
            state.Error(exception.LineNumber, "xml", $"the XML is malformed or cut short: {exception.Message}");
        }

        if (entryCount == 0 && state.Errors.Count == 0)
        {
            state.Error(1, "feed", $"the file has no Atom <entry> elements ({AtomNamespace}); it is not a Green Button file");
        }

        return new GreenButtonParseResult(Relate(state), state.Errors);
    }

    private static void ReadEntry(XElement entry, ParseState state)
    {
        var content = entry.Element(XName.Get("content", AtomNamespace));
        var resource = content?.Elements().FirstOrDefault(e => e.Name.NamespaceName == EspiNamespace);
        if (resource is null)
        {
            return; // An entry without ESPI content (or the feed's own metadata) carries nothing to import.
        }

        var self = Link(entry, "self");
        var up = Link(entry, "up");
        var line = Line(resource);
        switch (resource.Name.LocalName)
        {
            case "UsagePoint":
                if (self is null)
                {
                    state.Error(line, "UsagePoint", "the UsagePoint entry has no self link, so nothing can refer to it");
                    return;
                }

                var title = entry.Element(XName.Get("title", AtomNamespace))?.Value.Trim();
                state.AddUsagePoint(new RawUsagePoint(self, string.IsNullOrEmpty(title) ? null : title, line));
                break;

            case "MeterReading":
                if (self is null)
                {
                    state.Error(line, "MeterReading", "the MeterReading entry has no self link, so its IntervalBlocks cannot refer to it");
                    return;
                }

                var related = entry.Elements(XName.Get("link", AtomNamespace))
                    .Where(l => (string?)l.Attribute("rel") == "related")
                    .Select(l => Normalize((string?)l.Attribute("href")))
                    .OfType<string>()
                    .ToList();
                state.AddMeterReading(new RawMeterReading(self, ParentOf(self, up, "MeterReading"), related, line));
                break;

            case "ReadingType":
                if (self is null)
                {
                    state.Error(line, "ReadingType", "the ReadingType entry has no self link, so no MeterReading can refer to it");
                    return;
                }

                ReadReadingType(resource, self, state);
                break;

            case "IntervalBlock":
                ReadIntervalBlock(resource, self, up, state);
                break;

            default:
                return; // LocalTimeParameters, usage summaries and the like are not interval data.
        }
    }

    private static void ReadReadingType(XElement readingType, string self, ParseState state)
    {
        var line = Line(readingType);
        var uomElement = Espi(readingType, "uom");
        if (uomElement is null)
        {
            state.Error(line, "ReadingType/uom", $"ReadingType {self} has no uom");
            state.AddInvalidReadingType(self);
            return;
        }

        if (!TryInt(uomElement.Value, out var uomCode))
        {
            state.Error(Line(uomElement), "ReadingType/uom", $"ReadingType {self} has uom '{uomElement.Value.Trim()}', which is not a number");
            state.AddInvalidReadingType(self);
            return;
        }

        if (UnitForUomCode(uomCode) is not { } unit)
        {
            state.Error(Line(uomElement), "ReadingType/uom",
                $"ReadingType {self} has unit of measure code {uomCode}, which is not one this system bills in (72 Wh, 73 VArh, 42 m3, 119 ft3, 128 US gal)");
            state.AddInvalidReadingType(self);
            return;
        }

        var power = 0;
        var powerElement = Espi(readingType, "powerOfTenMultiplier");
        if (powerElement is not null && (!TryInt(powerElement.Value, out power) || Math.Abs(power) > PowerOfTenLimit))
        {
            state.Error(Line(powerElement), "ReadingType/powerOfTenMultiplier",
                $"ReadingType {self} has powerOfTenMultiplier '{powerElement.Value.Trim()}'; expected a whole number from -{PowerOfTenLimit} to {PowerOfTenLimit}");
            state.AddInvalidReadingType(self);
            return;
        }

        var intervalLength = OptionalInt(readingType, "intervalLength", self, state, out var ok1);
        var accumulation = OptionalInt(readingType, "accumulationBehaviour", self, state, out var ok2);
        var flowDirection = OptionalInt(readingType, "flowDirection", self, state, out var ok3);
        var commodity = OptionalInt(readingType, "commodity", self, state, out var ok4);
        if (!(ok1 && ok2 && ok3 && ok4))
        {
            state.AddInvalidReadingType(self);
            return;
        }

        if (intervalLength is < 0)
        {
            state.Error(Line(Espi(readingType, "intervalLength")!), "ReadingType/intervalLength", $"ReadingType {self} has a negative intervalLength {intervalLength}");
            state.AddInvalidReadingType(self);
            return;
        }

        state.AddReadingType(self, new GreenButtonReadingType(uomCode, unit, power, intervalLength, accumulation, flowDirection, commodity), line);
    }

    private static int? OptionalInt(XElement parent, string name, string self, ParseState state, out bool ok)
    {
        ok = true;
        var element = Espi(parent, name);
        if (element is null)
        {
            return null;
        }

        if (TryInt(element.Value, out var value))
        {
            return value;
        }

        ok = false;
        state.Error(Line(element), $"{parent.Name.LocalName}/{name}", $"{parent.Name.LocalName} {self} has {name} '{element.Value.Trim()}', which is not a whole number");
        return null;
    }

    private static void ReadIntervalBlock(XElement block, string? self, string? up, ParseState state)
    {
        var line = Line(block);
        var meterReading = ParentOf(self, up, "IntervalBlock");
        if (meterReading is null)
        {
            state.Error(line, "IntervalBlock", "the IntervalBlock entry has no up or self link naming its MeterReading");
            return;
        }

        var readings = new List<RawInterval>();
        foreach (var reading in block.Elements(XName.Get("IntervalReading", EspiNamespace)))
        {
            if (TryReadInterval(reading, state) is { } interval)
            {
                readings.Add(interval);
            }
        }

        state.AddIntervalBlock(new RawIntervalBlock(meterReading, line, readings));
    }

    private static RawInterval? TryReadInterval(XElement reading, ParseState state)
    {
        var readingLine = Line(reading);
        var timePeriod = Espi(reading, "timePeriod");
        var startElement = timePeriod is null ? null : Espi(timePeriod, "start");
        var durationElement = timePeriod is null ? null : Espi(timePeriod, "duration");
        var valueElement = Espi(reading, "value");
        var valid = true;

        long startSeconds = 0;
        if (startElement is null)
        {
            state.Error(readingLine, "IntervalReading/timePeriod/start", "the IntervalReading has no timePeriod start");
            valid = false;
        }
        else if (!long.TryParse(startElement.Value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out startSeconds)
            || startSeconds < UnixSecondsMinimum || startSeconds > UnixSecondsMaximum)
        {
            state.Error(Line(startElement), "IntervalReading/timePeriod/start", $"'{startElement.Value.Trim()}' is not a start time in seconds since 1970-01-01 UTC");
            valid = false;
        }

        var durationSeconds = 0;
        if (durationElement is null)
        {
            state.Error(readingLine, "IntervalReading/timePeriod/duration", "the IntervalReading has no timePeriod duration");
            valid = false;
        }
        else if (!TryInt(durationElement.Value, out durationSeconds))
        {
            state.Error(Line(durationElement), "IntervalReading/timePeriod/duration", $"'{durationElement.Value.Trim()}' is not a duration in whole seconds");
            valid = false;
        }
        else if (durationSeconds < 0)
        {
            state.Error(Line(durationElement), "IntervalReading/timePeriod/duration", $"the duration {durationSeconds} s is negative");
            valid = false;
        }

        var raw = 0m;
        if (valueElement is null)
        {
            state.Error(readingLine, "IntervalReading/value", "the IntervalReading has no value");
            valid = false;
        }
        else if (!decimal.TryParse(valueElement.Value.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out raw))
        {
            state.Error(Line(valueElement), "IntervalReading/value", $"'{valueElement.Value.Trim()}' is not a number");
            valid = false;
        }

        return valid ? new RawInterval(startSeconds, durationSeconds, raw, readingLine) : null;
    }

    private static readonly long UnixSecondsMinimum = DateTimeOffset.MinValue.ToUnixTimeSeconds();
    private static readonly long UnixSecondsMaximum = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    /// <summary>Once every entry is read, hang ReadingTypes and IntervalBlocks on their MeterReadings and those on their UsagePoints.</summary>
    private static List<GreenButtonUsagePoint> Relate(ParseState state)
    {
        var intervalsByMeterReading = new Dictionary<string, List<RawInterval>>(StringComparer.Ordinal);
        foreach (var block in state.IntervalBlocks)
        {
            if (!state.MeterReadings.ContainsKey(block.MeterReading))
            {
                state.Error(block.Line, "IntervalBlock", $"the IntervalBlock belongs to MeterReading {block.MeterReading}, which is not in the file");
                continue;
            }

            if (!intervalsByMeterReading.TryGetValue(block.MeterReading, out var list))
            {
                intervalsByMeterReading[block.MeterReading] = list = [];
            }

            list.AddRange(block.Intervals);
        }

        var meterReadingsByUsagePoint = new Dictionary<string, List<GreenButtonMeterReading>>(StringComparer.Ordinal);
        foreach (var meterReading in state.MeterReadings.Values)
        {
            if (meterReading.UsagePoint is null || !state.UsagePoints.ContainsKey(meterReading.UsagePoint))
            {
                state.Error(meterReading.Line, "MeterReading",
                    $"MeterReading {meterReading.Self} belongs to UsagePoint {meterReading.UsagePoint ?? "(no up link)"}, which is not in the file");
                continue;
            }

            var readingTypeHref = meterReading.Related.FirstOrDefault(href => state.ReadingTypes.ContainsKey(href) || state.InvalidReadingTypes.Contains(href));
            if (readingTypeHref is null)
            {
                state.Error(meterReading.Line, "MeterReading",
                    $"MeterReading {meterReading.Self} has no ReadingType: none of its related links ({string.Join(", ", meterReading.Related)}) names a ReadingType in the file");
                continue;
            }

            if (!state.ReadingTypes.TryGetValue(readingTypeHref, out var readingType))
            {
                continue; // The ReadingType itself was reported as broken; one error per cause is enough.
            }

            var raw = intervalsByMeterReading.GetValueOrDefault(meterReading.Self) ?? [];
            var intervals = Scale(raw, readingType, meterReading.Self, state);
            if (!meterReadingsByUsagePoint.TryGetValue(meterReading.UsagePoint, out var list))
            {
                meterReadingsByUsagePoint[meterReading.UsagePoint] = list = [];
            }

            list.Add(new GreenButtonMeterReading(ResourceId(meterReading.Self), readingType, intervals));
        }

        return state.UsagePoints.Values
            .Select(u => new GreenButtonUsagePoint(ResourceId(u.Self), u.Title, meterReadingsByUsagePoint.GetValueOrDefault(u.Self) ?? []))
            .ToList();
    }

    private static List<GreenButtonInterval> Scale(List<RawInterval> raw, GreenButtonReadingType readingType, string meterReading, ParseState state)
    {
        var factor = PowerOfTen(readingType.PowerOfTenMultiplier);
        raw.Sort((a, b) => a.StartSeconds.CompareTo(b.StartSeconds));
        var intervals = new List<GreenButtonInterval>(raw.Count);
        for (var i = 0; i < raw.Count; i++)
        {
            // Two readings for one start would be summed twice into a bill; the file must say which one is right.
            if (i > 0 && raw[i].StartSeconds == raw[i - 1].StartSeconds)
            {
                state.Error(raw[i].Line, "IntervalReading/timePeriod/start",
                    $"MeterReading {meterReading} has two readings starting {DateTimeOffset.FromUnixTimeSeconds(raw[i].StartSeconds):O} (the other is on line {raw[i - 1].Line})");
                continue;
            }

            decimal value;
            try
            {
                value = raw[i].RawValue * factor;
            }
            catch (OverflowException)
            {
                state.Error(raw[i].Line, "IntervalReading/value", $"the value {raw[i].RawValue} times 10^{readingType.PowerOfTenMultiplier} is too large");
                continue;
            }

            intervals.Add(new GreenButtonInterval(DateTimeOffset.FromUnixTimeSeconds(raw[i].StartSeconds), raw[i].DurationSeconds, value));
        }

        return intervals;
    }

    private static decimal PowerOfTen(int power)
    {
        var factor = 1m;
        for (var i = 0; i < Math.Abs(power); i++)
        {
            factor *= 10m;
        }

        return power >= 0 ? factor : 1m / factor;
    }

    /// <summary>The resource that owns this one: the up link without its trailing collection name, else the self link less its last two segments.</summary>
    private static string? ParentOf(string? self, string? up, string collection)
    {
        var suffix = "/" + collection;
        if (up is not null && up.EndsWith(suffix, StringComparison.Ordinal))
        {
            return up[..^suffix.Length];
        }

        if (self is not null)
        {
            var marker = self.LastIndexOf(suffix + "/", StringComparison.Ordinal);
            if (marker > 0)
            {
                return self[..marker];
            }
        }

        return null;
    }

    /// <summary>A stable, readable id: the link's path after the ESPI ".../resource/" root, without scheme or host.</summary>
    private static string ResourceId(string href)
    {
        var path = Uri.TryCreate(href, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri.AbsolutePath : href;
        var root = path.LastIndexOf("/resource/", StringComparison.Ordinal);
        return (root >= 0 ? path[(root + "/resource/".Length)..] : path).TrimStart('/');
    }

    private static string? Link(XElement entry, string rel) =>
        entry.Elements(XName.Get("link", AtomNamespace))
            .Where(l => (string?)l.Attribute("rel") == rel)
            .Select(l => Normalize((string?)l.Attribute("href")))
            .FirstOrDefault(href => href is not null);

    private static string? Normalize(string? href)
    {
        var trimmed = href?.Trim().TrimEnd('/');
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }

    private static XElement? Espi(XElement parent, string name) => parent.Element(XName.Get(name, EspiNamespace));

    private static bool TryInt(string text, out int value) =>
        int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    private static int Line(XObject node) => node is IXmlLineInfo info && info.HasLineInfo() ? info.LineNumber : 0;

    private sealed record RawUsagePoint(string Self, string? Title, int Line);

    private sealed record RawMeterReading(string Self, string? UsagePoint, IReadOnlyList<string> Related, int Line);

    private sealed record RawIntervalBlock(string MeterReading, int Line, List<RawInterval> Intervals);

    private readonly record struct RawInterval(long StartSeconds, int DurationSeconds, decimal RawValue, int Line);

    private sealed class ParseState(string fileName)
    {
        private readonly List<FileError> errors = [];
        private int intervalCount;

        public IReadOnlyList<FileError> Errors => errors;

        public Dictionary<string, RawUsagePoint> UsagePoints { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, RawMeterReading> MeterReadings { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, GreenButtonReadingType> ReadingTypes { get; } = new(StringComparer.Ordinal);

        public HashSet<string> InvalidReadingTypes { get; } = new(StringComparer.Ordinal);

        public List<RawIntervalBlock> IntervalBlocks { get; } = [];

        public bool IntervalLimitReached { get; private set; }

        public void Error(int line, string field, string message)
        {
            if (errors.Count < MaximumErrors)
            {
                errors.Add(new FileError(fileName, line, field, message));
            }
            else if (errors.Count == MaximumErrors)
            {
                errors.Add(new FileError(fileName, line, "file", $"more than {MaximumErrors} errors; the rest are not listed"));
            }
        }

        public void AddUsagePoint(RawUsagePoint usagePoint)
        {
            if (!UsagePoints.TryAdd(usagePoint.Self, usagePoint))
            {
                Error(usagePoint.Line, "UsagePoint", $"UsagePoint {usagePoint.Self} appears twice (first on line {UsagePoints[usagePoint.Self].Line})");
            }
        }

        public void AddMeterReading(RawMeterReading meterReading)
        {
            if (!MeterReadings.TryAdd(meterReading.Self, meterReading))
            {
                Error(meterReading.Line, "MeterReading", $"MeterReading {meterReading.Self} appears twice (first on line {MeterReadings[meterReading.Self].Line})");
            }
        }

        public void AddReadingType(string self, GreenButtonReadingType readingType, int line)
        {
            if (InvalidReadingTypes.Contains(self) || !ReadingTypes.TryAdd(self, readingType))
            {
                Error(line, "ReadingType", $"ReadingType {self} appears twice");
            }
        }

        public void AddInvalidReadingType(string self) => InvalidReadingTypes.Add(self);

        public void AddIntervalBlock(RawIntervalBlock block)
        {
            intervalCount += block.Intervals.Count;
            if (intervalCount > MaximumIntervals)
            {
                IntervalLimitReached = true;
                Error(block.Line, "IntervalBlock", $"the file holds more than {MaximumIntervals:N0} interval readings; split it and import the parts");
                return;
            }

            IntervalBlocks.Add(block);
        }
    }
}
