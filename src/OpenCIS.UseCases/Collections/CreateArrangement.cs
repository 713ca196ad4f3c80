using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Collections;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Collections;
using OpenCIS.Storage.Customers;

namespace OpenCIS.UseCases.Collections;

/// <summary>
/// The terms a collector asks for. A null amount arranges the account's past-due balance; installments fall due
/// <paramref name="MonthsApart"/> months apart from <paramref name="FirstDueOn"/>. Terms outside the policy need
/// <paramref name="ApproveOutsidePolicy"/> (the caller holds the approval permission) and an approval reason.
/// </summary>
public sealed record ArrangementRequest(
    Money? Amount,
    Money DownPayment,
    int Installments,
    DateOnly FirstDueOn,
    int MonthsApart = 1,
    bool ApproveOutsidePolicy = false,
    string? ApprovalReason = null);

public sealed record ArrangementInstallmentView(int Number, DateOnly DueOn, long AmountCents, long PaidCents, bool Paid);

public sealed record ArrangementView(
    long Id,
    long AccountId,
    DateOnly CreatedOn,
    long AmountCents,
    long DownPaymentCents,
    long DownPaymentPaidCents,
    [property: JsonConverter(typeof(JsonStringEnumConverter<ArrangementStage>))] ArrangementStage Status,
    DateOnly StatusOn,
    string StatusReason,
    string? OutsidePolicy,
    string? ApprovedBy,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    long PaidCents,
    IReadOnlyList<ArrangementInstallmentView> Installments);

public sealed record ArrangementOutcome(ArrangementView Arrangement, string Message);

/// <summary>
/// Sets up a payment arrangement on an account: the schedule from <see cref="PaymentArrangements.Schedule"/>,
/// checked against the account's policy limits with the arrangements made in the last 12 months. Terms outside
/// the policy are refused naming the limit, unless a Supervisor approves them with a reason; the limit is then
/// kept on the row. One active arrangement per account; audited.
/// </summary>
public sealed class CreateArrangement(OpenCisDbContext db, BusinessCalendar calendar, TimeProvider clock)
{
    public const int ReasonLengthMax = 400;

    public async Task<ArrangementOutcome> ExecuteAsync(long accountId, ArrangementRequest request, string user, CancellationToken cancellationToken = default)
    {
        var account = await CollectionWorkRules.FindAccountAsync(db, accountId, cancellationToken);
        var today = calendar.Today();
        var approvalReason = request.ApproveOutsidePolicy
            ? CollectionWorkRules.Text(request.ApprovalReason, "approvalReason", "reason for approving terms outside the policy", ReasonLengthMax, required: false)
            : null;
        if (request.FirstDueOn <= today)
        {
            throw new DomainException($"The first installment falls due after today ({today:yyyy-MM-dd}), not {request.FirstDueOn:yyyy-MM-dd}.", "firstDueOn");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await AccountLocks.LockAccountAsync(db, accountId, cancellationToken);
        if (await db.Arrangements.AnyAsync(a => a.AccountId == accountId && a.Status == ArrangementStage.Active, cancellationToken))
        {
            throw new DomainException($"Account {account.AccountNumber} already has an active arrangement; cancel it first.", "accountId");
        }

        var balance = await BalanceAsync(db, accountId, cancellationToken);
        var pastDue = await PastDueAsync(db, accountId, today, cancellationToken);
        var amount = request.Amount ?? pastDue;
        if (!amount.IsPositive)
        {
            throw new DomainException($"The arranged amount must be above $0.00; account {account.AccountNumber} has {pastDue} past due.", "amount");
        }

        if (amount > balance)
        {
            throw new DomainException($"The arranged amount {amount} is more than the account's balance {balance}.", "amount");
        }

        var schedule = PaymentArrangements.Schedule(amount, request.DownPayment, request.Installments, request.FirstDueOn, request.MonthsApart);
        var terms = new PaymentArrangement(today, amount, request.DownPayment, schedule);
        var limits = await LimitsAsync(db, account, today, cancellationToken);
        var recent = await RecentCountAsync(db, accountId, today, cancellationToken);
        string? outsidePolicy = null;
        try
        {
            // The debt the policy's eligibility reads is the account's balance: the arranged amount may be less.
            PaymentArrangements.Validate(limits, balance, amount, request.DownPayment, request.Installments, recent);
        }
        catch (DomainException refused)
        {
            if (!request.ApproveOutsidePolicy)
            {
                throw;
            }

            if (approvalReason is null)
            {
                throw new DomainException($"{refused.Message} Enter the reason for approving terms outside the policy.", "approvalReason");
            }

            outsidePolicy = refused.Message;
        }

        var now = clock.GetUtcNow();
        var arrangement = Arrangement.Create(accountId, terms, outsidePolicy, outsidePolicy is null ? null : user, user, now);
        db.Arrangements.Add(arrangement);
        await db.SaveChangesAsync(cancellationToken);
        AuditLog.Record(db, now, user, "Arrangement", arrangement.Id, accountId, "Create arrangement", null,
            new { arrangement.AmountCents, arrangement.DownPaymentCents, Installments = schedule.Length, request.FirstDueOn, request.MonthsApart, arrangement.OutsidePolicy, arrangement.ApprovedBy },
            outsidePolicy is null ? null : $"Approved outside policy: {approvalReason}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var view = ArrangementQueries.View(arrangement, []);
        var message = $"Arranged {amount} on account {account.AccountNumber}: {request.DownPayment} down today and {schedule.Length} installment{(schedule.Length == 1 ? "" : "s")} from {request.FirstDueOn:yyyy-MM-dd}"
            + (outsidePolicy is null ? "." : $", approved outside policy ({outsidePolicy})");
        return new ArrangementOutcome(view, message);
    }

    /// <summary>The account's balance: what is open on its items, the debt the policy's eligibility reads.</summary>
    public static async Task<Money> BalanceAsync(OpenCisDbContext db, long accountId, CancellationToken cancellationToken) =>
        Money.FromCents(await db.OpenItems.Where(o => o.AccountId == accountId).SumAsync(o => (long?)o.OpenCents, cancellationToken) ?? 0);

    /// <summary>The arrangements the account made in the 12 months to <paramref name="today"/>, which the policy limits.</summary>
    public static Task<int> RecentCountAsync(OpenCisDbContext db, long accountId, DateOnly today, CancellationToken cancellationToken)
    {
        var since = today.AddMonths(-12);
        return db.Arrangements.CountAsync(a => a.AccountId == accountId && a.CreatedOn > since, cancellationToken);
    }

    /// <summary>What is open on items that fell due before <paramref name="today"/>: the amount an arrangement takes by default.</summary>
    public static async Task<Money> PastDueAsync(OpenCisDbContext db, long accountId, DateOnly today, CancellationToken cancellationToken) =>
        Money.FromCents(await PastDueItems.Before(db.OpenItems.Where(o => o.AccountId == accountId), today).SumAsync(o => (long?)o.OpenCents, cancellationToken) ?? 0);

    /// <summary>The arrangement limits of the policy in force for the account's class and debt type, or the defaults without one.</summary>
    public static async Task<ArrangementLimits> LimitsAsync(OpenCisDbContext db, Account account, DateOnly today, CancellationToken cancellationToken)
    {
        var catalog = await CollectionPolicyCatalog.LoadAsync(db, cancellationToken);
        return catalog.ForAccount(account.Class, account.Status, today) is { } stored
            ? stored.Policy.Arrangements
            : ArrangementLimits.Default;
    }
}
