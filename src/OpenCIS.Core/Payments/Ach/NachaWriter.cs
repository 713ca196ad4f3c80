using System.Globalization;
using System.Text;
using OpenCIS.Core.Common;

namespace OpenCIS.Core.Payments.Ach;

/// <summary>
/// Writes a <see cref="NachaFile"/> as text: 94-character records ending in a line feed, the batch
/// and file control records computed from the entries, and records of nines to fill the last block
/// of ten. Text fields are upper-cased, reduced to printable ASCII and cut to their width; a number
/// too long for its field is an error, never cut.
/// </summary>
public static class NachaWriter
{
    public const long AmountCentsMax = 99_999_999_99;

    public static string Write(NachaFile file)
    {
        var records = new List<string>(file.BlockCount * NachaFile.BlockingFactor) { FileHeader(file.Header) };
        foreach (var batch in file.Batches)
        {
            records.Add(BatchHeader(batch));
            foreach (var entry in batch.Entries)
            {
                records.Add(Entry(entry));
                if (entry.Return is { } addenda)
                {
                    records.Add(ReturnAddenda(addenda, entry.TraceNumber));
                }
            }

            records.Add(BatchControl(batch));
        }

        records.Add(FileControl(file));
        while (records.Count % NachaFile.BlockingFactor != 0)
        {
            records.Add(new string('9', NachaFile.RecordLength));
        }

        var text = new StringBuilder(records.Count * (NachaFile.RecordLength + 1));
        foreach (var record in records)
        {
            if (record.Length != NachaFile.RecordLength)
            {
                throw new InvalidOperationException($"A NACHA record came out {record.Length} characters long: '{record}'.");
            }

            text.Append(record).Append('\n');
        }

        return text.ToString();
    }

    private static string FileHeader(NachaFileHeader header) => string.Concat(
        "1",
        "01",
        Alpha(" " + header.ImmediateDestination, 10),
        Alpha(header.ImmediateOrigin.Length == 9 ? " " + header.ImmediateOrigin : header.ImmediateOrigin, 10),
        header.CreationDate.ToString("yyMMdd", CultureInfo.InvariantCulture),
        header.CreationTime.ToString("HHmm", CultureInfo.InvariantCulture),
        char.ToUpperInvariant(header.FileIdModifier).ToString(),
        "094",
        "10",
        "1",
        Alpha(header.DestinationName, 23),
        Alpha(header.OriginName, 23),
        Alpha(header.ReferenceCode, 8));

    private static string BatchHeader(NachaBatch batch) => string.Concat(
        "5",
        Number(batch.ServiceClassCode, 3),
        Alpha(batch.CompanyName, 16),
        Alpha("", 20),
        Alpha(batch.CompanyIdentification, 10),
        Alpha(batch.StandardEntryClass, 3),
        Alpha(batch.EntryDescription, 10),
        Alpha("", 6),
        batch.EffectiveEntryDate.ToString("yyMMdd", CultureInfo.InvariantCulture),
        "   ",
        "1",
        Digits(batch.OriginatingDfi, 8),
        Number(batch.BatchNumber, 7));

    private static string Entry(NachaEntry entry) => string.Concat(
        "6",
        Number(entry.TransactionCode, 2),
        Digits(entry.ReceivingDfi, 8),
        entry.CheckDigit.ToString(),
        AccountNumber(entry.DfiAccountNumber),
        Amount(entry.Amount, 10),
        Alpha(entry.IndividualIdentification, 15),
        Alpha(entry.IndividualName, 22),
        Alpha(entry.DiscretionaryData, 2),
        entry.Return is null ? "0" : "1",
        Digits(entry.TraceNumber, 15));

    private static string ReturnAddenda(NachaReturnAddenda addenda, string traceNumber) => string.Concat(
        "7",
        "99",
        Alpha(addenda.ReasonCode, 3),
        Digits(addenda.OriginalTraceNumber, 15),
        Alpha("", 6),
        Digits(addenda.OriginalReceivingDfi, 8),
        Alpha(addenda.Information, 44),
        Digits(traceNumber, 15));

    private static string BatchControl(NachaBatch batch) => string.Concat(
        "8",
        Number(batch.ServiceClassCode, 3),
        Number(batch.EntryAndAddendaCount, 6),
        Number(batch.EntryHash, 10),
        Amount(batch.TotalDebits, 12),
        Amount(batch.TotalCredits, 12),
        Alpha(batch.CompanyIdentification, 10),
        Alpha("", 19),
        Alpha("", 6),
        Digits(batch.OriginatingDfi, 8),
        Number(batch.BatchNumber, 7));

    private static string FileControl(NachaFile file) => string.Concat(
        "9",
        Number(file.Batches.Count, 6),
        Number(file.BlockCount, 6),
        Number(file.EntryAndAddendaCount, 8),
        Number(file.EntryHash, 10),
        Amount(file.TotalDebits, 12),
        Amount(file.TotalCredits, 12),
        Alpha("", 39));

    /// <summary>Upper case, printable ASCII only, left-justified and space-filled, cut to the width.</summary>
    internal static string Alpha(string? text, int width)
    {
        var cleaned = new StringBuilder(width);
        foreach (var c in (text ?? "").ToUpperInvariant())
        {
            if (cleaned.Length == width)
            {
                break;
            }

            cleaned.Append(c is >= ' ' and <= '~' ? c : ' ');
        }

        return cleaned.ToString().PadRight(width);
    }

    private static string AccountNumber(string accountNumber)
    {
        if (accountNumber.Length is 0 or > 17 || !accountNumber.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            throw new DomainException("A DFI account number is 1 to 17 letters, digits or hyphens.", "accountNumber");
        }

        return accountNumber.ToUpperInvariant().PadRight(17);
    }

    private static string Digits(string digits, int width)
    {
        if (digits.Length > width || !digits.All(char.IsAsciiDigit))
        {
            throw new ArgumentException($"'{digits}' is not a number of at most {width} digits.", nameof(digits));
        }

        return digits.PadLeft(width, '0');
    }

    private static string Number(long value, int width)
    {
        var text = value.ToString(CultureInfo.InvariantCulture);
        if (value < 0 || text.Length > width)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"A NACHA field of {width} digits cannot hold {value}.");
        }

        return text.PadLeft(width, '0');
    }

    private static string Amount(Money amount, int width)
    {
        if (amount.IsNegative)
        {
            throw new DomainException($"A NACHA amount cannot be negative ({amount}).", "amount");
        }

        return Number(amount.Cents, width);
    }
}
