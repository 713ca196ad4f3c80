using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage;
using OpenCIS.Storage.Ledger;

namespace OpenCIS.UseCases.Ledger;

/// <summary>
/// The open items of one account, loaded once, and the one place postings are applied: it writes
/// the transaction, its GL lines and open items, then settles credits against charges with the
/// core <see cref="AllocationRule"/>. Batch workflows load many of these in one query
/// (<see cref="LoadManyAsync"/>) so posting needs no database call per account. Each new charge
/// takes the priority the city's <see cref="AllocationPriorities"/> give its transaction type.
/// </summary>
public sealed class AccountLedger
{
    private readonly List<OpenItem> openItems;

    private readonly AllocationPriorities priorities;

    /// <summary>Unapplied credits known only by their sum (<see cref="LoadForCreditsAsync"/>): the account then has no open charge.</summary>
    private readonly long summedCreditCents;

    /// <summary>Open charges known only by their sum (<see cref="LoadForChargesAsync"/>): the account then has no unapplied credit.</summary>
    private readonly long summedChargeCents;

    private AccountLedger(long accountId, List<OpenItem> openItems, AllocationPriorities priorities, long summedCreditCents = 0, long summedChargeCents = 0)
    {
        AccountId = accountId;
        this.openItems = openItems;
        this.priorities = priorities;
        this.summedCreditCents = summedCreditCents;
        this.summedChargeCents = summedChargeCents;
    }

    public long AccountId { get; }

    public Money Balance => Money.FromCents(openItems.Sum(i => i.OpenCents) + summedCreditCents + summedChargeCents);

    public IReadOnlyList<OpenItem> OpenItems => openItems;

    /// <summary>Accounts' balances, summed from their open items through the partial index on the open ones.</summary>
    public static async Task<Dictionary<long, long>> BalancesAsync(OpenCisDbContext db, IReadOnlyCollection<long> accountIds, CancellationToken cancellationToken) =>
        await db.OpenItems.Where(o => accountIds.Contains(o.AccountId) && o.OpenCents != 0)
            .GroupBy(o => o.AccountId).Select(g => new { g.Key, Total = g.Sum(o => o.OpenCents) })
            .ToDictionaryAsync(x => x.Key, x => x.Total, cancellationToken);

    /// <summary>One account's balance in cents.</summary>
    public static Task<long> BalanceAsync(OpenCisDbContext db, long accountId, CancellationToken cancellationToken) =>
        db.OpenItems.Where(o => o.AccountId == accountId && o.OpenCents != 0).SumAsync(o => o.OpenCents, cancellationToken);

    public static async Task<AccountLedger> LoadAsync(OpenCisDbContext db, long accountId, CancellationToken cancellationToken) =>
        (await LoadManyAsync(db, [accountId], cancellationToken))[accountId];

    /// <summary>
    /// The ledgers of many accounts in one query. Tracked items suit posting through EF Core; a bulk
    /// writer loads them untracked and saves what <see cref="ILedgerWriter.Changed"/> reports.
    /// </summary>
    public static async Task<Dictionary<long, AccountLedger>> LoadManyAsync(OpenCisDbContext db, IReadOnlyCollection<long> accountIds, CancellationToken cancellationToken, bool tracking = true)
    {
        var query = db.OpenItems.Where(o => accountIds.Contains(o.AccountId) && o.OpenCents != 0);
        var items = tracking
            ? await query.ToListAsync(cancellationToken)
            : (await query.Select(o => new { o.Id, o.AccountId, o.FinancialTransactionId, o.Service, o.PostedOn, o.DueOn, o.Priority, o.AmountCents, o.OpenCents })
                .ToListAsync(cancellationToken))
                .Select(o => OpenItem.Loaded(o.Id, o.AccountId, o.FinancialTransactionId, o.Service, o.PostedOn, o.DueOn, o.Priority, o.AmountCents, o.OpenCents))
                .ToList();
        var byAccount = items.ToLookup(i => i.AccountId);
        var priorities = await LedgerConfiguration.LoadPrioritiesAsync(db, cancellationToken);
        return accountIds.Distinct().ToDictionary(id => id, id => new AccountLedger(id, byAccount[id].OrderBy(i => i.Id).ToList(), priorities));
    }

    /// <summary>
    /// Ledgers for posting credits (payments) in bulk, untracked. Every posting settles as far as it
    /// can, so an account never holds an open charge and an unapplied credit at once: a new credit
    /// can only pay open charges, and where there are unapplied credits there are none. So the open
    /// charges are loaded one by one and the unapplied credits only as their sum, added up by the
    /// database: an account of many small overpayments costs one row, not one per payment. An
    /// account whose rows break that rule (charges and credits both open) is loaded whole.
    /// </summary>
    public static Task<Dictionary<long, AccountLedger>> LoadForCreditsAsync(OpenCisDbContext db, IReadOnlyCollection<long> accountIds, CancellationToken cancellationToken) =>
        LoadSplitAsync(db, accountIds, forCredits: true, cancellationToken);

    /// <summary>
    /// Ledgers for posting charges (a billing run's bills) in bulk, untracked: the mirror of
    /// <see cref="LoadForCreditsAsync"/>. A new charge can only use up unapplied credits, so those are
    /// loaded one by one and the open charges only as their sum: an account years in arrears costs one
    /// row, not one per unpaid bill. A posting that credits the account needs its charges one by one
    /// (<see cref="CanPost"/>); load that account whole.
    /// </summary>
    public static Task<Dictionary<long, AccountLedger>> LoadForChargesAsync(OpenCisDbContext db, IReadOnlyCollection<long> accountIds, CancellationToken cancellationToken) =>
        LoadSplitAsync(db, accountIds, forCredits: false, cancellationToken);

    private static async Task<Dictionary<long, AccountLedger>> LoadSplitAsync(OpenCisDbContext db, IReadOnlyCollection<long> accountIds, bool forCredits, CancellationToken cancellationToken)
    {
        var ids = accountIds.Distinct().ToList();
        // The items a posting may settle against, one by one; the others summed. The conditions keep `open_cents <> 0`
        // so that the partial index on the open items serves both queries.
        var items = (await (forCredits
                ? db.OpenItems.Where(o => ids.Contains(o.AccountId) && o.OpenCents != 0 && o.OpenCents > 0)
                : db.OpenItems.Where(o => ids.Contains(o.AccountId) && o.OpenCents != 0 && o.OpenCents < 0))
                .Select(o => new { o.Id, o.AccountId, o.FinancialTransactionId, o.Service, o.PostedOn, o.DueOn, o.Priority, o.AmountCents, o.OpenCents })
                .ToListAsync(cancellationToken))
            .Select(o => OpenItem.Loaded(o.Id, o.AccountId, o.FinancialTransactionId, o.Service, o.PostedOn, o.DueOn, o.Priority, o.AmountCents, o.OpenCents))
            .ToLookup(i => i.AccountId);
        var sums = await (forCredits
                ? db.OpenItems.Where(o => ids.Contains(o.AccountId) && o.OpenCents != 0 && o.OpenCents < 0)
                : db.OpenItems.Where(o => ids.Contains(o.AccountId) && o.OpenCents != 0 && o.OpenCents > 0))
            .GroupBy(o => o.AccountId)
            .Select(g => new { AccountId = g.Key, Cents = g.Sum(o => o.OpenCents) })
            .ToDictionaryAsync(g => g.AccountId, g => g.Cents, cancellationToken);
        var priorities = await LedgerConfiguration.LoadPrioritiesAsync(db, cancellationToken);

        var ledgers = new Dictionary<long, AccountLedger>(ids.Count);
        var irregular = new List<long>();
        foreach (var id in ids)
        {
            var open = items[id].OrderBy(i => i.Id).ToList();
            var summed = sums.GetValueOrDefault(id);
            if (summed != 0 && open.Count > 0)
            {
                irregular.Add(id);
                continue;
            }

            ledgers[id] = forCredits
                ? new AccountLedger(id, open, priorities, summedCreditCents: summed)
                : new AccountLedger(id, open, priorities, summedChargeCents: summed);
        }

        if (irregular.Count > 0)
        {
            foreach (var (id, ledger) in await LoadManyAsync(db, irregular, cancellationToken, tracking: false))
            {
                ledgers[id] = ledger;
            }
        }

        return ledgers;
    }

    /// <summary>
    /// Whether this ledger holds the open items <paramref name="posting"/> settles against: a ledger loaded for
    /// credits cannot post a charge, nor one loaded for charges a credit.
    /// </summary>
    public bool CanPost(Posting posting) =>
        !(summedCreditCents != 0 && posting.AmountOnAccount.IsPositive) && !(summedChargeCents != 0 && posting.AmountOnAccount.IsNegative);

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
        long? reversesTransactionId = null,
        long? settlesFirst = null,
        IReadOnlySet<long>? settlesItemsFirst = null) =>
        Post(new EfLedgerWriter(db), posting, effectiveOn, dueOn, chargeParts, postedBy, reason, now, reversesTransactionId, settlesFirst, settlesItemsFirst);

    /// <summary>
    /// The same posting, its new rows handed to <paramref name="writer"/>. A credit with <paramref name="settlesFirst"/>
    /// (the transaction of an invoice paid by its number) pays that transaction's open charges before any other; one with
    /// <paramref name="settlesItemsFirst"/> (a case's pre-petition charges) pays those open items before any other.
    /// </summary>
    public FinancialTransaction Post(
        ILedgerWriter writer,
        Posting posting,
        DateOnly effectiveOn,
        DateOnly dueOn,
        IReadOnlyList<ChargePart>? chargeParts,
        string postedBy,
        string? reason,
        DateTimeOffset now,
        long? reversesTransactionId = null,
        long? settlesFirst = null,
        IReadOnlySet<long>? settlesItemsFirst = null)
    {
        if (!CanPost(posting))
        {
            throw new InvalidOperationException(summedCreditCents != 0
                ? $"Account {AccountId} was loaded for posting credits; a charge needs its unapplied credits one by one."
                : $"Account {AccountId} was loaded for posting charges; a credit needs its open charges one by one.");
        }

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
        writer.Add(transaction);

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
                var item = OpenItem.For(AccountId, transaction, part.Service, dueOn, part.Amount.Cents, priorities.For(posting.Type));
                writer.Add(item);
                openItems.Add(item);
            }
        }

        Settle(writer, now, settlesFirst, settlesItemsFirst);
        if (Balance != balanceAfter)
        {
            throw new InvalidOperationException($"Account {AccountId}: open items total {Balance} after posting, expected {balanceAfter}.");
        }

        return transaction;
    }

    private void Settle(ILedgerWriter writer, DateTimeOffset now, long? settlesFirst, IReadOnlySet<long>? settlesItemsFirst)
    {
        if (!openItems.Exists(i => i.OpenCents < 0) || !openItems.Exists(i => i.OpenCents > 0))
        {
            // Nothing to apply: no unapplied credit, or nothing it could pay.
            openItems.RemoveAll(i => i.OpenCents == 0);
            return;
        }

        var allocations = AllocationRule.Settle(openItems.Select((item, index) =>
            new OpenItemBalance(index, item.DueOn, item.Priority, Money.FromCents(item.OpenCents),
            (settlesFirst is { } first && item.FinancialTransactionId == first) || (settlesItemsFirst is not null && item.Id != 0 && settlesItemsFirst.Contains(item.Id)))));
        foreach (var allocation in allocations)
        {
            var charge = openItems[(int)allocation.ChargeKey];
            var credit = openItems[(int)allocation.CreditKey];
            charge.Settle(allocation.Amount.Cents);
            credit.Settle(allocation.Amount.Cents);
            writer.Add(new ItemAllocation
            {
                ChargeItem = charge,
                CreditItem = credit,
                AmountCents = allocation.Amount.Cents,
                AllocatedAt = now,
                EffectiveOn = charge.PostedOn > credit.PostedOn ? charge.PostedOn : credit.PostedOn,
                ChargePostedOn = charge.PostedOn,
                CreditPostedOn = credit.PostedOn,
            });
            if (charge.Id != 0)
            {
                writer.Changed(charge);
            }

            if (credit.Id != 0)
            {
                writer.Changed(credit);
            }
        }

        openItems.RemoveAll(i => i.OpenCents == 0);
    }
}
