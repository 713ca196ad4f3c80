using System.Globalization;
using OpenCIS.Core.Common;

namespace OpenCIS.Core.Payments.Ach;

/// <summary>A fault in a NACHA file: the 1-based record number, the field and what is wrong with it.</summary>
public sealed record NachaError(int RecordNumber, string Field, string Message)
{
    public override string ToString() => $"record {RecordNumber}, {Field}: {Message}";
}

/// <summary>An entry as read, with where it stood in the file (for error reports and returns).</summary>
public sealed record NachaReadEntry(int RecordNumber, string StandardEntryClass, DateOnly EffectiveEntryDate, NachaEntry Entry);

/// <summary>What <see cref="NachaReader.Read"/> found: the file when it is sound, and every fault otherwise.</summary>
public sealed record NachaReadResult(NachaFile? File, IReadOnlyList<NachaReadEntry> Entries, IReadOnlyList<NachaError> Errors)
{
    public bool IsValid => Errors.Count == 0 && File is not null;
}

/// <summary>
/// Reads and checks a NACHA file: every record 94 characters, the records in order (1, then batches
/// of 5, 6 with its 7, 8, then 9 and padding of nines), every numeric field numeric, every routing
/// number's check digit, every batch control and the file control against the entries (counts, entry
/// hash, debit and credit totals, batch and block counts) and the blocking in tens. It reports every
/// fault it finds by record and field rather than stopping at the first.
/// </summary>
public static class NachaReader
{
    /// <summary>A limit on what is read at all: 2 million records is 190 MB, far past a city's daily file.</summary>
    public const int RecordCountMax = 2_000_000;

    public static NachaReadResult Read(string text)
    {
        var reader = new State();
        var lines = text.Split('\n');
        var count = lines.Length;
        if (count > 0 && lines[^1].Length == 0)
        {
            count--;
        }

        if (count > RecordCountMax)
        {
            return new NachaReadResult(null, [], [new NachaError(RecordCountMax + 1, "file", $"More than {RecordCountMax:N0} records.")]);
        }

        for (var i = 0; i < count; i++)
        {
            reader.Take(i + 1, lines[i].TrimEnd('\r'));
        }

        return reader.Finish(count);
    }

    private enum Expect
    {
        FileHeader,
        BatchHeaderOrFileControl,
        EntryOrBatchControl,
        EntryAddendaOrBatchControl,
        Addenda,
        Padding,
    }

    private sealed class State
    {
        private readonly List<NachaError> errors = [];
        private readonly List<NachaReadEntry> entries = [];
        private readonly List<NachaBatch> batches = [];
        private Expect expect = Expect.FileHeader;
        private NachaFileHeader? header;
        private bool fileControlSeen;

        private int batchRecord;
        private int serviceClass;
        private string companyName = "";
        private string companyId = "";
        private string entryClass = "";
        private string description = "";
        private DateOnly effective;
        private string originatingDfi = "";
        private int batchNumber;
        private List<NachaEntry> batchEntries = [];
        private NachaEntry? pendingEntry;
        private int pendingEntryRecord;

        public void Take(int number, string record)
        {
            if (record.Length != NachaFile.RecordLength)
            {
                Error(number, "record length", $"is {record.Length} characters; every record is {NachaFile.RecordLength}.");
                return;
            }

            var control = record.AsSpan().IndexOfAnyInRange('\0', '\u001f');
            if (control >= 0)
            {
                Error(number, "record", $"holds a control character (U+{(int)record[control]:X4}) at position {control + 1}; a NACHA record is printable text.");
                return;
            }

            var type = record[0];
            if (expect == Expect.Padding)
            {
                if (record.Any(c => c != '9'))
                {
                    Error(number, "record type", "only records of nines may follow the file control record.");
                }

                return;
            }

            switch (type)
            {
                case '1' when expect == Expect.FileHeader:
                    ReadFileHeader(number, record);
                    expect = Expect.BatchHeaderOrFileControl;
                    break;
                case '5' when expect == Expect.BatchHeaderOrFileControl:
                    ReadBatchHeader(number, record);
                    expect = Expect.EntryOrBatchControl;
                    break;
                case '6' when expect is Expect.EntryOrBatchControl or Expect.EntryAddendaOrBatchControl:
                    FlushEntry();
                    ReadEntry(number, record);
                    break;
                case '7' when expect == Expect.Addenda:
                    ReadAddenda(number, record);
                    expect = Expect.EntryAddendaOrBatchControl;
                    break;
                case '8' when expect is Expect.EntryAddendaOrBatchControl:
                    FlushEntry();
                    ReadBatchControl(number, record);
                    expect = Expect.BatchHeaderOrFileControl;
                    break;
                case '9' when expect == Expect.BatchHeaderOrFileControl:
                    ReadFileControl(number, record);
                    expect = Expect.Padding;
                    fileControlSeen = true;
                    break;
                default:
                    Error(number, "record type", $"'{type}' where {Describe(expect)} was expected.");
                    break;
            }
        }

        public NachaReadResult Finish(int recordCount)
        {
            if (recordCount == 0)
            {
                Error(1, "file", "The file is empty.");
            }
            else if (!fileControlSeen)
            {
                Error(recordCount, "file control", "The file ends without a file control (9) record.");
            }

            if (recordCount > 0 && recordCount % NachaFile.BlockingFactor != 0)
            {
                Error(recordCount, "blocking", $"{recordCount} records is not a multiple of the blocking factor {NachaFile.BlockingFactor}.");
            }

            var file = errors.Count == 0 && header is not null ? new NachaFile(header, batches) : null;
            return new NachaReadResult(file, entries, errors);
        }

        private void ReadFileHeader(int number, string record)
        {
            Expected(number, record, 2, "01", "priority code");
            Expected(number, record, 35, "094", "record size");
            Expected(number, record, 38, "10", "blocking factor");
            Expected(number, record, 40, "1", "format code");
            var date = Date(number, record, 24, "file creation date") ?? default;
            var time = TimeOnly.TryParseExact(Field(record, 30, 4), "HHmm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : default;
            header = new NachaFileHeader(
                Field(record, 4, 10).Trim(), Field(record, 14, 10).Trim(), date, time, record[33],
                Field(record, 41, 23).TrimEnd(), Field(record, 64, 23).TrimEnd(), Field(record, 87, 8).TrimEnd());
        }

        private void ReadBatchHeader(int number, string record)
        {
            batchRecord = number;
            serviceClass = (int)(Numeric(number, record, 2, 3, "service class code") ?? 0);
            if (serviceClass is not (NachaBatch.MixedServiceClass or NachaBatch.CreditsOnlyServiceClass or NachaBatch.DebitsOnlyServiceClass))
            {
                Error(number, "service class code", $"'{Field(record, 2, 3)}' is not 200, 220 or 225.");
            }

            companyName = Field(record, 5, 16).TrimEnd();
            companyId = Field(record, 41, 10).TrimEnd();
            entryClass = Field(record, 51, 3).TrimEnd();
            if (entryClass.Length != 3 || !entryClass.All(char.IsAsciiLetterUpper))
            {
                Error(number, "standard entry class code", $"'{entryClass}' is not a three-letter code.");
            }

            description = Field(record, 54, 10).TrimEnd();
            effective = Date(number, record, 70, "effective entry date") ?? default;
            originatingDfi = Field(record, 80, 8);
            Numeric(number, record, 80, 8, "originating DFI identification");
            batchNumber = (int)(Numeric(number, record, 88, 7, "batch number") ?? 0);
            batchEntries = [];
        }

        private void ReadEntry(int number, string record)
        {
            var code = (int)(Numeric(number, record, 2, 2, "transaction code") ?? 0);
            if (!AchTransactionCodes.IsKnown(code))
            {
                Error(number, "transaction code", $"'{Field(record, 2, 2)}' is not a transaction code for a checking or savings account.");
            }

            var dfi = Field(record, 4, 8);
            var checkDigit = record[11];
            if (Numeric(number, record, 4, 9, "receiving DFI identification") is not null && !RoutingNumbers.IsValid(dfi + checkDigit))
            {
                Error(number, "check digit", $"{dfi}{checkDigit} fails the routing number check digit (expected {RoutingNumbers.CheckDigit(dfi)}).");
            }

            var account = Field(record, 13, 17).TrimEnd();
            if (account.Length == 0)
            {
                Error(number, "DFI account number", "is blank.");
            }

            var amount = Money.FromCents(Numeric(number, record, 30, 10, "amount") ?? 0);
            if (code % 10 == 8 && !amount.IsZero)
            {
                Error(number, "amount", $"a prenote (transaction code {code}) carries no money, but this one is {amount}.");
            }

            var addendaIndicator = record[78];
            if (addendaIndicator is not ('0' or '1'))
            {
                Error(number, "addenda record indicator", $"'{addendaIndicator}' is not 0 or 1.");
            }

            var trace = Field(record, 80, 15);
            Numeric(number, record, 80, 15, "trace number");
            pendingEntry = new NachaEntry(code, dfi, checkDigit, account, amount, Field(record, 40, 15).TrimEnd(), Field(record, 55, 22).TrimEnd(), Field(record, 77, 2).TrimEnd(), trace);
            pendingEntryRecord = number;
            expect = addendaIndicator == '1' ? Expect.Addenda : Expect.EntryAddendaOrBatchControl;
        }

        private void ReadAddenda(int number, string record)
        {
            Expected(number, record, 2, "99", "addenda type code");
            var reason = Field(record, 4, 3).TrimEnd();
            Numeric(number, record, 7, 15, "original entry trace number");
            Numeric(number, record, 28, 8, "original receiving DFI identification");
            var trace = Field(record, 80, 15);
            if (pendingEntry is not null && trace != pendingEntry.TraceNumber)
            {
                Error(number, "trace number", $"{trace} is not the trace number of the entry it belongs to ({pendingEntry.TraceNumber}).");
            }

            if (pendingEntry is not null)
            {
                pendingEntry = pendingEntry with
                {
                    Return = new NachaReturnAddenda(reason, Field(record, 7, 15), Field(record, 28, 8), Field(record, 36, 44).TrimEnd()),
                };
            }
        }

        private void FlushEntry()
        {
            if (pendingEntry is null)
            {
                return;
            }

            batchEntries.Add(pendingEntry);
            entries.Add(new NachaReadEntry(pendingEntryRecord, entryClass, effective, pendingEntry));
            pendingEntry = null;
        }

        private void ReadBatchControl(int number, string record)
        {
            var batch = new NachaBatch(serviceClass, companyName, companyId, entryClass, description, effective, originatingDfi, batchNumber, batchEntries);
            batches.Add(batch);
            if (batchEntries.Count == 0)
            {
                Error(batchRecord, "entries", "the batch has no entries.");
            }

            Compare(number, "service class code", Numeric(number, record, 2, 3, "service class code"), serviceClass);
            Compare(number, "entry/addenda count", Numeric(number, record, 5, 6, "entry/addenda count"), batch.EntryAndAddendaCount);
            Compare(number, "entry hash", Numeric(number, record, 11, 10, "entry hash"), batch.EntryHash);
            Compare(number, "total debit entry dollar amount", Numeric(number, record, 21, 12, "total debit entry dollar amount"), batch.TotalDebits.Cents);
            Compare(number, "total credit entry dollar amount", Numeric(number, record, 33, 12, "total credit entry dollar amount"), batch.TotalCredits.Cents);
            Compare(number, "batch number", Numeric(number, record, 88, 7, "batch number"), batchNumber);
            if (serviceClass == NachaBatch.DebitsOnlyServiceClass && !batch.TotalCredits.IsZero)
            {
                Error(number, "total credit entry dollar amount", "a debits-only batch (225) carries credits.");
            }
        }

        private void ReadFileControl(int number, string record)
        {
            var file = new NachaFile(header ?? new NachaFileHeader("", "", default, default, ' ', "", "", ""), batches);
            Compare(number, "batch count", Numeric(number, record, 2, 6, "batch count"), batches.Count);
            Compare(number, "block count", Numeric(number, record, 8, 6, "block count"), file.BlockCount);
            Compare(number, "entry/addenda count", Numeric(number, record, 14, 8, "entry/addenda count"), file.EntryAndAddendaCount);
            Compare(number, "entry hash", Numeric(number, record, 22, 10, "entry hash"), file.EntryHash);
            Compare(number, "total debit entry dollar amount", Numeric(number, record, 32, 12, "total debit entry dollar amount"), file.TotalDebits.Cents);
            Compare(number, "total credit entry dollar amount", Numeric(number, record, 44, 12, "total credit entry dollar amount"), file.TotalCredits.Cents);
        }

        private void Compare(int number, string field, long? stated, long computed)
        {
            if (stated is { } value && value != computed)
            {
                Error(number, field, $"says {value} but the entries give {computed}.");
            }
        }

        private void Expected(int number, string record, int column, string value, string field)
        {
            var actual = Field(record, column, value.Length);
            if (actual != value)
            {
                Error(number, field, $"is '{actual}', expected '{value}'.");
            }
        }

        private long? Numeric(int number, string record, int column, int width, string field)
        {
            var text = Field(record, column, width);
            if (!text.All(char.IsAsciiDigit))
            {
                Error(number, field, $"'{text}' (columns {column}-{column + width - 1}) is not numeric.");
                return null;
            }

            return long.Parse(text, CultureInfo.InvariantCulture);
        }

        private DateOnly? Date(int number, string record, int column, string field)
        {
            var text = Field(record, column, 6);
            if (DateOnly.TryParseExact(text, "yyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return date;
            }

            Error(number, field, $"'{text}' is not a date (YYMMDD).");
            return null;
        }

        private void Error(int number, string field, string message) => errors.Add(new NachaError(number, field, message));

        private static string Field(string record, int column, int width) => record.Substring(column - 1, width);

        private static string Describe(Expect expect) => expect switch
        {
            Expect.FileHeader => "a file header (1)",
            Expect.BatchHeaderOrFileControl => "a batch header (5) or the file control (9)",
            Expect.EntryOrBatchControl => "an entry (6)",
            Expect.EntryAddendaOrBatchControl => "an entry (6) or a batch control (8)",
            Expect.Addenda => "the addenda (7) its entry announced",
            _ => "padding of nines",
        };
    }
}
