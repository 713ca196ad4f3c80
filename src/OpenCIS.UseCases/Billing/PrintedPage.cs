using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace OpenCIS.UseCases.Billing;

/// <summary>
/// A one-page US Letter document drawn from the top down with PDFsharp, for the city's forms (a proof of claim, a lien's documents):
/// text at a column or right-aligned, lines that move down the page, rules; every text drawn is kept, in order, so tests read what prints.
/// The document is dated by the event it records, not the clock, so a reprint is the same document.
/// </summary>
internal sealed class PrintedPage : IDisposable
{
    public const double Width = 612;
    public const double Height = 792;
    public const double Margin = 54;

    private readonly PdfDocument document = new();
    private readonly XGraphics gfx;
    private bool drawn;

    public PrintedPage(string title, string author, DateTime created)
    {
        BillFonts.EnsureInstalled();
        document.Info.Title = title;
        document.Info.Author = author;
        document.Info.CreationDate = created;
        document.Info.ModificationDate = created;
        var page = document.AddPage();
        page.Width = XUnit.FromPoint(Width);
        page.Height = XUnit.FromPoint(Height);
        gfx = XGraphics.FromPdfPage(page);
    }

    /// <summary>How far down the page the next line goes, in points.</summary>
    public double Y { get; set; } = Margin;

    /// <summary>The width between the margins.</summary>
    public static double ContentWidth => Width - (2 * Margin);

    /// <summary>Every text drawn, in order.</summary>
    public List<string> Lines { get; } = [];

    /// <summary>Draws <paramref name="text"/> at <paramref name="x"/> on the current line (to the right margin, or in <paramref name="width"/>), right-aligned if asked.</summary>
    public void Text(string text, XFont font, double x, double width = 0, bool right = false)
    {
        if (text.Length == 0)
        {
            return;
        }

        Lines.Add(text);
        gfx.DrawString(text, font, XBrushes.Black, new XRect(x, Y, width > 0 ? width : Width - x - Margin, 14), right ? XStringFormats.TopRight : XStringFormats.TopLeft);
    }

    /// <summary>Draws <paramref name="text"/> at the left margin and moves down <paramref name="step"/> points.</summary>
    public void Line(string text, XFont font, double step = 13)
    {
        Text(text, font, Margin);
        Y += step;
    }

    /// <summary>A label at the left margin and an amount at the right, then the next line.</summary>
    public void Amount(string label, string amount, XFont font, double step = 14)
    {
        Text(label, font, Margin);
        Text(amount, font, Margin, ContentWidth, right: true);
        Y += step;
    }

    /// <summary>A rule across the page just under the current line, and a little space.</summary>
    public void Rule()
    {
        gfx.DrawLine(XPens.Black, Margin, Y + 2, Width - Margin, Y + 2);
        Y += 6;
    }

    public byte[] Save()
    {
        Finish();
        using var stream = new MemoryStream();
        document.Save(stream, closeStream: false);
        return stream.ToArray();
    }

    public void Dispose()
    {
        Finish();
        document.Dispose();
    }

    /// <summary>Ends the drawing (the graphics must be let go before the document is saved).</summary>
    private void Finish()
    {
        if (!drawn)
        {
            drawn = true;
            gfx.Dispose();
        }
    }
}
