using Microsoft.Extensions.DependencyInjection;

namespace OpenCIS.UseCases.Assistance;

/// <summary>Registers the use cases of assistance programs: the programs, accounts' enrollments and agencies' pledges.</summary>
public static class AssistanceUseCases
{
    public static IServiceCollection AddAssistanceUseCases(this IServiceCollection services)
    {
        services.AddScoped<AssistancePrograms>();
        services.AddScoped<ProgramEnrollmentWork>();
        services.AddScoped<AssistancePledgeWork>();
        services.AddScoped<PledgeQueries>();
        return services;
    }
}
