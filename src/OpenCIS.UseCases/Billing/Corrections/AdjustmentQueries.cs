using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Ledger;
using OpenCIS.UseCases.Ledger;
using OpenCIS.Storage;
using OpenCIS.Storage.Billing.Corrections;
using OpenCIS.Storage.Billing;

namespace OpenCIS.UseCases.Billing.Corrections;

/// <summary>Adjustments for the screens and the API: the approval queue and an account's list.</summary>
public sealed class AdjustmentQueries(OpenCisDbContext db)
{
    public Task<List<AdjustmentView>> PendingAsync(CancellationToken cancellationToken = default) =>
        ViewsAsync(db, db.AccountAdjustments.Where(a => a.Status == AdjustmentStatus.Pending).OrderBy(a => a.Id).Take(500), cancellationToken);

    public Task<List<AdjustmentView>> ForAccountAsync(long accountId, CancellationToken cancellationToken = default) =>
        ViewsAsync(db, db.AccountAdjustments.Where(a => a.AccountId == accountId).OrderByDescending(a => a.Id).Take(100), cancellationToken);

    internal static async Task<AdjustmentOutcome> OutcomeAsync(OpenCisDbContext db, long adjustmentId, bool alreadyRequested, string message, CancellationToken cancellationToken)
    {
        var view = (await ViewsAsync(db, db.AccountAdjustments.Where(a => a.Id == adjustmentId), cancellationToken)).Single();
        var accountId = await db.AccountAdjustments.Where(a => a.Id == adjustmentId).Select(a => a.AccountId).SingleAsync(cancellationToken);
        var balance = await Ledger.AccountLedger.BalanceAsync(db, accountId, cancellationToken);
        return new AdjustmentOutcome(view, view.Status == nameof(AdjustmentStatus.Pending), balance, alreadyRequested, message);
    }

    private static async Task<List<AdjustmentView>> ViewsAsync(OpenCisDbContext db, IQueryable<AccountAdjustment> query, CancellationToken cancellationToken) =>
        (await query.AsNoTracking().Join(db.Accounts, a => a.AccountId, account => account.Id, (a, account) => new { a, account.AccountNumber }).ToListAsync(cancellationToken))
        .Select(x => new AdjustmentView(x.a.Id, x.AccountNumber, x.a.BillId, x.a.ReasonCode, x.a.AmountCents, x.a.Note, x.a.Calculation, x.a.Status.ToString(),
            x.a.RequestedBy, x.a.RequestedAt, x.a.DecidedBy, x.a.DecidedAt, x.a.DecisionNote, x.a.FinancialTransactionId)).ToList();
}
