using System.Collections.Immutable;
using OpenCIS.Core.Common;

namespace OpenCIS.Core.Receivables;

/// <summary>How a refund is paid out: a check mailed to the customer, or an ACH credit to the account's enrolled bank account.</summary>
public enum RefundMethod
{
    Check,
    Ach,
}

/// <summary>A reason a balance is written off; the code is what reports group by.</summary>
public sealed record WriteOffReason(string Code, string Description);

public static class WriteOffReasons
{
    public static readonly ImmutableArray<WriteOffReason> All =
    [
        new("UNCOLLECTIBLE", "Uncollectible after final-bill pursuit"),
        new("BANKRUPTCY", "Discharged in bankruptcy"),
        new("DECEASED", "Customer deceased, no estate"),
        new("SMALLBAL", "Small balance not worth pursuing"),
        new("AGENCY", "Referred to a collection agency"),
        new("STATUTE", "Past the statute of limitations"),
    ];

    public static WriteOffReason Find(string? code) =>
        All.FirstOrDefault(r => string.Equals(r.Code, code?.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new DomainException($"'{code}' is not a write-off reason; use one of {string.Join(", ", All.Select(r => r.Code))}.", "reasonCode");
}

/// <summary>The rules refunds, transfers and write-offs check before anything posts. Pure: the workflows load the balances and call these.</summary>
public static class ReceivablesRules
{
    /// <summary>
    /// A refund pays out part or all of a credit balance, never more: <paramref name="balance"/> is the
    /// account's balance (negative for a credit).
    /// </summary>
    public static void CheckRefund(Money amount, Money balance, string accountNumber)
    {
        if (!amount.IsPositive)
        {
            throw new DomainException($"A refund must be more than zero; {amount} was given.", "amount");
        }

        if (!balance.IsNegative)
        {
            throw new DomainException($"Account {accountNumber} has no credit balance to refund (its balance is {balance}).", "amount");
        }

        if (amount > -balance)
        {
            throw new DomainException($"Account {accountNumber} has a credit of {-balance}; a refund of {amount} is more than that.", "amount");
        }
    }

    /// <summary>A write-off takes off part or all of what the customer owes, never more, and never a credit.</summary>
    public static Money WriteOffAmount(Money? requested, Money balance, string accountNumber)
    {
        if (!balance.IsPositive)
        {
            throw new DomainException($"Account {accountNumber} owes nothing to write off (its balance is {balance}).", "amount");
        }

        var amount = requested ?? balance;
        if (!amount.IsPositive)
        {
            throw new DomainException($"A write-off must be more than zero; {amount} was given.", "amount");
        }

        return amount > balance
            ? throw new DomainException($"Account {accountNumber} owes {balance}; a write-off of {amount} is more than that.", "amount")
            : amount;
    }

    /// <summary>The person who asked for a refund cannot approve or reject it: two people see every payout.</summary>
    public static void CheckRefundDecider(string requestedBy, string decidedBy)
    {
        if (string.Equals(requestedBy.Trim(), decidedBy.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            throw new DomainException($"{decidedBy} requested this refund; another supervisor must approve or reject it.", "refundId");
        }
    }

    public static string RequireReason(string? reason, string field = "reason") =>
        string.IsNullOrWhiteSpace(reason) ? throw new DomainException("Give a reason.", field) : reason.Trim();
}

/// <summary>
/// The statute of limitations on a debt: the city may sue to collect it for a number of years (a state's law; six for a
/// written obligation in Oregon) from when it fell due, and a payment on it starts the time again.
/// </summary>
public static class StatuteOfLimitations
{
    public const int DefaultYears = 6;

    /// <summary>The last day the debt is collectible by suit: <paramref name="years"/> after its due date or its last payment, whichever is later.</summary>
    public static DateOnly Until(DateOnly dueOn, DateOnly? lastPaymentOn, int years)
    {
        if (years is < 1 or > 30)
        {
            throw new ArgumentOutOfRangeException(nameof(years), years, "A statute of limitations is 1 to 30 years.");
        }

        var from = lastPaymentOn is { } paid && paid > dueOn ? paid : dueOn;
        return from.AddYears(years);
    }
}
