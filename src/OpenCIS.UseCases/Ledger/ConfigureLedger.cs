using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage;
using OpenCIS.Storage.Ledger;

namespace OpenCIS.UseCases.Ledger;

/// <summary>Reads the city's chart of accounts and allocation priorities inside a use case's unit of work.</summary>
public static class LedgerConfiguration
{
    public static async Task<ChartOfAccounts> LoadChartAsync(OpenCisDbContext db, CancellationToken cancellationToken) =>
        ChartOfAccounts.Create((await db.GlAccounts.AsNoTracking().ToListAsync(cancellationToken)).Select(a => a.ToDefinition()));

    public static async Task<AllocationPriorities> LoadPrioritiesAsync(OpenCisDbContext db, CancellationToken cancellationToken)
    {
        var rows = await db.AllocationPriorities.AsNoTracking().ToListAsync(cancellationToken);
        return rows.Aggregate(AllocationPriorities.OldestFirst, (p, r) => p.With(r.TransactionType, r.Priority));
    }
}

/// <summary>
/// A Supervisor's changes to the ledger's configuration: an account of the chart added, renamed or
/// moved to another fund or department, and the charge types credits pay first. Each is checked by
/// the core (<see cref="ChartOfAccounts"/>, <see cref="AllocationPriorities"/>) and audited.
/// </summary>
public sealed class ConfigureLedger(OpenCisDbContext db, TimeProvider clock)
{
    public async Task<GlAccountDefinition> SaveAccountAsync(GlAccountDefinition definition, string user, CancellationToken cancellationToken = default)
    {
        var chart = await LedgerConfiguration.LoadChartAsync(db, cancellationToken);
        var before = chart.Contains(definition.Code) ? chart[definition.Code] : null;
        var changed = chart.With(definition);
        var rows = await db.GlAccounts.ToDictionaryAsync(a => a.Code, StringComparer.Ordinal, cancellationToken);
        foreach (var account in changed.Accounts)
        {
            if (!rows.TryGetValue(account.Code, out var row))
            {
                db.GlAccounts.Add(new GlAccountRow { Code = account.Code, Name = account.Name, FundCode = account.FundCode, FundName = account.FundName, Department = account.Department });
                continue;
            }

            row.Name = account.Name;
            row.FundCode = account.FundCode;
            row.FundName = account.FundName;
            row.Department = account.Department;
        }

        AuditLog.Record(db, clock.GetUtcNow(), user, "GlAccount", long.Parse(definition.Code, System.Globalization.CultureInfo.InvariantCulture), null,
            before is null ? "Add GL account" : "Change GL account", before, changed[definition.Code], null);
        await db.SaveChangesAsync(cancellationToken);
        return changed[definition.Code];
    }

    public async Task<AllocationPriorities> SetPriorityAsync(FinancialTransactionType type, int priority, string user, CancellationToken cancellationToken = default)
    {
        var current = await LedgerConfiguration.LoadPrioritiesAsync(db, cancellationToken);
        var changed = current.With(type, priority);
        var row = await db.AllocationPriorities.SingleOrDefaultAsync(p => p.TransactionType == type, cancellationToken);
        if (priority == AllocationPriorities.Standard)
        {
            if (row is not null)
            {
                db.AllocationPriorities.Remove(row);
            }
        }
        else if (row is null)
        {
            db.AllocationPriorities.Add(new AllocationPriorityRow { TransactionType = type, Priority = priority });
        }
        else
        {
            row.Priority = priority;
        }

        AuditLog.Record(db, clock.GetUtcNow(), user, "AllocationPriority", (long)type, null, "Change allocation priority",
            new { Type = type.ToString(), Priority = current.For(type) }, new { Type = type.ToString(), Priority = priority }, null);
        await db.SaveChangesAsync(cancellationToken);
        return changed;
    }

    /// <summary>Parses a charge type name as clerks and the API give it ("DepositCharge", "returned payment fee").</summary>
    public static FinancialTransactionType ParseType(string text) =>
        Enum.TryParse<FinancialTransactionType>(text.Replace(" ", "", StringComparison.Ordinal), ignoreCase: true, out var type) && Enum.IsDefined(type)
            ? type
            : throw new DomainException($"'{text}' is not a transaction type; use one of {string.Join(", ", Enum.GetNames<FinancialTransactionType>())}.", "transactionType");
}
