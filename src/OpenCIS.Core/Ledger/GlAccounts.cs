using OpenCIS.Core.Billing;

namespace OpenCIS.Core.Ledger;

/// <summary>
/// The general-ledger accounts the sub-ledger posts to. The chart is fixed here for the
/// foundation; the receivables work makes it configurable by fund and department.
/// </summary>
public static class GlAccounts
{
    public const string Cash = "1010";
    public const string AccountsReceivable = "1200";
    public const string WaterSales = "4100";
    public const string SewerCharges = "4200";
    public const string SolidWasteCharges = "4300";
    public const string StormwaterCharges = "4400";
    public const string ElectricSales = "4500";

    /// <summary>Adjustments and allowances (billing errors, courtesy and leak credits): kept apart from sales so they can be reported.</summary>
    public const string BillingAdjustments = "4900";

    /// <summary>Fees charged for payments the bank returned (ACH returns, returned checks).</summary>
    public const string ReturnedPaymentFees = "4910";

    public static string RevenueFor(Service service) => service switch
    {
        Service.Water => WaterSales,
        Service.Sewer => SewerCharges,
        Service.Trash => SolidWasteCharges,
        Service.Stormwater => StormwaterCharges,
        Service.Electric => ElectricSales,
        _ => throw new ArgumentOutOfRangeException(nameof(service), service, null),
    };

    public static string NameOf(string code) => code switch
    {
        Cash => "Cash - pooled utility receipts",
        AccountsReceivable => "Accounts receivable - utility customers",
        WaterSales => "Water sales",
        SewerCharges => "Sewer charges",
        SolidWasteCharges => "Solid waste charges",
        StormwaterCharges => "Stormwater charges",
        ElectricSales => "Electric sales",
        BillingAdjustments => "Billing adjustments and allowances",
        ReturnedPaymentFees => "Returned payment fees",
        _ => code,
    };
}
