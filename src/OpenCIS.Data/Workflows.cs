using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Data.Billing;
using OpenCIS.Data.Customers;
using OpenCIS.Data.Demo;
using OpenCIS.Data.Payments;
using OpenCIS.Data.Reports;

namespace OpenCIS.Data;

/// <summary>The use cases both hosts call. One class per use case; each commits its own unit of work.</summary>
public static class Workflows
{
    public static void Register(IServiceCollection services)
    {
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
    }
}
