using System.Globalization;
using System.Text;
using OpenCIS.Core.Common;

namespace OpenCIS.Core.Payments;

/// <summary>A problem in a BAI2 file: the physical record (line) it starts on and the field at fault.</summary>
public sealed record Bai2Error(int Record, string Field, string Message)
{
    public override string ToString() => $"record {Record}, field {Field}: {Message}";
}

/// <summary>
/// One lockbox item: a credit (type codes 100-399) of a 16 transaction detail record.
/// <see cref="CustomerReference"/> is the 16 record's customer reference number (field 6): the
/// utility account number the bank keyed or scanned from the remittance stub. It is kept as
/// written; whether it names an account is for the importer to decide (an unknown one goes to
/// suspense, it is not a bad file). <see cref="BankReference"/> (field 5) is the item's own
/// reference at the bank (check serial or item sequence) and becomes the payment's reference.
/// </summary>
public sealed record LockboxItem(int Record, string CustomerReference, Money Amount, DateOnly DepositDate, string TypeCode, string? BankReference, string? Text);

/// <summary>A BAI2 file whose structure, record counts and control totals all check out.</summary>
public sealed record Bai2File(string SenderId, string ReceiverId, DateOnly CreatedOn, string FileId, int GroupCount, int RecordCount, Money ControlTotal, IReadOnlyList<LockboxItem> Items);

/// <summary>Either a checked file or every error found in it (never both).</summary>
public sealed record Bai2ParseResult(Bai2File? File, IReadOnlyList<Bai2Error> Errors)
{
    public bool IsValid => File is not null;
}

/// <summary>
/// Reads a BAI2 (Bank Administration Institute, version 2) lockbox file. Records are comma
/// separated and end with '/'; an 88 record continues the record before it. Checked: the record
/// order (01 (02 (03 16* 49)* 98)* 99), and at each level the control total (49: every amount of
/// its 03 and 16 records; 98: the sum of its 49 totals; 99: the sum of its 98 totals) and the
/// record count (49: 03 through 49; 98: 02 through 98; 99: 01 through 99, continuations included).
/// Amounts are whole cents (BAI2's implied two decimals). Items take the as-of date of their group
/// (the deposit date). The core keeps no I/O: the caller hands it the text.
/// </summary>
public static class Bai2Parser
{
    /// <summary>A limit on what one file may hold, so a runaway file is refused rather than read.</summary>
    public const int MaximumRecords = 2_000_000;

    private const long MaximumAmountCents = 999_999_999_999_999;

    private sealed record Record(int Number, string Code, string[] Fields, int PhysicalCount);

    public static Bai2ParseResult Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var errors = new List<Bai2Error>();
        var records = Records(text, errors);
        if (errors.Count > 0)
        {
            return new Bai2ParseResult(null, errors);
        }

        var items = new List<LockboxItem>();
        var position = 0;
        Record? Next() => position < records.Count ? records[position] : null;

        var header = Next();
        if (header is null || header.Code != "01")
        {
            errors.Add(new Bai2Error(header?.Number ?? 1, "record code", "a BAI2 file starts with a 01 file header"));
            return new Bai2ParseResult(null, errors);
        }

        position++;
        var senderId = FieldAt(header, 1);
        var receiverId = FieldAt(header, 2);
        var createdOn = ParseDate(header, 3, "file creation date", errors);
        var fileId = FieldAt(header, 5);
        if (FieldAt(header, 8) is var version && version != "2")
        {
            errors.Add(new Bai2Error(header.Number, "version number", $"'{version}' is not 2; only BAI version 2 files are read"));
        }

        long fileTotal = 0;
        var fileRecords = header.PhysicalCount;
        var groups = 0;
        while (Next() is { Code: "02" } groupHeader)
        {
            position++;
            groups++;
            var asOf = ParseDate(groupHeader, 4, "as-of date", errors);
            long groupTotal = 0;
            var groupRecords = groupHeader.PhysicalCount;
            var accounts = 0;
            while (Next() is { Code: "03" } account)
            {
                position++;
                accounts++;
                long accountTotal = SummaryTotal(account, errors);
                var accountRecords = account.PhysicalCount;
                while (Next() is { Code: "16" } detail)
                {
                    position++;
                    accountRecords += detail.PhysicalCount;
                    if (Detail(detail, asOf, errors) is { } item)
                    {
                        items.Add(item);
                        accountTotal += item.Amount.Cents;
                    }
                }

                if (Next() is not { Code: "49" } accountTrailer)
                {
                    errors.Add(Unexpected(Next(), header, "49 account trailer"));
                    return new Bai2ParseResult(null, errors);
                }

                position++;
                accountRecords += accountTrailer.PhysicalCount;
                CheckTotal(accountTrailer, 1, "account control total", accountTotal, errors);
                CheckCount(accountTrailer, 2, "number of records", accountRecords, errors);
                groupTotal += accountTotal;
                groupRecords += accountRecords;
            }

            if (Next() is not { Code: "98" } groupTrailer)
            {
                errors.Add(Unexpected(Next(), header, "03 account identifier or 98 group trailer"));
                return new Bai2ParseResult(null, errors);
            }

            position++;
            groupRecords += groupTrailer.PhysicalCount;
            CheckTotal(groupTrailer, 1, "group control total", groupTotal, errors);
            CheckCount(groupTrailer, 2, "number of accounts", accounts, errors);
            CheckCount(groupTrailer, 3, "number of records", groupRecords, errors);
            fileTotal += groupTotal;
            fileRecords += groupRecords;
        }

        if (Next() is not { Code: "99" } fileTrailer)
        {
            errors.Add(Unexpected(Next(), header, "02 group header or 99 file trailer"));
            return new Bai2ParseResult(null, errors);
        }

        position++;
        fileRecords += fileTrailer.PhysicalCount;
        CheckTotal(fileTrailer, 1, "file control total", fileTotal, errors);
        CheckCount(fileTrailer, 2, "number of groups", groups, errors);
        CheckCount(fileTrailer, 3, "number of records", fileRecords, errors);
        if (Next() is { } extra)
        {
            errors.Add(new Bai2Error(extra.Number, "record code", $"a {extra.Code} record follows the 99 file trailer; the file must end there"));
        }

        if (errors.Count == 0 && items.Count == 0)
        {
            errors.Add(new Bai2Error(fileTrailer.Number, "file", "the file holds no lockbox items"));
        }

        return errors.Count > 0
            ? new Bai2ParseResult(null, errors)
            : new Bai2ParseResult(new Bai2File(senderId, receiverId, createdOn, fileId, groups, fileRecords, Money.FromCents(fileTotal), items), []);
    }

    private static Bai2Error Unexpected(Record? found, Record header, string expected) => found is null
        ? new Bai2Error(header.Number, "file", $"the file ends before its {expected}")
        : new Bai2Error(found.Number, "record code", $"found a {found.Code} record where a {expected} belongs");

    /// <summary>Splits the text into logical records, joining 88 continuations to the record before them.</summary>
    private static List<Record> Records(string text, List<Bai2Error> errors)
    {
        var records = new List<Record>();
        var lineNumber = 0;
        StringBuilder? pending = null;
        var pendingNumber = 0;
        var pendingPhysical = 0;
        void Flush()
        {
            if (pending is null)
            {
                return;
            }

            var fields = pending.ToString().Split(',');
            records.Add(new Record(pendingNumber, fields[0], fields, pendingPhysical));
            pending = null;
        }

        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.TrimEnd('\r', ' ');
            if (line.Length == 0)
            {
                continue;
            }

            var control = line.AsSpan().IndexOfAnyInRange('\0', '\u001f');
            if (control >= 0)
            {
                errors.Add(new Bai2Error(lineNumber, "record", $"holds a control character (U+{(int)line[control]:X4}) at column {control + 1}; a BAI2 record is printable text"));
                continue;
            }

            if (lineNumber > MaximumRecords)
            {
                errors.Add(new Bai2Error(lineNumber, "file", $"a BAI2 file may hold at most {MaximumRecords:N0} records"));
                return records;
            }

            var code = line.Length >= 2 ? line[..2] : line;
            if (code is not ("01" or "02" or "03" or "16" or "88" or "49" or "98" or "99") || (line.Length > 2 && line[2] != ','))
            {
                errors.Add(new Bai2Error(lineNumber, "record code", $"'{(line.Length > 10 ? line[..10] + "..." : line)}' does not start with a BAI2 record code (01, 02, 03, 16, 88, 49, 98, 99) and a comma"));
                continue;
            }

            // A 16 record's last field is free text, which is not ended by '/'; every other record ends at its '/'.
            var body = line.Length > 3 ? line[3..] : "";
            if (code != "16" && !(code == "88" && pending is not null && pending.ToString().StartsWith("16,", StringComparison.Ordinal)))
            {
                var slash = body.IndexOf('/', StringComparison.Ordinal);
                body = slash >= 0 ? body[..slash] : body;
            }
            else if (body.EndsWith('/'))
            {
                body = body[..^1];
            }

            if (code == "88")
            {
                if (pending is null)
                {
                    errors.Add(new Bai2Error(lineNumber, "record code", "an 88 continuation record has no record before it to continue"));
                    continue;
                }

                // A record cut after a field delimiter already ends with one; one cut at its '/' does not.
                if (pending[^1] != ',')
                {
                    pending.Append(',');
                }

                pending.Append(body);
                pendingPhysical++;
                continue;
            }

            Flush();
            pending = new StringBuilder(code).Append(',').Append(body);
            pendingNumber = lineNumber;
            pendingPhysical = 1;
        }

        Flush();
        return records;
    }

    private static string FieldAt(Record record, int index) => index < record.Fields.Length ? record.Fields[index].Trim() : "";

    private static DateOnly ParseDate(Record record, int index, string field, List<Bai2Error> errors)
    {
        var text = FieldAt(record, index);
        if (DateOnly.TryParseExact(text, "yyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        errors.Add(new Bai2Error(record.Number, field, $"'{text}' is not a date in the form YYMMDD"));
        return default;
    }

    private static bool TryAmount(string text, bool signed, out long cents)
    {
        cents = 0;
        var digits = signed && text.Length > 0 && (text[0] == '+' || text[0] == '-') ? text[1..] : text;
        if (digits.Length == 0 || digits.Length > 15 || !digits.All(char.IsAsciiDigit))
        {
            return false;
        }

        cents = long.Parse(digits, CultureInfo.InvariantCulture);
        if (text[0] == '-')
        {
            cents = -cents;
        }

        return Math.Abs(cents) <= MaximumAmountCents;
    }

    private static void CheckTotal(Record record, int index, string field, long expected, List<Bai2Error> errors)
    {
        var text = FieldAt(record, index);
        if (!TryAmount(text, signed: true, out var stated))
        {
            errors.Add(new Bai2Error(record.Number, field, $"'{text}' is not an amount in cents"));
        }
        else if (stated != expected)
        {
            errors.Add(new Bai2Error(record.Number, field, $"states {Money.FromCents(stated)} but the records it closes add up to {Money.FromCents(expected)}"));
        }
    }

    private static void CheckCount(Record record, int index, string field, int expected, List<Bai2Error> errors)
    {
        var text = FieldAt(record, index);
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var stated))
        {
            errors.Add(new Bai2Error(record.Number, field, $"'{text}' is not a count"));
        }
        else if (stated != expected)
        {
            errors.Add(new Bai2Error(record.Number, field, $"states {stated} but there are {expected}"));
        }
    }

    /// <summary>
    /// The fields a funds type brings after it (0, 1, 2, Z: none; V: value date and time;
    /// S: three availability amounts; D: a count then that many day and amount pairs).
    /// Returns the index of the next field, or -1 when the funds type is not one of these.
    /// </summary>
    private static int SkipFundsType(Record record, int index)
    {
        return FieldAt(record, index) switch
        {
            "" or "0" or "1" or "2" or "Z" => index + 1,
            "V" => index + 3,
            "S" => index + 4,
            "D" when int.TryParse(FieldAt(record, index + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var pairs) && pairs <= 100 => index + 2 + (2 * pairs),
            _ => -1,
        };
    }

    /// <summary>The 03 record's summary amounts (type, amount, item count, funds type, repeated), which its 49 counts.</summary>
    private static long SummaryTotal(Record account, List<Bai2Error> errors)
    {
        long total = 0;
        var index = 3;
        while (index < account.Fields.Length && FieldAt(account, index).Length > 0)
        {
            var amountText = FieldAt(account, index + 1);
            if (amountText.Length > 0)
            {
                if (TryAmount(amountText, signed: true, out var cents))
                {
                    total += cents;
                }
                else
                {
                    errors.Add(new Bai2Error(account.Number, "amount", $"'{amountText}' is not an amount in cents"));
                }
            }

            index = SkipFundsType(account, index + 3);
            if (index < 0)
            {
                errors.Add(new Bai2Error(account.Number, "funds type", "is not one of 0, 1, 2, Z, V, S, D"));
                break;
            }
        }

        return total;
    }

    private static LockboxItem? Detail(Record detail, DateOnly depositDate, List<Bai2Error> errors)
    {
        var before = errors.Count;
        var typeCode = FieldAt(detail, 1);
        if (typeCode.Length != 3 || !typeCode.All(char.IsAsciiDigit))
        {
            errors.Add(new Bai2Error(detail.Number, "type code", $"'{typeCode}' is not a three-digit BAI type code"));
        }
        else if (typeCode[0] is not ('1' or '2' or '3'))
        {
            errors.Add(new Bai2Error(detail.Number, "type code", $"'{typeCode}' is not a credit (100-399); a lockbox file carries payments only"));
        }

        var amountText = FieldAt(detail, 2);
        if (!TryAmount(amountText, signed: false, out var cents))
        {
            errors.Add(new Bai2Error(detail.Number, "amount", $"'{amountText}' is not an amount in cents"));
        }
        else if (cents == 0)
        {
            errors.Add(new Bai2Error(detail.Number, "amount", "a lockbox item must be more than zero"));
        }

        var next = SkipFundsType(detail, 3);
        if (next < 0)
        {
            errors.Add(new Bai2Error(detail.Number, "funds type", $"'{FieldAt(detail, 3)}' is not one of 0, 1, 2, Z, V, S, D"));
            return null;
        }

        var bankReference = FieldAt(detail, next);
        var customerReference = FieldAt(detail, next + 1);
        var text = next + 2 < detail.Fields.Length ? string.Join(',', detail.Fields[(next + 2)..]).Trim() : "";
        if (bankReference.Length > 50)
        {
            errors.Add(new Bai2Error(detail.Number, "bank reference number", "is longer than 50 characters"));
        }

        if (customerReference.Length > 50)
        {
            errors.Add(new Bai2Error(detail.Number, "customer reference number", "is longer than 50 characters"));
        }

        foreach (var (field, value) in new[] { ("bank reference number", bankReference), ("customer reference number", customerReference), ("text", text) })
        {
            if (CardNumbers.LooksLikeCardNumber(value))
            {
                errors.Add(new Bai2Error(detail.Number, field, CardNumbers.Refusal));
            }
        }

        return errors.Count > before
            ? null
            : new LockboxItem(detail.Number, customerReference, Money.FromCents(cents), depositDate, typeCode,
                bankReference.Length == 0 ? null : bankReference, text.Length == 0 ? null : text);
    }
}

/// <summary>One account's items in a lockbox file to write.</summary>
public sealed record Bai2Account(string BankAccountNumber, IReadOnlyList<Bai2Item> Items);

/// <summary>An item to write: amount, the customer's account number, the bank's item reference.</summary>
public sealed record Bai2Item(Money Amount, string CustomerReference, string? BankReference);

/// <summary>Writes a lockbox file in the form <see cref="Bai2Parser"/> reads, with every count and control total filled in.</summary>
public static class Bai2Writer
{
    public static string Write(string senderId, string receiverId, DateTime createdAt, string fileId, DateOnly depositDate, IReadOnlyList<Bai2Account> accounts)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.Append(inv, $"01,{senderId},{receiverId},{createdAt:yyMMdd},{createdAt:HHmm},{fileId},,,2/\n");
        text.Append(inv, $"02,{receiverId},{senderId},1,{depositDate:yyMMdd},,USD,2/\n");
        long groupTotal = 0;
        var groupRecords = 2;
        foreach (var account in accounts)
        {
            text.Append(inv, $"03,{account.BankAccountNumber},USD/\n");
            long accountTotal = 0;
            foreach (var item in account.Items)
            {
                if (!item.Amount.IsPositive)
                {
                    throw new ArgumentException("a lockbox item must be more than zero", nameof(accounts));
                }

                text.Append(inv, $"16,115,{item.Amount.Cents},0,{item.BankReference},{item.CustomerReference},/\n");
                accountTotal += item.Amount.Cents;
            }

            text.Append(inv, $"49,{accountTotal},{account.Items.Count + 2}/\n");
            groupTotal += accountTotal;
            groupRecords += account.Items.Count + 2;
        }

        text.Append(inv, $"98,{groupTotal},{accounts.Count},{groupRecords}/\n");
        text.Append(inv, $"99,{groupTotal},1,{groupRecords + 2}/\n");
        return text.ToString();
    }
}
