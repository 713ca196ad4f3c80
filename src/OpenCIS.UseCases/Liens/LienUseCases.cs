using Microsoft.Extensions.DependencyInjection;

namespace OpenCIS.UseCases.Liens;

/// <summary>Registers the use cases of liens: the daily lien run, the register with its releases and tax-roll certifications, and the documents.</summary>
public static class LienUseCases
{
    public static IServiceCollection AddLienUseCases(this IServiceCollection services)
    {
        services.AddScoped<RunLiens>();
        services.AddScoped<LienRegister>();
        services.AddScoped<LienDocuments>();
        return services;
    }
}
