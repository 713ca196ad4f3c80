using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage;
using OpenCIS.Storage.Payments.Drawers;
using OpenCIS.Storage.Payments;

namespace OpenCIS.UseCases.Payments.Drawers;

public sealed record DrawerOpened(long DrawerId, string Cashier, DateOnly BusinessDate, Money StartingFloat);

/// <summary>A cashier opens a drawer with a starting float. One open drawer per cashier; a unique index backs the check.</summary>
public sealed class OpenDrawer(OpenCisDbContext db, BusinessCalendar calendar, TimeProvider clock)
{
    /// <summary>A float above this is a typing slip, not a till: $10,000.</summary>
    public const long StartingFloatMaxCents = 1_000_000;

    public async Task<DrawerOpened> ExecuteAsync(string cashier, Money startingFloat, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cashier);
        if (startingFloat.IsNegative || startingFloat.Cents > StartingFloatMaxCents)
        {
            throw new DomainException($"The starting float must be between $0.00 and {Money.FromCents(StartingFloatMaxCents)}.", "startingFloat");
        }

        if (await db.DrawerSessions.AnyAsync(d => d.Cashier == cashier && d.Status == DrawerStatus.Open, cancellationToken))
        {
            throw new DomainException($"{cashier} already has an open drawer; close it before opening another.", "drawer");
        }

        var drawer = new DrawerSession
        {
            Cashier = cashier,
            BusinessDate = calendar.Today(),
            OpenedAt = clock.GetUtcNow(),
            StartingFloatCents = startingFloat.Cents,
            Status = DrawerStatus.Open,
        };
        db.DrawerSessions.Add(drawer);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            throw new DomainException($"{cashier} already has an open drawer; close it before opening another.", "drawer");
        }

        AuditLog.Record(db, drawer.OpenedAt, cashier, "DrawerSession", drawer.Id, null, "Open drawer", null, new { StartingFloat = startingFloat.ToPlainString() }, null);
        await db.SaveChangesAsync(cancellationToken);
        return new DrawerOpened(drawer.Id, cashier, drawer.BusinessDate, startingFloat);
    }
}
