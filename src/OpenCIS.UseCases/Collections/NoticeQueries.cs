using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.Storage.Collections;
using OpenCIS.UseCases.Billing;

namespace OpenCIS.UseCases.Collections;

/// <summary>A notice as lists show it.</summary>
public sealed record NoticeListing(long Id, long AccountId, string AccountNumber, DateOnly Date, string Kind, string RecipientName, string Delivery, string? EmailAddress,
    string PastDue, DateOnly? EarliestDisconnectOn, int TemplateVersion, string Language = CollectionNoticeTemplate.English);

/// <summary>One notice's PDF.</summary>
public sealed record NoticeFile(long NoticeId, long AccountId, string FileName, byte[] Pdf);

/// <summary>What the day's print file held.</summary>
public sealed record NoticePrintFileSummary(DateOnly BusinessDate, int Notices, int Records, long PastDueCents);

/// <summary>
/// The notices written: an account's (newest first), one as a PDF, a day's mailed notices as one print-ready
/// PDF, the day's door hangers as one PDF by route for the field, and the day's print-vendor file (docs/collections.md, "The notices' print file").
/// </summary>
public sealed class NoticeQueries(OpenCisDbContext db, BillSettings settings)
{
    public const int LayoutVersion = 1;
    private const string LineEnding = "\r\n";

    public async Task<IReadOnlyList<NoticeListing>> ForAccountAsync(long accountId, CancellationToken cancellationToken = default) =>
        await ListAsync(db.CollectionNotices.AsNoTracking().Where(n => n.AccountId == accountId).OrderByDescending(n => n.BusinessDate).ThenByDescending(n => n.Id), cancellationToken);

    public async Task<IReadOnlyList<NoticeListing>> ForDateAsync(DateOnly date, CancellationToken cancellationToken = default) =>
        await ListAsync(db.CollectionNotices.AsNoTracking().Where(n => n.BusinessDate == date).OrderBy(n => n.Id), cancellationToken);

    private async Task<IReadOnlyList<NoticeListing>> ListAsync(IQueryable<CollectionNotice> notices, CancellationToken cancellationToken) =>
        (await notices.Join(db.Accounts, n => n.AccountId, a => a.Id, (n, a) => new { Notice = n, a.AccountNumber })
                .Join(db.NoticeTemplates, x => x.Notice.TemplateId, t => t.Id, (x, t) => new { x.Notice, x.AccountNumber, t.Language }).ToListAsync(cancellationToken))
            .Select(x => new NoticeListing(x.Notice.Id, x.Notice.AccountId, x.AccountNumber, x.Notice.BusinessDate, x.Notice.Kind, x.Notice.RecipientName, x.Notice.Delivery.ToString(),
                x.Notice.EmailAddress, Money.FromCents(x.Notice.PastDueCents).ToString(), x.Notice.EarliestDisconnectOn, x.Notice.TemplateVersion, x.Language))
            .ToList();

    /// <summary>A notice as a PDF, or null when there is no such notice (on that account, when one is named).</summary>
    public async Task<NoticeFile?> PdfAsync(long noticeId, long? accountId = null, CancellationToken cancellationToken = default)
    {
        var found = await db.CollectionNotices.AsNoTracking().Where(n => n.Id == noticeId && (accountId == null || n.AccountId == accountId))
            .Join(db.Accounts, n => n.AccountId, a => a.Id, (n, a) => new { Notice = n, a.AccountNumber }).SingleOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return null;
        }

        var n = found.Notice;
        var pdf = NoticeDocuments.Render([new NoticeToPrint(n.Id, found.AccountNumber, n.BusinessDate, n.Text)], settings.UtilityName, $"{ProduceNotices.Subject(n.Kind, found.AccountNumber)}");
        return new NoticeFile(n.Id, n.AccountId, ProduceNotices.FileName(n.Kind, found.AccountNumber, n.BusinessDate), pdf.Pdf);
    }

    /// <summary>The day's mailed notices (not those e-mailed) as one print-ready PDF, in notice order, each starting on a new page.</summary>
    public async Task<NoticePdf> DayPdfAsync(DateOnly date, CancellationToken cancellationToken = default)
    {
        var notices = await Mailed(date).Select(x => new NoticeToPrint(x.Notice.Id, x.AccountNumber, x.Notice.BusinessDate, x.Notice.Text)).ToListAsync(cancellationToken);
        return NoticeDocuments.Render(notices, settings.UtilityName, $"Collection notices to mail, {date:yyyy-MM-dd}");
    }

    /// <summary>
    /// The day's door hangers in the order a crew walks them: by route, then route order (then account number),
    /// each naming its stop ("route R01, stop 12"). They are never in the mailed PDF or the print-vendor file.
    /// </summary>
    public async Task<IReadOnlyList<NoticeToPrint>> DoorHangersAsync(DateOnly date, CancellationToken cancellationToken = default) =>
        (await db.CollectionNotices.AsNoTracking().Where(n => n.BusinessDate == date && n.Delivery == NoticeDelivery.Field)
            .Join(db.Accounts, n => n.AccountId, a => a.Id, (n, a) => new { n.Id, a.AccountNumber, n.BusinessDate, n.Text, a.RouteCode, a.RouteSequence })
            .ToListAsync(cancellationToken))
        .OrderBy(x => x.RouteCode ?? "", StringComparer.Ordinal).ThenBy(x => x.RouteSequence).ThenBy(x => x.AccountNumber, StringComparer.Ordinal)
        .Select(x => new NoticeToPrint(x.Id, x.AccountNumber, x.BusinessDate, x.Text,
            x.RouteCode is null ? "no route" : string.Create(CultureInfo.InvariantCulture, $"route {x.RouteCode}, stop {x.RouteSequence}")))
        .ToList();

    /// <summary>The day's door hangers as one PDF for the field crew, each from a new page, in walking order (<see cref="DoorHangersAsync"/>).</summary>
    public async Task<NoticePdf> DoorHangersPdfAsync(DateOnly date, CancellationToken cancellationToken = default) =>
        NoticeDocuments.Render(await DoorHangersAsync(date, cancellationToken), settings.UtilityName, $"Door hangers for the field, {date:yyyy-MM-dd}");

    private IQueryable<MailedNotice> Mailed(DateOnly date) =>
        db.CollectionNotices.AsNoTracking().Where(n => n.BusinessDate == date && n.Delivery == NoticeDelivery.Mail).OrderBy(n => n.Id)
            .Join(db.Accounts, n => n.AccountId, a => a.Id, (n, a) => new MailedNotice { Notice = n, AccountNumber = a.AccountNumber });

    private sealed class MailedNotice
    {
        public CollectionNotice Notice { get; init; } = null!;
        public string AccountNumber { get; init; } = "";
    }

    /// <summary>
    /// Writes the day's print-vendor file of mailed notices: H (header), per notice an N record and its X text
    /// lines, T (trailer with the counts). UTF-8 without BOM, CR LF, fields split on '|'.
    /// </summary>
    public async Task<NoticePrintFileSummary> WritePrintFileAsync(DateOnly date, Stream output, CancellationToken cancellationToken = default)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true);
        var records = 0;
        async Task Write(params object?[] fields)
        {
            records++;
            await writer.WriteAsync(string.Join('|', fields.Select(Field)) + LineEnding);
        }

        await Write("H", LayoutVersion, "OPENCIS-NOTICES", date, settings.UtilityName);
        int notices = 0;
        long pastDue = 0;
        await foreach (var x in Mailed(date).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            var n = x.Notice;
            var address = n.RecipientAddress.Split('\n');
            var lines = n.Text.TrimEnd('\n').Split('\n');
            await Write("N", n.Id, x.AccountNumber, n.Kind, n.RecipientName, address[0], address.Length > 1 ? address[1] : "", n.BusinessDate,
                Money.FromCents(n.PastDueCents).ToPlainString(), n.EarliestDisconnectOn, n.TemplateVersion, lines.Length);
            for (var i = 0; i < lines.Length; i++)
            {
                await Write("X", n.Id, i + 1, lines[i]);
            }

            notices++;
            pastDue += n.PastDueCents;
        }

        await Write("T", notices, records + 1, Money.FromCents(pastDue).ToPlainString());
        await writer.FlushAsync(cancellationToken);
        return new NoticePrintFileSummary(date, notices, records, pastDue);
    }

    private static string Field(object? value) => value switch
    {
        null => "",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        _ => (value.ToString() ?? "").Replace('|', '/').Replace('\r', ' ').Replace('\n', ' '),
    };
}
