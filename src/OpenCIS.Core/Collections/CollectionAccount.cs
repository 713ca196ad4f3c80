using System.Collections.Immutable;
using OpenCIS.Core.Common;

namespace OpenCIS.Core.Collections;

/// <summary>
/// What the collection rules know of one account: its class and debt type, its bills and payments, its
/// protections, arrangements and promises. The daily run loads this for each account; a simulate
/// scenario spells it out in YAML. Bills and payments need not be in order.
/// </summary>
public sealed record CollectionAccount(
    string AccountClass,
    string DebtType,
    ImmutableArray<CollectionBill> Bills,
    ImmutableArray<CollectionPayment> Payments,
    AccountProtections Protections,
    ImmutableArray<PaymentArrangement> Arrangements,
    ImmutableArray<PromiseToPay> Promises,
    ImmutableArray<CollectionCharge> Charges = default)
{
    public const int BillsMax = 1_000;
    public const int PaymentsMax = 5_000;
}

/// <summary>A bill as collections sees it: a reference for the explanations, its date, amount and due date.</summary>
public sealed record CollectionBill(string Reference, DateOnly BillDate, Money Amount, DateOnly DueDate);

/// <summary>
/// A late charge or fee already on the account (the daily run passes what is still open of those it posted):
/// due on <paramref name="DueOn"/>, never itself charged late.
/// </summary>
public readonly record struct CollectionCharge(DateOnly DueOn, Money Amount, bool IsLateCharge);

/// <summary>
/// A payment received on a date. An ACH debit already in a file counts as paid on its date. An
/// <paramref name="Applied"/> payment is already taken off the amounts the bills and charges give (the daily
/// run passes what is still open of them): it counts toward arrangements and promises, not again toward the items.
/// </summary>
public readonly record struct CollectionPayment(DateOnly ReceivedOn, Money Amount, bool AchInFile = false, bool Applied = false);

/// <summary>A physician's certificate that disconnection would endanger a resident's health, from and to the dates it gives.</summary>
public sealed record MedicalCertificate(string Physician, DateOnly From, DateOnly To);

/// <summary>An open dispute over part of the balance: only the disputed amount is protected, until it is resolved.</summary>
public sealed record Dispute(Money Amount, DateOnly OpenedOn, DateOnly? ResolvedOn)
{
    public bool IsOpenOn(DateOnly date) => OpenedOn <= date && (ResolvedOn is not { } resolved || date < resolved);
}

/// <summary>A payment known but not yet on the account (posted today, in suspense, an ACH debit in a file not yet settled).</summary>
public sealed record PendingPayment(Money Amount, DateOnly From, DateOnly To, string Source);

/// <summary>
/// The protections recorded on an account. The policy decides which of them count. A bankruptcy stay is a
/// flag the recovery work sets; on a tenant-occupied premise the owner (or third-party recipient) must be
/// noticed; when no date is given, the final notice is copied to the owner and its date counts. <paramref name="BankruptcyCase"/>
/// names the case whose stay it is, in words, when one does.
/// </summary>
public sealed record AccountProtections(
    ImmutableArray<MedicalCertificate> MedicalCertificates,
    bool LifeSupport,
    ImmutableArray<Dispute> Disputes,
    ImmutableArray<PendingPayment> PendingPayments,
    bool BankruptcyStay,
    bool TenantOccupied,
    DateOnly? OwnerNoticeSentOn,
    string? BankruptcyCase = null)
{
    public static AccountProtections None { get; } = new([], false, [], [], false, false, null);
}

/// <summary>A promise to pay an amount by a date, taken on a contact. It is broken when less has come in by the day after.</summary>
public sealed record PromiseToPay(DateOnly MadeOn, DateOnly PromisedOn, Money Amount);
