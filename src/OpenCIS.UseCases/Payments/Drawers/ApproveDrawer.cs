using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage;
using OpenCIS.Storage.Payments.Drawers;
using OpenCIS.Storage.Payments;

namespace OpenCIS.UseCases.Payments.Drawers;

/// <summary>A second person approves a closed drawer; any difference needs a supervisor.</summary>
public sealed class ApproveDrawer(OpenCisDbContext db, TimeProvider clock)
{
    public async Task<DrawerSession> ExecuteAsync(long drawerId, string approver, bool approverIsSupervisor, string? note, CancellationToken cancellationToken = default)
    {
        if (note is { Length: > 500 })
        {
            throw new DomainException("The note can be at most 500 characters.", "note");
        }

        var drawer = await db.DrawerSessions.SingleOrDefaultAsync(d => d.Id == drawerId, cancellationToken)
            ?? throw new DomainException($"There is no drawer {drawerId}.", "drawer");
        if (drawer.Status != DrawerStatus.Closed)
        {
            throw new DomainException($"Drawer {drawerId} is {drawer.Status}; only a closed drawer can be approved.", "drawer");
        }

        var balance = DrawerRules.Balance(drawer.Expected(), drawer.Counted());
        var refusal = DrawerRules.ApprovalRefusal(drawer.Cashier, approver, approverIsSupervisor, balance);
        if (refusal is not null)
        {
            throw new DomainException(refusal, "approver");
        }

        if (balance.HasDifference && string.IsNullOrWhiteSpace(note))
        {
            throw new DomainException("Say why an over or short drawer is approved.", "note");
        }

        var now = clock.GetUtcNow();
        drawer.RecordApproval(approver, now, note);
        AuditLog.Record(db, now, approver, "DrawerSession", drawer.Id, null, "Approve drawer", new { Status = DrawerStatus.Closed },
            new { Status = DrawerStatus.Approved, OverShort = balance.Total.ToPlainString() }, note);
        await db.SaveChangesAsync(cancellationToken);
        return drawer;
    }
}
