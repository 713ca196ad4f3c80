using Microsoft.Extensions.DependencyInjection;

namespace OpenCIS.UseCases.Receivables;

/// <summary>Registers the use cases of receivables: refunds, balance transfers and write-offs.</summary>
public static class ReceivablesUseCases
{
    public static IServiceCollection AddReceivablesUseCases(this IServiceCollection services)
    {
        services.AddSingleton(provider => StatuteOptions.FromConfiguration(provider.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()));
        services.AddScoped<RequestRefund>();
        services.AddScoped<DecideRefund>();
        services.AddScoped<RefundQueries>();
        services.AddScoped<TransferBalance>();
        services.AddScoped<WriteOffBalance>();
        services.AddScoped<ReverseWriteOff>();
        services.AddScoped<WriteOffQueries>();
        services.AddScoped<ReceivablesQueries>();
        return services;
    }
}
