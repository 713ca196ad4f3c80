using Microsoft.Extensions.DependencyInjection;

namespace OpenCIS.UseCases.Reports;

/// <summary>Registers the use cases of the finance reports: trial balance, aging, cash receipts, monthly accounting, GL export, the collection and billing trends.</summary>
public static class ReportsUseCases
{
    public static IServiceCollection AddReportsUseCases(this IServiceCollection services)
    {
        services.AddScoped<LedgerReports>();
        services.AddScoped<DatabaseSummary>();
        services.AddScoped<ReceivablesAging>();
        services.AddScoped<AccountingReports>();
        services.AddScoped<BillingReports>();
        services.AddScoped<CollectionTrends>();
        return services;
    }
}
