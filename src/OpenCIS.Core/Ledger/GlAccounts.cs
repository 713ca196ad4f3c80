using OpenCIS.Core.Billing;

namespace OpenCIS.Core.Ledger;

/// <summary>
/// The natural GL accounts the posting rules name. Where each sits in the city's books (name,
/// fund, department) is the configurable <see cref="ChartOfAccounts"/>.
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
    public const string GasSales = "4600";

    /// <summary>Adjustments and allowances (billing errors, courtesy and leak credits): kept apart from sales so they can be reported.</summary>
    public const string BillingAdjustments = "4900";

    /// <summary>Fees charged for payments the bank returned (ACH returns, returned checks).</summary>
    public const string ReturnedPaymentFees = "4910";

    /// <summary>Late charges, each service's in the fund of that service.</summary>
    public const string WaterLateCharges = "4150";
    public const string SewerLateCharges = "4250";
    public const string SolidWasteLateCharges = "4350";
    public const string StormwaterLateCharges = "4450";
    public const string ElectricLateCharges = "4550";
    public const string GasLateCharges = "4650";

    /// <summary>Collection fees: door hangers, disconnections and reconnections.</summary>
    public const string CollectionFees = "4920";

    /// <summary>Service order fees: connections, meter tests asked for that found the meter accurate.</summary>
    public const string ServiceFees = "4930";

    /// <summary>Lien filing fees: what recording a lien against a parcel costs, charged to the account it secures.</summary>
    public const string LienFees = "4940";

    /// <summary>Customer deposits held: a liability until applied to a final bill or refunded.</summary>
    public const string CustomerDeposits = "2200";

    /// <summary>Interest owed on deposits held, accrued to the deposit when credited.</summary>
    public const string DepositInterestExpense = "5100";

    /// <summary>Refunds of credit balances, owed to the customer until the check or ACH credit is paid out.</summary>
    public const string RefundsPayable = "2100";

    /// <summary>Receivables written off as uncollectible (the allowance the city reserves against them).</summary>
    public const string AllowanceForUncollectibles = "1290";

    /// <summary>
    /// Budget billing's deferred balances: actual charges of accounts on an equal payment plan not yet billed to
    /// them (a debit), or budget billed ahead of use (a credit), until the plan's true-up.
    /// </summary>
    public const string BudgetDeferred = "1250";

    /// <summary>
    /// Pre-petition balances of accounts in a bankruptcy case: off the customers' receivables while the stay lasts, reduced
    /// by the trustee's payments, written off on a discharge or put back on the accounts on a dismissal.
    /// </summary>
    public const string BankruptcyReceivable = "1260";

    /// <summary>What collection agencies keep or bill as commission on the final balances they collect.</summary>
    public const string AgencyCommissions = "5200";

    /// <summary>Commission a gross-remitting agency has billed on what it collected, owed to it until paid.</summary>
    public const string AgencyCommissionsPayable = "2310";

    /// <summary>Balance transfers between accounts pass through here; it nets to zero when both sides are posted.</summary>
    public const string BalanceTransferClearing = "1950";

    public static string RevenueFor(Service service) => service switch
    {
        Service.Water => WaterSales,
        Service.Sewer => SewerCharges,
        Service.Trash => SolidWasteCharges,
        Service.Stormwater => StormwaterCharges,
        Service.Electric => ElectricSales,
        Service.Gas => GasSales,
        _ => throw new ArgumentOutOfRangeException(nameof(service), service, null),
    };

    /// <summary>The late-charge revenue account of the fund of <paramref name="service"/> (water's when the charge names none).</summary>
    public static string LateChargesFor(Service? service) => service switch
    {
        Service.Sewer => SewerLateCharges,
        Service.Trash => SolidWasteLateCharges,
        Service.Stormwater => StormwaterLateCharges,
        Service.Electric => ElectricLateCharges,
        Service.Gas => GasLateCharges,
        _ => WaterLateCharges,
    };

    /// <summary>The service a revenue account is billed for; none for cash, receivables, adjustments and fees.</summary>
    public static Service? ServiceFor(string code) => code switch
    {
        WaterSales => Service.Water,
        SewerCharges => Service.Sewer,
        SolidWasteCharges => Service.Trash,
        StormwaterCharges => Service.Stormwater,
        ElectricSales => Service.Electric,
        GasSales => Service.Gas,
        _ => null,
    };

    /// <summary>Books each fund keeps in the city's ERP; the GL export balances within each.</summary>
    public const string DueToFromOtherFunds = "1900";
}
