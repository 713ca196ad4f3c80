using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Metering;
using OpenCIS.Core.Payments;
using OpenCIS.Storage;
using OpenCIS.Storage.Collections;
using OpenCIS.Storage.ServiceOrders;
using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.Ledger;
using OpenCIS.UseCases.Payments;

namespace OpenCIS.UseCases.Demo;

/// <summary>
/// The demo city's field work, planted on the last day the policy allowed a disconnect before the demo date: the
/// first accounts on the disconnect list (by id, past the planted cases) approved and disconnected with their
/// reads and the policy's fee, and the first of them paid in full and reconnected. No random draws: the city's
/// random sequence is the same with or without them.
/// </summary>
internal static class DemoFieldOrders
{
    public const int Disconnects = 3;

    public static async Task SeedAsync(OpenCisDbContext db, PaymentBatchPoster poster, IReadOnlySet<long> planted, DateOnly through, string user, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Monday to Thursday, and not the day before Thanksgiving: a day the demo policy lets the field work.
        var fieldDay = Enumerable.Range(0, 14).Select(d => through.AddDays(-d))
            .First(d => d.DayOfWeek is >= DayOfWeek.Monday and <= DayOfWeek.Thursday && d.AddDays(1) is not { Month: 11, Day: >= 22 and <= 28, DayOfWeek: DayOfWeek.Thursday });
        var listed = await db.AccountCollections.Where(c => c.Listed).OrderBy(c => c.AccountId).ToListAsync(cancellationToken);
        // Accounts read before the field day, so no read after the cut shows use while off.
        var chosen = new List<AccountCollection>();
        foreach (var candidate in listed.Where(c => !planted.Contains(c.AccountId)))
        {
            var pointIds = (await DisconnectChecks.ServicePointsAsync(db, candidate.AccountId, cancellationToken)).Select(p => p.Id).ToList();
            var readUntil = await db.Reads.AsNoTracking().Where(r => pointIds.Contains(r.ServicePointId)).MaxAsync(r => (DateOnly?)r.ReadOn, cancellationToken);
            if (readUntil is { } readOn && readOn <= fieldDay)
            {
                chosen.Add(candidate);
            }

            if (chosen.Count == Disconnects)
            {
                break;
            }
        }

        if (chosen.Count == 0)
        {
            return;
        }

        var catalog = await CollectionPolicyCatalog.LoadAsync(db, cancellationToken);
        var at = new DateTimeOffset(fieldDay.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero);
        foreach (var standing in chosen)
        {
            var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == standing.AccountId, cancellationToken);
            var points = await DisconnectChecks.ServicePointsAsync(db, account.Id, cancellationToken);
            var pointIds = points.Select(p => p.Id).ToList();
            var reading = await db.Reads.AsNoTracking().Where(r => pointIds.Contains(r.ServicePointId)).OrderByDescending(r => r.ReadOn).ThenByDescending(r => r.Id)
                .Select(r => (long?)r.Reading).FirstOrDefaultAsync(cancellationToken) ?? 0;
            var order = ServiceOrder.Create(ServiceOrderKind.DisconnectForNonPayment, account.Id, account.PremiseId, null, null, 2, fieldDay,
                $"Disconnect for non-payment, approved by supervisor: {standing.ListReason}", "supervisor", at);
            order.Complete(new ServiceOrderCompletion(ServiceOrderResult.Disconnected, fieldDay, reading, Note: "Locked at the curb stop"), "field", at.AddHours(3));
            db.ServiceOrders.Add(order);
            var fee = catalog.ForAccount(account.Class, account.Status, fieldDay)?.Policy.Fees.Disconnect ?? Money.Zero;
            if (fee.IsPositive)
            {
                var ledger = await AccountLedger.LoadAsync(db, account.Id, cancellationToken);
                var posted = ledger.Post(db, PostingRules.ForCollectionFee(fee), fieldDay, fieldDay, null, "field", "Disconnect fee, demo order", at.AddHours(3));
                await db.SaveChangesAsync(cancellationToken);
                order.AttachFee(posted.Id);
            }

            points.ForEach(p => p.ChangeState(ServicePointState.Disconnected));
            standing.MarkDisconnected(fieldDay, at.AddHours(3));
            await db.SaveChangesAsync(cancellationToken);
        }

        // The first one paid everything it owed at the counter on the demo date, and the field put it back on.
        var back = chosen[0];
        var owed = await db.OpenItems.Where(o => o.AccountId == back.AccountId).SumAsync(o => o.OpenCents, cancellationToken);
        if (owed > 0)
        {
            await poster.AddAsync([new PaymentInstruction(back.AccountId, Money.FromCents(owed), through, Tender.Cash, PaymentSource.Counter, null)], user, null, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }

        var backAccount = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == back.AccountId, cancellationToken);
        var reconnect = ServiceOrder.Create(ServiceOrderKind.Reconnect, back.AccountId, backAccount.PremiseId, null, null, 2, through, "Reconnect: paid in full: nothing is past due", user, now);
        var lastRead = await db.ServiceOrders.Where(o => o.AccountId == back.AccountId && o.Kind == ServiceOrderKind.DisconnectForNonPayment).Select(o => o.Reading).FirstAsync(cancellationToken) ?? 0;
        reconnect.Complete(new ServiceOrderCompletion(ServiceOrderResult.Reconnected, through, lastRead), "field", now);
        db.ServiceOrders.Add(reconnect);
        (await DisconnectChecks.ServicePointsAsync(db, back.AccountId, cancellationToken)).ForEach(p => p.ChangeState(ServicePointState.ActiveOccupied));
        back.MarkReconnected(through, now);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }
}
