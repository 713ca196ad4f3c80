using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Customers;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage;
using OpenCIS.Storage.Collections;
using OpenCIS.Storage.Deposits;
using OpenCIS.Storage.ServiceOrders;
using OpenCIS.UseCases.Collections;

namespace OpenCIS.UseCases.Customers;

/// <summary>The alert strip as the screens and the API give it.</summary>
public sealed record AccountAlertView(string Kind, string Level, string Text)
{
    public static AccountAlertView Of(AccountAlert alert) => new(alert.Kind, alert.Level.ToString().ToLowerInvariant(), alert.Text);
}

/// <summary>
/// Loads what the alert strip looks at for one account (a fixed handful of small, indexed reads) and lets
/// <see cref="AccountAlerts"/> decide. The account page and the cashier screen show the same strip.
/// </summary>
public sealed class AccountAlertQueries(OpenCisDbContext db, BusinessCalendar calendar, ArrangementQueries arrangements)
{
    public async Task<IReadOnlyList<AccountAlertView>> ForAccountAsync(long accountId, CancellationToken cancellationToken = default)
    {
        var account = await db.Accounts.AsNoTracking().Where(a => a.Id == accountId).Select(a => new { a.CashOnly }).SingleOrDefaultAsync(cancellationToken)
                      ?? throw new DomainException($"There is no account {accountId}.", "accountId");
        var today = calendar.Today();
        var openItems = await db.OpenItems.AsNoTracking().Where(o => o.AccountId == accountId && o.OpenCents != 0)
            .Select(o => new { o.DueOn, o.OpenCents }).ToListAsync(cancellationToken);
        var payment = await db.Payments.AsNoTracking().Where(p => p.AccountId == accountId).OrderByDescending(p => p.ReceivedOn).ThenByDescending(p => p.Id)
            .Select(p => new { p.Id, p.ReceivedOn, p.AmountCents, p.Tender }).FirstOrDefaultAsync(cancellationToken);
        var returned = payment is not null && await db.PaymentReturns.AnyAsync(r => r.PaymentId == payment.Id, cancellationToken);
        var standing = await db.AccountCollections.AsNoTracking().Where(s => s.AccountId == accountId)
            .Select(s => new { s.Status, s.Listed, s.ListReason }).SingleOrDefaultAsync(cancellationToken);
        var protections = await db.AccountProtections.AsNoTracking().Where(p => p.AccountId == accountId && p.EndedOn == null).ToListAsync(cancellationToken);
        var arrangement = (await arrangements.ForAccountAsync(accountId, cancellationToken)).FirstOrDefault(a => a.Status == ArrangementStage.Active);
        var deposits = await db.Deposits.AsNoTracking().Where(d => d.AccountId == accountId && d.Status == DepositStatus.Billed)
            .Select(d => new { d.BilledCents, d.DueOn }).ToListAsync(cancellationToken);
        var orders = await db.ServiceOrders.AsNoTracking()
            .Where(o => o.AccountId == accountId && (o.Status == ServiceOrderStatus.Open || o.Status == ServiceOrderStatus.Dispatched))
            .Select(o => new { o.Id, o.Kind, o.Status, o.DueOn }).ToListAsync(cancellationToken);
        var cases = await db.AccountCases.AsNoTracking().Where(c => c.AccountId == accountId && c.Status != Core.Cases.CaseStatus.Resolved)
            .Select(c => new { c.Id, c.Kind, c.Status, c.DueOn }).ToListAsync(cancellationToken);
        var note = await db.AccountNotes.AsNoTracking().Where(n => n.AccountId == accountId).OrderByDescending(n => n.Id)
            .Select(n => new { n.Text, n.WrittenBy, n.WrittenAt }).FirstOrDefaultAsync(cancellationToken);

        var holder = await SkipTrace.HolderOfAsync(db, accountId, cancellationToken);
        var next = arrangement?.Installments.Where(i => !i.Paid).OrderBy(i => i.Number).FirstOrDefault();
        var facts = new AccountAlertFacts(
            today,
            account.CashOnly,
            [.. openItems.Select(o => new PastDueItem(o.DueOn, Money.FromCents(o.OpenCents)))],
            payment is null ? null : new LastPaymentFact(payment.ReceivedOn, Money.FromCents(payment.AmountCents), payment.Tender.ToString(), returned),
            standing is null ? null : new CollectionStandingFact(standing.Status.ToString(), standing.Listed, standing.ListReason),
            [.. protections.Where(p => p.IsActiveOn(today)).Select(p => new ProtectionFact(Enum.Parse<ProtectionAlert>(p.Kind.ToString()), p.StartsOn, p.EndsOn, p.Physician,
                p.AmountCents is { } cents ? Money.FromCents(cents) : null, p.Note))],
            arrangement is null ? null : new ArrangementFact(arrangement.CreatedOn, Money.FromCents(arrangement.AmountCents), Money.FromCents(arrangement.PaidCents),
                next?.DueOn, next is null ? null : Money.FromCents(next.AmountCents - next.PaidCents)),
            [.. deposits.Select(d => new DepositDueFact(Money.FromCents(d.BilledCents), d.DueOn))],
            [.. orders.Select(o => new OrderFact(o.Id, o.Kind.ToString(), o.Status.ToString(), o.DueOn))],
            [.. cases.Select(c => new CaseFact(c.Id, c.Kind.ToString(), c.Status.ToString(), c.DueOn))],
            note is null ? null : new NoteFact(note.Text, note.WrittenBy, note.WrittenAt))
        {
            ContactFailures = holder?.Failures ?? [],
        };
        return [.. AccountAlerts.For(facts).Select(AccountAlertView.Of)];
    }
}
