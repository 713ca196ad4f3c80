using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.ServiceOrders;

namespace OpenCIS.UseCases.Collections;

/// <summary>One account of an approval: the disconnect order it has, new or already open.</summary>
public sealed record ApprovedDisconnect(string AccountNumber, long OrderId, bool AlreadyOpen);

public sealed record DisconnectApprovalOutcome(int Created, int AlreadyOpen, IReadOnlyList<ApprovedDisconnect> Orders, string Message);

/// <summary>
/// A Supervisor approves the disconnect list, all of it or the accounts chosen: each approved account gets one
/// disconnect-for-non-payment order, due today, with the reason it is on the list. An account that already has
/// an open disconnect order keeps it and gets no second one, so approving twice (or two supervisors at once)
/// creates nothing more. Only accounts on the list as of the last run can be approved. Each order is audited.
/// </summary>
public sealed class ApproveDisconnectList(OpenCisDbContext db, BusinessCalendar calendar, TimeProvider clock)
{
    /// <summary>The most accounts one approval takes: a day's list, not a city.</summary>
    public const int AccountsMax = 5000;

    /// <param name="accountNumbers">The accounts chosen; null approves every account on the list.</param>
    public async Task<DisconnectApprovalOutcome> ExecuteAsync(IReadOnlyCollection<string>? accountNumbers, string user, CancellationToken cancellationToken = default)
    {
        var listed = await db.AccountCollections.AsNoTracking().Where(c => c.Listed)
            .Join(db.Accounts, c => c.AccountId, a => a.Id, (c, a) => new { a.Id, a.AccountNumber, a.PremiseId, c.ListReason, c.PastDueCents, c.DaysPastDue })
            .ToListAsync(cancellationToken);
        var chosen = listed;
        if (accountNumbers is not null)
        {
            var wanted = accountNumbers.Select(n => n.Trim()).Where(n => n.Length > 0).ToHashSet(StringComparer.Ordinal);
            if (wanted.Count == 0)
            {
                throw new DomainException("Choose at least one account on the disconnect list to approve.", "accounts");
            }

            var notListed = wanted.Except(listed.Select(l => l.AccountNumber), StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (notListed.Count > 0)
            {
                throw new DomainException($"Not on the disconnect list, so not approved: {string.Join(", ", notListed.Take(20))}. Nothing was approved.", "accounts");
            }

            chosen = [.. listed.Where(l => wanted.Contains(l.AccountNumber))];
        }

        if (chosen.Count == 0)
        {
            throw new DomainException("No account is on the disconnect list; nothing to approve.", "accounts");
        }

        if (chosen.Count > AccountsMax)
        {
            throw new DomainException($"{chosen.Count:N0} accounts are more than one approval takes ({AccountsMax:N0}); approve them by route.", "accounts");
        }

        var today = calendar.Today();
        var now = clock.GetUtcNow();
        var ids = chosen.Select(c => c.Id).ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Locked, so a second approval at the same moment waits here and then sees the orders this one made.
        await AccountLocks.LockAccountsAsync(db, ids, cancellationToken);
        var open = await db.ServiceOrders.AsNoTracking()
            .Where(o => o.Kind == ServiceOrderKind.DisconnectForNonPayment && o.AccountId != null && ids.Contains(o.AccountId.Value)
                && (o.Status == ServiceOrderStatus.Open || o.Status == ServiceOrderStatus.Dispatched))
            .Select(o => new { AccountId = o.AccountId!.Value, o.Id }).ToListAsync(cancellationToken);
        var openByAccount = open.GroupBy(o => o.AccountId).ToDictionary(g => g.Key, g => g.Min(o => o.Id));
        var created = new List<(string AccountNumber, long AccountId, ServiceOrder Order, long PastDueCents, string Reason)>();
        foreach (var account in chosen.Where(c => !openByAccount.ContainsKey(c.Id)))
        {
            var reason = account.ListReason ?? $"{account.DaysPastDue} days past due";
            var order = ServiceOrder.Create(ServiceOrderKind.DisconnectForNonPayment, account.Id, account.PremiseId, null, null, 2, today,
                $"Disconnect for non-payment, approved by {user}: {reason}", user, now);
            db.ServiceOrders.Add(order);
            created.Add((account.AccountNumber, account.Id, order, account.PastDueCents, reason));
        }

        await db.SaveChangesAsync(cancellationToken);
        foreach (var (accountNumber, accountId, order, pastDueCents, reason) in created)
        {
            AuditLog.Record(db, now, user, "ServiceOrder", order.Id, accountId, "Approve disconnect", null,
                new { AccountNumber = accountNumber, Kind = order.Kind.ToString(), PastDue = Money.FromCents(pastDueCents).ToPlainString(), order.DueOn }, reason);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var orders = chosen.OrderBy(c => c.AccountNumber, StringComparer.Ordinal)
            .Select(c => openByAccount.TryGetValue(c.Id, out var existing)
                ? new ApprovedDisconnect(c.AccountNumber, existing, true)
                : new ApprovedDisconnect(c.AccountNumber, created.Single(x => x.AccountId == c.Id).Order.Id, false))
            .ToList();
        var already = orders.Count(o => o.AlreadyOpen);
        var message = $"Approved {created.Count} disconnect order{(created.Count == 1 ? "" : "s")}"
            + (already > 0 ? $"; {already} account{(already == 1 ? " already has its" : "s already have their")} open order, so no second was made." : ".");
        return new DisconnectApprovalOutcome(created.Count, already, orders, message);
    }
}
