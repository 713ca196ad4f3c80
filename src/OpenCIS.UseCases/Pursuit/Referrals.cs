using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Pursuit;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Customers;
using OpenCIS.Storage.Pursuit;
using OpenCIS.UseCases.Billing.Corrections;
using OpenCIS.UseCases.Ledger;

namespace OpenCIS.UseCases.Pursuit;

public sealed record ReferralView(
    long Id,
    string AccountNumber,
    string CustomerName,
    string AgencyCode,
    string AgencyName,
    [property: JsonConverter(typeof(JsonStringEnumConverter<ReferralKind>))] ReferralKind Kind,
    DateOnly ReferredOn,
    long ReferredCents,
    string ReferredBy,
    string Reason,
    [property: JsonConverter(typeof(JsonStringEnumConverter<ReferralStatus>))] ReferralStatus Status,
    DateOnly? ClosedOn,
    string? ClosedBy,
    string? CloseReason,
    long? PlacementFileId,
    long? RecallFileId,
    long CollectedCents,
    long CommissionCents,
    long BalanceCents);

public sealed record ReferralFilter(string? Agency = null, ReferralStatus? Status = null, string? AccountNumber = null, int Take = 500);

/// <summary>What a referral or recall did: the referral as it is now, and in words.</summary>
public sealed record ReferralOutcome(ReferralView Referral, bool AlreadyDone, string Message);

/// <summary>
/// Referrals of final balances to a collection agency or the legal office: made by the daily pursuit or by a collector, recalled by the
/// city (the pursuit's recall period, or a collector's reason), closed when the balance is paid. One open referral an account at a time.
/// </summary>
public sealed class Referrals(OpenCisDbContext db, BusinessCalendar calendar, TimeProvider clock)
{
    /// <summary>A collector refers a final account's balance by hand: to the agency or legal office named, with the reason.</summary>
    public async Task<ReferralOutcome> ReferAsync(string accountNumber, string agencyCode, string? reason, string user, CancellationToken cancellationToken = default)
    {
        var why = RequireReason(reason);
        var agency = await CollectionAgencies.RowAsync(db, agencyCode, cancellationToken);
        var account = await CorrectionBilling.FindAccountAsync(db, accountNumber, cancellationToken);
        await using var transaction = await CorrectionBilling.BeginForAccountAsync(db, account.Id, cancellationToken);
        if (await db.Referrals.AsNoTracking().FirstOrDefaultAsync(r => r.AccountId == account.Id && r.Status == ReferralStatus.Open, cancellationToken) is { } open)
        {
            await transaction.RollbackAsync(cancellationToken);
            return open.AgencyId == agency.Id
                ? new ReferralOutcome(await FindAsync(open.Id, cancellationToken), true, $"Account {account.AccountNumber} is already with {agency.Code} (referral {open.Id}); nothing was done again.")
                : throw new DomainException($"Account {account.AccountNumber} is with another agency (referral {open.Id}); recall it first.", "agency");
        }

        var row = await AddAsync(db, account, agency, why, calendar.Today(), user, clock.GetUtcNow(), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return new ReferralOutcome(await FindAsync(row.Id, cancellationToken), false, $"Account {account.AccountNumber}: {Money.FromCents(row.ReferredCents)} referred to {agency.Name} (referral {row.Id}).");
    }

    /// <summary>
    /// Adds a referral of <paramref name="account"/>'s whole balance to the unit of work, with its audit entry; the caller holds the account's
    /// lock and saves. Refused for an active account (a final balance is referred) and for one that owes nothing.
    /// </summary>
    internal static async Task<ReferralRow> AddAsync(OpenCisDbContext db, Account account, CollectionAgencyRow agency, string reason, DateOnly today, string user, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (!agency.Active)
        {
            throw new DomainException($"{agency.Name} ({agency.Code}) takes no new referrals.", "agency");
        }

        if (account.Status == AccountStatus.Active)
        {
            throw new DomainException($"Account {account.AccountNumber} is active; only a final-billed account's balance is referred (transfer it, or collect it on the account).", "accountNumber");
        }

        var balance = (await AccountLedger.BalancesAsync(db, [account.Id], cancellationToken)).GetValueOrDefault(account.Id);
        if (balance <= 0)
        {
            throw new DomainException($"Account {account.AccountNumber} owes nothing to refer (its balance is {Money.FromCents(balance)}).", "accountNumber");
        }

        var row = new ReferralRow
        {
            AccountId = account.Id,
            AgencyId = agency.Id,
            Kind = agency.Kind,
            ReferredOn = today,
            ReferredCents = balance,
            ReferredBy = user,
            Reason = reason.Length <= ReferralRow.ReasonLengthMax ? reason : reason[..ReferralRow.ReasonLengthMax],
            Status = ReferralStatus.Open,
        };
        db.Referrals.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        AuditLog.Record(db, now, user, "Referral", row.Id, account.Id, agency.Kind == ReferralKind.Legal ? "Refer to legal" : "Place with agency", null,
            new { Agency = agency.Code, Amount = Money.FromCents(balance).ToPlainString() }, row.Reason);
        return row;
    }

    /// <summary>Recalls an open referral from its agency, with the reason; the recall goes out on the agency's next placement file.</summary>
    public async Task<ReferralOutcome> RecallAsync(long referralId, string? reason, string user, CancellationToken cancellationToken = default)
    {
        var why = RequireReason(reason);
        var accountId = await db.Referrals.Where(r => r.Id == referralId).Select(r => (long?)r.AccountId).SingleOrDefaultAsync(cancellationToken)
            ?? throw new DomainException($"There is no referral {referralId}.", "referralId");
        await using var transaction = await CorrectionBilling.BeginForAccountAsync(db, accountId, cancellationToken);
        var row = await db.Referrals.SingleAsync(r => r.Id == referralId, cancellationToken);
        if (row.Status != ReferralStatus.Open)
        {
            await transaction.RollbackAsync(cancellationToken);
            return new ReferralOutcome(await FindAsync(referralId, cancellationToken), true,
                $"Referral {referralId} was already {Describe(row.Status)} on {row.ClosedOn:yyyy-MM-dd}; nothing was done again.");
        }

        Close(db, row, ReferralStatus.Recalled, calendar.Today(), user, why, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return new ReferralOutcome(await FindAsync(referralId, cancellationToken), false, $"Referral {referralId} recalled: {why}.");
    }

    /// <summary>Closes a tracked open referral (recalled, or paid in full) with its audit entry; the caller saves.</summary>
    internal static void Close(OpenCisDbContext db, ReferralRow row, ReferralStatus status, DateOnly today, string user, string reason, DateTimeOffset now)
    {
        var before = new { Status = row.Status.ToString() };
        row.Status = status;
        row.ClosedOn = today;
        row.ClosedBy = user;
        row.CloseReason = reason.Length <= ReferralRow.ReasonLengthMax ? reason : reason[..ReferralRow.ReasonLengthMax];
        AuditLog.Record(db, now, user, "Referral", row.Id, row.AccountId, status == ReferralStatus.Recalled ? "Recall referral" : "Close referral", before,
            new { Status = status.ToString() }, row.CloseReason);
    }

    public async Task<IReadOnlyList<ReferralView>> ListAsync(ReferralFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var rows = db.Referrals.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.Agency))
        {
            var code = CollectionAgencies.NormalizeCode(filter.Agency);
            rows = rows.Where(r => db.CollectionAgencies.Any(a => a.Id == r.AgencyId && a.Code == code));
        }

        if (filter.Status is { } status)
        {
            rows = rows.Where(r => r.Status == status);
        }

        if (!string.IsNullOrWhiteSpace(filter.AccountNumber))
        {
            var number = filter.AccountNumber.Trim();
            rows = rows.Where(r => db.Accounts.Any(a => a.Id == r.AccountId && a.AccountNumber == number));
        }

        return await ViewsAsync(rows.OrderByDescending(r => r.Id).Take(Math.Clamp(filter.Take, 1, 5000)), cancellationToken);
    }

    public async Task<IReadOnlyList<ReferralView>> OfAccountAsync(long accountId, CancellationToken cancellationToken = default) =>
        await ViewsAsync(db.Referrals.AsNoTracking().Where(r => r.AccountId == accountId).OrderByDescending(r => r.Id), cancellationToken);

    public async Task<ReferralView> FindAsync(long referralId, CancellationToken cancellationToken = default) =>
        (await ViewsAsync(db.Referrals.AsNoTracking().Where(r => r.Id == referralId), cancellationToken)).SingleOrDefault()
            ?? throw new DomainException($"There is no referral {referralId}.", "referralId");

    private async Task<IReadOnlyList<ReferralView>> ViewsAsync(IQueryable<ReferralRow> query, CancellationToken cancellationToken)
    {
        var rows = await query.ToListAsync(cancellationToken);
        var accountIds = rows.Select(r => r.AccountId).Distinct().ToList();
        var agencyIds = rows.Select(r => r.AgencyId).Distinct().ToList();
        var accounts = await db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.AccountNumber, cancellationToken);
        var names = await AccountNames.MainAsync(db, accountIds, cancellationToken);
        var agencies = await db.CollectionAgencies.AsNoTracking().Where(a => agencyIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, cancellationToken);
        var balances = await AccountLedger.BalancesAsync(db, accountIds, cancellationToken);
        return [.. rows.Select(r => new ReferralView(r.Id, accounts[r.AccountId], names.GetValueOrDefault(r.AccountId, ""), agencies[r.AgencyId].Code, agencies[r.AgencyId].Name, r.Kind,
            r.ReferredOn, r.ReferredCents, r.ReferredBy, r.Reason, r.Status, r.ClosedOn, r.ClosedBy, r.CloseReason, r.PlacementFileId, r.RecallFileId, r.CollectedCents, r.CommissionCents,
            balances.GetValueOrDefault(r.AccountId)))];
    }

    public static string Describe(ReferralStatus status) => status switch
    {
        ReferralStatus.Open => "open",
        ReferralStatus.Recalled => "recalled",
        _ => "paid in full",
    };

    private static string RequireReason(string? reason)
    {
        var trimmed = reason?.Trim() ?? "";
        return trimmed.Length switch
        {
            0 => throw new DomainException("Give the reason.", "reason"),
            > ReferralRow.ReasonLengthMax => throw new DomainException($"The reason can be at most {ReferralRow.ReasonLengthMax} characters.", "reason"),
            _ => trimmed,
        };
    }
}

/// <summary>
/// The name on an account: its latest main customer's, ended or not. Unlike <c>CollectionQueries.MainNamesAsync</c> (current
/// customers only), it names a final account, whose customer's role ended when service stopped.
/// </summary>
internal static class AccountNames
{
    public static async Task<Dictionary<long, string>> MainAsync(OpenCisDbContext db, List<long> accountIds, CancellationToken cancellationToken) =>
        (await (from ac in db.AccountCustomers.AsNoTracking()
                join c in db.Customers.AsNoTracking() on ac.CustomerId equals c.Id
                where accountIds.Contains(ac.AccountId) && ac.Role == AccountRole.Main
                orderby ac.Id
                select new { ac.AccountId, c.DisplayName })
            .ToListAsync(cancellationToken))
        .GroupBy(x => x.AccountId)
        .ToDictionary(g => g.Key, g => g.Last().DisplayName);
}
