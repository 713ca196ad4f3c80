using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage;
using OpenCIS.Storage.Ledger;

namespace OpenCIS.UseCases.Ledger;

/// <summary>The city's chart of accounts and allocation priorities, for the screens, the API and the CLI.</summary>
public sealed class LedgerQueries(OpenCisDbContext db)
{
    public Task<ChartOfAccounts> ChartAsync(CancellationToken cancellationToken) => LedgerConfiguration.LoadChartAsync(db, cancellationToken);

    public Task<AllocationPriorities> PrioritiesAsync(CancellationToken cancellationToken) => LedgerConfiguration.LoadPrioritiesAsync(db, cancellationToken);
}
