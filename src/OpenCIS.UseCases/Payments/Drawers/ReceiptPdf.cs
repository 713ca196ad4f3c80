using System.Globalization;
using OpenCIS.Core.Payments;
using OpenCIS.Storage.Billing;
using OpenCIS.UseCases.Billing;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using OpenCIS.Storage.Payments.Drawers;
using OpenCIS.Storage.Payments;
using OpenCIS.Storage;

namespace OpenCIS.UseCases.Payments.Drawers;

/// <summary>A printed receipt and the lines drawn on it, so tests read what the customer reads.</summary>
public sealed record RenderedReceipt(byte[] Pdf, IReadOnlyList<string> Lines);

/// <summary>
/// A counter receipt on a narrow page (3.125 inches wide, a receipt printer's roll), in the bills'
/// embedded fonts. A card shows only its last four digits; the processor's token is not printed.
/// </summary>
public static class ReceiptPdf
{
    private const double PageWidth = 225;
    private const double Margin = 14;

    public static RenderedReceipt Render(DrawerReceipt receipt, string utilityName)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        var lines = new List<(string Left, string Right, bool Bold)>
        {
            (utilityName, "", true),
            ("Payment receipt", "", true),
            ("Receipt", receipt.ReceiptNumber, false),
            ("Date", receipt.ReceivedAt.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture), false),
            ("Cashier", receipt.Cashier, false),
            ("Drawer", receipt.DrawerId.ToString(CultureInfo.InvariantCulture), false),
            ("Account", receipt.AccountNumber, false),
            ("", "", false),
        };
        foreach (var part in receipt.Tenders)
        {
            lines.Add((Describe(part), part.Amount.ToString(), false));
        }

        if (receipt.ChangeDue.IsPositive)
        {
            lines.Add(("Cash tendered", (receipt.Tenders.Where(t => t.Tender == Tender.Cash).Aggregate(Core.Common.Money.Zero, (sum, t) => sum + t.Amount) + receipt.ChangeDue).ToString(), false));
            lines.Add(("Change", receipt.ChangeDue.ToString(), false));
        }

        lines.Add(("Amount paid", receipt.Amount.ToString(), true));
        lines.Add(("Balance after payment", receipt.NewBalance.ToString(), false));
        lines.Add(("", "", false));
        lines.Add(("Thank you.", "", false));

        BillFonts.EnsureInstalled();
        using var document = new PdfDocument();
        document.Info.Title = $"Receipt {receipt.ReceiptNumber}";
        document.Info.Author = utilityName;
        // The payment's own time, not the clock: a reprint is the same document.
        document.Info.CreationDate = receipt.ReceivedAt.UtcDateTime;
        document.Info.ModificationDate = document.Info.CreationDate;
        var page = document.AddPage();
        page.Width = XUnit.FromPoint(PageWidth);
        page.Height = XUnit.FromPoint((2 * Margin) + (lines.Count * 14) + 10);
        var regular = new XFont(BillFonts.Sans, 8);
        var bold = new XFont(BillFonts.Sans, 8, XFontStyleEx.Bold);
        using (var gfx = XGraphics.FromPdfPage(page))
        {
            var y = Margin;
            foreach (var (left, right, isBold) in lines)
            {
                var font = isBold ? bold : regular;
                gfx.DrawString(left, font, XBrushes.Black, new XRect(Margin, y, PageWidth - (2 * Margin), 12), XStringFormats.TopLeft);
                gfx.DrawString(right, font, XBrushes.Black, new XRect(Margin, y, PageWidth - (2 * Margin), 12), XStringFormats.TopRight);
                y += 14;
            }
        }

        using var stream = new MemoryStream();
        document.Save(stream, closeStream: false);
        return new RenderedReceipt(stream.ToArray(), [.. lines.Where(l => l.Left.Length + l.Right.Length > 0).Select(l => l.Right.Length == 0 ? l.Left : $"{l.Left} {l.Right}")]);
    }

    private static string Describe(TenderPart part) => part.Tender switch
    {
        Tender.Card => $"Card ending {part.CardLastFour}",
        Tender.Check => $"Check {part.Reference}",
        Tender.MoneyOrder => $"Money order {part.Reference}".TrimEnd(),
        Tender.Ach => "ACH",
        _ => "Cash",
    };
}
