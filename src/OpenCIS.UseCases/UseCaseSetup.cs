using OpenCIS.UseCases.Portal;
using OpenCIS.UseCases.Campaigns;
using OpenCIS.UseCases.Liens;
using OpenCIS.UseCases.Bankruptcy;
using OpenCIS.UseCases.Pursuit;
using OpenCIS.UseCases.Invoices;
using OpenCIS.UseCases.Assistance;
using OpenCIS.UseCases.Encryption;
using OpenCIS.UseCases.Users;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.UseCases.Billing;
using OpenCIS.UseCases.Cases;
using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.Customers;
using OpenCIS.UseCases.Demo;
using OpenCIS.UseCases.Mail;
using OpenCIS.UseCases.Jobs;
using OpenCIS.UseCases.Deposits;
using OpenCIS.UseCases.Ledger;
using OpenCIS.UseCases.Metering;
using OpenCIS.UseCases.Payments;
using OpenCIS.UseCases.Rating;
using OpenCIS.UseCases.Receivables;
using OpenCIS.UseCases.Reports;
using OpenCIS.UseCases.ServiceOrders;
using OpenCIS.Storage;

namespace OpenCIS.UseCases;

/// <summary>The use cases both hosts call, capability by capability. One class per use case; each commits its own unit of work.</summary>
public static class UseCaseServiceCollectionExtensions
{
    /// <summary>For hosts without a configuration of their own (the CLI, tests): registers <paramref name="configuration"/>, then the use cases.</summary>
    public static IServiceCollection AddOpenCisUseCases(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(configuration);
        return services.AddOpenCisUseCases();
    }

    /// <summary>Registers storage, the clock, the settings and every use case. Settings are read from the registered <see cref="IConfiguration"/> when first needed, so a host or test can still change configuration after this call.</summary>
    public static IServiceCollection AddOpenCisUseCases(this IServiceCollection services)
    {
        services.AddOpenCisStorage();
        services.TryAddSingleton(TimeProvider.System);
        // The utility's gallons per CCF (748.052 by default; some utilities bill on 748 or 750).
        services.AddSingleton(provider => provider.GetRequiredService<IConfiguration>()["OPENCIS_GALLONS_PER_CCF"] is { Length: > 0 } factor
            ? new OpenCIS.Core.Common.UnitConversion(decimal.Parse(factor, System.Globalization.CultureInfo.InvariantCulture))
            : OpenCIS.Core.Common.UnitConversion.Default);
        services.AddSingleton(provider => BusinessCalendar.FromConfiguration(provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<IConfiguration>()));
        // One line per capability: a new capability adds its folder and its line here.
        services.AddEncryptionUseCases();
        services.AddUsersUseCases();
        services.AddScoped<Health.SystemHealth>();
        services.AddCustomersUseCases();
        services.AddMeteringUseCases();
        services.AddRatingUseCases();
        services.AddBillingUseCases();
        services.AddLedgerUseCases();
        services.AddPaymentsUseCases();
        services.AddReceivablesUseCases();
        services.AddDepositsUseCases();
        services.AddReportsUseCases();
        services.AddDemoUseCases();
        services.AddJobsUseCases();
        services.AddMailUseCases();
        services.AddCollectionsUseCases();
        services.AddServiceOrdersUseCases();
        services.AddCasesUseCases();
        services.AddAssistanceUseCases();
        services.AddInvoicesUseCases();
        services.AddBankruptcyUseCases();
        services.AddPursuitUseCases();
        services.AddLienUseCases();
        services.AddCampaignUseCases();
        services.AddPortalUseCases();
        return services;
    }
}
