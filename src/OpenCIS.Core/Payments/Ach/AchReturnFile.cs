using OpenCIS.Core.Common;

namespace OpenCIS.Core.Payments.Ach;

/// <summary>A return reason: its code, what it means, and whether it ends the customer's authorisation.</summary>
public sealed record AchReturnReason(string Code, string Description, bool CancelsEnrollment);

public static class AchReturnReasons
{
    private static readonly AchReturnReason[] Known =
    [
        new("R01", "Insufficient funds", false),
        new("R02", "Account closed", true),
        new("R03", "No account / unable to locate account", true),
        new("R04", "Invalid account number", true),
        new("R05", "Unauthorized debit to consumer account", true),
        new("R06", "Returned per ODFI's request", false),
        new("R07", "Authorization revoked by customer", true),
        new("R08", "Payment stopped", false),
        new("R09", "Uncollected funds", false),
        new("R10", "Customer advises not authorized", true),
        new("R11", "Customer advises entry not in accordance with the terms of the authorization", false),
        new("R12", "Account sold to another DFI", true),
        new("R14", "Representative payee deceased", true),
        new("R15", "Beneficiary or account holder deceased", true),
        new("R16", "Account frozen", true),
        new("R20", "Non-transaction account", true),
        new("R29", "Corporate customer advises not authorized", true),
    ];

    public static IReadOnlyList<AchReturnReason> All => Known;

    public static AchReturnReason? Find(string code) => Known.FirstOrDefault(r => r.Code == code);
}

/// <summary>One returned entry: the original trace it returns, the amount and the reason.</summary>
/// <param name="ReturnsCredit">True for the return of a credit the utility sent (a refund: 21 or 31), false for the return of a debit (26 or 36).</param>
public sealed record AchReturn(int RecordNumber, string OriginalTraceNumber, Money Amount, AchReturnReason Reason, string ReturnTraceNumber, bool ReturnsCredit = false);

public sealed record AchReturnFileResult(IReadOnlyList<AchReturn> Returns, IReadOnlyList<NachaError> Errors)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>
/// Reads the bank's return file: a NACHA file whose entries each carry a type 99 addenda with the
/// return reason and the original entry's trace number. Everything <see cref="NachaReader"/> checks
/// is checked; on top, every entry must be a return of a debit (26 or 36) or of a refund credit (21 or 31)
/// with a known reason code.
/// Any fault anywhere and no return is given back, so a bad file posts nothing.
/// </summary>
public static class AchReturnFile
{
    public static AchReturnFileResult Read(string text)
    {
        var read = NachaReader.Read(text);
        var errors = read.Errors.ToList();
        var returns = new List<AchReturn>();
        foreach (var entry in read.Entries)
        {
            var e = entry.Entry;
            if (e.TransactionCode is not (AchTransactionCodes.CheckingReturn or AchTransactionCodes.SavingsReturn
                or AchTransactionCodes.CheckingCreditReturn or AchTransactionCodes.SavingsCreditReturn))
            {
                errors.Add(new NachaError(entry.RecordNumber, "transaction code", $"{e.TransactionCode} is not the return of a debit (26 or 36) or of a credit (21 or 31)."));
            }

            if (e.Return is null)
            {
                errors.Add(new NachaError(entry.RecordNumber, "addenda record indicator", "a returned entry must carry its return addenda (type 99)."));
                continue;
            }

            var reason = AchReturnReasons.Find(e.Return.ReasonCode);
            if (reason is null)
            {
                errors.Add(new NachaError(entry.RecordNumber + 1, "return reason code", $"'{e.Return.ReasonCode}' is not a return reason code OpenCIS knows."));
                continue;
            }

            returns.Add(new AchReturn(entry.RecordNumber, e.Return.OriginalTraceNumber, e.Amount, reason, e.TraceNumber,
                e.TransactionCode is AchTransactionCodes.CheckingCreditReturn or AchTransactionCodes.SavingsCreditReturn));
        }

        return errors.Count == 0 ? new AchReturnFileResult(returns, []) : new AchReturnFileResult([], errors);
    }

    /// <summary>
    /// The return file a bank would send for some entries of a debit file (the demo city and the
    /// tests use it): each returned debit becomes 26/36 and each returned credit 21/31, with its reason in a type 99 addenda.
    /// </summary>
    public static NachaFile For(NachaFile debitFile, IReadOnlyList<(string TraceNumber, string ReasonCode)> returned, DateOnly returnDate, string returningDfi = "09100001")
    {
        var reasons = returned.ToDictionary(r => r.TraceNumber, r => r.ReasonCode);
        var batches = new List<NachaBatch>();
        var sequence = 0;
        foreach (var batch in debitFile.Batches)
        {
            var entries = new List<NachaEntry>();
            foreach (var entry in batch.Entries.Where(e => reasons.ContainsKey(e.TraceNumber)))
            {
                sequence++;
                entries.Add(entry with
                {
                    // A returned debit comes back as 26/36, a returned credit (a refund) as 21/31.
                    TransactionCode = AchTransactionCodes.IsDebit(entry.TransactionCode) ? entry.TransactionCode / 10 * 10 + 6 : entry.TransactionCode - 1,
                    TraceNumber = AchDebitFile.TraceNumber(returningDfi, sequence),
                    Return = new NachaReturnAddenda(reasons[entry.TraceNumber], entry.TraceNumber, entry.ReceivingDfi, ""),
                });
            }

            if (entries.Count > 0)
            {
                batches.Add(batch with { ServiceClassCode = NachaBatch.CreditsOnlyServiceClass, EffectiveEntryDate = returnDate, BatchNumber = batches.Count + 1, Entries = entries });
            }
        }

        return new NachaFile(debitFile.Header with { CreationDate = returnDate }, batches);
    }
}
