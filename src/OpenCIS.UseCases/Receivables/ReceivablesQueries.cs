using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Customers;
using OpenCIS.Storage.Payments.Ach;
using OpenCIS.UseCases.Payments.Ach;
using OpenCIS.Storage;
using OpenCIS.Storage.Receivables;

namespace OpenCIS.UseCases.Receivables;

public sealed record SiblingAccount(string AccountNumber, string Status, long BalanceCents);

public sealed record TransferView(long TransferId, string FromAccountNumber, string ToAccountNumber, long AmountCents, string Reason, string TransferredBy, DateTimeOffset TransferredAt);

/// <summary>What the account's balance page shows: the balance, where it could go, and the refunds, transfers and write-offs so far.</summary>
public sealed record AccountReceivables(
    long AccountId,
    string AccountNumber,
    string Status,
    string? CustomerName,
    long BalanceCents,
    long PendingRefundCents,
    bool HasActiveAch,
    IReadOnlyList<SiblingAccount> OtherAccounts,
    IReadOnlyList<RefundView> Refunds,
    IReadOnlyList<TransferView> Transfers,
    IReadOnlyList<WriteOffView> WriteOffs);

public sealed class ReceivablesQueries(OpenCisDbContext db, RefundQueries refunds, WriteOffQueries writeOffs)
{
    public async Task<AccountReceivables> ForAccountAsync(string accountNumber, CancellationToken cancellationToken = default)
    {
        var account = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.AccountNumber == accountNumber.Trim(), cancellationToken)
                      ?? throw new DomainException($"There is no account {accountNumber}.", "accountNumber");
        var mains = await db.AccountCustomers.AsNoTracking().Where(ac => ac.AccountId == account.Id && ac.Role == AccountRole.Main).Select(ac => ac.CustomerId).ToListAsync(cancellationToken);
        var name = await db.Customers.Where(c => mains.Contains(c.Id)).Select(c => c.DisplayName).FirstOrDefaultAsync(cancellationToken);
        var siblingIds = await db.AccountCustomers.Where(ac => mains.Contains(ac.CustomerId) && ac.Role == AccountRole.Main && ac.AccountId != account.Id)
            .Select(ac => ac.AccountId).Distinct().Take(50).ToListAsync(cancellationToken);
        var ids = siblingIds.Append(account.Id).ToList();
        var balances = await db.OpenItems.Where(o => ids.Contains(o.AccountId)).GroupBy(o => o.AccountId)
            .Select(g => new { g.Key, Cents = g.Sum(o => o.OpenCents) }).ToDictionaryAsync(x => x.Key, x => x.Cents, cancellationToken);
        var siblings = (await db.Accounts.AsNoTracking().Where(a => siblingIds.Contains(a.Id)).OrderBy(a => a.AccountNumber).ToListAsync(cancellationToken))
            .Select(a => new SiblingAccount(a.AccountNumber, a.Status.ToString(), balances.GetValueOrDefault(a.Id))).ToList();
        var pending = await db.Refunds.Where(r => r.AccountId == account.Id && r.Status == RefundStatus.Pending).SumAsync(r => r.AmountCents, cancellationToken);
        var hasAch = await db.AchEnrollments.AnyAsync(e => e.AccountId == account.Id && e.Status == AchEnrollmentStatus.Active, cancellationToken);
        var transfers = await db.BalanceTransfers.AsNoTracking().Where(t => t.FromAccountId == account.Id || t.ToAccountId == account.Id)
            .OrderByDescending(t => t.Id).Take(100).ToListAsync(cancellationToken);
        var otherIds = transfers.SelectMany(t => new[] { t.FromAccountId, t.ToAccountId }).Distinct().ToList();
        var numbers = await db.Accounts.Where(a => otherIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.AccountNumber, cancellationToken);
        return new AccountReceivables(account.Id, account.AccountNumber, account.Status.ToString(), name, balances.GetValueOrDefault(account.Id), pending, hasAch, siblings,
            await refunds.ForAccountAsync(account.Id, cancellationToken),
            transfers.Select(t => new TransferView(t.Id, numbers[t.FromAccountId], numbers[t.ToAccountId], t.AmountCents, t.Reason, t.TransferredBy, t.TransferredAt)).ToList(),
            await writeOffs.ForAccountAsync(account.Id, cancellationToken));
    }
}
