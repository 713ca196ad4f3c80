using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Invoices;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Invoices;
using OpenCIS.UseCases.Ledger;

namespace OpenCIS.UseCases.Invoices;

/// <summary>An invoice type with where its revenue lands in the books: the account's name and fund from the chart.</summary>
public sealed record InvoiceTypeView(InvoiceTypeDefinition Type, string RevenueAccountName, string FundCode, string FundName, string UpdatedBy, DateTimeOffset UpdatedAt);

/// <summary>The city's invoice types: listed, added and changed (never deleted: invoices name them; a type no longer used is made inactive). Audited.</summary>
public sealed class InvoiceTypes(OpenCisDbContext db, TimeProvider clock)
{
    public async Task<IReadOnlyList<InvoiceTypeView>> ListAsync(CancellationToken cancellationToken = default)
    {
        var chart = await LedgerConfiguration.LoadChartAsync(db, cancellationToken);
        return (await db.InvoiceTypes.AsNoTracking().OrderBy(t => t.Code).ToListAsync(cancellationToken))
            .Select(t =>
            {
                var account = chart.Contains(t.RevenueGlAccount) ? chart[t.RevenueGlAccount] : null;
                return new InvoiceTypeView(t.ToDefinition(), account?.Name ?? t.RevenueGlAccount, account?.FundCode ?? "", account?.FundName ?? "", t.UpdatedBy, t.UpdatedAt);
            })
            .ToList();
    }

    /// <param name="allowanceGlAccount">Where the type's contractual adjustments and hardship waivers are charged; empty: the type takes neither.</param>
    /// <param name="collectionPolicy">The code of an imported collection policy the type's invoices follow for late charges and notices; empty: neither.</param>
    public async Task<InvoiceTypeView> SaveAsync(string? code, string? name, string? revenueGlAccount, int termsDays, int? statementEveryDays, bool active, string user,
        CancellationToken cancellationToken = default, string? allowanceGlAccount = null, string? collectionPolicy = null)
    {
        var chart = await LedgerConfiguration.LoadChartAsync(db, cancellationToken);
        var definition = InvoiceTypeDefinition.Create(code, name, revenueGlAccount, termsDays, statementEveryDays, active, chart, allowanceGlAccount, collectionPolicy);
        if (definition.CollectionPolicy is { } policy)
        {
            var codes = await db.CollectionPolicies.AsNoTracking().Select(p => p.Code).Distinct().ToListAsync(cancellationToken);
            definition = definition with
            {
                CollectionPolicy = codes.FirstOrDefault(c => string.Equals(c, policy, StringComparison.OrdinalIgnoreCase))
                    ?? throw new DomainException($"No collection policy {policy} has been imported; import it first (opencis collections policy import), or leave the policy empty.", "collectionPolicy"),
            };
        }

        var row = await db.InvoiceTypes.SingleOrDefaultAsync(t => t.Code == definition.Code, cancellationToken);
        var before = row?.ToDefinition();
        if (row is null)
        {
            row = new InvoiceTypeRow { Code = definition.Code };
            db.InvoiceTypes.Add(row);
        }

        var now = clock.GetUtcNow();
        row.Apply(definition, user, now);
        AuditLog.Record(db, now, user, "InvoiceType", 0, null, before is null ? $"Add invoice type {definition.Code}" : $"Change invoice type {definition.Code}", before, definition, null);
        await db.SaveChangesAsync(cancellationToken);
        return (await ListAsync(cancellationToken)).Single(t => t.Type.Code == definition.Code);
    }
}
