using System.Text;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Billing;
using OpenCIS.UseCases.Billing;
using PdfSharp.Pdf.IO;

namespace OpenCIS.Tests.Billing;

public sealed class BillPdfTests
{
    /// <summary>A bill shaped like the demo city's: metered water with an estimated read, sewer on water use, one trash cart.</summary>
    public static BillDocument DemoLikeBill(int extraTrashLines = 0)
    {
        var dueDate = new DateOnly(2026, 11, 30);
        return new BillDocument(
            BillId: 4321,
            Status: "Issued",
            BillingRunId: 12,
            AccountNumber: "00000018",
            CustomerName: "Maria Lopez",
            MailingAddress: new PostalAddress("PO Box 77", "Riverbend", "OR", "97402"),
            ServiceAddress: new PostalAddress("1 Test St", "Riverbend", "OR", "97401"),
            BillDate: new DateOnly(2026, 11, 6),
            DueDate: dueDate,
            PeriodStart: new DateOnly(2026, 10, 6),
            PeriodEnd: new DateOnly(2026, 11, 5),
            PreviousBalanceCents: 8_412,
            PaymentsCents: -8_412,
            AdjustmentsCents: -500,
            CurrentChargesCents: 9_137,
            AmountDueCents: 8_637,
            ActivitySinceLastBill:
            [
                new BillActivity(new DateOnly(2026, 10, 20), "Payment", "Check payment, reference 1042", -8_412),
                new BillActivity(new DateOnly(2026, 10, 28), "Adjustment", "Leak allowance", -500),
            ],
            Segments:
            [
                new BillDocumentSegment("Water", "W-RES", "Residential Water", "W0000001", 120_400, new DateOnly(2026, 10, 5), 127_900, new DateOnly(2026, 11, 5), true, 1m, 7_500m, "gal", 5_037,
                    [
                        new BillDocumentLine(1, "BASE", "Water base charge", 1_850, "5/8\" meter: $18.50 per bill"),
                        new BillDocumentLine(2, "T1", "Water use, tier 1", 1_800, "Tier 1: 4,000 gal x $4.50 per 1,000 gal = $18.00"),
                        new BillDocumentLine(3, "T2", "Water use, tier 2", 1_387, "Tier 2: 3,500 gal x $3.9629 per 1,000 gal = $13.87"),
                    ],
                    []),
                new BillDocumentSegment("Sewer", "S-RES", "Residential Sewer", null, null, null, null, null, false, null, 7_500m, "gal", 2_800,
                    [new BillDocumentLine(1, "SEW", "Sewer use", 2_800, "Winter average cap 8,000 gal; billed 7,500 gal x $3.7333 per 1,000 gal = $28.00")],
                    []),
                new BillDocumentSegment("Trash", "T-RES", "Residential Trash", null, null, null, null, null, false, null, null, null, 1_300 + (extraTrashLines * 100),
                    [
                        new BillDocumentLine(1, "CART", "Trash cart", 1_300, "1 cart x $13.00 per month = $13.00"),
                        .. Enumerable.Range(1, extraTrashLines).Select(i => new BillDocumentLine(1 + i, $"X{i}", $"Extra pickup {i}", 100, $"1 pickup x $1.00 = $1.00 (line {i})")),
                    ],
                    []),
            ],
            LateChargeNotice: BillSettings.Default.LateChargeNotice(dueDate),
            ScanLine: ScanLine.For("00000018", 4321, Money.FromCents(8_637), dueDate).ToString(),
            UtilityName: BillSettings.Default.UtilityName,
            UtilityAddress: BillSettings.Default.UtilityAddress,
            UtilityPhone: BillSettings.Default.UtilityPhone,
            RemitTo: BillSettings.Default.RemitTo,
            Messages: []);
    }

    [Fact]
    public void A_bill_prints_everything_a_regulator_asks_for()
    {
        var bill = DemoLikeBill();

        var rendered = BillPdf.Render(bill);
        SaveForLooking(rendered, "bill.pdf");

        var text = rendered.Text;
        string[] required =
        [
            "City of Riverbend Utilities", "Maria Lopez", "PO Box 77", "Riverbend, OR 97402",
            "1 Test St, Riverbend, OR 97401", "Oct 6, 2026 to Nov 5, 2026 (31 days)",
            "00000018", "Nov 6, 2026", "Nov 30, 2026",
            "W0000001", "120,400", "Oct 5, 2026", "127,900", "Nov 5, 2026", "Estimated", "1", "7,500 gal",
            "Water: Residential Water (W-RES), 7,500 gal", "Sewer: Residential Sewer (S-RES), 7,500 gal", "Trash: Residential Trash (T-RES)",
            "Water base charge", "$18.50", "Tier 2: 3,500 gal x $3.9629 per 1,000 gal = $13.87", "$50.37", "$28.00", "$13.00",
            "Previous balance", "$84.12", "Payments", "-$84.12", "Adjustments", "-$5.00", "Current charges", "$91.37", "Amount due", "$86.37",
            "Check payment, reference 1042", "Leak allowance",
            "Late charge notice", "Remittance stub", "Amount enclosed",
            bill.ScanLine,
        ];
        var missing = required.Where(item => !text.Contains(item)).ToList();
        Assert.True(missing.Count == 0, $"missing from the PDF: {string.Join(" | ", missing)}");
        Assert.Contains(text, t => t.StartsWith("A late charge of 10%", StringComparison.Ordinal));
        Assert.True(ScanLine.IsValid(bill.ScanLine));
    }

    [Fact]
    public void A_bill_prints_its_own_words_in_the_customers_language_and_the_citys_words_as_the_city_wrote_them()
    {
        var rendered = BillPdf.Render(DemoLikeBill() with { Language = "es" });
        SaveForLooking(rendered, "bill-es.pdf");

        var text = rendered.Text;
        string[] required =
        [
            "Número de cuenta", "Fecha de vencimiento", "30 nov 2026", "6 oct 2026 al 5 nov 2026 (31 días)", "Lecturas del medidor", "Estimada",
            "Cargos del período", "Resumen de la cuenta", "Saldo anterior", "Pagos", "Ajustes", "Importe a pagar", "$86.37",
            "Aviso de cargo por mora", "Talón de pago", "Importe adjunto",
            "Water base charge", "Tier 2: 3,500 gal x $3.9629 per 1,000 gal = $13.87",
        ];
        var missing = required.Where(item => !text.Contains(item)).ToList();
        Assert.True(missing.Count == 0, $"missing from the Spanish PDF: {string.Join(" | ", missing)}");
        Assert.DoesNotContain("Amount due", text);
        Assert.DoesNotContain("Account summary", text);
    }

    [Fact]
    public void Every_text_of_the_bill_has_its_spanish()
    {
        var missing = BillText.Keys().Where(key => !BillText.HasSpanish(key)).ToList();
        Assert.True(missing.Count == 0, $"no Spanish for: {string.Join(", ", missing)}");
        Assert.True(BillText.Keys().Count >= 40);
    }

    [Fact]
    public void Every_word_a_letter_or_notice_fills_in_has_its_text_in_both_languages()
    {
        // Each kind's subject, each service's name, each resolution a decision letter can carry.
        var keys = OpenCIS.UseCases.Collections.NoticeTemplates.NoticeKinds.Select(k => $"NoticeSubject_{k}")
            .Concat(OpenCIS.UseCases.Collections.NoticeTemplates.LetterKinds.Select(k => $"LetterSubject_{k}"))
            .Concat(Enum.GetNames<OpenCIS.Core.Billing.Service>().Select(s => $"Service_{s}"))
            .Concat(new[] { OpenCIS.Core.Cases.CaseKind.BillingDispute, OpenCIS.Core.Cases.CaseKind.HighBillInvestigation }
                .SelectMany(kind => OpenCIS.Core.Cases.CaseTypes.For(kind).Resolutions).Select(r => $"Resolution_{r}"));
        var missing = keys.Where(key => !BillText.Keys().Contains(key) || !BillText.HasSpanish(key)).ToList();
        Assert.True(missing.Count == 0, $"missing: {string.Join(", ", missing)}");
        Assert.Equal("3 de diciembre de 2026", BillText.LongDate("es", new DateOnly(2026, 12, 3)));
        Assert.Equal("December 3, 2026", BillText.LongDate("en", new DateOnly(2026, 12, 3)));
        Assert.Equal("agua, alcantarillado y basura", BillText.List("es", ["agua", "alcantarillado", "basura"]));
    }

    [Fact]
    public void A_bills_messages_print_beside_the_charges_on_one_page_and_long_ones_in_a_box_after_them()
    {
        var short_ = DemoLikeBill() with { Messages = ["Water main work on Oak Street in May: expect low pressure.", "Pay online at riverbend.example."] };
        var rendered = BillPdf.Render(short_);
        SaveForLooking(rendered, "bill-messages.pdf");
        Assert.Equal(1, rendered.Pages);
        var text = rendered.Text.ToList();
        var messages = text.IndexOf("Messages");
        Assert.True(messages >= 0 && messages < text.IndexOf("Total current charges"), "short messages are drawn beside the charges, under the account summary");
        Assert.Contains("Pay online at riverbend.example.", text);

        // Five messages of 500 characters do not fit beside the charges: they are boxed after them, every word printed.
        var words = string.Join(' ', Enumerable.Repeat("notice", 71)) + " end.";
        var long_ = DemoLikeBill() with { Messages = [.. Enumerable.Range(1, 5).Select(i => $"{i}: {words}"[..500].Trim())] };
        var boxed = BillPdf.Render(long_).Text.ToList();
        Assert.True(boxed.IndexOf("Messages") > boxed.IndexOf("Total current charges") && boxed.IndexOf("Messages") < boxed.IndexOf("Late charge notice"));
        var printed = string.Join(' ', boxed.Skip(boxed.IndexOf("Messages") + 1).TakeWhile(t => t != "Late charge notice"));
        Assert.Equal(string.Join(' ', long_.Messages), printed);
    }

    [Fact]
    public void A_bill_with_a_portal_carries_a_qr_code_to_its_payment_page_on_the_stub()
    {
        var url = BillSettings.Default.PayUrl("00000018", 4321);
        Assert.Equal("http://localhost:5080/portal/accounts/00000018/pay?bill=4321", url);
        var with = BillPdf.Render(DemoLikeBill() with { PayUrl = url });
        var without = BillPdf.Render(DemoLikeBill());

        Assert.Contains("Scan to pay online", with.Text);
        Assert.DoesNotContain("Scan to pay online", without.Text);
        // The code's squares make the page's drawing longer.
        Assert.True(with.Pdf.Length > without.Pdf.Length + 500, $"{with.Pdf.Length} against {without.Pdf.Length} bytes");
    }

    [Fact]
    public void The_file_is_a_pdf_that_reads_back_with_its_fonts_embedded()
    {
        var rendered = BillPdf.Render(DemoLikeBill());

        Assert.StartsWith("%PDF-", Encoding.ASCII.GetString(rendered.Pdf, 0, 5), StringComparison.Ordinal);
        using var read = PdfReader.Open(new MemoryStream(rendered.Pdf), PdfDocumentOpenMode.Import);
        Assert.Equal(1, read.PageCount);
        Assert.Equal(612, read.Pages[0].Width.Point, 1);
        Assert.Equal(792, read.Pages[0].Height.Point, 1);
        Assert.Equal("Bill 4321 for account 00000018", read.Info.Title);
        var bytes = Encoding.Latin1.GetString(rendered.Pdf);
        // Subset font names: "ABCDEF+Liberation Sans", written in the PDF as Liberation#20Sans.
        Assert.Matches("/BaseFont */[A-Z]{6}\\+Liberation#20Sans", bytes);
        Assert.Matches("/BaseFont */[A-Z]{6}\\+Liberation#20Mono", bytes);
    }

    [Fact]
    public void Charges_that_do_not_fit_continue_on_a_second_page_above_nothing_but_the_first_page_keeps_the_stub()
    {
        var rendered = BillPdf.Render(DemoLikeBill(extraTrashLines: 20));
        SaveForLooking(rendered, "bill-long.pdf");

        Assert.Equal(2, rendered.Pages);
        Assert.Contains(rendered.Text, t => t.Contains("(continued, page 2)", StringComparison.Ordinal));
        Assert.Contains("Continued on page 2", rendered.Text);
        Assert.Contains("Extra pickup 20", rendered.Text);
        Assert.Single(rendered.Text, t => t == "Remittance stub");
        using var read = PdfReader.Open(new MemoryStream(rendered.Pdf), PdfDocumentOpenMode.Import);
        Assert.Equal(2, read.PageCount);
    }

    [Fact]
    public void A_meter_exchanged_in_the_period_prints_its_final_read_and_a_canceled_bill_says_not_to_pay()
    {
        var bill = DemoLikeBill();
        var water = bill.Segments[0] with { RemovedMeters = [new BillDocumentRemovedMeter("W0000999", 98_000, new DateOnly(2026, 10, 5), 99_100, new DateOnly(2026, 10, 20), 1m)] };
        var canceled = bill with { Status = "Canceled", Segments = [water, .. bill.Segments.Skip(1)] };

        var rendered = BillPdf.Render(canceled);

        Assert.Contains("W0000999", rendered.Text);
        Assert.Contains("99,100", rendered.Text);
        Assert.Contains("Oct 20, 2026", rendered.Text);
        Assert.Contains("Final (removed)", rendered.Text);
        Assert.Contains("CANCELED - DO NOT PAY", rendered.Text);
        Assert.DoesNotContain("Utility Bill", rendered.Text);
        Assert.Contains("was removed on Oct 20, 2026 with a final read of 99,100", water.ReadsInWords, StringComparison.Ordinal);
        Assert.Contains("(all meters of the period together)", water.ReadsInWords, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_bill_renders_the_same_text_in_a_file_of_the_same_size()
    {
        var first = BillPdf.Render(DemoLikeBill());
        var second = BillPdf.Render(DemoLikeBill());

        Assert.Equal(first.Text, second.Text);
        Assert.Equal(first.Pdf.Length, second.Pdf.Length);
    }

    /// <summary>With OPENCIS_SCREENSHOTS set, the rendered PDF is kept there to look at (pdftoppm -png).</summary>
    private static void SaveForLooking(RenderedBill rendered, string name)
    {
        if (Environment.GetEnvironmentVariable("OPENCIS_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(Path.Combine(folder, name), rendered.Pdf);
        }
    }
}
