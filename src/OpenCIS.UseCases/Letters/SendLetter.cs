using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Storage;
using OpenCIS.Storage.Collections;
using OpenCIS.Storage.Customers;
using OpenCIS.Storage.Letters;
using OpenCIS.UseCases.Billing;
using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.Mail;

namespace OpenCIS.UseCases.Letters;

/// <summary>
/// A letter to write: its kind (a letter kind of <see cref="NoticeTemplates"/>), what it is the letter of (its dedupe key), and
/// its own variables as written in a language (its dates and words in the language of the template the letter is written from).
/// </summary>
public sealed record LetterToSend(long AccountId, string Kind, string DedupeKey, Func<string, IReadOnlyDictionary<string, string>> Values);

/// <summary>
/// Writes a letter to an account's main customer from the latest version of its template in the notice template
/// store, in the customer's language (<see cref="Customers.AccountLanguages"/>; English when the store has none in it), keeps it on the account (<see cref="Letter"/>) and, when the customer takes their bills or notices by
/// e-mail, queues it through the outbox with its PDF attached. It joins the caller's unit of work and transaction,
/// so a letter is sent with the work it tells of, and the dedupe key makes a repeat write nothing. With no template
/// of the kind in the store there is no letter: the caller says so.
/// </summary>
public sealed class SendLetter(OpenCisDbContext db, BillSettings settings)
{
    public const string MailKind = "letter";

    /// <summary>The letter written, the one written before under the same key, or null when the store has no template of the kind.</summary>
    public async Task<Letter?> AddAsync(LetterToSend request, DateOnly date, string user, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (await db.Letters.AsNoTracking().FirstOrDefaultAsync(l => l.DedupeKey == request.DedupeKey, cancellationToken) is { } earlier)
        {
            return earlier;
        }

        var language = await Customers.AccountLanguages.OfAsync(db, request.AccountId, cancellationToken);
        var template = (await LatestTemplates.LoadAsync(db, request.Kind, cancellationToken)).For(request.Kind, language);
        if (template is null)
        {
            return null;
        }

        var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == request.AccountId, cancellationToken);
        var premise = await db.Premises.AsNoTracking().SingleAsync(p => p.Id == account.PremiseId, cancellationToken);
        var customer = await Customers.SkipTrace.HolderOfAsync(db, account.Id, cancellationToken)
            ?? throw new InvalidOperationException($"Account {account.AccountNumber} has no account holder to write to.");
        var cityStateZip = customer.MailingCity.Length > 0 ? $"{customer.MailingCity}, {customer.MailingState} {customer.MailingZip}" : "";
        var model = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["utility.name"] = settings.UtilityName,
            ["utility.address"] = settings.UtilityAddress,
            ["utility.phone"] = settings.UtilityPhone,
            ["notice.date"] = ProduceNotices.LongDate(date, template.Language),
            ["recipient.name"] = customer.DisplayName,
            ["recipient.address_line1"] = customer.MailingLine1,
            ["recipient.city_state_zip"] = cityStateZip,
            ["account.number"] = account.AccountNumber,
            ["account.holder_name"] = customer.DisplayName,
            ["account.service_address"] = premise.FullAddress,
        };
        foreach (var (name, value) in request.Values(template.Language))
        {
            model[name] = value;
        }

        foreach (var name in NoticeTemplates.VariablesFor(request.Kind).Keys.Where(k => !model.ContainsKey(k)))
        {
            model[name] = "";
        }

        var text = NoticeTemplates.Render(NoticeTemplates.Parse(template.Text), model);
        var delivery = ProduceNotices.Delivery(customer.Reach(account.BillDelivery == BillDelivery.Email || customer.NoticesByEmail));
        var byEmail = delivery == NoticeDelivery.Email;
        var address = cityStateZip.Length > 0 ? $"{customer.MailingLine1}\n{cityStateZip}" : customer.MailingLine1;
        var subject = BillText.Get(template.Language, $"LetterSubject_{request.Kind}", account.AccountNumber);
        var letter = Letter.Create(account.Id, request.Kind, request.DedupeKey, subject, customer.DisplayName, address, delivery,
            byEmail ? customer.Email : null, text, template, date, user, now);
        db.Letters.Add(letter);
        await db.SaveChangesAsync(cancellationToken);
        if (byEmail)
        {
            var pdf = Pdf(letter, account.AccountNumber);
            await QueueMail.AddAsync(db, new MailToQueue(MailKind, DedupeKey(letter.Id), account.Id, letter.EmailAddress!, letter.RecipientName,
                $"{settings.UtilityName}: {letter.Subject}", $"{letter.Text}\n{BillText.Get(template.Language, "LetterAttached")}\n",
                [new MailAttachment(FileName(letter, account.AccountNumber), "application/pdf", pdf)]), user, now, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }

        return letter;
    }

    public byte[] Pdf(Letter letter, string accountNumber) =>
        NoticeDocuments.Render([new NoticeToPrint(letter.Id, accountNumber, letter.LetterDate, letter.Text)], settings.UtilityName, letter.Subject).Pdf;

    public static string DedupeKey(long letterId) => string.Create(CultureInfo.InvariantCulture, $"letter:{letterId}");

    public static string FileName(Letter letter, string accountNumber) => $"{letter.Kind.Replace('_', '-')}-{accountNumber}-{letter.LetterDate:yyyy-MM-dd}-{letter.Id}.pdf";
}

/// <summary>A letter as the account page lists it.</summary>
public sealed record LetterListing(long Id, string Kind, string Subject, DateOnly LetterDate, string RecipientName, string Delivery, string? EmailAddress, int TemplateVersion, string SentBy,
    string Language = CollectionNoticeTemplate.English);

/// <summary>The letters sent on an account, newest first, and one letter's text and PDF.</summary>
public sealed class LetterQueries(OpenCisDbContext db, SendLetter letters)
{
    public async Task<IReadOnlyList<LetterListing>> ForAccountAsync(long accountId, CancellationToken cancellationToken = default) =>
        (await db.Letters.AsNoTracking().Where(l => l.AccountId == accountId)
                .Join(db.NoticeTemplates, l => l.TemplateId, t => t.Id, (l, t) => new { Letter = l, t.Language }).OrderByDescending(x => x.Letter.Id).ToListAsync(cancellationToken))
            .Select(x => new LetterListing(x.Letter.Id, x.Letter.Kind, x.Letter.Subject, x.Letter.LetterDate, x.Letter.RecipientName,
                x.Letter.Delivery.ToString(), x.Letter.EmailAddress, x.Letter.TemplateVersion, x.Letter.SentBy, x.Language))
            .ToList();

    public async Task<Letter?> FindAsync(long accountId, long letterId, CancellationToken cancellationToken = default) =>
        await db.Letters.AsNoTracking().SingleOrDefaultAsync(l => l.Id == letterId && l.AccountId == accountId, cancellationToken);

    /// <summary>The letter's PDF and file name, or null when the account has no such letter.</summary>
    public async Task<(byte[] Pdf, string FileName)?> PdfAsync(long accountId, long letterId, CancellationToken cancellationToken = default)
    {
        var letter = await FindAsync(accountId, letterId, cancellationToken);
        if (letter is null)
        {
            return null;
        }

        var number = await db.Accounts.AsNoTracking().Where(a => a.Id == accountId).Select(a => a.AccountNumber).SingleAsync(cancellationToken);
        return (letters.Pdf(letter, number), SendLetter.FileName(letter, number));
    }
}
