using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Data.Storage;

namespace OpenCIS.Data.Ledger;

/// <summary>
/// The open items of one account, loaded once, and the one place postings are applied: it writes
/// the transaction, its GL lines and open items, then settles credits against charges with the
/// core <see cref="AllocationRule"/>. Batch workflows load many of these in one query
/// (<see cref="LoadManyAsync"/>) so posting needs no database call per account.
/// </summary>
public sealed class AccountLedger
{
    private readonly List<OpenItem> openItems;

    private AccountLedger(long accountId, List<OpenItem> openItems)
    {
        AccountId = accountId;
        this.openItems = openItems;
    }

    public long AccountId { get; }

    public Money Balance => Money.FromCents(openItems.Sum(i => i.OpenCents));

    public IReadOnlyList<OpenItem> OpenItems => openItems;

    public static async Task<AccountLedger> LoadAsync(OpenCisDbContext db, long accountId, CancellationToken cancellationToken) =>
        (await LoadManyAsync(db, [accountId], cancellationToken))[accountId];

    public static async Task<Dictionary<long, AccountLedger>> LoadManyAsync(OpenCisDbContext db, IReadOnlyCollection<long> accountIds, CancellationToken cancellationToken)
    {
        var items = await db.OpenItems.Where(o => accountIds.Contains(o.AccountId) && o.OpenCents != 0).ToListAsync(cancellationToken);
        var byAccount = items.ToLookup(i => i.AccountId);
        return accountIds.Distinct().ToDictionary(id => id, id => new AccountLedger(id, byAccount[id].OrderBy(i => i.Id).ToList()));
    }

    /// <summary>A charge split by service: one open item per service, so arrears are known by service.</summary>
    public sealed record ChargePart(Service? Service, Money Amount);

    /// <summary>
    /// Adds a posting to the unit of work: the transaction, its GL lines, its open items, and the
    /// allocations it makes possible. Nothing is saved here; the calling workflow commits.
    /// </summary>
    public FinancialTransaction Post(
        OpenCisDbContext db,
        Posting posting,
        DateOnly effectiveOn,
        DateOnly dueOn,
        IReadOnlyList<ChargePart>? chargeParts,
        string postedBy,
        string? reason,
        DateTimeOffset now,
        long? reversesTransactionId = null)
    {
        var balanceAfter = Balance + posting.AmountOnAccount;
        var transaction = new FinancialTransaction
        {
            AccountId = AccountId,
            Type = posting.Type,
            AmountCents = posting.AmountOnAccount.Cents,
            EffectiveOn = effectiveOn,
            PostedAt = now,
            PostedBy = postedBy,
            Reason = reason,
            ReversesTransactionId = reversesTransactionId,
            BalanceAfterCents = balanceAfter.Cents,
            GlEntries = posting.Lines.Select(l => new GlEntry
            {
                GlAccount = l.GlAccount,
                DebitCents = l.Debit.Cents,
                CreditCents = l.Credit.Cents,
                EffectiveOn = effectiveOn,
            }).ToList(),
        };
        db.FinancialTransactions.Add(transaction);

        if (!posting.AmountOnAccount.IsZero)
        {
            var parts = chargeParts is { Count: > 0 } && posting.AmountOnAccount.IsPositive
                ? chargeParts.Where(p => !p.Amount.IsZero).ToList()
                : [new ChargePart(null, posting.AmountOnAccount)];
            if (Money.Sum(parts.Select(p => p.Amount)) != posting.AmountOnAccount)
            {
                throw new InvalidOperationException($"Charge parts sum to {Money.Sum(parts.Select(p => p.Amount))}, but the posting moves {posting.AmountOnAccount}.");
            }

            foreach (var part in parts)
            {
                var item = OpenItem.For(AccountId, transaction, part.Service, dueOn, part.Amount.Cents);
                db.OpenItems.Add(item);
                openItems.Add(item);
            }
        }

        Settle(db, now);
        if (Balance != balanceAfter)
        {
            throw new InvalidOperationException($"Account {AccountId}: open items total {Balance} after posting, expected {balanceAfter}.");
        }

        return transaction;
    }

    private void Settle(OpenCisDbContext db, DateTimeOffset now)
    {
        var allocations = AllocationRule.Settle(openItems.Select((item, index) =>
            new OpenItemBalance(index, item.DueOn, item.Priority, Money.FromCents(item.OpenCents))));
        foreach (var allocation in allocations)
        {
            var charge = openItems[(int)allocation.ChargeKey];
            var credit = openItems[(int)allocation.CreditKey];
            charge.Settle(allocation.Amount.Cents);
            credit.Settle(allocation.Amount.Cents);
            db.ItemAllocations.Add(new ItemAllocation { ChargeItem = charge, CreditItem = credit, AmountCents = allocation.Amount.Cents, AllocatedAt = now });
        }

        openItems.RemoveAll(i => i.OpenCents == 0);
    }
}
