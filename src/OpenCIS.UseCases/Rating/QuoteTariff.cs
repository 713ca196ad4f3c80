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

    /// <summary>A quote's period, refused when it ends before it starts (field "to").</summary>
    public static BillingPeriod Period(DateOnly from, DateOnly to) =>
        to < from ? throw new DomainException($"The period ends ({to:yyyy-MM-dd}) before it starts ({from:yyyy-MM-dd}).", "to") : new BillingPeriod(from, to);
}
