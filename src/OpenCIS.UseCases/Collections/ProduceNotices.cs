using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Collections;
using OpenCIS.Core.Common;
using OpenCIS.Core.Customers;
using OpenCIS.Storage;
using OpenCIS.Storage.Collections;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Billing;
using OpenCIS.UseCases.Customers;
using OpenCIS.UseCases.Mail;

namespace OpenCIS.UseCases.Collections;

public sealed record NoticeProductionOutcome(DateOnly BusinessDate, int Created, int Mailed, int Emailed, int AlreadyProduced, int WithoutTemplate, string Message, int DoorHangers = 0, int Held = 0);

/// <summary>
/// Writes the notices of a business date whose collections run has completed: one per Notice (reminder or
/// final notice), OwnerNotice and DoorHanger event, addressed to the account's main customer (the owner or third-party
/// recipient for an owner notice), with the figures the run left on the account that day (past due, days,
/// the earliest disconnect date), the text rendered from the kind's latest template version in the customer's language
/// (<see cref="AccountLanguages"/>; English when the store has none in it, and always to an owner), and the
/// delivery: e-mail for a customer who chose it and has a working address (queued with the PDF attached, in the
/// same transaction as its notice), otherwise mail (the day's print file); to an address mail came back from, e-mail
/// if there is a working address and otherwise held (<see cref="SkipTracing.Route"/>). A door hanger is addressed to the
/// account holder at the service address and delivered in the field: never mailed or e-mailed, printed in the
/// day's door-hanger PDF by route (<see cref="NoticeQueries.DoorHangersPdfAsync"/>). Idempotent per date: an event
/// that already has its notice gets none again. It runs after the run (never inside it), in chunks of
/// <see cref="ChunkSize"/> events with a fixed number of queries each.
/// </summary>
public sealed class ProduceNotices(OpenCisDbContext db, BillSettings settings, TimeProvider clock)
{
    public const int ChunkSize = 2000;
    public const string MailKind = "collection-notice";

    /// <param name="attachPdf">
    /// Whether e-mailed notices carry their PDF. The demo seed writes a year of notices and renders no PDF: its
    /// mail carries the notice's text only.
    /// </param>
    public async Task<NoticeProductionOutcome> ExecuteAsync(DateOnly businessDate, string user, bool attachPdf = true, CancellationToken cancellationToken = default)
    {
        var run = await db.CollectionRuns.AsNoTracking().SingleOrDefaultAsync(r => r.BusinessDate == businessDate, cancellationToken);
        if (run is not { Status: CollectionRunStatus.Completed })
        {
            throw new DomainException($"The collections run for {businessDate:yyyy-MM-dd} has not completed; notices are produced from a completed run.", "date");
        }

        var templates = await LatestTemplates.LoadAsync(db, null, cancellationToken);
        var events = await db.CollectionEvents.AsNoTracking()
            .Where(e => e.BusinessDate == businessDate && (e.Action == CollectionAction.Notice || e.Action == CollectionAction.OwnerNotice || e.Action == CollectionAction.DoorHanger))
            .OrderBy(e => e.Id).Select(e => new { e.Id, e.AccountId, e.Action, e.Step }).ToListAsync(cancellationToken);
        var done = (await db.CollectionNotices.AsNoTracking().Where(n => n.BusinessDate == businessDate).Select(n => n.CollectionEventId).ToListAsync(cancellationToken)).ToHashSet();
        var pending = events.Where(e => !done.Contains(e.Id)).Select(e => new PendingNotice(e.Id, e.AccountId, KindOf(e.Action, e.Step))).ToList();
        var withoutTemplate = pending.Count(p => p.Kind is null);
        pending = [.. pending.Where(p => p.Kind is not null)];

        int mailed = 0, emailed = 0, hung = 0, held = 0;
        foreach (var chunk in pending.Chunk(ChunkSize))
        {
            var (m, e, f, h, none) = await ProduceChunkAsync(businessDate, chunk, templates, user, attachPdf, cancellationToken);
            mailed += m;
            emailed += e;
            hung += f;
            held += h;
            withoutTemplate += none;
        }

        var created = mailed + emailed + hung + held;
        var missing = withoutTemplate > 0 ? $"; {withoutTemplate:N0} waiting for a template (import one and produce again)" : "";
        var field = hung > 0 ? $", {hung:N0} door hangers for the field" : "";
        var returned = held > 0 ? $", {held:N0} held: mail came back from the address" : "";
        return new NoticeProductionOutcome(businessDate, created, mailed, emailed, done.Count, withoutTemplate,
            $"Notices for {businessDate:yyyy-MM-dd}: {created:N0} written ({mailed:N0} to mail, {emailed:N0} e-mailed{field}{returned}){(done.Count > 0 ? $", {done.Count:N0} written before" : "")}{missing}.", hung, held);
    }

    /// <summary>The notices of a run just finished: none (null) while the date's run has not completed.</summary>
    public async Task<NoticeProductionOutcome?> AfterRunAsync(DateOnly businessDate, string user, CancellationToken cancellationToken = default) =>
        await db.CollectionRuns.AsNoTracking().AnyAsync(r => r.BusinessDate == businessDate && r.Status == CollectionRunStatus.Completed, cancellationToken)
            ? await ExecuteAsync(businessDate, user, true, cancellationToken)
            : null;

    private sealed record PendingNotice(long EventId, long AccountId, string? Kind);

    private static string? KindOf(CollectionAction action, StepKind? step) => action == CollectionAction.OwnerNotice
        ? NoticeTemplates.OwnerNotice
        : step switch
        {
            StepKind.Reminder => NoticeTemplates.Reminder,
            StepKind.FinalNotice => NoticeTemplates.FinalNotice,
            StepKind.DoorHanger => NoticeTemplates.DoorHanger,
            _ => null,
        };

    private async Task<(int Mailed, int Emailed, int Field, int Held, int WithoutTemplate)> ProduceChunkAsync(DateOnly date, PendingNotice[] chunk, LatestTemplates templates, string user, bool attachPdf, CancellationToken cancellationToken)
    {
        long[] accountIds = [.. chunk.Select(c => c.AccountId).Distinct()];
        var facts = await NoticeFacts.LoadAsync(db, accountIds, date, cancellationToken);
        var languages = await AccountLanguages.OfAsync(db, accountIds, cancellationToken);
        var now = clock.GetUtcNow();
        // Each notice with the language of the template it was written from, which its e-mail speaks too.
        var written = new List<(CollectionNotice Notice, string Language)>(chunk.Length);
        var withoutTemplate = 0;
        foreach (var pending in chunk)
        {
            // The notice is in the language of the customer who chose it in the portal; an owner is written to in English.
            var language = pending.Kind == NoticeTemplates.OwnerNotice ? CollectionNoticeTemplate.English : languages.Of(pending.AccountId);
            if (templates.For(pending.Kind!, language) is not { } template)
            {
                withoutTemplate++;
                continue;
            }

            var account = facts.For(pending.AccountId);
            var recipient = pending.Kind switch
            {
                NoticeTemplates.OwnerNotice => account.Owner,
                // A door hanger is read by whoever lives there: the holder's name, at the door it hangs on.
                NoticeTemplates.DoorHanger => account.AtPremise,
                _ => account.Main,
            };
            var model = Model(account, recipient, date, pending.Kind == NoticeTemplates.Reminder, template.Language);
            var text = NoticeTemplates.Render(templates.Parsed(template), model);
            var delivery = pending.Kind == NoticeTemplates.DoorHanger ? NoticeDelivery.Field : Delivery(recipient.Reach);
            written.Add((CollectionNotice.Create(pending.AccountId, pending.EventId, date, pending.Kind!, recipient.Name, recipient.Address,
                delivery, delivery == NoticeDelivery.Email ? recipient.Email : null, account.PastDueCents,
                pending.Kind == NoticeTemplates.Reminder ? null : account.EarliestDisconnectOn, text, template, now), template.Language));
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var notices = written.Select(w => w.Notice).ToList();
        db.CollectionNotices.AddRange(notices);
        await db.SaveChangesAsync(cancellationToken);
        foreach (var (notice, language) in written.Where(w => w.Notice.Delivery == NoticeDelivery.Email))
        {
            await QueueMail.AddAsync(db, Mail(notice, facts.For(notice.AccountId).AccountNumber, language, attachPdf), user, now, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        var emailed = notices.Count(n => n.Delivery == NoticeDelivery.Email);
        var field = notices.Count(n => n.Delivery == NoticeDelivery.Field);
        var held = notices.Count(n => n.Delivery == NoticeDelivery.Held);
        return (notices.Count - emailed - field - held, emailed, field, held, withoutTemplate);
    }

    /// <summary>How a notice or letter goes, from how its recipient can be reached (<see cref="SkipTracing.Route"/>).</summary>
    public static NoticeDelivery Delivery(ReachBy reach) => reach switch
    {
        ReachBy.Email => NoticeDelivery.Email,
        ReachBy.Held => NoticeDelivery.Held,
        _ => NoticeDelivery.Mail,
    };

    /// <summary>The mail of an e-mailed notice, in its customer's language: its text as the body and its PDF attached, under a key naming the notice.</summary>
    private MailToQueue Mail(CollectionNotice notice, string accountNumber, string language, bool attachPdf)
    {
        var subject = Subject(notice.Kind, accountNumber, language);
        if (!attachPdf)
        {
            return new MailToQueue(MailKind, DedupeKey(notice.Id), notice.AccountId, notice.EmailAddress!, notice.RecipientName, $"{settings.UtilityName}: {subject}", notice.Text, []);
        }

        var pdf = NoticeDocuments.Render([new NoticeToPrint(notice.Id, accountNumber, notice.BusinessDate, notice.Text)], settings.UtilityName, subject);
        return new MailToQueue(MailKind, DedupeKey(notice.Id), notice.AccountId, notice.EmailAddress!, notice.RecipientName, $"{settings.UtilityName}: {subject}",
            $"{notice.Text}\n{BillText.Get(language, "NoticeAttached")}\n", [new MailAttachment(FileName(notice.Kind, accountNumber, notice.BusinessDate), "application/pdf", pdf.Pdf)]);
    }

    public static string DedupeKey(long noticeId) => string.Create(CultureInfo.InvariantCulture, $"collection-notice:{noticeId}");

    public static string FileName(string kind, string accountNumber, DateOnly date) => $"{kind.Replace('_', '-')}-{accountNumber}-{date:yyyy-MM-dd}.pdf";

    /// <summary>A notice's subject, as its e-mail and PDF title say it: "past-due reminder for account 100042".</summary>
    public static string Subject(string kind, string accountNumber, string language = CollectionNoticeTemplate.English) =>
        BillText.Get(language, $"NoticeSubject_{kind}", accountNumber);

    private Dictionary<string, string> Model(NoticeFacts.AccountFacts account, NoticeFacts.Recipient recipient, DateOnly date, bool reminder, string language)
    {
        var pastDue = Money.FromCents(account.PastDueCents).ToString();
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["utility.name"] = settings.UtilityName,
            ["utility.address"] = settings.UtilityAddress,
            ["utility.phone"] = settings.UtilityPhone,
            ["notice.date"] = LongDate(date, language),
            ["recipient.name"] = recipient.Name,
            ["recipient.address_line1"] = recipient.Line1,
            ["recipient.city_state_zip"] = recipient.CityStateZip,
            ["account.number"] = account.AccountNumber,
            ["account.holder_name"] = account.Main.Name,
            ["account.service_address"] = account.ServiceAddress,
            ["past_due.amount"] = pastDue,
            ["past_due.days"] = account.DaysPastDue.ToString(CultureInfo.InvariantCulture),
            ["disconnect.earliest_date"] = !reminder && account.EarliestDisconnectOn is { } earliest ? LongDate(earliest, language) : "",
            ["disconnect.amount_to_avoid"] = pastDue,
        };
    }

    /// <summary>A date as a notice or letter writes it, in its language: "December 3, 2026", "3 de diciembre de 2026".</summary>
    public static string LongDate(DateOnly date, string language = CollectionNoticeTemplate.English) => BillText.LongDate(language, date);
}

/// <summary>What a chunk of notices needs to know of its accounts, loaded in a fixed number of queries.</summary>
internal sealed class NoticeFacts
{
    public sealed record Recipient(string Name, string Line1, string CityStateZip, string? Email, bool ByEmail, bool EmailFailed = false, bool MailReturned = false)
    {
        public ReachBy Reach => SkipTracing.Route(ByEmail, Email, EmailFailed, MailReturned);

        public string Address => CityStateZip.Length > 0 ? $"{Line1}\n{CityStateZip}" : Line1;
    }

    public sealed record AccountFacts(string AccountNumber, string ServiceAddress, Recipient Main, Recipient Owner, Recipient AtPremise, long PastDueCents, int DaysPastDue, DateOnly? EarliestDisconnectOn);

    private readonly Dictionary<long, AccountFacts> accounts;

    private NoticeFacts(Dictionary<long, AccountFacts> accounts) => this.accounts = accounts;

    public AccountFacts For(long accountId) => accounts[accountId];

    public static async Task<NoticeFacts> LoadAsync(OpenCisDbContext db, long[] accountIds, DateOnly date, CancellationToken cancellationToken)
    {
        var rows = await db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id))
            .Join(db.Premises, a => a.PremiseId, p => p.Id, (a, p) => new { a.Id, a.AccountNumber, Premise = p })
            .ToListAsync(cancellationToken);
        Recipient Of(Customer c) => new(c.DisplayName, c.MailingLine1, $"{c.MailingCity}, {c.MailingState} {c.MailingZip}", c.Email, c.NoticesByEmail, c.EmailFailedOn is not null, c.MailReturnedOn is not null);
        AccountRole[] roles = [AccountRole.Main, AccountRole.Owner, AccountRole.ThirdPartyNotice];
        var people = (await db.AccountCustomers.AsNoTracking()
                .Where(ac => accountIds.Contains(ac.AccountId) && roles.Contains(ac.Role) && ac.StartedOn <= date && (ac.EndedOn == null || ac.EndedOn >= date))
                .Join(db.Customers, ac => ac.CustomerId, c => c.Id, (ac, c) => new { ac.AccountId, ac.Role, ac.StartedOn, ac.Id, Customer = c })
                .ToListAsync(cancellationToken))
            .GroupBy(x => x.AccountId).ToDictionary(g => g.Key, g => g.OrderBy(x => x.Role == AccountRole.Main ? 0 : x.Role == AccountRole.ThirdPartyNotice ? 1 : 2).ThenByDescending(x => x.StartedOn).ThenBy(x => x.Id).ToList());
        var tenantRecipients = (await db.AccountProtections.AsNoTracking()
                .Where(p => accountIds.Contains(p.AccountId) && p.Kind == ProtectionKind.TenantOccupied && p.RecipientName != null)
                .ToListAsync(cancellationToken))
            .Where(p => p.IsActiveOn(date)).GroupBy(p => p.AccountId).ToDictionary(g => g.Key, g => g.OrderByDescending(p => p.StartsOn).First());
        var standings = await db.AccountCollections.AsNoTracking().Where(s => accountIds.Contains(s.AccountId)).ToDictionaryAsync(s => s.AccountId, cancellationToken);

        var facts = new Dictionary<long, AccountFacts>(rows.Count);
        foreach (var row in rows)
        {
            var premise = row.Premise;
            var service = new Recipient("Occupant", premise.AddressLine1, $"{premise.City}, {premise.State} {premise.Zip}", null, false);
            var list = people.GetValueOrDefault(row.Id) ?? [];
            var main = list.FirstOrDefault(x => x.Role == AccountRole.Main)?.Customer is { } customer ? Of(customer) : service;

            // The owner notice goes to the recipient the protection names, else the owner or third party on the account, else the owner of record.
            var owner = tenantRecipients.TryGetValue(row.Id, out var protection)
                ? FromOneLine(protection.RecipientName!, protection.RecipientAddress ?? "")
                : list.FirstOrDefault(x => x.Role != AccountRole.Main)?.Customer is { } ownerCustomer
                    ? Of(ownerCustomer)
                    : service with { Name = premise.OwnerOfRecord.Length > 0 ? premise.OwnerOfRecord : "Property Owner" };
            var standing = standings.GetValueOrDefault(row.Id);
            facts[row.Id] = new AccountFacts(row.AccountNumber, premise.FullAddress, main, owner, service with { Name = main.Name }, standing?.PastDueCents ?? 0, standing?.DaysPastDue ?? 0, standing?.EarliestDisconnectOn);
        }

        return new NoticeFacts(facts);
    }

    /// <summary>An address typed on one line ("12 Oak St, Riverbend, OR 97401"): the street, then the rest.</summary>
    private static Recipient FromOneLine(string name, string address)
    {
        var comma = address.IndexOf(',', StringComparison.Ordinal);
        return comma < 0 ? new Recipient(name, address.Trim(), "", null, false) : new Recipient(name, address[..comma].Trim(), address[(comma + 1)..].Trim(), null, false);
    }
}
