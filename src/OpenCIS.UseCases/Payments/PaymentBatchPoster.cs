using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Payments;
using OpenCIS.Core.Pursuit;
using OpenCIS.Storage.Ledger;
using OpenCIS.UseCases.Ledger;
using OpenCIS.Storage;
using OpenCIS.Storage.Bulk;
using OpenCIS.Storage.Payments;

namespace OpenCIS.UseCases.Payments;

/// <summary>A validated payment to post; one naming an invoice of its account (<see cref="InvoiceNumber"/>) pays that invoice first.</summary>
public sealed record PaymentInstruction(long AccountId, Money Amount, DateOnly ReceivedOn, Tender Tender, PaymentSource Source, string? Reference, long? InvoiceNumber = null);

/// <summary>
/// Posts many payments in one unit of work: one query loads every account's open items, the
/// core posts and allocates each payment in memory, one save writes them all. The counter, the
/// payment file import and the demo seed all post through here.
/// </summary>
public sealed class PaymentBatchPoster(OpenCisDbContext db, TimeProvider clock)
{
    /// <summary>Adds the payments to the unit of work and returns them; the caller saves and commits.</summary>
    public async Task<List<Payment>> AddAsync(IReadOnlyList<PaymentInstruction> instructions, string cashier, long? importedFileId, CancellationToken cancellationToken)
    {
        var payments = await PostAllAsync(instructions, cashier, importedFileId, new EfLedgerWriter(db), cancellationToken);
        db.Payments.AddRange(payments);
        return payments;
    }

    /// <summary>
    /// Posts a batch in its own database transaction, all of it or none of it, written past EF Core
    /// in one bulk write per table (what a large batch, such as a day of the demo city's payments, needs).
    /// </summary>
    public async Task<List<Payment>> PostAsync(IReadOnlyList<PaymentInstruction> instructions, string cashier, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var batch = new PaymentBatch();
        batch.Payments.AddRange(await PostAllAsync(instructions, cashier, null, batch, cancellationToken));
        await PaymentBulkWriter.WriteAsync(db, batch, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return batch.Payments;
    }

    /// <summary>
    /// Posts one chunk of a file in its own transaction through the bulk writers, once <c>claim</c> has
    /// taken the file's lock and found the chunk's lines still unposted, together with
    /// whatever <paramref name="alongside"/> adds to the unit of work (the chunk's progress record,
    /// its suspense items, its audit entry): all of it commits or none of it does.
    /// </summary>
    /// <returns>The payments, or null when <paramref name="claim"/> (run first in the transaction) refused the chunk and nothing was written.</returns>
    public async Task<List<Payment>?> PostChunkAsync(
        IReadOnlyList<PaymentInstruction> instructions, string cashier, long importedFileId, Func<CancellationToken, Task<bool>> claim, Action alongside, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(alongside);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await claim(cancellationToken))
        {
            await transaction.RollbackAsync(cancellationToken);
            return null;
        }

        var batch = new PaymentBatch();
        if (instructions.Count > 0)
        {
            // A cashier may post to one of these accounts meanwhile: both must see the other's payment.
            await AccountLocks.LockAccountsAsync(db, instructions.Select(i => i.AccountId).Distinct().ToList(), cancellationToken);
            batch.Payments.AddRange(await PostAllAsync(instructions, cashier, importedFileId, batch, cancellationToken));
            await PaymentBulkWriter.WriteAsync(db, batch, cancellationToken);
        }

        alongside();
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return batch.Payments;
    }

    /// <remarks>Through EF Core's unit of work the ledgers are loaded tracked and whole; for a bulk batch, untracked, with unapplied credits summed.</remarks>
    private async Task<List<Payment>> PostAllAsync(IReadOnlyList<PaymentInstruction> instructions, string cashier, long? importedFileId, ILedgerWriter writer, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var accountIds = instructions.Select(i => i.AccountId).Distinct().ToList();
        var ledgers = writer is EfLedgerWriter
            ? await AccountLedger.LoadManyAsync(db, accountIds, cancellationToken)
            : await AccountLedger.LoadForCreditsAsync(db, accountIds, cancellationToken);
        var invoiceNumbers = instructions.Where(i => i.InvoiceNumber is not null).Select(i => i.InvoiceNumber!.Value).Distinct().ToList();
        var invoices = invoiceNumbers.Count == 0
            ? []
            : await db.Invoices.AsNoTracking().Where(i => invoiceNumbers.Contains(i.Id)).ToDictionaryAsync(i => i.Id, i => (i.AccountId, i.FinancialTransactionId), cancellationToken);
        var unrecovered = await Pursuit.Recoveries.UnrecoveredAsync(db, accountIds, cancellationToken);
        var payments = new List<Payment>(instructions.Count);
        foreach (var instruction in instructions)
        {
            long? settlesFirst = null;
            if (instruction.InvoiceNumber is { } number)
            {
                // Callers check the invoice against the account they post to; a mismatch here is a bug, not a clerk's error.
                if (!invoices.TryGetValue(number, out var invoice) || invoice.AccountId != instruction.AccountId)
                {
                    throw new InvalidOperationException($"Invoice {number} is not an invoice of account {instruction.AccountId}.");
                }

                settlesFirst = invoice.FinancialTransactionId;
            }

            // A payment on written-off debt, once what is owed now is paid, is a recovery (see FinalBillPursuit.Recovered).
            var ledger = ledgers[instruction.AccountId];
            var recovered = Money.Zero;
            if (unrecovered.TryGetValue(instruction.AccountId, out var writtenOff))
            {
                recovered = FinalBillPursuit.Recovered(instruction.Amount, ledger.Balance, writtenOff);
                unrecovered[instruction.AccountId] = writtenOff - recovered;
            }

            var posting = PostingRules.ForPayment(instruction.Amount, recovered);
            var transaction = ledger.Post(
                writer, posting, instruction.ReceivedOn, instruction.ReceivedOn, null, cashier,
                $"{instruction.Tender} payment{(instruction.Reference is null ? "" : $", reference {instruction.Reference}")}{(instruction.InvoiceNumber is { } paid ? $", for invoice {paid}" : "")}{(recovered.IsPositive ? $", {recovered} of it a recovery of written-off debt" : "")}",
                now, settlesFirst: settlesFirst);
            var payment = new Payment
            {
                AccountId = instruction.AccountId,
                AmountCents = instruction.Amount.Cents,
                Tender = instruction.Tender,
                Source = instruction.Source,
                Reference = instruction.Reference,
                ReceivedOn = instruction.ReceivedOn,
                ReceivedAt = now,
                Cashier = cashier,
                Transaction = transaction,
                ImportedFileId = importedFileId,
            };
            payments.Add(payment);
        }

        return payments;
    }
}
