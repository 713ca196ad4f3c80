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

        return new TariffQuote(tariff, RatingEngine.Rate(tariff, input, conversion));
    }
}
