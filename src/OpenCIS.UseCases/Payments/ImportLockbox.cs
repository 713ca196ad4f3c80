using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Customers;
using OpenCIS.Core.Payments;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Customers;
using OpenCIS.Storage;
using OpenCIS.Storage.Payments;

namespace OpenCIS.UseCases.Payments;

public enum LockboxFormat
{
    Bai2,
    Csv,
}

public sealed record LockboxOutcome(
    bool Posted, bool AlreadyPosted, bool Resumed, int PaymentCount, Money PostedTotal, int SuspenseCount, Money SuspenseTotal,
    IReadOnlyList<FileError> Errors, string Message);

/// <summary>
/// Imports a bank lockbox file (BAI2, or the CSV payment file format) and posts its payments to
/// the accounts they name. The whole file is checked first (structure, every record, the BAI2
/// record counts and control totals): any error and nothing posts, and every error names its
/// record and field. Payments whose account is unknown, closed, or cash-only (a check) go to
/// suspense with the reason, for a clerk to resolve: the file still balances, and nothing is lost.
/// The file is fingerprinted (SHA-256): once all of it has posted, importing it again posts nothing
/// and says when it was first posted. It posts in chunks through the bulk writers, each chunk in
/// one transaction with the record of the lines it covered, so an import killed part way and run
/// again skips what already posted and posts every payment exactly once.
/// </summary>
public sealed class ImportLockbox(OpenCisDbContext db, PaymentBatchPoster poster, TimeProvider clock)
{
    public const int DefaultChunkSize = 10_000;

    public int ChunkSize { get; set; } = DefaultChunkSize;

    /// <summary>A rest after each chunk, to leave the database room for online work (and to let a test kill the import mid-file).</summary>
    public TimeSpan PauseBetweenChunks { get; set; } = TimeSpan.Zero;

    /// <summary>Told the number of lines posted so far after each chunk commits.</summary>
    public Action<int, int>? OnChunkPosted { get; set; }

    public static string KindOf(LockboxFormat format) => format == LockboxFormat.Bai2 ? "lockbox-bai2" : "lockbox-csv";

    private sealed record Line(int Record, string AccountReference, Money Amount, DateOnly ReceivedOn, Tender Tender, string? Reference);

    private sealed record AccountRow(long Id, string AccountNumber, AccountStatus Status, bool CashOnly);

    public async Task<LockboxOutcome> ExecuteAsync(LockboxFormat format, string fileName, byte[] content, string user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (ChunkSize is < 1 or > 100_000)
        {
            throw new InvalidOperationException("A chunk holds 1 to 100,000 payments.");
        }

        var kind = KindOf(format);
        var name = Path.GetFileName(fileName);
        var sha256 = Convert.ToHexString(SHA256.HashData(content));
        var file = await db.ImportedFiles.AsNoTracking().SingleOrDefaultAsync(f => f.Kind == kind && f.Sha256 == sha256, cancellationToken);
        var done = file is null ? [] : await db.ImportedFileChunks.AsNoTracking().Where(c => c.ImportedFileId == file.Id).ToListAsync(cancellationToken);
        if (file is not null && done.Sum(c => c.PaymentCount + c.SuspenseCount) == file.RecordCount)
        {
            return new LockboxOutcome(false, true, false, 0, Money.Zero, 0, Money.Zero, [],
                $"{name} was already posted on {file.ImportedAt:yyyy-MM-dd HH:mm} UTC by {file.ImportedBy} as '{file.FileName}' ({file.RecordCount:N0} items, {Money.FromCents(file.TotalCents)}); nothing was posted again.");
        }

        var (lines, errors) = format == LockboxFormat.Bai2 ? ParseBai2(name, content) : ParseCsv(name, content);
        if (errors.Count > 0)
        {
            return new LockboxOutcome(false, false, false, 0, Money.Zero, 0, Money.Zero, errors,
                $"{name} has {errors.Count} error{(errors.Count == 1 ? "" : "s")}; nothing was posted.");
        }

        var resumed = file is not null;
        if (file is null)
        {
            file = new ImportedFile
            {
                Kind = kind,
                FileName = name,
                Sha256 = sha256,
                ImportedAt = clock.GetUtcNow(),
                ImportedBy = user,
                RecordCount = lines.Count,
                TotalCents = Money.Sum(lines.Select(l => l.Amount)).Cents,
            };
            db.ImportedFiles.Add(file);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Another import of the same file started at the same moment: join it, chunk by chunk.
                db.ChangeTracker.Clear();
                file = await db.ImportedFiles.AsNoTracking().SingleAsync(f => f.Kind == kind && f.Sha256 == sha256, cancellationToken);
                resumed = true;
            }

            db.ChangeTracker.Clear();
        }

        // What earlier runs posted is skipped by line, whatever chunk size they used.
        var covered = done.Select(c => (c.FirstRecord, c.LastRecord)).ToList();
        var pending = Uncovered(lines, covered);
        var alreadyPosted = lines.Count - pending.Count;
        var postedSoFar = alreadyPosted;
        int payments = 0, suspense = 0;
        long postedCents = 0, suspenseCents = 0;
        var position = 0;
        while (position < pending.Count)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var chunk = pending.Skip(position).Take(ChunkSize).ToArray();
            var (instructions, items) = await MatchAsync(chunk, file.Id, cancellationToken);
            var chunkCents = Money.Sum(instructions.Select(i => i.Amount)).Cents;
            var posted = await poster.PostChunkAsync(instructions, user, file.Id, token => ClaimAsync(file.Id, chunk, token), () =>
            {
                db.ImportedFileChunks.Add(new ImportedFileChunk
                {
                    ImportedFileId = file.Id,
                    FirstRecord = chunk[0].Record,
                    LastRecord = chunk[^1].Record,
                    PaymentCount = instructions.Count,
                    SuspenseCount = items.Count,
                    PostedCents = chunkCents,
                    PostedAt = clock.GetUtcNow(),
                });
                db.SuspenseItems.AddRange(items);
                AuditLog.Record(db, clock.GetUtcNow(), user, "ImportedFile", file.Id, null, "Post lockbox chunk", null,
                    new { file.FileName, FirstRecord = chunk[0].Record, LastRecord = chunk[^1].Record, Payments = instructions.Count, Posted = Money.FromCents(chunkCents).ToPlainString(), Suspense = items.Count },
                    "Lockbox import");
            }, cancellationToken);
            if (posted is null)
            {
                // Another import of this file posted some of these lines meanwhile: go on with what is still unposted.
                var ranges = await db.ImportedFileChunks.AsNoTracking().Where(c => c.ImportedFileId == file.Id).Select(c => new { c.FirstRecord, c.LastRecord }).ToListAsync(cancellationToken);
                covered = ranges.Select(c => (c.FirstRecord, c.LastRecord)).ToList();
                pending = Uncovered(lines, covered);
                position = 0;
                postedSoFar = lines.Count - pending.Count;
                continue;
            }

            position += chunk.Length;
            payments += instructions.Count;
            suspense += items.Count;
            postedCents += chunkCents;
            suspenseCents += items.Sum(i => i.AmountCents);
            postedSoFar += chunk.Length;
            OnChunkPosted?.Invoke(postedSoFar, lines.Count);
            if (PauseBetweenChunks > TimeSpan.Zero && position < pending.Count)
            {
                await Task.Delay(PauseBetweenChunks, cancellationToken);
            }
        }

        var message = new StringBuilder($"{name}: ");
        if (resumed)
        {
            message.Append($"resumed after {alreadyPosted:N0} items an earlier run posted; ");
        }

        message.Append($"posted {payments:N0} payments totalling {Money.FromCents(postedCents)}");
        if (suspense > 0)
        {
            message.Append($"; {suspense:N0} item{(suspense == 1 ? "" : "s")} ({Money.FromCents(suspenseCents)}) went to suspense for a clerk");
        }

        return new LockboxOutcome(true, false, resumed, payments, Money.FromCents(postedCents), suspense, Money.FromCents(suspenseCents), [], message.Append('.').ToString());
    }

    private static List<Line> Uncovered(List<Line> lines, List<(int FirstRecord, int LastRecord)> covered) =>
        lines.Where(l => !covered.Exists(c => l.Record >= c.FirstRecord && l.Record <= c.LastRecord)).ToList();

    /// <summary>
    /// In the chunk's transaction: takes the file's lock (a row lock on PostgreSQL; SQLite's one writer
    /// lock), then makes sure no other run of the file has posted any of the chunk's lines.
    /// </summary>
    private async Task<bool> ClaimAsync(long fileId, Line[] chunk, CancellationToken cancellationToken)
    {
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlInterpolatedAsync($"SELECT id FROM imported_files WHERE id = {fileId} FOR UPDATE", cancellationToken);
        }
        else
        {
            await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE imported_files SET record_count = record_count WHERE id = {fileId}", cancellationToken);
        }

        // A chunk's range may span lines an earlier chunk posted (they are not in it); only its own lines count.
        var (first, last) = (chunk[0].Record, chunk[^1].Record);
        var ranges = await db.ImportedFileChunks.Where(c => c.ImportedFileId == fileId && c.FirstRecord <= last && c.LastRecord >= first)
            .Select(c => new { c.FirstRecord, c.LastRecord }).ToListAsync(cancellationToken);
        return !chunk.Any(l => ranges.Exists(r => l.Record >= r.FirstRecord && l.Record <= r.LastRecord));
    }

    /// <summary>Looks up the chunk's accounts in one query and sends each line to its account or to suspense.</summary>
    private async Task<(List<PaymentInstruction> Instructions, List<SuspenseItem> Items)> MatchAsync(Line[] chunk, long importedFileId, CancellationToken cancellationToken)
    {
        // The bank's scanner may capture the stub's whole scan line as the customer reference: it names the account and,
        // on an invoice's stub, the invoice, which the payment then pays first.
        var references = chunk.Select(l => Core.Billing.ScanLine.TryParse(l.AccountReference, out var stub, out _) ? (stub.AccountNumber, (long?)stub.BillNumber) : (l.AccountReference, null)).ToArray();
        var numbers = references.Select(r => r.Item1).Where(AccountNumbers.IsValid).Distinct().ToArray();
        var accounts = await db.Accounts.AsNoTracking().Where(a => numbers.Contains(a.AccountNumber))
            .Select(a => new AccountRow(a.Id, a.AccountNumber, a.Status, a.CashOnly))
            .ToDictionaryAsync(a => a.AccountNumber, cancellationToken);
        var stubNumbers = references.Where(r => r.Item2 is not null).Select(r => r.Item2!.Value).Distinct().ToList();
        var invoiceStubs = stubNumbers.Count == 0 ? [] : (await db.Invoices.AsNoTracking().Where(i => stubNumbers.Contains(i.Id)).Select(i => new { i.Id, i.AccountId }).ToListAsync(cancellationToken))
            .Select(i => (i.Id, i.AccountId)).ToHashSet();
        var instructions = new List<PaymentInstruction>(chunk.Length);
        var items = new List<SuspenseItem>();
        var now = clock.GetUtcNow();
        for (var index = 0; index < chunk.Length; index++)
        {
            var line = chunk[index];
            var (number, stubNumber) = references[index];
            (SuspenseReason Reason, string Detail)? suspense =
                !AccountNumbers.IsValid(number) ? (SuspenseReason.NotAnAccountNumber, $"'{line.AccountReference}' is not an account number (eight digits whose last is a check digit) or a scan line")
                : !accounts.TryGetValue(number, out var account) ? (SuspenseReason.UnknownAccount, $"there is no account {number}")
                : account.Status == AccountStatus.Closed ? (SuspenseReason.ClosedAccount, $"account {number} is closed")
                : account.CashOnly && line.Tender == Tender.Check ? (SuspenseReason.CashOnly, $"account {number} is cash-only; a check cannot be posted to it")
                : null;
            if (suspense is { } why)
            {
                items.Add(new SuspenseItem
                {
                    ImportedFileId = importedFileId,
                    RecordNumber = line.Record,
                    AccountReference = line.AccountReference,
                    AmountCents = line.Amount.Cents,
                    ReceivedOn = line.ReceivedOn,
                    Tender = line.Tender,
                    Reference = line.Reference,
                    Reason = why.Reason,
                    Detail = why.Detail,
                    CreatedAt = now,
                });
            }
            else
            {
                var accountId = accounts[number].Id;
                instructions.Add(new PaymentInstruction(accountId, line.Amount, line.ReceivedOn, line.Tender, PaymentSource.File, line.Reference,
                    stubNumber is { } invoice && invoiceStubs.Contains((invoice, accountId)) ? invoice : null));
            }
        }

        return (instructions, items);
    }

    private static (List<Line> Lines, List<FileError> Errors) ParseBai2(string name, byte[] content)
    {
        var result = Bai2Parser.Parse(Encoding.UTF8.GetString(content));
        if (result.File is not { } file)
        {
            return ([], result.Errors.Select(e => new FileError(name, e.Record, e.Field, e.Message)).ToList());
        }

        var errors = new List<FileError>();
        foreach (var item in file.Items.Where(i => i.Amount.Cents > TakePayment.MaximumPaymentCents))
        {
            errors.Add(new FileError(name, item.Record, "amount", $"{item.Amount} is more than the {Money.FromCents(TakePayment.MaximumPaymentCents)} limit for one payment"));
        }

        // Lockbox items are checks (and money orders, which post the same way).
        return (file.Items.Select(i => new Line(i.Record, i.CustomerReference, i.Amount, i.DepositDate, Tender.Check, i.BankReference)).ToList(), errors);
    }

    private static (List<Line> Lines, List<FileError> Errors) ParseCsv(string name, byte[] content)
    {
        var (parsed, errors) = PostPaymentFile.Parse(name, content);
        return (parsed.Select(p => new Line(p.LineNumber, p.AccountNumber, p.Amount, p.Date, p.Tender, p.Reference)).ToList(), errors.OrderBy(e => e.Line).ToList());
    }
}
