using Microsoft.Extensions.DependencyInjection;

namespace OpenCIS.UseCases.Jobs;

/// <summary>
/// Registers what every job shares: starting one (which needs the host's <see cref="IJobQueue"/>),
/// running one, and the queries. Each capability registers its own <see cref="IJobHandler"/>s.
/// </summary>
public static class JobsUseCases
{
    public static IServiceCollection AddJobsUseCases(this IServiceCollection services)
    {
        services.AddScoped<StartJob>();
        services.AddScoped<RunJob>();
        services.AddScoped<JobQueries>();
        services.AddScoped<JobFiles>();
        return services;
    }
}
