using System.Globalization;
using System.Security.Cryptography;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage;
using OpenCIS.Storage.Payments;
using OpenCIS.Storage.Customers;

namespace OpenCIS.UseCases.Payments;

/// <summary>A problem in an input file, naming where it is and which field is wrong.</summary>
public sealed record FileError(string FileName, int Line, string Field, string Message)
{
    public override string ToString() => $"{FileName} line {Line}, field {Field}: {Message}";
}

public sealed record PaymentFileOutcome(bool Posted, bool AlreadyPosted, int PaymentCount, Money Total, IReadOnlyList<FileError> Errors, string Message);

/// <summary>
/// Posts a CSV payment file (header: account,amount,date,tender,reference). Every line is checked
/// first; a file with any bad line posts nothing and reports every problem with its line and field.
/// A file is known by its SHA-256: posting the same bytes again posts nothing and says when it was
/// first posted. The whole file posts in one database transaction.
/// </summary>
public sealed class PostPaymentFile(OpenCisDbContext db, PaymentBatchPoster poster, TimeProvider clock)
{
    public const string Kind = "payments-csv";
    public const int MaximumLines = 200_000;
    private static readonly string[] Columns = ["account", "amount", "date", "tender", "reference"];

    public async Task<PaymentFileOutcome> ExecuteAsync(string fileName, byte[] content, string user, CancellationToken cancellationToken = default)
    {
        var sha256 = Convert.ToHexString(SHA256.HashData(content));
        var earlier = await db.ImportedFiles.AsNoTracking().SingleOrDefaultAsync(f => f.Kind == Kind && f.Sha256 == sha256, cancellationToken);
        if (earlier is not null)
        {
            return new PaymentFileOutcome(false, true, earlier.RecordCount, Money.FromCents(earlier.TotalCents), [],
                $"{fileName} was already posted on {earlier.ImportedAt:yyyy-MM-dd HH:mm} UTC by {earlier.ImportedBy} as '{earlier.FileName}' ({earlier.RecordCount:N0} payments, {Money.FromCents(earlier.TotalCents)}); nothing was posted again.");
        }

        var (lines, errors) = Parse(fileName, content);
        var accountNumbers = lines.Select(l => l.AccountNumber).Distinct().ToList();
        var accounts = await db.Accounts.AsNoTracking().Where(a => accountNumbers.Contains(a.AccountNumber))
            .Select(a => new { a.Id, a.AccountNumber, a.Status, a.CashOnly }).ToDictionaryAsync(a => a.AccountNumber, cancellationToken);
        var instructions = new List<PaymentInstruction>(lines.Count);
        foreach (var line in lines)
        {
            if (!accounts.TryGetValue(line.AccountNumber, out var account))
            {
                errors.Add(new FileError(fileName, line.LineNumber, "account", $"there is no account {line.AccountNumber}"));
                continue;
            }

            if (account.Status == AccountStatus.Closed)
            {
                errors.Add(new FileError(fileName, line.LineNumber, "account", $"account {line.AccountNumber} is closed"));
                continue;
            }

            if (account.CashOnly && line.Tender == Tender.Check)
            {
                errors.Add(new FileError(fileName, line.LineNumber, "tender", $"account {line.AccountNumber} is cash-only; a check cannot be posted"));
                continue;
            }

            instructions.Add(new PaymentInstruction(account.Id, line.Amount, line.Date, line.Tender, PaymentSource.File, line.Reference));
        }

        if (errors.Count > 0)
        {
            var ordered = errors.OrderBy(e => e.Line).ToList();
            return new PaymentFileOutcome(false, false, 0, Money.Zero, ordered,
                $"{fileName} has {ordered.Count} error{(ordered.Count == 1 ? "" : "s")}; nothing was posted.");
        }

        var total = Money.Sum(instructions.Select(i => i.Amount));
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var file = new ImportedFile
        {
            Kind = Kind,
            FileName = Path.GetFileName(fileName),
            Sha256 = sha256,
            ImportedAt = clock.GetUtcNow(),
            ImportedBy = user,
            RecordCount = instructions.Count,
            TotalCents = total.Cents,
        };
        db.ImportedFiles.Add(file);
        await db.SaveChangesAsync(cancellationToken);
        await poster.AddAsync(instructions, user, file.Id, cancellationToken);
        AuditLog.Record(db, clock.GetUtcNow(), user, "ImportedFile", file.Id, null, "Post payment file", null,
            new { file.FileName, file.Sha256, file.RecordCount, Total = total.ToPlainString() }, "Payment file import");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return new PaymentFileOutcome(true, false, instructions.Count, total, [],
            $"{fileName}: posted {instructions.Count:N0} payments totalling {total}.");
    }

    internal sealed record ParsedLine(int LineNumber, string AccountNumber, Money Amount, DateOnly Date, Tender Tender, string? Reference);

    internal static (List<ParsedLine> Lines, List<FileError> Errors) Parse(string fileName, byte[] content)
    {
        var lines = new List<ParsedLine>();
        var errors = new List<FileError>();
        using var csv = CsvInput.Open(new MemoryStream(content, writable: false));
        if (CsvInput.ReadHeader(csv, fileName, errors) is not { } header)
        {
            return (lines, errors);
        }

        if (header.Length == 0)
        {
            errors.Add(new FileError(fileName, 1, "header", $"the file is empty; expected a header line: {string.Join(',', Columns)}"));
            return (lines, errors);
        }

        if (CsvInput.ColumnIndex(header, Columns, fileName, errors) is not { } index)
        {
            return (lines, errors);
        }

        while (CsvInput.Next(csv, fileName, errors))
        {
            var lineNumber = (int)csv.LineNumber;
            if (lines.Count + errors.Count >= MaximumLines)
            {
                errors.Add(new FileError(fileName, lineNumber, "file", $"a payment file can hold at most {MaximumLines:N0} payments"));
                break;
            }

            string Field(string name) => csv.FieldCount > index[name] ? csv.GetString(index[name]).Trim() : "";
            var lineErrors = errors.Count;
            var accountNumber = Field("account");
            if (accountNumber.Length == 0)
            {
                errors.Add(new FileError(fileName, lineNumber, "account", "is empty"));
            }
            else if (!Core.Customers.AccountNumbers.IsValid(accountNumber))
            {
                errors.Add(new FileError(fileName, lineNumber, "account", $"'{accountNumber}' is not an account number: eight digits whose last is a check digit (mistyped?)"));
            }

            var amountText = Field("amount");
            if (!Money.TryParse(amountText, out var amount))
            {
                errors.Add(new FileError(fileName, lineNumber, "amount", $"'{amountText}' is not an amount in dollars and cents"));
            }
            else if (!amount.IsPositive)
            {
                errors.Add(new FileError(fileName, lineNumber, "amount", $"'{amountText}' must be more than zero"));
            }
            else if (amount.Cents > TakePayment.MaximumPaymentCents)
            {
                errors.Add(new FileError(fileName, lineNumber, "amount", $"'{amountText}' is more than the {Money.FromCents(TakePayment.MaximumPaymentCents)} limit for one payment"));
            }

            var dateText = Field("date");
            if (!IsoDate.TryParse(dateText, out var date))
            {
                errors.Add(new FileError(fileName, lineNumber, "date", $"'{dateText}' is not a date in the form YYYY-MM-DD"));
            }

            var tenderText = Field("tender");
            if (!Tenders.TryParse(tenderText, out var tender))
            {
                errors.Add(new FileError(fileName, lineNumber, "tender", $"'{tenderText}' is not one of cash, check, money order, card, ach"));
            }

            var reference = Field("reference");
            if (reference.Length > 50)
            {
                errors.Add(new FileError(fileName, lineNumber, "reference", "is longer than 50 characters"));
            }
            else if (CardNumbers.LooksLikeCardNumber(reference))
            {
                errors.Add(new FileError(fileName, lineNumber, "reference", CardNumbers.Refusal));
            }

            if (errors.Count == lineErrors)
            {
                lines.Add(new ParsedLine(lineNumber, accountNumber, amount, date, tender, reference.Length == 0 ? null : reference));
            }
        }

        if (lines.Count == 0 && errors.Count == 0)
        {
            errors.Add(new FileError(fileName, 2, "file", "the file has a header but no payments"));
        }

        return (lines, errors);
    }
}
