using Microsoft.Extensions.DependencyInjection;

namespace OpenCIS.UseCases.Demo;

/// <summary>Registers the use cases of the demo city and the benchmarks' city.</summary>
public static class DemoUseCases
{
    public static IServiceCollection AddDemoUseCases(this IServiceCollection services)
    {
        services.AddScoped<SeedDemoCity>();
        services.AddScoped<BenchmarkCity>();
        services.AddScoped<BenchmarkPortal>();
        services.AddScoped<BenchmarkApi>();
        services.AddScoped<CrashAudit>();
        return services;
    }
}
