using System.Globalization;
using OpenCIS.UseCases.Billing;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace OpenCIS.UseCases.Invoices;

/// <summary>A printed invoice and the text drawn on it, so tests read what the party reads.</summary>
public sealed record RenderedInvoice(byte[] Pdf, IReadOnlyList<string> Lines);

/// <summary>
/// What turns an invoice into a patient statement: its place in the cycle, its date and pay-by date, what it says, and
/// the activity (payments, payers' adjustments, waivers) that brought the invoice to what is open.
/// </summary>
public sealed record StatementPrint(int Sequence, DateOnly StatementDate, DateOnly PayBy, string Heading, string Message, IReadOnlyList<InvoiceActivity> Activity);

/// <summary>
/// An invoice on a letter page in the bills' embedded fonts: the city and the party's mailing address, the invoice's
/// number, type, reference, dates and lines with their calculations, what is still open, and a remittance stub with the
/// scan line (the party's receivables account, the invoice number and the open amount) that the mail room and the
/// lockbox key back.
/// </summary>
public static class InvoicePdf
{
    private const double PageWidth = 612;
    private const double PageHeight = 792;
    private const double Margin = 48;

    /// <param name="statement">Given, the page is that statement of the invoice: headed as such, dated the statement's date, with the invoice's activity and the pay-by date.</param>
    public static RenderedInvoice Render(InvoiceView invoice, BillSettings settings, StatementPrint? statement = null)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        ArgumentNullException.ThrowIfNull(settings);
        var drawn = new List<string>();
        BillFonts.EnsureInstalled();
        using var document = new PdfDocument();
        document.Info.Title = statement is null ? $"Invoice {invoice.Number}" : $"Statement {statement.Sequence} of invoice {invoice.Number}";
        document.Info.Author = settings.UtilityName;
        // The invoice's own time, not the clock: a reprint is the same document.
        document.Info.CreationDate = statement is null ? invoice.CreatedAt.UtcDateTime : statement.StatementDate.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        document.Info.ModificationDate = document.Info.CreationDate;
        DrawPage(document, invoice, settings, statement, drawn);
        using var stream = new MemoryStream();
        document.Save(stream, closeStream: false);
        return new RenderedInvoice(stream.ToArray(), drawn);
    }

    /// <summary>Many statements in one document, a page each (the day's statements to print and mail).</summary>
    public static RenderedInvoice RenderStatements(IReadOnlyList<(InvoiceView Invoice, StatementPrint Statement)> statements, BillSettings settings, string title, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(statements);
        ArgumentNullException.ThrowIfNull(settings);
        var drawn = new List<string>();
        BillFonts.EnsureInstalled();
        using var document = new PdfDocument();
        document.Info.Title = title;
        document.Info.Author = settings.UtilityName;
        document.Info.CreationDate = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        document.Info.ModificationDate = document.Info.CreationDate;
        foreach (var (invoice, statement) in statements)
        {
            DrawPage(document, invoice, settings, statement, drawn);
        }

        using var stream = new MemoryStream();
        document.Save(stream, closeStream: false);
        return new RenderedInvoice(stream.ToArray(), drawn);
    }

    private static void DrawPage(PdfDocument document, InvoiceView invoice, BillSettings settings, StatementPrint? statement, List<string> drawn)
    {
        var payBy = statement?.PayBy ?? invoice.DueOn;
        var page = document.AddPage();
        page.Width = XUnit.FromPoint(PageWidth);
        page.Height = XUnit.FromPoint(PageHeight);
        var regular = new XFont(BillFonts.Sans, 9);
        var bold = new XFont(BillFonts.Sans, 9, XFontStyleEx.Bold);
        var title = new XFont(BillFonts.Sans, 16, XFontStyleEx.Bold);
        var scan = new XFont(BillFonts.Mono, 11);
        using (var gfx = XGraphics.FromPdfPage(page))
        {
            void Text(string text, XFont font, double x, double y, double width = 0, bool right = false)
            {
                if (text.Length == 0)
                {
                    return;
                }

                drawn.Add(text);
                var box = new XRect(x, y, width > 0 ? width : PageWidth - x - Margin, 14);
                gfx.DrawString(text, font, XBrushes.Black, box, right ? XStringFormats.TopRight : XStringFormats.TopLeft);
            }

            var y = Margin;
            Text(settings.UtilityName, title, Margin, y);
            Text(statement?.Heading ?? "INVOICE", title, Margin, y, PageWidth - (2 * Margin), right: true);
            y += 22;
            Text(settings.UtilityAddress, regular, Margin, y);
            Text($"Invoice {invoice.Number}", bold, Margin, y, PageWidth - (2 * Margin), right: true);
            y += 13;
            Text(settings.UtilityPhone, regular, Margin, y);
            Text($"Issued {invoice.IssuedOn:yyyy-MM-dd}", regular, Margin, y, PageWidth - (2 * Margin), right: true);
            y += 13;
            if (statement is not null)
            {
                Text($"Statement date {statement.StatementDate:yyyy-MM-dd}", regular, Margin, y, PageWidth - (2 * Margin), right: true);
                y += 13;
            }

            Text($"{(statement is null ? "Due" : "Please pay by")} {payBy:yyyy-MM-dd}", bold, Margin, y, PageWidth - (2 * Margin), right: true);
            y += 30;
            Text(invoice.PartyName, bold, Margin, y);
            Text($"Account {invoice.AccountNumber}", regular, Margin, y, PageWidth - (2 * Margin), right: true);
            y += 13;
            foreach (var line in invoice.MailingAddress)
            {
                Text(line, regular, Margin, y);
                y += 13;
            }

            y += 20;
            Text(invoice.TypeName, bold, Margin, y);
            y += 13;
            if (invoice.Reference is { } reference)
            {
                Text($"Reference {reference}", regular, Margin, y);
                y += 13;
            }

            if (invoice.ParcelId is { } parcel)
            {
                Text($"Parcel {parcel}", regular, Margin, y);
                y += 13;
            }

            y += 10;
            Text("Description", bold, Margin, y);
            Text("Calculation", bold, 330, y, 150);
            Text("Amount", bold, Margin, y, PageWidth - (2 * Margin), right: true);
            y += 16;
            foreach (var line in invoice.Lines)
            {
                Text(line.Description, regular, Margin, y, 280);
                Text(line.Quantity == 1m ? "" : line.Trace, regular, 330, y, 160);
                Text(line.Amount.ToString(), regular, Margin, y, PageWidth - (2 * Margin), right: true);
                y += 14;
            }

            y += 6;
            gfx.DrawLine(XPens.Black, Margin, y, PageWidth - Margin, y);
            y += 6;
            Text("Invoice total", bold, Margin, y);
            Text(invoice.Amount.ToString(), bold, Margin, y, PageWidth - (2 * Margin), right: true);
            y += 14;
            if (statement is not null)
            {
                foreach (var activity in statement.Activity)
                {
                    Text($"{activity.On:yyyy-MM-dd}  {activity.What}", regular, Margin, y, 400);
                    Text(activity.Amount.ToString(), regular, Margin, y, PageWidth - (2 * Margin), right: true);
                    y += 14;
                }
            }
            else if (invoice.Open != invoice.Amount)
            {
                Text("Paid and credited", regular, Margin, y);
                Text((invoice.Open - invoice.Amount).ToString(), regular, Margin, y, PageWidth - (2 * Margin), right: true);
                y += 14;
            }

            Text("Amount due", bold, Margin, y);
            Text(invoice.Open.ToString(), bold, Margin, y, PageWidth - (2 * Margin), right: true);
            y += 24;
            if (invoice.Note is { } note)
            {
                Text(note, regular, Margin, y);
                y += 14;
            }

            if (statement is not null)
            {
                Text(statement.Message, bold, Margin, y);
                y += 14;
            }

            Text($"Please pay by {payBy:MMMM d, yyyy}. Questions: {settings.UtilityPhone}.", regular, Margin, y);

            // The remittance stub, torn off along the dashed line and returned with the payment.
            var stub = PageHeight - Margin - 120;
            gfx.DrawLine(new XPen(XColors.Black, 0.5) { DashStyle = XDashStyle.Dash }, Margin, stub, PageWidth - Margin, stub);
            stub += 12;
            Text("Return this part with your payment", regular, Margin, stub);
            stub += 18;
            Text(settings.RemitTo, regular, Margin, stub, 300);
            Text($"Invoice {invoice.Number}", bold, Margin, stub, PageWidth - (2 * Margin), right: true);
            stub += 14;
            Text($"Account {invoice.AccountNumber}", regular, Margin, stub, PageWidth - (2 * Margin), right: true);
            stub += 14;
            Text($"Amount due {invoice.Open}", bold, Margin, stub, PageWidth - (2 * Margin), right: true);
            stub += 14;
            Text($"Due {payBy.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}", regular, Margin, stub, PageWidth - (2 * Margin), right: true);
            stub += 26;
            Text(statement is null ? invoice.ScanLine : Core.Billing.ScanLine.For(invoice.AccountNumber, invoice.Number, invoice.Open, statement.PayBy).ToString(), scan, Margin, stub);
        }
    }
}
