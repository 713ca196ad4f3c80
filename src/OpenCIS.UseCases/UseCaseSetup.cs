using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Storage.Billing;
using OpenCIS.UseCases.Billing;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Customers;
using OpenCIS.UseCases.Demo;
using OpenCIS.Storage.Payments;
using OpenCIS.UseCases.Payments;
using OpenCIS.UseCases.Reports;
using OpenCIS.Storage;

namespace OpenCIS.UseCases;

/// <summary>The use cases both hosts call. One class per use case; each commits its own unit of work.</summary>
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
        services.AddSingleton(provider => BillSettings.FromConfiguration(provider.GetRequiredService<IConfiguration>()));
        services.AddSingleton(provider => BusinessCalendar.FromConfiguration(provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<IConfiguration>()));
        services.AddSingleton(provider => IdentityNumberProtector.FromConfiguration(provider.GetRequiredService<IConfiguration>()));
        services.AddSingleton(provider => Billing.Corrections.AdjustmentOptions.FromConfiguration(provider.GetRequiredService<IConfiguration>()));
        services.AddSingleton(provider => Billing.Corrections.LeakAllowanceWorkflow.PolicyFrom(provider.GetRequiredService<IConfiguration>()));
        services.AddSingleton(provider => Payments.Ach.AchSettings.FromConfiguration(provider.GetRequiredService<IConfiguration>()));
        services.AddSingleton(provider => Deposits.DepositSettings.FromConfiguration(provider.GetRequiredService<IConfiguration>()));
        services.AddScoped<RunBilling>();
        services.AddScoped<Billing.Cycles.ChangeCycleRules>();
        services.AddScoped<Billing.Cycles.ManageHolidays>();
        services.AddScoped<Billing.Cycles.CycleSchedules>();
        services.AddScoped<Billing.Corrections.CancelRebill>();
        services.AddScoped<Billing.Corrections.RequestAdjustment>();
        services.AddScoped<Billing.Corrections.DecideAdjustment>();
        services.AddScoped<Billing.Corrections.AdjustmentQueries>();
        services.AddScoped<Billing.Corrections.StopService>();
        services.AddScoped<Billing.Corrections.LeakAllowanceWorkflow>();
        services.AddScoped<Billing.Corrections.AverageBill>();
        services.AddScoped<Receivables.RequestRefund>();
        services.AddScoped<Receivables.DecideRefund>();
        services.AddScoped<Receivables.RefundQueries>();
        services.AddScoped<Receivables.TransferBalance>();
        services.AddScoped<Receivables.WriteOffBalance>();
        services.AddScoped<Receivables.ReverseWriteOff>();
        services.AddScoped<Receivables.WriteOffQueries>();
        services.AddScoped<Receivables.ReceivablesQueries>();
        services.AddScoped<Rating.ImportTariff>();
        services.AddScoped<Rating.CompareRates>();
        services.AddScoped<Reports.BillingReports>();
        services.AddScoped<Metering.MeterLifecycle>();
        services.AddScoped<Metering.ReadValidator>();
        services.AddScoped<Metering.ReviewReads>();
        services.AddScoped<Metering.MeterQueries>();
        services.AddScoped<Metering.RouteSheets>();
        services.AddScoped<Metering.RevalidateReads>();
        services.AddScoped<Metering.EnterRouteReads>();
        services.AddScoped<Metering.DetectionWorklists>();
        services.AddScoped<Metering.Import.ImportReads>();
        services.AddScoped<BillingQueries>();
        services.AddScoped<BillDocuments>();
        services.AddScoped<BillPrintExport>();
        services.AddScoped<TakePayment>();
        services.AddScoped<Payments.Drawers.OpenDrawer>();
        services.AddScoped<Payments.Drawers.TakeDrawerPayment>();
        services.AddScoped<Payments.Drawers.CloseDrawer>();
        services.AddScoped<Payments.Drawers.ApproveDrawer>();
        services.AddScoped<PostPaymentFile>();
        services.AddScoped<ImportLockbox>();
        services.AddScoped<ResolveSuspense>();
        services.AddScoped<PaymentBatchPoster>();
        services.AddScoped<Payments.Ach.EnrollAch>();
        services.AddScoped<Payments.Ach.CancelAch>();
        services.AddScoped<Payments.Ach.GenerateAchFile>();
        services.AddScoped<Payments.Ach.ProcessAchReturns>();
        services.AddScoped<Payments.Ach.AchQueries>();
        services.AddScoped<Ledger.ConfigureLedger>();
        services.AddScoped<Ledger.LedgerQueries>();
        services.AddScoped<Payments.Drawers.DrawerQueries>();
        services.AddScoped<Rating.QuoteTariff>();
        services.AddScoped<Payments.Mail.KeyMailBatch>();
        services.AddScoped<Payments.Mail.PostMailBatch>();
        services.AddScoped<Payments.Returns.ReturnPayment>();
        services.AddScoped<AccountQueries>();
        services.AddScoped<ChangeIdentityNumber>();
        services.AddScoped<ChangeCustomerContact>();
        services.AddScoped<RevealIdentityNumber>();
        services.AddScoped<LedgerReports>();
        services.AddScoped<ReceivablesAging>();
        services.AddScoped<AccountingReports>();
        services.AddScoped<Deposits.RequireDeposit>();
        services.AddScoped<Deposits.ApplyDepositToFinalBill>();
        services.AddScoped<Deposits.ReviewDepositRefunds>();
        services.AddScoped<Deposits.DepositQueries>();
        services.AddScoped<SeedDemoCity>();
        services.AddScoped<Benchmarks.BenchmarkCity>();
        return services;
    }
}
