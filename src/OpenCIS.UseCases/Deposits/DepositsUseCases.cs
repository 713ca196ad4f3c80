using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace OpenCIS.UseCases.Deposits;

/// <summary>Registers the use cases of deposits: required, applied to final bills, reviewed for refund.</summary>
public static class DepositsUseCases
{
    public static IServiceCollection AddDepositsUseCases(this IServiceCollection services)
    {
        services.AddSingleton(provider => DepositSettings.FromConfiguration(provider.GetRequiredService<IConfiguration>()));
        services.AddScoped<RequireDeposit>();
        services.AddScoped<ApplyDepositToFinalBill>();
        services.AddScoped<ReviewDepositRefunds>();
        services.AddScoped<DepositQueries>();
        return services;
    }
}
