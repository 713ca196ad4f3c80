using Microsoft.Extensions.DependencyInjection;

namespace OpenCIS.UseCases.Campaigns;

/// <summary>Registers the use cases of calling campaigns: building, calling, results and exports.</summary>
public static class CampaignUseCases
{
    public static IServiceCollection AddCampaignUseCases(this IServiceCollection services)
    {
        services.AddScoped<CallingCampaignBook>();
        services.AddScoped<CampaignExport>();
        return services;
    }
}
