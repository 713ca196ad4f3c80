using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.Storage.Collections;
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

        Close(db, protection, today, clock.GetUtcNow(), user, checkedReason);
        var view = ProtectionView.From(protection, today);
        await db.SaveChangesAsync(cancellationToken);
        return new ProtectionOutcome(view, $"Ended {view.Description} on {today:yyyy-MM-dd}: {checkedReason}.");
    }

    /// <summary>Ends the protection today with its audit entry, in the caller's unit of work (a case's resolution ends its dispute's protection); the caller saves.</summary>
    internal static void Close(OpenCisDbContext db, AccountProtection protection, DateOnly today, DateTimeOffset now, string user, string reason)
    {
        var before = new { protection.EndsOn, Active = protection.IsActiveOn(today) };
        protection.End(today, user, reason);
        AuditLog.Record(db, now, user, "AccountProtection", protection.Id, protection.AccountId, "End protection", before, new { EndedOn = today, EndedBy = user }, reason);
    }
}
