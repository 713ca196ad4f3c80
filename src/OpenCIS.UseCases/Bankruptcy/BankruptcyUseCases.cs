using Microsoft.Extensions.DependencyInjection;

namespace OpenCIS.UseCases.Bankruptcy;

/// <summary>Registers the use cases of bankruptcy: the cases, their stays and claims, trustee payments, outcomes and the proof of claim.</summary>
public static class BankruptcyUseCases
{
    public static IServiceCollection AddBankruptcyUseCases(this IServiceCollection services)
    {
        services.AddScoped<BankruptcyCases>();
        services.AddScoped<ProofOfClaim>();
        return services;
    }
}
