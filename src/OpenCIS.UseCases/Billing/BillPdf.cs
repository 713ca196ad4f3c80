using System.Globalization;
using OpenCIS.Core.Common;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using OpenCIS.Storage.Billing;
using OpenCIS.Storage;

namespace OpenCIS.UseCases.Billing;

/// <summary>A rendered bill: the PDF, and every string drawn on it in drawing order (what tests and previews check).</summary>
public sealed record RenderedBill(byte[] Pdf, IReadOnlyList<string> Text, int Pages);

/// <summary>
/// Draws a <see cref="BillDocument"/> on US Letter with PDFsharp: the utility's header, the mailing
/// block (placed for a window envelope), account number, bill date and due date, the service address
/// and period, the meter reads with "Estimated" where a read was estimated, the charges of each
/// service under its tariff's name with their calculations, the account summary, the payments and
/// adjustments since the last bill, the bill messages (beside the charges, or boxed after them when
/// long), the late-charge notice, and a detachable remittance stub whose scan line is set in a
/// monospaced font. Charges that do not fit continue on further pages; the stub stays at the foot of
/// the first.
/// </summary>
public static class BillPdf
{
    private const double PageWidth = 612;
    private const double PageHeight = 792;
    private const double Margin = 36;
    private const double Right = PageWidth - Margin;
    private const double StubTop = PageHeight - 190;

    /// <summary>The stub's QR code: left of the summary box.</summary>
    private const double QrSize = 66, QrLeft = SummaryLeft - 20 - QrSize - 14;
    private const double ChargesRight = 372;
    private const double SummaryLeft = 392;
    private const double ParagraphGap = 4;

    private static readonly XColor Ink = XColor.FromArgb(0x21, 0x25, 0x29);
    private static readonly XColor Muted = XColor.FromArgb(0x5c, 0x63, 0x6a);
    private static readonly XColor Band = XColor.FromArgb(0xe9, 0xef, 0xf6);
    private static readonly XColor Accent = XColor.FromArgb(0x0b, 0x3d, 0x6e);

    public static RenderedBill Render(BillDocument bill)
    {
        BillFonts.EnsureInstalled();
        using var document = new PdfDocument();
        document.Info.Title = BillText.Get(bill.Language, "DocumentTitle", bill.BillId, bill.AccountNumber);
        document.Info.Author = bill.UtilityName;
        document.Info.Subject = $"Service {bill.PeriodStart:yyyy-MM-dd} to {bill.PeriodEnd:yyyy-MM-dd}";
        // The bill's own date, not the clock: the same bill renders to the same document.
        document.Info.CreationDate = bill.BillDate.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        document.Info.ModificationDate = document.Info.CreationDate;

        var canvas = new Canvas(document, bill);
        canvas.DrawFirstPage();
        canvas.Finish();
        var pages = document.PageCount;

        using var stream = new MemoryStream();
        document.Save(stream, closeStream: false);
        return new RenderedBill(stream.ToArray(), canvas.Drawn, pages);
    }


    private static string Reading(long? value) => value?.ToString("N0", CultureInfo.InvariantCulture) ?? "";

    private static string Amount(long cents) => Money.FromCents(cents).ToString();

    /// <summary>The drawing state of one bill: the current page, the cursor, and the strings drawn so far.</summary>
    private sealed class Canvas(PdfDocument document, BillDocument bill)
    {
        private readonly XFont title = new(BillFonts.Sans, 16, XFontStyleEx.Bold);
        private readonly XFont heading = new(BillFonts.Sans, 10, XFontStyleEx.Bold);
        private readonly XFont body = new(BillFonts.Sans, 9);
        private readonly XFont bodyBold = new(BillFonts.Sans, 9, XFontStyleEx.Bold);
        private readonly XFont small = new(BillFonts.Sans, 7.5);
        private readonly XFont smallBold = new(BillFonts.Sans, 7.5, XFontStyleEx.Bold);
        private readonly XFont big = new(BillFonts.Sans, 13, XFontStyleEx.Bold);
        private readonly XFont scan = new(BillFonts.Mono, 12);
        private readonly List<string> drawn = [];

        /// <summary>The bill's own words in its customer's language.</summary>
        private string T(string key, params object?[] args) => BillText.Get(bill.Language, key, args);

        private string Day(DateOnly day) => BillText.Day(bill.Language, day);
        private XGraphics gfx = null!;
        private double bottom;
        private double y;

        public IReadOnlyList<string> Drawn => drawn;

        public void DrawFirstPage()
        {
            NewPage(first: true);
            Stub();
            Header();
            Addresses();
            MeterReads();
            var summaryBottom = Summary(top: y);
            var messagesBeside = MessagesBesideCharges(summaryBottom);
            Charges();
            ShutOffWarning();
            if (!messagesBeside)
            {
                Messages();
            }

            LateChargeNotice();
        }

        public void Finish() => gfx.Dispose();

        private void NewPage(bool first)
        {
            gfx?.Dispose();
            var page = document.AddPage();
            page.Width = XUnit.FromPoint(PageWidth);
            page.Height = XUnit.FromPoint(PageHeight);
            gfx = XGraphics.FromPdfPage(page);
            bottom = first ? StubTop - 14 : PageHeight - Margin;
            y = Margin;
            if (!first)
            {
                Text($"{bill.UtilityName}: account {bill.AccountNumber}, bill {bill.BillId} (continued, page {document.PageCount})", smallBold, Margin, y);
                y += 18;
            }
        }

        /// <summary>Moves to a new page when the next <paramref name="height"/> points do not fit.</summary>
        private void Need(double height)
        {
            if (y + height > bottom)
            {
                TextRight(T("ContinuedOnPage", document.PageCount + 1), smallBold, ChargesRight, bottom - 10, Muted);
                NewPage(first: false);
            }
        }

        private double Text(string text, XFont font, double x, double top, XColor? color = null)
        {
            drawn.Add(text);
            gfx.DrawString(text, font, new XSolidBrush(color ?? Ink), new XRect(x, top, 1000, font.Size * 1.3), XStringFormats.TopLeft);
            return gfx.MeasureString(text, font).Width;
        }

        private void TextRight(string text, XFont font, double right, double top, XColor? color = null)
        {
            drawn.Add(text);
            var width = gfx.MeasureString(text, font).Width;
            gfx.DrawString(text, font, new XSolidBrush(color ?? Ink), new XRect(right - width, top, width + 1, font.Size * 1.3), XStringFormats.TopLeft);
        }

        private void TextCentered(string text, XFont font, double top, XColor? color = null)
        {
            var width = gfx.MeasureString(text, font).Width;
            Text(text, font, (PageWidth - width) / 2, top, color);
        }

        /// <summary>Shortens <paramref name="text"/> with an ellipsis until it fits <paramref name="width"/>.</summary>
        private string Fit(string text, XFont font, double width)
        {
            if (gfx.MeasureString(text, font).Width <= width)
            {
                return text;
            }

            var cut = text.Length;
            while (cut > 1 && gfx.MeasureString(text[..cut] + "...", font).Width > width)
            {
                cut--;
            }

            return text[..cut].TrimEnd() + "...";
        }

        private List<string> Wrap(string text, XFont font, double width)
        {
            var lines = new List<string>();
            var line = "";
            foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = line.Length == 0 ? word : line + " " + word;
                if (line.Length > 0 && gfx.MeasureString(candidate, font).Width > width)
                {
                    lines.Add(line);
                    line = word;
                }
                else
                {
                    line = candidate;
                }
            }

            if (line.Length > 0)
            {
                lines.Add(line);
            }

            return lines;
        }

        private void Rule(double top, double left = Margin, double right = Right, double width = 0.5) =>
            gfx.DrawLine(new XPen(Muted, width), left, top, right, top);

        private void Header()
        {
            gfx.DrawRectangle(new XSolidBrush(Accent), Margin, y, Right - Margin, 4);
            y += 10;
            Text(bill.UtilityName, title, Margin, y, Accent);
            // A canceled bill can still be printed (a customer asks for a copy); it must not pass for one to pay.
            TextRight(bill.Status == nameof(BillStatus.Issued) ? T("UtilityBill") : T("DoNotPay", bill.Status.ToUpperInvariant()), big, Right, y + 2, bill.Status == nameof(BillStatus.Issued) ? Accent : XColor.FromArgb(0xb0, 0x2a, 0x37));
            y += 22;
            Text(bill.UtilityAddress, body, Margin, y, Muted);
            y += 12;
            Text(T("CustomerService", bill.UtilityPhone), body, Margin, y, Muted);
            y += 20;
        }

        private void Addresses()
        {
            var top = y;

            // The mailing block sits where a standard #10 window envelope shows it.
            Text(bill.CustomerName, bodyBold, Margin + 36, top + 10);
            Text(bill.MailingAddress.Line1, body, Margin + 36, top + 22);
            Text(bill.MailingAddress.CityLine, body, Margin + 36, top + 34);

            var boxLeft = SummaryLeft - 20;
            gfx.DrawRectangle(new XPen(Muted, 0.5), new XSolidBrush(Band), boxLeft, top, Right - boxLeft, 74);
            var rows = new (string Label, string Value, bool Bold)[]
            {
                (T("AccountNumber"), bill.AccountNumber, true),
                (T("BillNumber"), bill.BillId.ToString(CultureInfo.InvariantCulture), false),
                (T("BillDate"), Day(bill.BillDate), false),
                (T("DueDate"), Day(bill.DueDate), true),
                (T("AmountDue"), Amount(bill.AmountDueCents), true),
            };
            var rowTop = top + 6;
            foreach (var (label, value, bold) in rows)
            {
                Text(label, body, boxLeft + 8, rowTop, Muted);
                TextRight(value, bold ? bodyBold : body, Right - 8, rowTop);
                rowTop += 12.5;
            }

            y = top + 86;
            Text(T("ServiceAddressLabel"), bodyBold, Margin, y);
            Text(bill.ServiceAddress.ToString(), body, Margin + 80, y);
            y += 12;
            Text(T("ServicePeriodLabel"), bodyBold, Margin, y);
            Text(T("ServicePeriod", Day(bill.PeriodStart), Day(bill.PeriodEnd), bill.PeriodDays), body, Margin + 80, y);
            y += 20;
        }

        private void MeterReads()
        {
            var metered = bill.Segments.Where(s => s.MeterSerial is not null || s.RemovedMeters.Count > 0).ToList();
            if (metered.Count == 0)
            {
                return;
            }

            Text(T("MeterReads"), heading, Margin, y, Accent);
            y += 15;
            double[] columns = [Margin, 90, 160, 228, 290, 356, 420, 470, 520];
            string[] titles = [T("ColumnService"), T("ColumnMeter"), T("ColumnPreviousRead"), T("ColumnReadOn"), T("ColumnPresentRead"), T("ColumnReadOn"), T("ColumnReadType"), T("ColumnMultiplier"), T("ColumnUsage")];
            gfx.DrawRectangle(new XSolidBrush(Band), Margin, y - 2, Right - Margin, 13);
            for (var i = 0; i < titles.Length; i++)
            {
                Text(titles[i], smallBold, columns[i] + 2, y);
            }

            y += 14;
            foreach (var segment in metered)
            {
                foreach (var removed in segment.RemovedMeters)
                {
                    Need(12);
                    Row(columns, [segment.Service, removed.MeterSerial, Reading(removed.PreviousReading), Day(removed.PreviousReadOn), Reading(removed.FinalReading), Day(removed.RemovedOn), T("FinalRemoved"), removed.Multiplier.ToString("0.###", CultureInfo.InvariantCulture), ""], estimated: false);
                }

                if (segment.MeterSerial is not null)
                {
                    Need(12);
                    Row(columns, [
                        segment.Service,
                        segment.MeterSerial,
                        Reading(segment.PreviousReading),
                        segment.PreviousReadOn is { } previousOn ? Day(previousOn) : "",
                        Reading(segment.PresentReading),
                        segment.PresentReadOn is { } presentOn ? Day(presentOn) : "",
                        segment.PresentReadEstimated ? T("Estimated") : T("Actual"),
                        segment.Multiplier?.ToString("0.###", CultureInfo.InvariantCulture) ?? "",
                        segment.Usage ?? "",
                    ], segment.PresentReadEstimated);
                }
            }

            if (metered.Any(s => s.PresentReadEstimated))
            {
                Need(12);
                Text(T("EstimatedNote"), small, Margin, y, Muted);
                y += 11;
            }

            y += 10;
        }

        private void Row(double[] columns, string[] cells, bool estimated)
        {
            for (var i = 0; i < cells.Length; i++)
            {
                Text(cells[i], estimated && i == 6 ? smallBold : small, columns[i] + 2, y);
            }

            y += 11;
            Rule(y - 1.5, width: 0.25);
        }

        private void Charges()
        {
            Need(30);
            Text(T("CurrentCharges"), heading, Margin, y, Accent);
            y += 15;
            const double lineLeft = Margin + 8;
            foreach (var segment in bill.Segments)
            {
                Need(26);
                var usage = segment.Usage is { } u ? $", {u}" : "";
                Text(Fit($"{segment.Service}: {segment.TariffName} ({segment.TariffCode}){usage}", bodyBold, ChargesRight - Margin - 70), bodyBold, Margin, y);
                y += 13;
                foreach (var line in segment.Lines)
                {
                    Need(22);
                    Text(Fit(line.Description, body, ChargesRight - lineLeft - 70), body, lineLeft, y);
                    TextRight(Amount(line.AmountCents), body, ChargesRight, y);
                    y += 11;
                    Text(Fit(line.Trace, small, ChargesRight - lineLeft - 12), small, lineLeft + 8, y, Muted);
                    y += 11;
                }

                Need(16);
                Rule(y, lineLeft, ChargesRight, 0.25);
                y += 2;
                Text(T("ServiceTotal", segment.Service.ToLowerInvariant()), bodyBold, lineLeft, y);
                TextRight(Amount(segment.AmountCents), bodyBold, ChargesRight, y);
                y += 16;
            }

            Need(18);
            Rule(y, Margin, ChargesRight, 0.75);
            y += 3;
            Text(T("TotalCurrentCharges"), bodyBold, Margin, y);
            TextRight(Amount(bill.CurrentChargesCents), bodyBold, ChargesRight, y);
            y += 20;
        }

        /// <summary>Draws the account summary in the right column from <paramref name="top"/>; returns where it ends.</summary>
        private double Summary(double top)
        {
            var row = top;
            var width = Right - SummaryLeft;
            gfx.DrawRectangle(new XSolidBrush(Band), SummaryLeft, row, width, 16);
            Text(T("AccountSummary"), heading, SummaryLeft + 6, row + 2, Accent);
            row += 22;
            var lines = new (string Label, long Cents)[]
            {
                (T("PreviousBalance"), bill.PreviousBalanceCents),
                (T("Payments"), bill.PaymentsCents),
                (T("Adjustments"), bill.AdjustmentsCents),
                (T("CurrentCharges"), bill.CurrentChargesCents),
            };
            if (bill.Budget is { } budget)
            {
                lines = [.. lines, (budget.SummaryLabel, budget.SummaryCents)];
            }

            foreach (var (label, cents) in lines)
            {
                Text(label, body, SummaryLeft + 6, row);
                TextRight(Amount(cents), body, Right - 6, row);
                row += 13;
            }

            Rule(row, SummaryLeft, Right, 0.75);
            row += 4;
            Text(T("AmountDue"), bodyBold, SummaryLeft + 6, row);
            TextRight(Amount(bill.AmountDueCents), bodyBold, Right - 6, row);
            row += 13;
            Text(T("DueDate"), bodyBold, SummaryLeft + 6, row);
            TextRight(Day(bill.DueDate), bodyBold, Right - 6, row);
            row += 13;
            if (bill.PastDueCents > 0)
            {
                // Carried from earlier bills: due now, not on the due date.
                Text(T("PastDuePayable"), bodyBold, SummaryLeft + 6, row, XColor.FromArgb(176, 0, 32));
                TextRight(Amount(bill.PastDueCents), bodyBold, Right - 6, row, XColor.FromArgb(176, 0, 32));
                row += 13;
            }

            if (bill.Budget is { } plan)
            {
                // Budget billing: the actual charges and the budget amount side by side, and what is deferred.
                row += 4;
                Text(T("BudgetBilling"), smallBold, SummaryLeft + 6, row);
                row += 11;
                foreach (var (label, cents) in new[] { (T("BudgetAmount"), plan.BudgetAmountCents), (T("ActualCharges"), bill.CurrentChargesCents), (T("DeferredBalance"), plan.DeferredBalanceCents) })
                {
                    Text(label, small, SummaryLeft + 6, row);
                    TextRight(Amount(cents), small, Right - 6, row);
                    row += 10;
                }
            }

            row += 7;

            if (bill.ActivitySinceLastBill.Count > 0)
            {
                Text(T("SinceLastBill"), smallBold, SummaryLeft + 6, row);
                row += 11;
                const int shown = 6;
                foreach (var item in bill.ActivitySinceLastBill.Take(shown))
                {
                    Text($"{item.EffectiveOn.ToString("MMM d", CultureInfo.InvariantCulture)}  {item.Type}", small, SummaryLeft + 6, row);
                    TextRight(Amount(item.AmountCents), small, Right - 6, row);
                    row += 9;
                    if (item.Description != item.Type)
                    {
                        Text(Fit(item.Description, small, width - 24), small, SummaryLeft + 12, row, Muted);
                        row += 10;
                    }
                }

                if (bill.ActivitySinceLastBill.Count > shown)
                {
                    Text($"and {bill.ActivitySinceLastBill.Count - shown} more (see your account statement)", small, SummaryLeft + 6, row, Muted);
                    row += 9;
                }
            }

            return row;
        }

        /// <summary>
        /// The bill messages in the right column under the account summary, where the first page has room beside the
        /// charges, so they add no page; false (nothing drawn) when they do not fit there, and they go in a box after the charges.
        /// </summary>
        private bool MessagesBesideCharges(double summaryBottom)
        {
            if (bill.Messages.Count == 0)
            {
                return true;
            }

            var width = Right - SummaryLeft;
            var wrapped = bill.Messages.Select(m => Wrap(m, small, width - 12)).ToList();
            var top = summaryBottom + 10;
            if (top + 20 + ParagraphsHeight(wrapped, 9) > bottom)
            {
                return false;
            }

            gfx.DrawRectangle(new XSolidBrush(Band), SummaryLeft, top, width, 16);
            Text(T("Messages"), heading, SummaryLeft + 6, top + 2, Accent);
            Paragraphs(wrapped, small, SummaryLeft + 6, top + 20, 9);
            return true;
        }

        /// <summary>While a shut-off notice is pending, the bill says so, boxed in red above the late charge notice.</summary>
        private void ShutOffWarning()
        {
            if (bill.ShutOffWarning is { } warning)
            {
                Box(T("PastDue", Money.FromCents(bill.PastDueCents)), [warning], XColor.FromArgb(176, 0, 32), 1.5);
            }
        }

        /// <summary>The bill messages that did not fit beside the charges: each a paragraph, boxed above the late charge notice.</summary>
        private void Messages()
        {
            if (bill.Messages.Count > 0)
            {
                Box(T("Messages"), bill.Messages, Accent, 0.75);
            }
        }

        private void LateChargeNotice() => Box(T("LateChargeNotice"), [bill.LateChargeNotice], Accent, 0.75);

        /// <summary>A titled box as wide as the charges, its paragraphs wrapped to fit and a little apart.</summary>
        private void Box(string boxTitle, IReadOnlyList<string> paragraphs, XColor color, double penWidth)
        {
            var wrapped = paragraphs.Select(p => Wrap(p, body, ChargesRight - Margin - 16)).ToList();
            var height = 18 + ParagraphsHeight(wrapped, 11);
            Need(height + 4);
            gfx.DrawRectangle(new XPen(color, penWidth), Margin, y, ChargesRight - Margin, height);
            Text(boxTitle, smallBold, Margin + 8, y + 4, color);
            Paragraphs(wrapped, body, Margin + 8, y + 15, 11);
            y += height + 8;
        }

        /// <summary>The height of wrapped paragraphs set <paramref name="lineHeight"/> apart, with a little room between paragraphs.</summary>
        private static double ParagraphsHeight(List<List<string>> wrapped, double lineHeight) =>
            (wrapped.Sum(lines => lines.Count) * lineHeight) + ((wrapped.Count - 1) * ParagraphGap);

        private void Paragraphs(List<List<string>> wrapped, XFont font, double x, double top, double lineHeight)
        {
            foreach (var lines in wrapped)
            {
                foreach (var line in lines)
                {
                    Text(line, font, x, top);
                    top += lineHeight;
                }

                top += ParagraphGap;
            }
        }

        private void Stub()
        {
            // At the foot of the first page, drawn first: whatever the charges take, they stop above it.
            TextCentered(T("Detach"), small, StubTop - 11, Muted);
            gfx.DrawLine(new XPen(Muted, 0.75) { DashStyle = XDashStyle.Dash }, Margin, StubTop, Right, StubTop);
            var top = StubTop + 12;
            Text(bill.UtilityName, heading, Margin, top, Accent);
            Text(T("RemittanceStub"), smallBold, Margin, top + 14, Muted);
            Text(T("PayableTo"), small, Margin, top + 30, Muted);
            var remitTop = top + 41;
            foreach (var part in bill.RemitTo.Split(", ", 2, StringSplitOptions.None))
            {
                Text(part, body, Margin, remitTop);
                remitTop += 11;
            }

            if (bill.PayUrl is { } payUrl)
            {
                // The QR code opens this bill's payment page in the portal: drawn as squares, crisp at any print resolution.
                using var generator = new QRCoder.QRCodeGenerator();
                using var data = generator.CreateQrCode(payUrl, QRCoder.QRCodeGenerator.ECCLevel.M);
                var modules = data.ModuleMatrix;
                var cell = QrSize / modules.Count;
                var ink = new XSolidBrush(Ink);
                for (var row = 0; row < modules.Count; row++)
                {
                    for (var column = 0; column < modules[row].Count; column++)
                    {
                        if (modules[row][column])
                        {
                            gfx.DrawRectangle(ink, QrLeft + (column * cell), top + (row * cell), cell + 0.05, cell + 0.05);
                        }
                    }
                }

                var caption = T("ScanToPay");
                Text(caption, small, QrLeft + ((QrSize - gfx.MeasureString(caption, small).Width) / 2), top + QrSize + 2, Muted);
            }

            Text(bill.CustomerName, bodyBold, Margin, top + 78);
            Text(T("ServiceAddressStub", bill.ServiceAddress), small, Margin, top + 90);

            var boxLeft = SummaryLeft - 20;
            gfx.DrawRectangle(new XPen(Muted, 0.5), new XSolidBrush(Band), boxLeft, top, Right - boxLeft, 96);
            var rows = new (string Label, string Value)[]
            {
                (T("AccountNumber"), bill.AccountNumber),
                (T("BillNumber"), bill.BillId.ToString(CultureInfo.InvariantCulture)),
                (T("DueDate"), Day(bill.DueDate)),
                (T("AmountDue"), Amount(bill.AmountToPayCents)),
            };
            var rowTop = top + 6;
            foreach (var (label, value) in rows)
            {
                Text(label, body, boxLeft + 8, rowTop, Muted);
                TextRight(value, bodyBold, Right - 8, rowTop);
                rowTop += 13;
            }

            Text(T("AmountEnclosed"), body, boxLeft + 8, rowTop + 12, Muted);
            gfx.DrawRectangle(new XPen(Ink, 0.75), Right - 98, rowTop + 8, 90, 18);
            Text("$", body, Right - 95, rowTop + 12);

            Text(bill.ScanLine, scan, Margin + 20, PageHeight - Margin - 14);
        }
    }
}
