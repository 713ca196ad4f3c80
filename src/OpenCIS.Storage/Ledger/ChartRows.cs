using OpenCIS.Core.Ledger;

namespace OpenCIS.Storage.Ledger;

/// <summary>One account of the city's chart of accounts (<see cref="ChartOfAccounts"/>).</summary>
public sealed class GlAccountRow
{
    public string Code { get; init; } = "";
    public string Name { get; set; } = "";
    public string FundCode { get; set; } = "";
    public string FundName { get; set; } = "";
    public string Department { get; set; } = "";

    public GlAccountDefinition ToDefinition() => new(Code, Name, FundCode, FundName, Department);
}

/// <summary>A charge type whose priority differs from <see cref="AllocationPriorities.Standard"/>.</summary>
public sealed class AllocationPriorityRow
{
    public FinancialTransactionType TransactionType { get; init; }
    public int Priority { get; set; }
}
