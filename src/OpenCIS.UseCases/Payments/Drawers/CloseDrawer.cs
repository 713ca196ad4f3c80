using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage;
using OpenCIS.Storage.Payments.Drawers;
using OpenCIS.Storage.Payments;

namespace OpenCIS.UseCases.Payments.Drawers;

/// <summary>What the cashier learns after submitting a blind count: only now are expected totals shown.</summary>
public sealed record DrawerClosed(long DrawerId, IReadOnlyDictionary<Tender, Money> Counted, IReadOnlyDictionary<Tender, Money> Expected, DrawerBalance Balance);

/// <summary>
/// A cashier closes their drawer with a blind count: they submit what they counted by tender before
/// seeing what was expected; over/short is worked out from the frozen expected totals, and the drawer
/// waits for approval. From this moment the drawer takes no payment.
/// </summary>
public sealed class CloseDrawer(OpenCisDbContext db, TimeProvider clock)
{
    public async Task<DrawerClosed> ExecuteAsync(string cashier, IReadOnlyDictionary<Tender, Money> counted, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(counted);
        var drawer = await db.DrawerSessions.SingleOrDefaultAsync(d => d.Cashier == cashier && d.Status == DrawerStatus.Open, cancellationToken)
            ?? throw new DomainException($"{cashier} has no open drawer to close.", "drawer");

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await DrawerQueries.LockOpenDrawerAsync(db, drawer.Id, cancellationToken))
        {
            throw new DomainException($"Drawer {drawer.Id} is already closed.", "drawer");
        }

        // Read the payments after the lock, so none taken before it is missed.
        var parts = await DrawerQueries.KeptTendersAsync(db, drawer.Id, cancellationToken);
        var expected = DrawerRules.ExpectedTotals(drawer.StartingFloat, parts);
        var balance = DrawerRules.Balance(expected, counted);
        var now = clock.GetUtcNow();
        drawer.RecordClose(now, counted, expected, balance);
        AuditLog.Record(db, now, cashier, "DrawerSession", drawer.Id, null, "Close drawer", null,
            new { Counted = counted.ToDictionary(c => c.Key.ToString(), c => c.Value.ToPlainString()), OverShort = balance.Total.ToPlainString() }, "Blind count");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new DrawerClosed(drawer.Id, drawer.Counted(), expected, balance);
    }
}
