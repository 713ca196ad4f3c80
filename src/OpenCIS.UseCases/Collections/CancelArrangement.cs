using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Collections;

namespace OpenCIS.UseCases.Collections;

/// <summary>Cancels an active arrangement today, with the reason (required; audited). Collections resume on the next run.</summary>
public sealed class CancelArrangement(OpenCisDbContext db, BusinessCalendar calendar, TimeProvider clock)
{
    public async Task<ArrangementOutcome> ExecuteAsync(long accountId, long arrangementId, string? reason, string user, CancellationToken cancellationToken = default)
    {
        var account = await CollectionWorkRules.FindAccountAsync(db, accountId, cancellationToken);
        var why = CollectionWorkRules.Required(reason, "reason", "reason for cancelling the arrangement", CreateArrangement.ReasonLengthMax);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await AccountLocks.LockAccountAsync(db, accountId, cancellationToken);
        var arrangement = await db.Arrangements.Include(a => a.Installments).SingleOrDefaultAsync(a => a.Id == arrangementId && a.AccountId == accountId, cancellationToken)
            ?? throw new DomainException($"Account {account.AccountNumber} has no arrangement {arrangementId}.", "arrangementId");
        if (arrangement.Status != ArrangementStage.Active)
        {
            throw new DomainException($"Arrangement {arrangementId} is already {arrangement.Status.ToString().ToLowerInvariant()}; only an active one can be cancelled.", "arrangementId");
        }

        var today = calendar.Today();
        var now = clock.GetUtcNow();
        var before = new { Status = arrangement.Status.ToString(), arrangement.StatusOn, arrangement.StatusReason };
        arrangement.Decide(ArrangementStage.Cancelled, today, $"cancelled by {user}: {why}");
        AuditLog.Record(db, now, user, "Arrangement", arrangement.Id, accountId, "Cancel arrangement", before,
            new { Status = arrangement.Status.ToString(), arrangement.StatusOn, arrangement.StatusReason }, why);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ArrangementOutcome(ArrangementQueries.View(arrangement, []), $"Cancelled arrangement {arrangement.Id} on account {account.AccountNumber}.");
    }
}
