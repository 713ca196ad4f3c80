using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Receivables;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Billing.Corrections;
using OpenCIS.UseCases.Billing.Corrections;
using OpenCIS.Storage.Ledger;
using OpenCIS.UseCases.Ledger;
using OpenCIS.Storage;
using OpenCIS.Storage.Receivables;

namespace OpenCIS.UseCases.Receivables;

public sealed class WriteOffQueries(OpenCisDbContext db)
{
    public Task<List<WriteOffView>> ForAccountAsync(long accountId, CancellationToken cancellationToken = default) =>
        ViewsAsync(db, db.WriteOffs.Where(w => w.AccountId == accountId).OrderByDescending(w => w.Id).Take(100), cancellationToken);

    internal static async Task<WriteOffOutcome> OutcomeAsync(OpenCisDbContext db, long writeOffId, bool alreadyDone, string message, CancellationToken cancellationToken)
    {
        var view = (await ViewsAsync(db, db.WriteOffs.Where(w => w.Id == writeOffId), cancellationToken)).Single();
        var accountId = await db.WriteOffs.Where(w => w.Id == writeOffId).Select(w => w.AccountId).SingleAsync(cancellationToken);
        var balance = await Ledger.AccountLedger.BalanceAsync(db, accountId, cancellationToken);
        return new WriteOffOutcome(view, balance, alreadyDone, message);
    }

    private static async Task<List<WriteOffView>> ViewsAsync(OpenCisDbContext db, IQueryable<WriteOff> query, CancellationToken cancellationToken) =>
        (await query.AsNoTracking().Join(db.Accounts, w => w.AccountId, a => a.Id, (w, a) => new { w, a.AccountNumber }).ToListAsync(cancellationToken))
        .Select(x => new WriteOffView(x.w.Id, x.AccountNumber, x.w.AmountCents, x.w.ReasonCode, x.w.Note, x.w.FinancialTransactionId, x.w.WrittenOffBy, x.w.WrittenOffAt,
            x.w.ReversalTransactionId, x.w.ReversedBy, x.w.ReversedAt, x.w.ReversalReason)).ToList();
}
