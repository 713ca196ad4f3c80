using Microsoft.Extensions.DependencyInjection;

namespace OpenCIS.UseCases.Metering;

/// <summary>Registers the use cases of metering: meters, reads and their validation, review and worklists.</summary>
public static class MeteringUseCases
{
    public static IServiceCollection AddMeteringUseCases(this IServiceCollection services)
    {
        services.AddScoped<MeterLifecycle>();
        services.AddScoped<ReadValidator>();
        services.AddScoped<ReviewReads>();
        services.AddScoped<MeterQueries>();
        services.AddScoped<RouteSheets>();
        services.AddScoped<RevalidateReads>();
        services.AddScoped<EnterRouteReads>();
        services.AddScoped<RecordFieldRead>();
        services.AddScoped<DetectionWorklists>();
        services.AddScoped<Import.ImportReads>();
        services.AddScoped<Jobs.IJobHandler, Import.ImportReadsJob>();
        return services;
    }
}
