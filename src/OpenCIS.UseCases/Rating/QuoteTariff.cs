using System.Collections.Immutable;
using OpenCIS.Core.Common;
using OpenCIS.Core.Rating;
using OpenCIS.Storage;

namespace OpenCIS.UseCases.Rating;

/// <summary>One bill rated under a YAML text or a stored schedule's version in force, posting nothing.</summary>
public sealed record TariffQuote(Tariff Tariff, IReadOnlyList<ChargeLine> Lines)
{
    public Money Total => Money.Sum(Lines.Select(l => l.Amount));
}

/// <summary>Rates one bill for a quote: the API, the tariffs screen and the CLI's <c>tariff quote</c> share it.</summary>
public sealed class QuoteTariff(OpenCisDbContext db, UnitConversion conversion)
{
    public async Task<TariffQuote> ExecuteAsync(string? yaml, string? code, RatingInput input, CancellationToken cancellationToken)
    {
        Tariff tariff;
        if (yaml is { Length: > 0 })
        {
            tariff = TariffYaml.Read(yaml, "tariff.yaml");
        }
        else if (code is { Length: > 0 })
        {
            tariff = (await TariffCatalog.LoadAsync(db, cancellationToken)).InForce(code, input.Period.End)
                ?? throw new DomainException($"Rate schedule {code} has no version in force on {input.Period.End:yyyy-MM-dd}.", "code");
        }
        else
        {
            throw new DomainException("Give a tariff: a schedule code or its YAML.", "code");
        }

        return new TariffQuote(tariff, Rate(tariff, input, conversion));
    }

    /// <summary>
    /// A quote's lines, rated as a bill is: a period that starts before the tariff takes effect is refused (field
    /// "tariff"), and so is a meter size the tariff does not price (field "meterSize") rather than charged the default.
    /// </summary>
    public static ImmutableArray<ChargeLine> Rate(Tariff tariff, RatingInput input, UnitConversion conversion)
    {
        ArgumentNullException.ThrowIfNull(tariff);
        ArgumentNullException.ThrowIfNull(input);
        var sizes = tariff.Components.OfType<FixedCharge>().Where(c => c.ByMeterSize is not null).SelectMany(c => c.ByMeterSize!.Keys)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (input.MeterSize is { } size && sizes.Count > 0 && !sizes.Contains(size, StringComparer.Ordinal))
        {
            throw new DomainException($"The tariff prices no {size} meter; its sizes are {string.Join(", ", sizes)}.", "meterSize");
        }

        return RatingEngine.RateAcross([tariff], input, conversion);
    }

    /// <summary>The largest interval file a quote reads: a year of 5-minute intervals.</summary>
    public const int MaximumIntervals = 366 * 288;

    /// <summary>
    /// Interval reads for a quote from a CSV (<c>start,minutes,kwh</c>: the interval's local start as
    /// <c>2026-07-01T14:00</c>, its length, its kWh), summed by local day and clock hour as a billing run keeps them.
    /// A bad line is an error naming the line and column (field "intervals").
    /// </summary>
    public static ImmutableArray<Core.Metering.IntervalDay> Intervals(string fileName, byte[] content)
    {
        var errors = new List<Payments.FileError>();
        var reads = new List<Core.Metering.IntervalRead>();
        using var csv = CsvInput.Open(new MemoryStream(content, writable: false));
        string[] columns = ["start", "minutes", "kwh"];
        if (CsvInput.ReadHeader(csv, fileName, errors) is { } header && columns.Where(c => !header.Contains(c)).ToList() is var missing)
        {
            if (missing.Count > 0)
            {
                errors.Add(new Payments.FileError(fileName, 1, "header", $"missing column{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing)}; expected start,minutes,kwh"));
            }
            else
            {
                var index = columns.ToDictionary(c => c, c => Array.IndexOf(header, c));
                while (errors.Count == 0 && CsvInput.Next(csv, fileName, errors))
                {
                    var line = (int)csv.LineNumber;
                    string Field(string name) => csv.FieldCount > index[name] ? csv.GetString(index[name]).Trim() : "";
                    if (reads.Count >= MaximumIntervals)
                    {
                        errors.Add(new Payments.FileError(fileName, line, "file", $"a quote reads at most {MaximumIntervals:N0} intervals"));
                    }
                    else if (!DateTime.TryParseExact(Field("start"), ["yyyy-MM-ddTHH:mm", "yyyy-MM-dd HH:mm", "yyyy-MM-ddTHH:mm:ss"], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var start))
                    {
                        errors.Add(new Payments.FileError(fileName, line, "start", $"'{Field("start")}' is not a local time as 2026-07-01T14:00"));
                    }
                    else if (!int.TryParse(Field("minutes"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var minutes) || minutes is < 1 or > 1440)
                    {
                        errors.Add(new Payments.FileError(fileName, line, "minutes", $"'{Field("minutes")}' is not an interval length of 1 to 1,440 minutes"));
                    }
                    else if (!decimal.TryParse(Field("kwh"), System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var kwh) || kwh < 0m)
                    {
                        errors.Add(new Payments.FileError(fileName, line, "kwh", $"'{Field("kwh")}' is not a use in kWh of zero or more"));
                    }
                    else
                    {
                        reads.Add(new Core.Metering.IntervalRead(start, minutes, kwh));
                    }
                }
            }
        }

        if (errors.Count > 0)
        {
            throw new DomainException(errors[0].ToString(), "intervals");
        }

        return Core.Metering.IntervalDay.FromReads(reads, Unit.Kwh);
    }

    /// <summary>A quote's period, refused when it ends before it starts (field "to").</summary>
    public static BillingPeriod Period(DateOnly from, DateOnly to) =>
        to < from ? throw new DomainException($"The period ends ({to:yyyy-MM-dd}) before it starts ({from:yyyy-MM-dd}).", "to") : new BillingPeriod(from, to);
}
