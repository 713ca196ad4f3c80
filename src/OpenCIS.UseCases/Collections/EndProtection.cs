using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;

namespace OpenCIS.UseCases.Collections;

/// <summary>Ends a protection today, with the reason, audited. A protection is never deleted; one already ended cannot end again.</summary>
public sealed class EndProtection(OpenCisDbContext db, BusinessCalendar calendar, TimeProvider clock)
{
    public const int ReasonLengthMax = 500;

    public async Task<ProtectionOutcome> ExecuteAsync(long accountId, long protectionId, string? reason, string user, CancellationToken cancellationToken = default)
    {
        var checkedReason = CollectionWorkRules.Required(reason, "reason", "reason the protection ends", ReasonLengthMax);
        var protection = await db.AccountProtections.SingleOrDefaultAsync(p => p.Id == protectionId && p.AccountId == accountId, cancellationToken)
                         ?? throw new DomainException($"Account {accountId} has no protection {protectionId}.", "protectionId");
        var today = calendar.Today();
        if (protection.EndedOn is { } ended)
        {
            throw new DomainException($"Protection {protectionId} was already ended on {ended:yyyy-MM-dd} by {protection.EndedBy}.", "protectionId");
        }

        var before = new { protection.EndsOn, Active = protection.IsActiveOn(today) };
        protection.End(today, user, checkedReason);
        var now = clock.GetUtcNow();
        var view = ProtectionView.From(protection, today);
        AuditLog.Record(db, now, user, "AccountProtection", protection.Id, accountId, "End protection", before, new { EndedOn = today, EndedBy = user }, checkedReason);
        await db.SaveChangesAsync(cancellationToken);
        return new ProtectionOutcome(view, $"Ended {view.Description} on {today:yyyy-MM-dd}: {checkedReason}.");
    }
}
