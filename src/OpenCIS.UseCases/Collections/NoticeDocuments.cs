using System.Globalization;
using OpenCIS.UseCases.Billing;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace OpenCIS.UseCases.Collections;

/// <summary>
/// A notice to print: its number and account (for the footer) and its rendered text; a door hanger also names
/// its stop ("route R01, stop 12") so the crew can keep the printed stack in walking order.
/// </summary>
public sealed record NoticeToPrint(long NoticeId, string AccountNumber, DateOnly Date, string Text, string? Stop = null);

/// <summary>A PDF of notices, its page count and how many notices it holds (none: one page that says so).</summary>
public sealed record NoticePdf(byte[] Pdf, int Pages, int Notices);

/// <summary>
/// Notices as PDF on US Letter: each notice starts on a new page, its text laid out line by line as the
/// template wrote it (the first line, the utility's name, as the letterhead; a line in capitals as a
/// heading), long lines wrapped at words, and a footer with the notice number and page. One notice is
/// the copy a customer is e-mailed or a clerk opens; a day's mailed notices together are the print-ready
/// file. The document's date is the notices' date, never the clock, so the same notices give the same file.
/// </summary>
public static class NoticeDocuments
{
    private const double PageWidth = 612;
    private const double PageHeight = 792;
    private const double Margin = 60;
    private const double FooterTop = PageHeight - 40;

    public static NoticePdf Render(IReadOnlyList<NoticeToPrint> notices, string utilityName, string title)
    {
        BillFonts.EnsureInstalled();
        using var document = new PdfDocument();
        document.Info.Title = title;
        document.Info.Author = utilityName;
        var date = notices.Count == 0 ? new DateOnly(2000, 1, 1) : notices.Min(n => n.Date);
        document.Info.CreationDate = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        document.Info.ModificationDate = document.Info.CreationDate;
        var fonts = new Fonts();
        foreach (var notice in notices)
        {
            Draw(document, fonts, notice);
        }

        if (notices.Count == 0)
        {
            // A day with no mailed notices still gives a valid PDF: one page that says so.
            var page = NewPage(document);
            using var gfx = XGraphics.FromPdfPage(page);
            gfx.DrawString("No notices.", fonts.Body, XBrushes.Black, new XPoint(Margin, Margin + 12));
        }

        var pages = document.PageCount;
        using var stream = new MemoryStream();
        document.Save(stream, closeStream: false);
        return new NoticePdf(stream.ToArray(), pages, notices.Count);
    }

    private static void Draw(PdfDocument document, Fonts fonts, NoticeToPrint notice)
    {
        var lines = notice.Text.Split('\n');
        var pageNumber = 1;
        var gfx = XGraphics.FromPdfPage(NewPage(document));
        try
        {
            Footer(gfx, fonts, notice, pageNumber);
            var y = Margin;
            var width = PageWidth - 2 * Margin;
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i].TrimEnd();
                var font = i == 0 ? fonts.Letterhead : IsHeading(line) ? fonts.Heading : fonts.Body;
                var height = font.Size * 1.35;
                foreach (var part in Wrap(gfx, line, font, width).ToList())
                {
                    if (y + height > FooterTop - 12)
                    {
                        gfx.Dispose();
                        pageNumber++;
                        gfx = XGraphics.FromPdfPage(NewPage(document));
                        Footer(gfx, fonts, notice, pageNumber);
                        y = Margin;
                    }

                    if (part.Length > 0)
                    {
                        gfx.DrawString(part, font, fonts.Ink, new XRect(Margin, y, width, height), XStringFormats.TopLeft);
                    }

                    y += height;
                }
            }
        }
        finally
        {
            gfx.Dispose();
        }
    }

    private static PdfPage NewPage(PdfDocument document)
    {
        var page = document.AddPage();
        page.Width = XUnit.FromPoint(PageWidth);
        page.Height = XUnit.FromPoint(PageHeight);
        return page;
    }

    private static void Footer(XGraphics gfx, Fonts fonts, NoticeToPrint notice, int pageNumber)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"Notice {notice.NoticeId} - account {notice.AccountNumber} - {notice.Date:yyyy-MM-dd}{(notice.Stop is null ? "" : $" - {notice.Stop}")} - page {pageNumber}");
        gfx.DrawString(text, fonts.Small, fonts.Muted, new XRect(Margin, FooterTop, PageWidth - 2 * Margin, 12), XStringFormats.TopLeft);
    }

    private static bool IsHeading(string line) => line.Length > 3 && line.Any(char.IsLetter) && line.Where(char.IsLetter).All(char.IsUpper);

    /// <summary>The line as it fits the width: whole when it does (most do), else broken at spaces.</summary>
    private static IEnumerable<string> Wrap(XGraphics gfx, string line, XFont font, double width)
    {
        if (line.Length < 60 || gfx.MeasureString(line, font).Width <= width)
        {
            yield return line;
            yield break;
        }

        var current = "";
        foreach (var word in line.Split(' '))
        {
            var candidate = current.Length == 0 ? word : current + " " + word;
            if (current.Length > 0 && gfx.MeasureString(candidate, font).Width > width)
            {
                yield return current;
                current = word;
            }
            else
            {
                current = candidate;
            }
        }

        yield return current;
    }

    private sealed class Fonts
    {
        public XFont Letterhead { get; } = new(BillFonts.Sans, 14, XFontStyleEx.Bold);
        public XFont Heading { get; } = new(BillFonts.Sans, 11, XFontStyleEx.Bold);
        public XFont Body { get; } = new(BillFonts.Sans, 10);
        public XFont Small { get; } = new(BillFonts.Sans, 7.5);
        public XBrush Ink { get; } = new XSolidBrush(XColor.FromArgb(0x21, 0x25, 0x29));
        public XBrush Muted { get; } = new XSolidBrush(XColor.FromArgb(0x5c, 0x63, 0x6a));
    }
}
