using System.Globalization;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Customers;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Payments;

namespace OpenCIS.UseCases.Customers;

/// <summary>What a returned-mail import did: the pieces read, the holders newly marked, those marked already, or the file's problems.</summary>
public sealed record ReturnedMailImportOutcome(bool Imported, bool AlreadyImported, int Lines, int Marked, int AlreadyMarked, IReadOnlyList<FileError> Errors, string Message);

public sealed record ReturnedMailFileView(long Id, string FileName, int Lines, int Marked, string ImportedBy, DateTimeOffset ImportedAt);

/// <summary>
/// Imports the mail room's returned-mail file (docs/collections.md "Skip tracing"): one line per piece of mail that
/// came back, <c>account_number,returned_on,reason</c>. Each line marks the address of the account's holder as
/// returned, which stops mail to it (notices, letters and bills are held or e-mailed instead) until the address is
/// corrected. A file with any bad line marks nothing and names every line and field at fault; the same file imported
/// again (by its SHA-256) marks nothing twice. A fixed number of queries per thousand accounts.
/// </summary>
public sealed class ImportReturnedMail(OpenCisDbContext db, BusinessCalendar calendar, TimeProvider clock)
{
    public static readonly string[] Columns = ["account_number", "returned_on", "reason"];
    public const int MaximumLines = 50_000;

    public async Task<ReturnedMailImportOutcome> ExecuteAsync(string fileName, byte[] content, string user, CancellationToken cancellationToken = default)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        if (await db.ReturnedMailFiles.AsNoTracking().SingleOrDefaultAsync(f => f.Sha256 == sha, cancellationToken) is { } earlier)
        {
            return new(true, true, earlier.Lines, 0, 0, [],
                $"{fileName} was imported before (as {earlier.FileName} by {earlier.ImportedBy}, {earlier.ImportedAt:yyyy-MM-dd HH:mm} UTC); nothing was marked again.");
        }

        var today = calendar.Today();
        var (lines, errors) = Parse(fileName, content, today);
        var numbers = lines.Select(l => l.AccountNumber).Distinct().ToList();
        var accounts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var chunk in numbers.Chunk(1_000))
        {
            foreach (var account in await db.Accounts.AsNoTracking().Where(a => chunk.Contains(a.AccountNumber)).Select(a => new { a.Id, a.AccountNumber }).ToListAsync(cancellationToken))
            {
                accounts[account.AccountNumber] = account.Id;
            }
        }

        var holders = await SkipTrace.HoldersOfAsync(db, [.. accounts.Values], cancellationToken);
        foreach (var line in lines)
        {
            if (!accounts.TryGetValue(line.AccountNumber, out var accountId))
            {
                errors.Add(new FileError(fileName, line.Line, "account_number", $"there is no account {line.AccountNumber}"));
            }
            else if (!holders.ContainsKey(accountId))
            {
                errors.Add(new FileError(fileName, line.Line, "account_number", $"account {line.AccountNumber} has no account holder"));
            }
        }

        if (errors.Count > 0)
        {
            var ordered = errors.OrderBy(e => e.Line).ToList();
            return new(false, false, 0, 0, 0, ordered, $"{fileName} has {ordered.Count} problem{(ordered.Count == 1 ? "" : "s")}; nothing was marked.");
        }

        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var marked = 0;
        var already = 0;
        var items = new List<(ParsedLine Line, long AccountId, Customer Holder, string Address)>(lines.Count);
        foreach (var line in lines)
        {
            var accountId = accounts[line.AccountNumber];
            var holder = holders[accountId];
            items.Add((line, accountId, holder, holder.MailingAddress));
            if (holder.MarkFailed(ContactChannel.Address, line.ReturnedOn, line.Reason))
            {
                marked++;
                AuditLog.Record(db, now, user, "Customer", holder.Id, accountId, "Mark address failed", null,
                    new { Channel = nameof(ContactChannel.Address), line.Reason, line.ReturnedOn }, $"Returned mail: {fileName} line {line.Line}");
            }
            else
            {
                already++;
            }
        }

        var file = ReturnedMailFile.Create(fileName.Length <= 260 ? fileName : fileName[..260], sha, lines.Count, marked, user, now);
        db.ReturnedMailFiles.Add(file);
        await db.SaveChangesAsync(cancellationToken);
        db.ReturnedMail.AddRange(items.Select(i => ReturnedMailItem.Create(file.Id, i.Line.Line, i.AccountId, i.Holder.Id, i.Address, i.Line.ReturnedOn, i.Line.Reason)));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new(true, false, lines.Count, marked, already, [],
            $"{fileName}: {lines.Count} piece{(lines.Count == 1 ? "" : "s")} of returned mail; {marked} address{(marked == 1 ? "" : "es")} marked, mail to {(marked == 1 ? "it" : "them")} stopped"
            + (already > 0 ? $"; {already} marked already" : "") + ".");
    }

    /// <summary>The returned-mail files imported, newest first.</summary>
    public async Task<IReadOnlyList<ReturnedMailFileView>> FilesAsync(int take = 50, CancellationToken cancellationToken = default) =>
        (await db.ReturnedMailFiles.AsNoTracking().OrderByDescending(f => f.Id).Take(take).ToListAsync(cancellationToken))
            .Select(f => new ReturnedMailFileView(f.Id, f.FileName, f.Lines, f.Marked, f.ImportedBy, f.ImportedAt)).ToList();

    private sealed record ParsedLine(int Line, string AccountNumber, DateOnly ReturnedOn, string Reason);

    private static (List<ParsedLine> Lines, List<FileError> Errors) Parse(string fileName, byte[] content, DateOnly today)
    {
        var lines = new List<ParsedLine>();
        var errors = new List<FileError>();
        using var csv = CsvInput.Open(new MemoryStream(content, writable: false));
        if (CsvInput.ReadHeader(csv, fileName, errors) is not { } header)
        {
            return (lines, errors);
        }

        if (CsvInput.ColumnIndex(header, Columns, fileName, errors) is not { } index)
        {
            return (lines, errors);
        }

        while (CsvInput.Next(csv, fileName, errors))
        {
            var line = (int)csv.LineNumber;
            if (lines.Count + errors.Count >= MaximumLines)
            {
                errors.Add(new FileError(fileName, line, "file", $"a returned-mail file can hold at most {MaximumLines:N0} lines"));
                break;
            }

            string Field(string name) => csv.FieldCount > index[name] ? csv.GetString(index[name]).Trim() : "";
            var lineErrors = errors.Count;
            var accountNumber = Field("account_number");
            if (accountNumber.Length == 0)
            {
                errors.Add(new FileError(fileName, line, "account_number", "is required"));
            }

            var dateText = Field("returned_on");
            if (!DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var returnedOn))
            {
                errors.Add(new FileError(fileName, line, "returned_on", $"'{dateText}' is not a date (YYYY-MM-DD)"));
            }
            else if (returnedOn > today)
            {
                errors.Add(new FileError(fileName, line, "returned_on", $"{returnedOn:yyyy-MM-dd} is after today ({today:yyyy-MM-dd})"));
            }

            var reason = Field("reason");
            if (SkipTracing.CheckReason(reason) is { } problem)
            {
                errors.Add(new FileError(fileName, line, "reason", reason.Length == 0 ? "is required (what the post office stamped: moved, no such address...)" : problem));
            }

            if (errors.Count == lineErrors)
            {
                lines.Add(new ParsedLine(line, accountNumber, returnedOn, reason));
            }
        }

        if (lines.Count == 0 && errors.Count == 0)
        {
            errors.Add(new FileError(fileName, 2, "file", "the file has a header but no returned mail"));
        }

        return (lines, errors);
    }
}
