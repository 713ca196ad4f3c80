using OpenCIS.Core.Common;

namespace OpenCIS.Core.Payments.Ach;

/// <summary>
/// A NACHA file as data: one file header, batches of entries, and the control records a writer
/// computes (never the caller). Layouts, by 1-based column, all records 94 characters:
/// <code>
/// 1 file header     1 type | 2-3 priority 01 | 4-13 immediate destination (space + routing) | 14-23 immediate origin
///                   24-29 creation date YYMMDD | 30-33 time HHMM | 34 file id modifier | 35-37 record size 094
///                   38-39 blocking factor 10 | 40 format code 1 | 41-63 destination name | 64-86 origin name | 87-94 reference
/// 5 batch header    1 type | 2-4 service class (200 mixed, 220 credits, 225 debits) | 5-20 company name
///                   21-40 company discretionary data | 41-50 company identification | 51-53 SEC code
///                   54-63 entry description | 64-69 descriptive date | 70-75 effective entry date YYMMDD
///                   76-78 settlement date (blank; the ACH operator fills it) | 79 originator status 1
///                   80-87 originating DFI | 88-94 batch number
/// 6 entry detail    1 type | 2-3 transaction code | 4-11 RDFI identification | 12 check digit | 13-29 DFI account number
///                   30-39 amount in cents | 40-54 individual identification | 55-76 individual name
///                   77-78 discretionary data (WEB: payment type) | 79 addenda indicator | 80-94 trace number
/// 7 addenda 99      1 type | 2-3 addenda type 99 | 4-6 return reason | 7-21 original trace number | 22-27 date of death
///   (a return)      28-35 original RDFI | 36-79 addenda information | 80-94 trace number
/// 8 batch control   1 type | 2-4 service class | 5-10 entry and addenda count | 11-20 entry hash | 21-32 total debits
///                   33-44 total credits | 45-54 company identification | 55-73 authentication | 74-79 reserved
///                   80-87 originating DFI | 88-94 batch number
/// 9 file control    1 type | 2-7 batch count | 8-13 block count | 14-21 entry and addenda count | 22-31 entry hash
///                   32-43 total debits | 44-55 total credits | 56-94 reserved
/// </code>
/// The entry hash is the sum of the entries' eight-digit RDFI identifications, keeping the last ten
/// digits. A file is blocked in tens: records of nines pad it to a multiple of ten records.
/// </summary>
public sealed record NachaFile(NachaFileHeader Header, IReadOnlyList<NachaBatch> Batches)
{
    public const int RecordLength = 94;
    public const int BlockingFactor = 10;

    public int EntryAndAddendaCount => Batches.Sum(b => b.EntryAndAddendaCount);
    public long EntryHash => Batches.Sum(b => b.EntryHash) % NachaBatch.EntryHashModulus;
    public Money TotalDebits => Money.Sum(Batches.Select(b => b.TotalDebits));
    public Money TotalCredits => Money.Sum(Batches.Select(b => b.TotalCredits));

    /// <summary>Records before padding: header, each batch's header, entries, addenda and control, file control.</summary>
    public int RecordCount => 2 + Batches.Sum(b => 2 + b.EntryAndAddendaCount);

    public int BlockCount => (RecordCount + BlockingFactor - 1) / BlockingFactor;
}

public sealed record NachaFileHeader(
    string ImmediateDestination,
    string ImmediateOrigin,
    DateOnly CreationDate,
    TimeOnly CreationTime,
    char FileIdModifier,
    string DestinationName,
    string OriginName,
    string ReferenceCode = "");

public sealed record NachaBatch(
    int ServiceClassCode,
    string CompanyName,
    string CompanyIdentification,
    string StandardEntryClass,
    string EntryDescription,
    DateOnly EffectiveEntryDate,
    string OriginatingDfi,
    int BatchNumber,
    IReadOnlyList<NachaEntry> Entries)
{
    public const int MixedServiceClass = 200;
    public const int CreditsOnlyServiceClass = 220;
    public const int DebitsOnlyServiceClass = 225;
    public const long EntryHashModulus = 10_000_000_000;

    public int EntryAndAddendaCount => Entries.Sum(e => e.Return is null ? 1 : 2);

    public long EntryHash => Entries.Sum(e => long.Parse(e.ReceivingDfi, System.Globalization.CultureInfo.InvariantCulture)) % EntryHashModulus;

    public Money TotalDebits => Money.Sum(Entries.Where(e => AchTransactionCodes.IsDebit(e.TransactionCode)).Select(e => e.Amount));

    public Money TotalCredits => Money.Sum(Entries.Where(e => !AchTransactionCodes.IsDebit(e.TransactionCode)).Select(e => e.Amount));
}

/// <summary>One entry detail record (and its return addenda, in a return file).</summary>
/// <param name="ReceivingDfi">The first eight digits of the receiver's routing number.</param>
/// <param name="CheckDigit">The routing number's ninth digit.</param>
public sealed record NachaEntry(
    int TransactionCode,
    string ReceivingDfi,
    char CheckDigit,
    string DfiAccountNumber,
    Money Amount,
    string IndividualIdentification,
    string IndividualName,
    string DiscretionaryData,
    string TraceNumber,
    NachaReturnAddenda? Return = null)
{
    public string RoutingNumber => ReceivingDfi + CheckDigit;
}

/// <summary>The addenda (type 99) a returned entry carries: why, and which original entry it returns.</summary>
public sealed record NachaReturnAddenda(string ReasonCode, string OriginalTraceNumber, string OriginalReceivingDfi, string Information);

/// <summary>The transaction codes OpenCIS writes and reads.</summary>
public static class AchTransactionCodes
{
    public const int CheckingCreditReturn = 21;
    public const int CheckingCredit = 22;
    public const int CheckingReturn = 26;
    public const int CheckingDebit = 27;
    public const int CheckingPrenoteDebit = 28;
    public const int SavingsCreditReturn = 31;
    public const int SavingsCredit = 32;
    public const int SavingsReturn = 36;
    public const int SavingsDebit = 37;
    public const int SavingsPrenoteDebit = 38;

    /// <summary>Debits are codes ending 7, 8 or 9 (live, prenote, zero-dollar); the rest are credits (returns of debits among them).</summary>
    public static bool IsDebit(int transactionCode) => transactionCode % 10 is 7 or 8 or 9;

    public static bool IsKnown(int transactionCode) =>
        transactionCode is 21 or 22 or 23 or 24 or 26 or 27 or 28 or 29 or 31 or 32 or 33 or 34 or 36 or 37 or 38 or 39;

    /// <summary>The code of a debit to a checking or savings account, live or prenote (a prenote carries no money).</summary>
    public static int Debit(AchAccountType accountType, bool prenote) => (accountType, prenote) switch
    {
        (AchAccountType.Checking, false) => CheckingDebit,
        (AchAccountType.Checking, true) => CheckingPrenoteDebit,
        (AchAccountType.Savings, false) => SavingsDebit,
        _ => SavingsPrenoteDebit,
    };

    /// <summary>The code of a live credit (a refund) to a checking or savings account.</summary>
    public static int Credit(AchAccountType accountType) => accountType == AchAccountType.Checking ? CheckingCredit : SavingsCredit;
}

public enum AchAccountType
{
    Checking,
    Savings,
}

/// <summary>How the customer authorised the debits: on paper or by phone (PPD) or online (WEB).</summary>
public enum AchEntryClass
{
    Ppd,
    Web,
}
