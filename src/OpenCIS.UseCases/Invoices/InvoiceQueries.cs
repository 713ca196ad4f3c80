using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Invoices;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage;
using OpenCIS.Storage.Invoices;

namespace OpenCIS.UseCases.Invoices;

public sealed record InvoiceLineView(int Number, string Description, decimal Quantity, decimal UnitPrice, Money Amount, string Trace);

/// <summary>An invoice as the party and the clerk see it: what it charges, what is still open, and the scan line its stub prints.</summary>
public sealed record InvoiceView(
    long Number,
    string TypeCode,
    string TypeName,
    long CustomerId,
    string PartyName,
    IReadOnlyList<string> MailingAddress,
    string AccountNumber,
    DateOnly IssuedOn,
    DateOnly DueOn,
    Money Amount,
    Money Open,
    InvoiceStanding Standing,
    string? Reference,
    string? ParcelId,
    string? Note,
    IReadOnlyList<InvoiceLineView> Lines,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    string Source,
    long TransactionId,
    string ScanLine);

/// <summary>One credit that paid part of an invoice: a payment, a payer's contractual adjustment, a waiver; <see cref="Amount"/> is negative.</summary>
public sealed record InvoiceActivity(DateOnly On, long TransactionId, FinancialTransactionType Type, string What, Money Amount);

public sealed record InvoiceListItem(long Number, string TypeCode, long CustomerId, string PartyName, string AccountNumber, DateOnly IssuedOn, DateOnly DueOn,
    Money Amount, Money Open, InvoiceStanding Standing, string? Reference);

public sealed record InvoicePage(IReadOnlyList<InvoiceListItem> Items, int Total, int Page, int PageSize, Money OpenTotal);

/// <summary>Which invoices to list: of a type, of a party, still open (or past due, or paid), or those whose reference or party name holds the text.</summary>
public sealed record InvoiceFilter(string? TypeCode = null, long? CustomerId = null, string? Standing = null, string? Text = null, int Page = 1, string? AccountNumber = null);

public sealed class InvoiceQueries(OpenCisDbContext db, BusinessCalendar calendar, Receivables.StatuteOptions statute)
{
    public const int PageSize = 50;

    public async Task<InvoiceView?> FindAsync(long number, CancellationToken cancellationToken = default)
    {
        var invoice = await db.Invoices.AsNoTracking().Include(i => i.Lines).SingleOrDefaultAsync(i => i.Id == number, cancellationToken);
        if (invoice is null)
        {
            return null;
        }

        var type = await db.InvoiceTypes.AsNoTracking().SingleAsync(t => t.Code == invoice.TypeCode, cancellationToken);
        var party = await db.Customers.AsNoTracking().SingleAsync(c => c.Id == invoice.CustomerId, cancellationToken);
        var accountNumber = await db.Accounts.Where(a => a.Id == invoice.AccountId).Select(a => a.AccountNumber).SingleAsync(cancellationToken);
        var open = await InvoiceOpen.OfAsync(db, invoice, cancellationToken);
        var amount = Money.FromCents(invoice.AmountCents);
        var lines = invoice.Lines.OrderBy(l => l.LineNumber)
            .Select(l => new InvoiceLineView(l.LineNumber, l.Description, l.Quantity, l.UnitPrice, Money.FromCents(l.AmountCents), new InvoiceLine(l.Description, l.Quantity, l.UnitPrice).Trace))
            .ToList();
        var address = new List<string> { party.MailingLine1, $"{party.MailingCity}, {party.MailingState} {party.MailingZip}" };
        return new InvoiceView(invoice.Id, invoice.TypeCode, type.Name, party.Id, party.DisplayName, address, accountNumber, invoice.IssuedOn, invoice.DueOn,
            amount, open, InvoiceStandings.Of(amount, open, invoice.DueOn, calendar.Today()), invoice.Reference, invoice.ParcelId, invoice.Note, lines,
            invoice.CreatedBy, invoice.CreatedAt, invoice.Source, invoice.FinancialTransactionId,
            ScanLine.For(accountNumber, invoice.Id, open, invoice.DueOn).ToString());
    }

    /// <summary>
    /// What has paid the invoice down, oldest first: each credit allocated to its charge (a payment, a payer's
    /// contractual adjustment, a waiver), with the credit's own reason and the part of it this invoice took.
    /// </summary>
    public async Task<IReadOnlyList<InvoiceActivity>> ActivityAsync(long number, CancellationToken cancellationToken = default)
    {
        var invoice = await db.Invoices.AsNoTracking().Where(i => i.Id == number).Select(i => new { i.AccountId, i.FinancialTransactionId }).SingleOrDefaultAsync(cancellationToken);
        if (invoice is null)
        {
            return [];
        }

        var rows = await (from a in db.ItemAllocations
                          join charge in db.OpenItems on a.ChargeItemId equals charge.Id
                          join credit in db.OpenItems on a.CreditItemId equals credit.Id
                          join t in db.FinancialTransactions on credit.FinancialTransactionId equals t.Id
                          where charge.AccountId == invoice.AccountId && charge.FinancialTransactionId == invoice.FinancialTransactionId
                          select new { a.EffectiveOn, t.Id, t.Type, t.Reason, a.AmountCents })
            .ToListAsync(cancellationToken);
        // Its late charge, a charge of its own on the party's account, shows with it.
        var charges = await db.InvoiceLateCharges.AsNoTracking().Where(l => l.InvoiceId == number)
            .Select(l => new InvoiceActivity(l.ChargedOn, l.FinancialTransactionId, FinancialTransactionType.LateCharge, "Late charge: " + l.Explanation, Money.FromCents(l.AmountCents)))
            .ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.Id)
            .Select(g => new InvoiceActivity(g.Min(r => r.EffectiveOn), g.Key, g.First().Type, g.First().Reason ?? g.First().Type.ToString(), -Money.FromCents(g.Sum(r => r.AmountCents))))
            .Concat(charges)
            .OrderBy(a => a.On).ThenBy(a => a.TransactionId).ToList();
    }

    /// <summary>The last day an invoice still open is collectible by suit: the statute of limitations from its due date or the last payment on its account; null once paid.</summary>
    public async Task<DateOnly?> CollectibleUntilAsync(InvoiceView invoice, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        if (!invoice.Open.IsPositive)
        {
            return null;
        }

        var accountId = await db.Accounts.Where(a => a.AccountNumber == invoice.AccountNumber).Select(a => a.Id).SingleAsync(cancellationToken);
        var lastPaid = await db.Payments.Where(p => p.AccountId == accountId).MaxAsync(p => (DateOnly?)p.ReceivedOn, cancellationToken);
        return statute.Until(invoice.DueOn, lastPaid);
    }

    /// <summary>Whether invoices of the type take payers' contractual adjustments and waivers (the type has an allowance account).</summary>
    public Task<bool> TakesAllowancesAsync(string typeCode, CancellationToken cancellationToken = default) =>
        db.InvoiceTypes.AnyAsync(t => t.Code == typeCode && t.AllowanceGlAccount != null, cancellationToken);

    public async Task<InvoicePage> ListAsync(InvoiceFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var today = calendar.Today();
        var rows = db.Invoices.AsNoTracking().Select(i => new
        {
            Invoice = i,
            Open = db.OpenItems.Where(o => o.AccountId == i.AccountId && o.FinancialTransactionId == i.FinancialTransactionId).Sum(o => o.OpenCents),
        });
        if (!string.IsNullOrWhiteSpace(filter.TypeCode))
        {
            var code = filter.TypeCode.Trim().ToUpperInvariant();
            rows = rows.Where(r => r.Invoice.TypeCode == code);
        }

        if (!string.IsNullOrWhiteSpace(filter.AccountNumber))
        {
            var accountNumber = filter.AccountNumber.Trim();
            var onAccount = db.Accounts.Where(a => a.AccountNumber == accountNumber).Select(a => a.Id);
            rows = rows.Where(r => onAccount.Contains(r.Invoice.AccountId));
        }

        if (filter.CustomerId is { } customerId)
        {
            rows = rows.Where(r => r.Invoice.CustomerId == customerId);
        }

        rows = (filter.Standing?.Trim().ToLowerInvariant()) switch
        {
            null or "" or "all" => rows,
            "open" => rows.Where(r => r.Open > 0),
            "pastdue" or "past-due" => rows.Where(r => r.Open > 0 && r.Invoice.DueOn < today),
            "paid" => rows.Where(r => r.Open <= 0),
            _ => throw new DomainException($"'{filter.Standing}' is not a standing to list: all, open, pastdue or paid.", "standing"),
        };
        if (!string.IsNullOrWhiteSpace(filter.Text))
        {
            var text = filter.Text.Trim();
            var customers = Parties.Named(db, text).Select(c => c.Id);
            rows = long.TryParse(text, out var number)
                ? rows.Where(r => r.Invoice.Id == number || r.Invoice.Reference == text)
                : rows.Where(r => r.Invoice.Reference == text || customers.Contains(r.Invoice.CustomerId));
        }

        var total = await rows.CountAsync(cancellationToken);
        var openTotal = await rows.SumAsync(r => (long?)r.Open, cancellationToken) ?? 0;
        var page = Math.Max(1, filter.Page);
        var items = await rows.OrderByDescending(r => r.Invoice.Id).Skip((page - 1) * PageSize).Take(PageSize)
            .Select(r => new { r.Invoice.Id, r.Invoice.TypeCode, r.Invoice.CustomerId, r.Invoice.AccountId, r.Invoice.IssuedOn, r.Invoice.DueOn, r.Invoice.AmountCents, r.Open, r.Invoice.Reference })
            .ToListAsync(cancellationToken);
        var customerIds = items.Select(i => i.CustomerId).Distinct().ToList();
        var accountIds = items.Select(i => i.AccountId).Distinct().ToList();
        var names = await db.Customers.Where(c => customerIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.DisplayName, cancellationToken);
        var numbers = await db.Accounts.Where(a => accountIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.AccountNumber, cancellationToken);
        return new InvoicePage(items.Select(i => new InvoiceListItem(i.Id, i.TypeCode, i.CustomerId, names[i.CustomerId], numbers[i.AccountId], i.IssuedOn, i.DueOn,
                Money.FromCents(i.AmountCents), Money.FromCents(i.Open), InvoiceStandings.Of(Money.FromCents(i.AmountCents), Money.FromCents(i.Open), i.DueOn, today), i.Reference)).ToList(),
            total, page, PageSize, Money.FromCents(openTotal));
    }

    /// <summary>The parties on file whose name holds the text (for choosing whom to invoice), with their receivables account when they have one.</summary>
    public async Task<IReadOnlyList<(long CustomerId, string Name, string Address)>> FindPartiesAsync(string text, CancellationToken cancellationToken = default)
    {
        if (text.Trim().Length < 2)
        {
            return [];
        }

        return (await Parties.Named(db, text).AsNoTracking().OrderBy(c => c.DisplayName).Take(20).ToListAsync(cancellationToken))
            .Select(c => (c.Id, c.DisplayName, c.MailingAddress)).ToList();
    }

    /// <summary>One customer on file as a party to choose, or null when there is none.</summary>
    public async Task<(long CustomerId, string Name, string Address)?> FindPartiesByIdAsync(long customerId, CancellationToken cancellationToken = default) =>
        await db.Customers.AsNoTracking().SingleOrDefaultAsync(c => c.Id == customerId, cancellationToken) is { } c ? (c.Id, c.DisplayName, c.MailingAddress) : null;
}
