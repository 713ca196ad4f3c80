using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace OpenCIS.UseCases.Billing;

/// <summary>Registers the use cases of billing: runs, cycles, corrections, bills on paper and the billing reports.</summary>
public static class BillingUseCases
{
    public static IServiceCollection AddBillingUseCases(this IServiceCollection services)
    {
        services.AddSingleton(provider => BillSettings.FromConfiguration(provider.GetRequiredService<IConfiguration>()));
        services.AddSingleton(provider => Corrections.AdjustmentOptions.FromConfiguration(provider.GetRequiredService<IConfiguration>()));
        services.AddSingleton(provider => Corrections.LeakAllowanceWorkflow.PolicyFrom(provider.GetRequiredService<IConfiguration>()));
        services.AddSingleton(provider => BillingJobSettings.FromConfiguration(provider.GetRequiredService<IConfiguration>()));
        services.AddScoped<RunBilling>();
        services.AddScoped<MeasureBillingWriteLimit>();
        services.AddScoped<ReviewHeldBills>();
        services.AddScoped<BillMessageBook>();
        services.AddScoped<AgreementAttributes>();
        services.AddScoped<BudgetPlans>();
        services.AddScoped<StartBillingRun>();
        services.AddScoped<StartScheduledBillingRuns>();
        services.AddScoped<Jobs.IJobHandler, RunBillingJob>();
        services.AddScoped<BillingQueries>();
        services.AddScoped<BillDocuments>();
        services.AddScoped<BillPrintExport>();
        services.AddScoped<Cycles.ChangeCycleRules>();
        services.AddScoped<Cycles.ManageHolidays>();
        services.AddScoped<Cycles.CycleSchedules>();
        services.AddSingleton(provider => Corrections.RebillOptions.FromConfiguration(provider.GetRequiredService<IConfiguration>()));
        services.AddScoped<Corrections.CancelRebill>();
        services.AddScoped<Corrections.RequestAdjustment>();
        services.AddScoped<Corrections.DecideAdjustment>();
        services.AddScoped<Corrections.AdjustmentQueries>();
        services.AddScoped<Corrections.StopService>();
        services.AddScoped<Corrections.LeakAllowanceWorkflow>();
        services.AddScoped<Corrections.AverageBill>();
        return services;
    }
}
