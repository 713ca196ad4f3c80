using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Billing;
using PdfSharp.Drawing;
using PdfSharp.Drawing.Layout;
using PdfSharp.Pdf;

namespace OpenCIS.UseCases.Collections;

/// <summary>The agreement letter: the PDF, the strings drawn on it (for tests and previews), and a file name.</summary>
public sealed record RenderedArrangementLetter(byte[] Pdf, IReadOnlyList<string> Text, string FileName);

/// <summary>
/// A one-page agreement letter for an arrangement, on US Letter: the utility, the customer's name and mailing
/// address, the account number and date, the arranged amount, the down payment, the installment schedule, the
/// terms in words (the policy's grace days before a missed installment ends it) and signature lines.
/// </summary>
public sealed class ArrangementLetter(OpenCisDbContext db, BillSettings settings)
{
    private const double PageWidth = 612;
    private const double PageHeight = 792;
    private const double Margin = 54;

    public async Task<RenderedArrangementLetter?> RenderAsync(long accountId, long arrangementId, CancellationToken cancellationToken = default)
    {
        var arrangement = await db.Arrangements.AsNoTracking().Include(a => a.Installments)
            .SingleOrDefaultAsync(a => a.Id == arrangementId && a.AccountId == accountId, cancellationToken);
        if (arrangement is null)
        {
            return null;
        }

        var account = await CollectionWorkRules.FindAccountAsync(db, accountId, cancellationToken);
        var customer = await db.AccountCustomers.AsNoTracking()
            .Where(ac => ac.AccountId == accountId && ac.Role == AccountRole.Main)
            .OrderByDescending(ac => ac.EndedOn == null).ThenByDescending(ac => ac.StartedOn)
            .Join(db.Customers, ac => ac.CustomerId, c => c.Id, (ac, c) => c)
            .FirstOrDefaultAsync(cancellationToken);
        var limits = await CreateArrangement.LimitsAsync(db, account, arrangement.CreatedOn, cancellationToken);
        var letter = new LetterFacts(
            settings.UtilityName, settings.UtilityAddress, settings.UtilityPhone,
            customer?.DisplayName ?? "", customer is null ? [] : [customer.MailingLine1, $"{customer.MailingCity}, {customer.MailingState} {customer.MailingZip}"],
            account.AccountNumber, arrangement.CreatedOn, Money.FromCents(arrangement.AmountCents), Money.FromCents(arrangement.DownPaymentCents),
            [.. arrangement.Installments.OrderBy(i => i.Number).Select(i => (i.Number, i.DueOn, Money.FromCents(i.AmountCents)))],
            limits.MissedInstallmentGraceDays);
        return Render(letter, arrangement.Id);
    }

    /// <summary>What the letter says, loaded.</summary>
    public sealed record LetterFacts(
        string UtilityName,
        string UtilityAddress,
        string UtilityPhone,
        string CustomerName,
        IReadOnlyList<string> MailingLines,
        string AccountNumber,
        DateOnly Date,
        Money Amount,
        Money DownPayment,
        IReadOnlyList<(int Number, DateOnly DueOn, Money Amount)> Installments,
        int GraceDays);

    public static string Terms(int graceDays) =>
        $"If an installment is not paid within {graceDays} day{(graceDays == 1 ? "" : "s")} of its due date the arrangement ends and collections resume.";

    public static RenderedArrangementLetter Render(LetterFacts letter, long arrangementId)
    {
        BillFonts.EnsureInstalled();
        using var document = new PdfDocument();
        document.Info.Title = $"Payment arrangement {arrangementId} for account {letter.AccountNumber}";
        document.Info.Author = letter.UtilityName;
        // The arrangement's own date, not the clock: the same arrangement renders to the same document.
        document.Info.CreationDate = letter.Date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        document.Info.ModificationDate = document.Info.CreationDate;
        var page = document.AddPage();
        page.Width = XUnit.FromPoint(PageWidth);
        page.Height = XUnit.FromPoint(PageHeight);
        var drawn = new List<string>();
        using (var gfx = XGraphics.FromPdfPage(page))
        {
            new Canvas(gfx, drawn).Draw(letter);
        }

        using var stream = new MemoryStream();
        document.Save(stream, closeStream: false);
        return new RenderedArrangementLetter(stream.ToArray(), drawn, $"arrangement-{letter.AccountNumber}-{arrangementId}.pdf");
    }

    private static string Day(DateOnly day) => day.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture);

    private sealed class Canvas(XGraphics gfx, List<string> drawn)
    {
        private static readonly XColor Ink = XColor.FromArgb(0x21, 0x25, 0x29);
        private static readonly XColor Muted = XColor.FromArgb(0x5c, 0x63, 0x6a);
        private static readonly XColor Accent = XColor.FromArgb(0x0b, 0x3d, 0x6e);
        private readonly XFont title = new(BillFonts.Sans, 16, XFontStyleEx.Bold);
        private readonly XFont heading = new(BillFonts.Sans, 10, XFontStyleEx.Bold);
        private readonly XFont body = new(BillFonts.Sans, 9.5);
        private readonly XFont small = new(BillFonts.Sans, 8);
        private readonly XFont smallBold = new(BillFonts.Sans, 8, XFontStyleEx.Bold);
        private double y = Margin;

        public void Draw(LetterFacts letter)
        {
            Text(letter.UtilityName, title, Margin, y, Accent);
            y += 22;
            Text(letter.UtilityAddress, small, Margin, y, Muted);
            y += 11;
            Text(letter.UtilityPhone, small, Margin, y, Muted);
            y += 28;
            Text(Day(letter.Date), body, Margin, y);
            y += 24;
            foreach (var line in new[] { letter.CustomerName }.Concat(letter.MailingLines).Where(l => l.Trim().Length > 0))
            {
                Text(line, body, Margin, y);
                y += 13;
            }

            y += 14;
            Text($"Payment arrangement agreement, account {letter.AccountNumber}", heading, Margin, y);
            y += 20;
            var count = letter.Installments.Count;
            Paragraph($"This letter confirms the payment arrangement made on {Day(letter.Date)} for {letter.Amount} on account {letter.AccountNumber}. "
                + $"A down payment of {letter.DownPayment} is due on {Day(letter.Date)}, and the rest in {count} installment{(count == 1 ? "" : "s")}, as follows:");
            y += 6;
            Schedule(letter);
            y += 10;
            Text("Terms", heading, Margin, y);
            y += 15;
            Paragraph(Terms(letter.GraceDays));
            Paragraph("Payments received on the account after the arrangement was made count toward it: first the down payment, then each installment in order. "
                + "The arrangement is completed when the arranged amount is paid, and may be cancelled.");
            y = Math.Max(y + 24, PageHeight - Margin - 90);
            Signature("Customer", letter.CustomerName, Margin);
            Signature($"For {letter.UtilityName}", "", PageWidth / 2 + 10);
        }

        private void Schedule(LetterFacts letter)
        {
            // Up to 24 rows in one column; more (up to 60) in two, so the letter stays one page.
            var rows = new List<(string Number, string Due, string Amount)> { ("Down payment", Day(letter.Date), letter.DownPayment.ToString()) };
            rows.AddRange(letter.Installments.Select(i => (i.Number.ToString(CultureInfo.InvariantCulture), Day(i.DueOn), i.Amount.ToString())));
            var columns = rows.Count > 25 ? 2 : 1;
            var perColumn = (rows.Count + columns - 1) / columns;
            var rowHeight = columns == 1 ? 13 : 10.5;
            var columnWidth = (PageWidth - 2 * Margin - 20) / 2;
            var top = y;
            for (var c = 0; c < columns; c++)
            {
                var left = Margin + c * (columnWidth + 20);
                var row = top;
                Text("Installment", smallBold, left, row);
                Text("Due", smallBold, left + 80, row);
                TextRight("Amount", smallBold, left + columnWidth, row);
                row += rowHeight + 2;
                foreach (var (number, due, amount) in rows.Skip(c * perColumn).Take(perColumn))
                {
                    Text(number, small, left, row);
                    Text(due, small, left + 80, row);
                    TextRight(amount, small, left + columnWidth, row);
                    row += rowHeight;
                }

                y = Math.Max(y, row);
            }

            Text($"Total: {letter.Amount}", smallBold, Margin, y + 2);
            y += 16;
        }

        private void Paragraph(string text)
        {
            drawn.Add(text);
            var width = PageWidth - 2 * Margin;
            var lines = Math.Max(1, (int)Math.Ceiling(gfx.MeasureString(text, body).Width / (width - 12)) + 1);
            var height = lines * body.Size * 1.25;
            new XTextFormatter(gfx).DrawString(text, body, new XSolidBrush(Ink), new XRect(Margin, y, width, height), XStringFormats.TopLeft);
            y += height;
        }

        private void Signature(string label, string name, double left)
        {
            var width = PageWidth / 2 - Margin - 20;
            gfx.DrawLine(new XPen(Ink, 0.6), left, y + 30, left + width, y + 30);
            Text(label + (name.Length > 0 ? $": {name}" : ""), small, left, y + 34);
            gfx.DrawLine(new XPen(Ink, 0.6), left, y + 68, left + width * 0.6, y + 68);
            Text("Date", small, left, y + 72);
        }

        private void Text(string text, XFont font, double x, double top, XColor? color = null)
        {
            drawn.Add(text);
            gfx.DrawString(text, font, new XSolidBrush(color ?? Ink), new XRect(x, top, 1000, font.Size * 1.3), XStringFormats.TopLeft);
        }

        private void TextRight(string text, XFont font, double right, double top)
        {
            drawn.Add(text);
            var width = gfx.MeasureString(text, font).Width;
            gfx.DrawString(text, font, new XSolidBrush(Ink), new XRect(right - width, top, width + 1, font.Size * 1.3), XStringFormats.TopLeft);
        }
    }
}
