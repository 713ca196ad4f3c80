using OpenCIS.Core.Common;

namespace OpenCIS.Core.Payments.Ach;

/// <summary>Who originates the debits: the utility's company identification and its bank (the ODFI).</summary>
/// <param name="ImmediateDestination">The routing number of the bank the file is sent to.</param>
/// <param name="OriginatingDfi">The first eight digits of the utility's bank routing number (the trace numbers start with them).</param>
public sealed record AchOriginator(
    string ImmediateDestination,
    string DestinationName,
    string CompanyIdentification,
    string CompanyName,
    string OriginatingDfi,
    string EntryDescription = "UTILITY")
{
    /// <summary>A demo originator: First Demo Bank, routing 091000019.</summary>
    public static AchOriginator Demo { get; } = new("091000019", "FIRST DEMO BANK", "1234567890", "CITY OF DEMO", "09100001");
}

/// <summary>One debit (or zero-dollar prenote) for one enrollment; or, with <paramref name="IsCredit"/>, a refund credited to it.</summary>
/// <param name="TraceSequence">The seven digits that follow the ODFI in the trace number; the caller keeps them unique.</param>
/// <param name="IsSingleEntry">A one-time debit the customer authorized for this payment alone (an e-check), not autopay's recurring one.</param>
public sealed record AchDebit(
    AchEntryClass EntryClass,
    string RoutingNumber,
    string AccountNumber,
    AchAccountType AccountType,
    Money Amount,
    string IndividualIdentification,
    string IndividualName,
    bool IsPrenote,
    long TraceSequence,
    bool IsCredit = false,
    bool IsSingleEntry = false);

/// <summary>
/// Decides the NACHA file of a day's debits: one debits-only (225) batch per standard entry class,
/// PPD first, each entry's transaction code from its account type and whether it is a prenote,
/// trace numbers from the ODFI and the caller's sequence; refunds go last in a credits-only (220)
/// PPD batch described REFUND. Pure: the creation time is an argument.
/// </summary>
public static class AchDebitFile
{
    public const long TraceSequenceMax = 9_999_999;

    public static NachaFile Build(AchOriginator originator, DateOnly effectiveEntryDate, DateTime createdAt, char fileIdModifier, IReadOnlyList<AchDebit> debits)
    {
        var batches = new List<NachaBatch>();
        foreach (var entryClass in new[] { AchEntryClass.Ppd, AchEntryClass.Web })
        {
            var entries = debits.Where(d => d.EntryClass == entryClass && !d.IsCredit).Select(d => Entry(originator, d)).ToList();
            if (entries.Count == 0)
            {
                continue;
            }

            batches.Add(new NachaBatch(
                NachaBatch.DebitsOnlyServiceClass,
                originator.CompanyName,
                originator.CompanyIdentification,
                entryClass.ToString().ToUpperInvariant(),
                originator.EntryDescription,
                effectiveEntryDate,
                originator.OriginatingDfi,
                batches.Count + 1,
                entries));
        }

        var credits = debits.Where(d => d.IsCredit).Select(d => Entry(originator, d)).ToList();
        if (credits.Count > 0)
        {
            batches.Add(new NachaBatch(
                NachaBatch.CreditsOnlyServiceClass,
                originator.CompanyName,
                originator.CompanyIdentification,
                "PPD",
                "REFUND",
                effectiveEntryDate,
                originator.OriginatingDfi,
                batches.Count + 1,
                credits));
        }

        var header = new NachaFileHeader(
            originator.ImmediateDestination,
            originator.CompanyIdentification,
            DateOnly.FromDateTime(createdAt),
            TimeOnly.FromDateTime(createdAt),
            fileIdModifier,
            originator.DestinationName,
            originator.CompanyName);
        return new NachaFile(header, batches);
    }

    public static string TraceNumber(string originatingDfi, long traceSequence) =>
        traceSequence is < 1 or > TraceSequenceMax
            ? throw new ArgumentOutOfRangeException(nameof(traceSequence), traceSequence, "A trace sequence is 1 to 9,999,999.")
            : originatingDfi + traceSequence.ToString("0000000", System.Globalization.CultureInfo.InvariantCulture);

    private static NachaEntry Entry(AchOriginator originator, AchDebit debit)
    {
        if (!RoutingNumbers.IsValid(debit.RoutingNumber))
        {
            throw new DomainException($"'{debit.RoutingNumber}' is not a valid routing number.", "routingNumber");
        }

        if (debit.IsPrenote ? debit.IsCredit || !debit.Amount.IsZero : !debit.Amount.IsPositive)
        {
            throw new DomainException(debit.IsPrenote ? "A prenote carries no money." : $"A debit or credit must be for more than zero ({debit.Amount}).", "amount");
        }

        return new NachaEntry(
            debit.IsCredit ? AchTransactionCodes.Credit(debit.AccountType) : AchTransactionCodes.Debit(debit.AccountType, debit.IsPrenote),
            debit.RoutingNumber[..8],
            debit.RoutingNumber[8],
            debit.AccountNumber,
            debit.Amount,
            debit.IndividualIdentification,
            debit.IndividualName,
            // A WEB entry's discretionary data is its payment type: R for recurring, which autopay is; S for a single entry, an e-check.
            debit.EntryClass == AchEntryClass.Web && !debit.IsCredit ? debit.IsSingleEntry ? "S" : "R" : "",
            TraceNumber(originator.OriginatingDfi, debit.TraceSequence));
    }
}
