using Microsoft.Extensions.DependencyInjection;

namespace OpenCIS.UseCases.Pursuit;

/// <summary>Registers the use cases of final-bill pursuit: agencies, referrals and recalls, the daily pursuit, placement files and agency payment files.</summary>
public static class PursuitUseCases
{
    public static IServiceCollection AddPursuitUseCases(this IServiceCollection services)
    {
        services.AddScoped<CollectionAgencies>();
        services.AddScoped<Referrals>();
        services.AddScoped<PursueFinalBills>();
        services.AddScoped<PlacementFiles>();
        services.AddScoped<AgencyPayments>();
        return services;
    }
}
