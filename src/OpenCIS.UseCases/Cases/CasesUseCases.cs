using Microsoft.Extensions.DependencyInjection;

namespace OpenCIS.UseCases.Cases;

/// <summary>Registers cases: opening and working them, and the queries behind the account's cases and a person's work.</summary>
public static class CasesUseCases
{
    public static IServiceCollection AddCasesUseCases(this IServiceCollection services)
    {
        services.AddScoped<CaseWork>();
        services.AddScoped<CaseQueries>();
        return services;
    }
}
