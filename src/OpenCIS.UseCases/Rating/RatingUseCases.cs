using Microsoft.Extensions.DependencyInjection;

namespace OpenCIS.UseCases.Rating;

/// <summary>Registers the use cases of rating: tariff versions, quotes and rate comparisons.</summary>
public static class RatingUseCases
{
    public static IServiceCollection AddRatingUseCases(this IServiceCollection services)
    {
        services.AddScoped<ImportTariff>();
        services.AddScoped<CompareRates>();
        services.AddScoped<QuoteTariff>();
        services.AddScoped<RateValueBook>();
        return services;
    }
}
