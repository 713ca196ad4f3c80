using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage;

namespace OpenCIS.UseCases.Reports;

/// <summary>A sheet to write: a header row, then rows whose cells are text, counts or money.</summary>
public sealed record ReportSheet(string Name, IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<object>> Rows);

/// <summary>
/// XLSX workbooks for finance (trial balance, aging), written with the Open XML SDK. Money is a
/// number in dollars with a currency format, so sums in the spreadsheet match the report.
/// </summary>
public static class ReportWorkbook
{
    /// <summary>Style indexes of the stylesheet below.</summary>
    private const uint HeaderStyle = 1, CurrencyStyle = 2;

    private const uint CurrencyFormatId = 164;

    public static byte[] Write(IReadOnlyList<ReportSheet> sheets)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbookPart = document.AddWorkbookPart();
            workbookPart.Workbook = new Workbook();
            var styles = workbookPart.AddNewPart<WorkbookStylesPart>();
            styles.Stylesheet = Stylesheet();
            var sheetList = workbookPart.Workbook.AppendChild(new Sheets());
            uint sheetId = 1;
            foreach (var sheet in sheets)
            {
                var worksheetPart = workbookPart.AddNewPart<WorksheetPart>();
                var data = new SheetData();
                data.AppendChild(Row(sheet.Header.Cast<object>().ToList(), HeaderStyle));
                foreach (var row in sheet.Rows)
                {
                    data.AppendChild(Row(row, 0));
                }

                worksheetPart.Worksheet = new Worksheet(data);
                sheetList.AppendChild(new Sheet { Id = workbookPart.GetIdOfPart(worksheetPart), SheetId = sheetId++, Name = sheet.Name });
            }

            workbookPart.Workbook.Save();
        }

        return stream.ToArray();
    }

    public static byte[] TrialBalance(PeriodTrialBalance trialBalance) => Write(
    [
        new ReportSheet($"Trial balance {trialBalance.From:yyyy-MM}", ["GL account", "Name", "Fund", "Department", "Opening", "Debits", "Credits", "Closing"],
        [
            .. trialBalance.Rows.Select(r => (IReadOnlyList<object>)[r.GlAccount, r.Name, r.Fund, r.Department, r.Opening, r.Debits, r.Credits, r.Closing]),
            ["Total", $"{trialBalance.From:yyyy-MM-dd} through {trialBalance.Through:yyyy-MM-dd}", "", "", trialBalance.TotalOpening, trialBalance.TotalDebits, trialBalance.TotalCredits, trialBalance.TotalClosing],
            ["Sub-ledger", $"Customer balances at {trialBalance.Through:yyyy-MM-dd}", "", "", "", "", "", trialBalance.SubLedgerAtClose],
        ]),
    ]);

    public static byte[] Aging(ReceivablesAgingReport aging) => Write(
    [
        new ReportSheet("Summary", ["Class", "Accounts", "Current", "1-30", "31-60", "61-90", "90+", "Total"],
        [
            .. aging.ByClass.Select(c => (IReadOnlyList<object>)[c.Class, c.Accounts, .. Cells(c.Buckets)]),
            ["Total", aging.AccountCount, .. Cells(aging.Totals)],
        ]),
        new ReportSheet("Detail", ["Account", "Class", "Current", "1-30", "31-60", "61-90", "90+", "Total"],
            [.. aging.Accounts.Select(a => (IReadOnlyList<object>)[a.AccountNumber, a.Class, .. Cells(a.Buckets)])]),
        new ReportSheet("By type", ["Type", "Name", "Current", "1-30", "31-60", "61-90", "90+", "Total"],
        [
            .. aging.ByType.Select(t => (IReadOnlyList<object>)[t.Code, t.Name, .. Cells(t.Buckets)]),
            ["Total", "", .. Cells(aging.Totals)],
        ]),
    ]);

    /// <summary>A trend chart's figures on one sheet named by its key: a row per month, money in dollars, counts and days as numbers, a blank where a series has no value.</summary>
    public static byte[] Trend(Core.Reports.TrendChart chart) => Write(
    [
        new ReportSheet(chart.Key, ["Month", .. chart.Series.Select(s => s.Name)],
            [.. chart.Months.Select((month, m) => (IReadOnlyList<object>)[month.ToString(), .. chart.Series.Select(s => TrendCell(chart.Unit, s.Values[m]))])]),
    ]);

    private static object TrendCell(Core.Reports.TrendUnit unit, long? value) => value switch
    {
        null => "",
        { } cents when unit == Core.Reports.TrendUnit.Money => Money.FromCents(cents),
        { } number => checked((int)number),
    };

    private static object[] Cells(PastDueBuckets b) => [b.Current, b.Days1To30, b.Days31To60, b.Days61To90, b.Over90, b.Total];

    private static Row Row(IReadOnlyList<object> values, uint textStyle)
    {
        var row = new Row();
        foreach (var value in values)
        {
            row.AppendChild(value switch
            {
                Money money => new Cell { CellValue = new CellValue(money.Dollars), DataType = CellValues.Number, StyleIndex = CurrencyStyle },
                int count => new Cell { CellValue = new CellValue(count), DataType = CellValues.Number },
                string text => new Cell { InlineString = new InlineString(new Text(text)), DataType = CellValues.InlineString, StyleIndex = textStyle },
                _ => throw new ArgumentException($"A workbook cell cannot hold a {value.GetType().Name}.", nameof(values)),
            });
        }

        return row;
    }

    private static Stylesheet Stylesheet() => new(
        new NumberingFormats(new NumberingFormat { NumberFormatId = CurrencyFormatId, FormatCode = "\"$\"#,##0.00;[Red]-\"$\"#,##0.00" }) { Count = 1 },
        new Fonts(new Font(), new Font(new Bold())) { Count = 2 },
        new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
        new Borders(new Border()) { Count = 1 },
        new CellFormats(
            new CellFormat(),
            new CellFormat { FontId = 1, ApplyFont = true },
            new CellFormat { NumberFormatId = CurrencyFormatId, ApplyNumberFormat = true }) { Count = 3 });

    /// <summary>Reads a sheet back as text and numbers: for tests and for checking a file before it is sent.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Read(Stream workbook, string sheetName)
    {
        using var document = SpreadsheetDocument.Open(workbook, false);
        var workbookPart = document.WorkbookPart ?? throw new InvalidDataException("The workbook has no workbook part.");
        var sheet = workbookPart.Workbook.Descendants<Sheet>().FirstOrDefault(s => s.Name == sheetName) ?? throw new InvalidDataException($"The workbook has no sheet '{sheetName}'.");
        var part = (WorksheetPart)workbookPart.GetPartById(sheet.Id!);
        return [.. part.Worksheet.Descendants<Row>().Select(r => (IReadOnlyList<string>)[.. r.Elements<Cell>().Select(c => c.InlineString?.InnerText ?? c.CellValue?.Text ?? "")])];
    }
}
