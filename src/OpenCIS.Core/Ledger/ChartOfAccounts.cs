using System.Collections.Immutable;
using OpenCIS.Core.Common;

namespace OpenCIS.Core.Ledger;

/// <summary>
/// One account of the chart: the natural account the posting rules name (<see cref="Code"/>), and
/// where the city's ERP keeps it: its fund and department. The ERP's full string is
/// <see cref="FullCode"/>, fund-department-account.
/// </summary>
public sealed record GlAccountDefinition(string Code, string Name, string FundCode, string FundName, string Department)
{
    public string FullCode => $"{FundCode}-{Department}-{Code}";
}

/// <summary>
/// The chart of GL accounts by fund, department and account. The posting rules
/// (<see cref="PostingRules"/>) name natural accounts from <see cref="GlAccounts"/>; the chart,
/// which each city configures, names them and places each in a fund and a department. Every
/// account a posting can produce must stay in the chart, so the trial balance and the GL export
/// always know where a line belongs; accounts may be renamed and moved, added, never removed.
/// </summary>
public sealed class ChartOfAccounts
{
    public const int NameLengthMax = 60;

    private readonly ImmutableSortedDictionary<string, GlAccountDefinition> accounts;

    private ChartOfAccounts(ImmutableSortedDictionary<string, GlAccountDefinition> accounts) => this.accounts = accounts;

    /// <summary>The accounts the posting rules use; the chart must hold each of them.</summary>
    public static ImmutableArray<string> PostingAccounts { get; } =
    [
        GlAccounts.Cash, GlAccounts.AccountsReceivable, GlAccounts.BudgetDeferred, GlAccounts.BankruptcyReceivable, GlAccounts.AllowanceForUncollectibles, GlAccounts.DueToFromOtherFunds,
        GlAccounts.BalanceTransferClearing, GlAccounts.RefundsPayable, GlAccounts.CustomerDeposits, GlAccounts.AgencyCommissionsPayable, GlAccounts.AgencyCommissions,
        GlAccounts.WaterSales, GlAccounts.SewerCharges, GlAccounts.SolidWasteCharges, GlAccounts.StormwaterCharges, GlAccounts.ElectricSales, GlAccounts.GasSales,
        GlAccounts.BillingAdjustments, GlAccounts.ReturnedPaymentFees, GlAccounts.DepositInterestExpense,
        GlAccounts.WaterLateCharges, GlAccounts.SewerLateCharges, GlAccounts.SolidWasteLateCharges, GlAccounts.StormwaterLateCharges,
        GlAccounts.ElectricLateCharges, GlAccounts.GasLateCharges, GlAccounts.CollectionFees, GlAccounts.ServiceFees, GlAccounts.LienFees,
    ];

    /// <summary>
    /// The demo city's chart: enterprise funds for water (40), sewer (41) and solid waste (42); cash,
    /// receivables and everything without an enterprise fund of its own in the general fund (10),
    /// kept by the utility billing department (1510); each utility's revenue in its own department.
    /// </summary>
    public static ChartOfAccounts Default { get; } = Create(
    [
        new(GlAccounts.Cash, "Cash - pooled utility receipts", "10", "General", "1510"),
        new(GlAccounts.AccountsReceivable, "Accounts receivable - utility customers", "10", "General", "1510"),
        new(GlAccounts.BudgetDeferred, "Budget billing deferred balances", "10", "General", "1510"),
        new(GlAccounts.BankruptcyReceivable, "Bankruptcy receivable - pre-petition claims", "10", "General", "1510"),
        new(GlAccounts.AllowanceForUncollectibles, "Allowance for uncollectible accounts", "10", "General", "1510"),
        new(GlAccounts.DueToFromOtherFunds, "Due to/from other funds", "10", "General", "1510"),
        new(GlAccounts.BalanceTransferClearing, "Balance transfer clearing", "10", "General", "1510"),
        new(GlAccounts.RefundsPayable, "Refunds payable to customers", "10", "General", "1510"),
        new(GlAccounts.CustomerDeposits, "Customer deposits held", "10", "General", "1510"),
        new(GlAccounts.AgencyCommissionsPayable, "Collection agency commissions payable", "10", "General", "1510"),
        new(GlAccounts.AgencyCommissions, "Collection agency commissions", "10", "General", "1510"),
        new(GlAccounts.WaterSales, "Water sales", "40", "Water utility", "4010"),
        new(GlAccounts.SewerCharges, "Sewer charges", "41", "Sewer utility", "4110"),
        new(GlAccounts.SolidWasteCharges, "Solid waste charges", "42", "Solid waste", "4210"),
        new(GlAccounts.StormwaterCharges, "Stormwater charges", "10", "General", "1520"),
        new(GlAccounts.ElectricSales, "Electric sales", "10", "General", "1530"),
        new(GlAccounts.GasSales, "Gas sales", "10", "General", "1540"),
        new(GlAccounts.BillingAdjustments, "Billing adjustments and allowances", "10", "General", "1510"),
        new(GlAccounts.ReturnedPaymentFees, "Returned payment fees", "10", "General", "1510"),
        new(GlAccounts.DepositInterestExpense, "Interest on customer deposits", "10", "General", "1510"),
        new(GlAccounts.WaterLateCharges, "Water late charges", "40", "Water utility", "4010"),
        new(GlAccounts.SewerLateCharges, "Sewer late charges", "41", "Sewer utility", "4110"),
        new(GlAccounts.SolidWasteLateCharges, "Solid waste late charges", "42", "Solid waste", "4210"),
        new(GlAccounts.StormwaterLateCharges, "Stormwater late charges", "10", "General", "1520"),
        new(GlAccounts.ElectricLateCharges, "Electric late charges", "10", "General", "1530"),
        new(GlAccounts.GasLateCharges, "Gas late charges", "10", "General", "1540"),
        new(GlAccounts.CollectionFees, "Collection and reconnection fees", "40", "Water utility", "4010"),
        new(GlAccounts.ServiceFees, "Service order fees", "40", "Water utility", "4010"),
        new(GlAccounts.LienFees, "Lien filing fees", "40", "Water utility", "4010"),
    ]);

    public IEnumerable<GlAccountDefinition> Accounts => accounts.Values;

    /// <summary>The funds in the chart, by code, with their names.</summary>
    public IReadOnlyList<(string Code, string Name)> Funds =>
        accounts.Values.GroupBy(a => a.FundCode, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, g.First().FundName)).ToList();

    public static ChartOfAccounts Create(IEnumerable<GlAccountDefinition> definitions)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, GlAccountDefinition>(StringComparer.Ordinal);
        foreach (var definition in definitions)
        {
            Validate(definition);
            if (!builder.TryAdd(definition.Code, definition))
            {
                throw new DomainException($"GL account {definition.Code} is in the chart twice.", "code");
            }
        }

        var missing = PostingAccounts.Where(code => !builder.ContainsKey(code)).ToList();
        if (missing.Count > 0)
        {
            throw new DomainException($"The chart lacks GL accounts the posting rules use: {string.Join(", ", missing)}.", "code");
        }

        var chart = new ChartOfAccounts(builder.ToImmutable());
        foreach (var fund in chart.accounts.Values.GroupBy(a => a.FundCode, StringComparer.Ordinal))
        {
            var names = fund.Select(a => a.FundName).Distinct(StringComparer.Ordinal).ToList();
            if (names.Count > 1)
            {
                throw new DomainException($"Fund {fund.Key} has more than one name: {string.Join(", ", names)}.", "fundName");
            }
        }

        return chart;
    }

    public bool Contains(string code) => accounts.ContainsKey(code);

    public GlAccountDefinition this[string code] =>
        accounts.TryGetValue(code, out var definition) ? definition : throw new DomainException($"GL account {code} is not in the chart of accounts.", "glAccount");

    public string NameOf(string code) => accounts.TryGetValue(code, out var definition) ? definition.Name : code;

    public string FundOf(string code) => this[code].FundCode;

    /// <summary>
    /// The chart with one account added or changed. Changing an account's fund renames nothing
    /// else; giving a fund a new name renames it on every account of that fund.
    /// </summary>
    public ChartOfAccounts With(GlAccountDefinition definition)
    {
        Validate(definition);
        var changed = accounts.SetItem(definition.Code, definition);
        foreach (var other in changed.Values.Where(a => a.FundCode == definition.FundCode && a.FundName != definition.FundName).ToList())
        {
            changed = changed.SetItem(other.Code, other with { FundName = definition.FundName });
        }

        return new ChartOfAccounts(changed);
    }

    private static void Validate(GlAccountDefinition definition)
    {
        if (definition.Code.Length is < 1 or > 6 || !definition.Code.All(char.IsAsciiDigit))
        {
            throw new DomainException($"GL account code '{definition.Code}' must be one to six digits.", "code");
        }

        if (string.IsNullOrWhiteSpace(definition.Name) || definition.Name.Length > NameLengthMax)
        {
            throw new DomainException($"GL account {definition.Code} needs a name of at most {NameLengthMax} characters.", "name");
        }

        if (definition.FundCode.Length != 2 || !definition.FundCode.All(char.IsAsciiDigit))
        {
            throw new DomainException($"Fund code '{definition.FundCode}' of GL account {definition.Code} must be two digits.", "fundCode");
        }

        if (string.IsNullOrWhiteSpace(definition.FundName) || definition.FundName.Length > NameLengthMax)
        {
            throw new DomainException($"Fund {definition.FundCode} needs a name of at most {NameLengthMax} characters.", "fundName");
        }

        if (definition.Department.Length != 4 || !definition.Department.All(char.IsAsciiDigit))
        {
            throw new DomainException($"Department '{definition.Department}' of GL account {definition.Code} must be four digits.", "department");
        }
    }
}

/// <summary>
/// The allocation rule's charge-type priorities: credits pay charges of a lower number first, then
/// the oldest. By default every type has the same priority, so credits pay oldest first; a city
/// can put deposits and fees first. The priority is fixed on each charge when it is posted.
/// </summary>
public sealed record AllocationPriorities(ImmutableSortedDictionary<FinancialTransactionType, int> ByType)
{
    public const int Standard = 100;

    public static AllocationPriorities OldestFirst { get; } = new(ImmutableSortedDictionary<FinancialTransactionType, int>.Empty);

    public int For(FinancialTransactionType type) => ByType.TryGetValue(type, out var priority) ? priority : Standard;

    public AllocationPriorities With(FinancialTransactionType type, int priority)
    {
        if (priority is < 1 or > 999)
        {
            throw new DomainException($"Priority {priority} for {type} must be from 1 to 999 (lower is paid first).", "priority");
        }

        return new(priority == Standard ? ByType.Remove(type) : ByType.SetItem(type, priority));
    }
}
