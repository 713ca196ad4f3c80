using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Collections;
using OpenCIS.Core.Common;
using OpenCIS.Core.Invoices;
using OpenCIS.Storage;
using OpenCIS.Storage.Invoices;
using OpenCIS.UseCases.Billing;
using OpenCIS.UseCases.Mail;

namespace OpenCIS.UseCases.Invoices;

public sealed record StatementRunOutcome(DateOnly Date, int Created, int Mailed, int Emailed, int HeldForWaiver, string Message)
{
    /// <summary>Of those written, the notices the types' collection policies gave.</summary>
    public int Notices { get; init; }

    /// <summary>The late charges the types' collection policies posted.</summary>
    public int LateCharges { get; init; }

    public Money LateChargeTotal { get; init; } = Money.Zero;
}

public sealed record StatementView(long Id, long InvoiceNumber, string TypeCode, string PartyName, string AccountNumber, int Sequence, string Heading, DateOnly StatementDate,
    Money Open, DateOnly PayBy, string Delivery);

/// <summary>A statement's PDF as the patient gets it.</summary>
public sealed record StatementFile(string FileName, byte[] Pdf);

/// <summary>
/// The patient statements of invoice types with a statement cycle (<see cref="InvoiceStatementCycle"/>: EMS every 30
/// days, so statements at 30, 60 and the final notice at 90), and the notices of the other types' collection policies
/// (<see cref="CollectInvoices"/>, which first posts the day's late charges). For a date, every invoice of such a type
/// with something open gets the statement or notice due (none while a waiver of it waits for a Supervisor), kept as a
/// row (one per invoice and place in the cycle or among the notices, so a second run of the date writes nothing), e-mailed with its PDF to a party who takes notices
/// by e-mail, otherwise printed in the day's statement file. Runs after the daily collections run, and on its own from
/// the command line or the API.
/// </summary>
public sealed class InvoiceStatements(OpenCisDbContext db, InvoiceQueries queries, BillSettings settings, TimeProvider clock, CollectInvoices collections)
{
    public const string MailKind = "invoice-statement";
    public const string ByMail = "mail";
    public const string ByEmail = "email";

    public async Task<StatementRunOutcome> ProduceAsync(DateOnly date, string user, CancellationToken cancellationToken = default)
    {
        // First the late charges and notices of the types' collection policies; their notices are written and sent with the statements.
        var collected = await collections.ExecuteAsync(date, user, cancellationToken);
        var cycles = await db.InvoiceTypes.AsNoTracking().Where(t => t.StatementEveryDays != null).ToDictionaryAsync(t => t.Code, t => t.StatementEveryDays!.Value, cancellationToken);
        var due = new List<(long Id, long CustomerId, long AccountId, long Open, bool WaiverWaiting, int? Sequence, StepKind? Notice)>();
        if (cycles.Count > 0)
        {
            var codes = cycles.Keys.ToList();
            var latestIssue = date.AddDays(-cycles.Values.Min());
            // An invoice more than a cycle past its final notice has had all its statements: the daily run reads only the window that can be due.
            var earliestIssue = date.AddDays(-(InvoiceStatementCycle.FinalSequence + 1) * cycles.Values.Max());
            var candidates = await db.Invoices.AsNoTracking()
                .Where(i => codes.Contains(i.TypeCode) && i.IssuedOn <= latestIssue && i.IssuedOn >= earliestIssue)
                .Select(i => new
                {
                    i.Id,
                    i.TypeCode,
                    i.IssuedOn,
                    i.AccountId,
                    i.CustomerId,
                    Open = db.OpenItems.Where(o => o.AccountId == i.AccountId && o.FinancialTransactionId == i.FinancialTransactionId).Sum(o => o.OpenCents),
                    Last = db.InvoiceStatements.Where(s => s.InvoiceId == i.Id).Max(s => (int?)s.Sequence) ?? 0,
                    WaiverWaiting = db.InvoiceWaivers.Any(w => w.InvoiceId == i.Id && w.Status == WaiverStatus.Pending),
                })
                .Where(i => i.Open > 0)
                .OrderBy(i => i.Id)
                .ToListAsync(cancellationToken);
            var lateChargeOpen = candidates.Count > 0 ? await InvoiceLateChargeBalances.OpenByInvoiceAsync(db, cancellationToken) : [];
            due.AddRange(candidates
                .Select(c => (c.Id, c.CustomerId, c.AccountId, Open: c.Open + lateChargeOpen.GetValueOrDefault(c.Id), c.WaiverWaiting, Sequence: InvoiceStatementCycle.Due(c.IssuedOn, cycles[c.TypeCode], date, c.Last), Notice: (StepKind?)null))
                .Where(c => c.Sequence is not null));
        }

        due.AddRange(collected.Notices.Select(n => (n.InvoiceId, n.CustomerId, n.AccountId, n.OpenCents, false, (int?)n.Sequence, (StepKind?)n.Kind)));
        due.Sort((a, b) => a.Id.CompareTo(b.Id));
        // An invoice held by its policy's day and by its statement cycle's is one invoice held.
        var held = due.Where(d => d.WaiverWaiting).Select(d => d.Id).Concat(collected.Held).Distinct().Count();
        var toWrite = due.Where(d => !d.WaiverWaiting).ToList();
        var customerIds = toWrite.Select(d => d.CustomerId).Distinct().ToList();
        var emailTo = (await db.Customers.AsNoTracking().Where(c => customerIds.Contains(c.Id) && c.NoticesByEmail && c.Email != null)
            .Select(c => new { c.Id, c.Email, c.DisplayName }).ToListAsync(cancellationToken)).ToDictionary(c => c.Id);

        int mailed = 0, emailed = 0;
        foreach (var chunk in toWrite.Chunk(200))
        {
            var now = clock.GetUtcNow();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            foreach (var item in chunk)
            {
                var sequence = item.Sequence!.Value;
                var byEmail = emailTo.TryGetValue(item.CustomerId, out var to);
                var row = new InvoiceStatementRow
                {
                    InvoiceId = item.Id,
                    AccountId = item.AccountId,
                    Sequence = sequence,
                    StatementDate = date,
                    OpenCents = item.Open,
                    PayBy = date.AddDays(InvoiceStatementCycle.PayWithinDays),
                    Delivery = byEmail ? ByEmail : ByMail,
                    Notice = item.Notice,
                    CreatedBy = user,
                    CreatedAt = now,
                };
                db.InvoiceStatements.Add(row);
                if (byEmail)
                {
                    var file = await RenderAsync(row, cancellationToken);
                    var heading = HeadingOf(row);
                    await QueueMail.AddAsync(db, new MailToQueue(MailKind, $"invoice-statement:{item.Id}:{sequence}", item.AccountId, to!.Email!, to.DisplayName,
                        $"{settings.UtilityName}: {Capitalized(heading)} for invoice {item.Id}",
                        $"Dear {to.DisplayName},\n\nYour {heading.ToLowerInvariant()} for invoice {item.Id} is attached: {Money.FromCents(item.Open)} is open; please pay by {row.PayBy:MMMM d, yyyy}.\n\nQuestions: {settings.UtilityPhone}.\n\n{settings.UtilityName}",
                        [new MailAttachment(file.FileName, "application/pdf", file.Pdf)]), user, now, cancellationToken);
                    emailed++;
                }
                else
                {
                    mailed++;
                }
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }

        var created = mailed + emailed;
        var waiting = held > 0 ? $"; {held:N0} held by a waiver waiting for a Supervisor or a bankruptcy stay" : "";
        var charges = collected.LateCharges > 0 ? $"; {collected.LateCharges:N0} late charges totalling {collected.LateChargeTotal}" : "";
        return new StatementRunOutcome(date, created, mailed, emailed, held,
            $"Statements and notices for {date:yyyy-MM-dd}: {created:N0} written ({mailed:N0} to mail, {emailed:N0} e-mailed, {collected.Notices.Count:N0} of them policy notices){charges}{waiting}.")
        {
            Notices = collected.Notices.Count,
            LateCharges = collected.LateCharges,
            LateChargeTotal = collected.LateChargeTotal,
        };
    }

    /// <summary>The statements of a date (or of an invoice), in invoice order.</summary>
    public async Task<IReadOnlyList<StatementView>> ListAsync(DateOnly? date, long? invoiceNumber = null, CancellationToken cancellationToken = default)
    {
        var rows = db.InvoiceStatements.AsNoTracking();
        if (date is { } on)
        {
            rows = rows.Where(s => s.StatementDate == on);
        }

        if (invoiceNumber is { } number)
        {
            rows = rows.Where(s => s.InvoiceId == number);
        }

        var list = await rows.Join(db.Invoices, s => s.InvoiceId, i => i.Id, (s, i) => new
            {
                Statement = s,
                i.TypeCode,
                Party = db.Customers.Where(c => c.Id == i.CustomerId).Select(c => c.DisplayName).Single(),
                Account = db.Accounts.Where(a => a.Id == i.AccountId).Select(a => a.AccountNumber).Single(),
            })
            .OrderBy(x => x.Statement.InvoiceId).ThenBy(x => x.Statement.Sequence).Take(2000)
            .ToListAsync(cancellationToken);
        return list.Select(x => new StatementView(x.Statement.Id, x.Statement.InvoiceId, x.TypeCode, x.Party, x.Account, x.Statement.Sequence,
            HeadingOf(x.Statement), x.Statement.StatementDate, Money.FromCents(x.Statement.OpenCents), x.Statement.PayBy, x.Statement.Delivery)).ToList();
    }

    /// <summary>One statement's PDF, or null when there is no such statement.</summary>
    public async Task<StatementFile?> PdfAsync(long statementId, CancellationToken cancellationToken = default) =>
        await db.InvoiceStatements.AsNoTracking().SingleOrDefaultAsync(s => s.Id == statementId, cancellationToken) is { } row
            ? await RenderAsync(row, cancellationToken)
            : null;

    /// <summary>The day's statements to mail, one PDF with a page each, in invoice order; null when there are none.</summary>
    public async Task<StatementFile?> PrintFileAsync(DateOnly date, CancellationToken cancellationToken = default)
    {
        var rows = await db.InvoiceStatements.AsNoTracking().Where(s => s.StatementDate == date && s.Delivery == ByMail).OrderBy(s => s.InvoiceId).ToListAsync(cancellationToken);
        if (rows.Count == 0)
        {
            return null;
        }

        var pages = new List<(InvoiceView, StatementPrint)>(rows.Count);
        foreach (var row in rows)
        {
            pages.Add(await PrintOfAsync(row, cancellationToken));
        }

        var rendered = InvoicePdf.RenderStatements(pages, settings, $"Statements to mail {date:yyyy-MM-dd}", date);
        return new StatementFile($"statements-{date:yyyy-MM-dd}.pdf", rendered.Pdf);
    }

    /// <summary>
    /// A statement as it was on its date: the invoice's activity up to that date, and the amount open then (the row's),
    /// so a reprint next month shows the same page.
    /// </summary>
    private async Task<StatementFile> RenderAsync(InvoiceStatementRow row, CancellationToken cancellationToken)
    {
        var (invoice, print) = await PrintOfAsync(row, cancellationToken);
        var rendered = InvoicePdf.Render(invoice, settings, print);
        return new StatementFile($"statement-{row.InvoiceId}-{row.Sequence}-{row.StatementDate:yyyy-MM-dd}.pdf", rendered.Pdf);
    }

    private async Task<(InvoiceView Invoice, StatementPrint Print)> PrintOfAsync(InvoiceStatementRow row, CancellationToken cancellationToken)
    {
        var invoice = await queries.FindAsync(row.InvoiceId, cancellationToken) ?? throw new InvalidOperationException($"Invoice {row.InvoiceId} cannot be read.");
        var activity = (await queries.ActivityAsync(row.InvoiceId, cancellationToken)).Where(a => a.On <= row.StatementDate).ToList();
        var asOf = invoice with { Open = Money.FromCents(row.OpenCents) };
        var type = await db.InvoiceTypes.AsNoTracking().Where(t => t.Code == invoice.TypeCode).Select(t => t.StatementEveryDays).SingleAsync(cancellationToken) ?? 30;
        var message = row.Notice is { } kind ? InvoiceCollections.Message(kind, row.StatementDate.DayNumber - invoice.DueOn.DayNumber) : InvoiceStatementCycle.Message(row.Sequence, type);
        return (asOf, new StatementPrint(row.Sequence, row.StatementDate, row.PayBy, HeadingOf(row), message, activity));
    }

    /// <summary>A statement's heading by its place in the cycle; a policy notice's by its step.</summary>
    private static string HeadingOf(InvoiceStatementRow row) => row.Notice is { } kind ? InvoiceCollections.Heading(kind) : InvoiceStatementCycle.Heading(row.Sequence);

    private static string Capitalized(string heading) => heading.Length == 0 ? heading : heading[0] + heading[1..].ToLowerInvariant();
}
