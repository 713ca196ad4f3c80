using Microsoft.Extensions.DependencyInjection;

namespace OpenCIS.UseCases.Ledger;

/// <summary>Registers the use cases of the ledger: the chart of accounts and allocation priorities.</summary>
public static class LedgerUseCases
{
    public static IServiceCollection AddLedgerUseCases(this IServiceCollection services)
    {
        services.AddScoped<ConfigureLedger>();
        services.AddScoped<LedgerQueries>();
        return services;
    }
}
