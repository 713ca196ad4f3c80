using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Deposits;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage.Ledger;
using OpenCIS.UseCases.Ledger;
using OpenCIS.Storage;
using OpenCIS.Storage.Deposits;

namespace OpenCIS.UseCases.Deposits;

/// <summary>
/// A deposit as the screens and the API show it. Interest is what was credited, or for a held deposit what it has earned so far.
/// <see cref="ChargeOpenCents"/> is what is unpaid of a deposit still open; once it is applied or refunded it is zero, because its credit
/// is then allocated across the account's charges by the usual rule (oldest first) rather than to the deposit charge itself.
/// </summary>
public sealed record DepositView(
    long DepositId,
    string AccountNumber,
    string Status,
    string DecisionKind,
    long StandardCents,
    long BilledCents,
    string DecisionReason,
    long? ChargeTransactionId,
    long ChargeOpenCents,
    DateOnly DecidedOn,
    DateOnly? DueOn,
    DateOnly? HeldSince,
    long InterestCents,
    DateOnly? ClosedOn,
    string? ClosedBy,
    string? CloseReason,
    long? ClosingTransactionId,
    string RequestedBy,
    DateTimeOffset RequestedAt);

/// <summary>One deposit on the deposit report, with its state on the report's date.</summary>
public sealed record DepositReportLine(long DepositId, string AccountNumber, string Status, long BilledCents, DateOnly DecidedOn, DateOnly? HeldSince, DateOnly? ClosedOn, long InterestCents);

/// <summary>
/// The deposit report: deposits held and billed but unpaid on <see cref="AsOf"/>, deposits applied and
/// refunded from <see cref="From"/> through <see cref="AsOf"/>. Held plus billed-unpaid is what GL 2200
/// carries on that date (a deposit is credited there when billed), so the two must agree.
/// </summary>
public sealed record DepositReport(
    DateOnly From,
    DateOnly AsOf,
    IReadOnlyList<DepositReportLine> Outstanding,
    IReadOnlyList<DepositReportLine> Closed,
    int HeldCount,
    long HeldCents,
    int BilledUnpaidCount,
    long BilledUnpaidCents,
    int AppliedCount,
    long AppliedCents,
    int RefundedCount,
    long RefundedCents,
    long InterestCreditedCents,
    long InterestAccruedCents,
    long GeneralLedgerBalanceCents)
{
    public long OutstandingCents => HeldCents + BilledUnpaidCents;

    public bool TiesToGeneralLedger => OutstandingCents == GeneralLedgerBalanceCents;
}

/// <summary>Deposits for the account screen, the API and the deposit report. Read-only; every list is bounded.</summary>
public sealed class DepositQueries(OpenCisDbContext db, DepositPolicy policy, BusinessCalendar calendar)
{
    /// <summary>A report lists at most this many deposits per section; the totals always cover all of them.</summary>
    public const int ReportLineLimit = 5_000;

    public DepositPolicy Policy => policy;

    public async Task<IReadOnlyList<DepositView>> ForAccountAsync(string accountNumber, CancellationToken cancellationToken = default)
    {
        var accountId = await db.Accounts.Where(a => a.AccountNumber == accountNumber.Trim()).Select(a => (long?)a.Id).SingleOrDefaultAsync(cancellationToken)
            ?? throw new DomainException($"There is no account {accountNumber}.", "accountNumber");
        return await ViewsAsync(db, policy, db.Deposits.Where(d => d.AccountId == accountId).OrderByDescending(d => d.Id).Take(100), calendar.Today(), cancellationToken);
    }

    public async Task<DepositReport> ReportAsync(DateOnly asOf, DateOnly? from = null, CancellationToken cancellationToken = default)
    {
        var periodStart = from ?? new DateOnly(asOf.Year, asOf.Month, 1);
        if (periodStart > asOf)
        {
            throw new DomainException($"The period starts {periodStart:yyyy-MM-dd}, after the report date {asOf:yyyy-MM-dd}.", "from");
        }

        var outstanding = await db.Deposits.AsNoTracking()
            .Where(d => d.BilledCents > 0 && d.Status != DepositStatus.Waived && d.DecidedOn <= asOf && (d.ClosedOn == null || d.ClosedOn > asOf))
            .Join(db.Accounts, d => d.AccountId, a => a.Id, (d, a) => new { d, a.AccountNumber })
            .ToListAsync(cancellationToken);
        // A deposit paid since the last refund review is still marked billed: its paid date comes from the ledger.
        var paidOn = await DepositHistory.PaidOnAsync(db, outstanding.Where(x => x.d.HeldSince is null && x.d.ChargeTransactionId is not null).Select(x => x.d.ChargeTransactionId!.Value).ToList(), cancellationToken);
        var outstandingLines = outstanding.Select(x =>
            {
                var heldSince = x.d.HeldSince ?? (x.d.ChargeTransactionId is { } charge && paidOn.TryGetValue(charge, out var paid) ? paid : null);
                var isHeld = heldSince is { } since && since <= asOf;
                return new DepositReportLine(x.d.Id, x.AccountNumber, isHeld ? nameof(DepositStatus.Held) : nameof(DepositStatus.Billed), x.d.BilledCents, x.d.DecidedOn,
                    isHeld ? heldSince : null, null, isHeld ? policy.Interest(Money.FromCents(x.d.BilledCents), heldSince!.Value, asOf).Cents : 0);
            })
            .OrderBy(l => l.AccountNumber, StringComparer.Ordinal).ThenBy(l => l.DepositId).ToList();

        var closed = await db.Deposits.AsNoTracking()
            .Where(d => (d.Status == DepositStatus.Applied || d.Status == DepositStatus.Refunded) && d.ClosedOn >= periodStart && d.ClosedOn <= asOf)
            .Join(db.Accounts, d => d.AccountId, a => a.Id, (d, a) => new { d, a.AccountNumber })
            .ToListAsync(cancellationToken);
        var closedLines = closed.Select(x => new DepositReportLine(x.d.Id, x.AccountNumber, x.d.Status.ToString(), x.d.BilledCents, x.d.DecidedOn, x.d.HeldSince, x.d.ClosedOn, x.d.InterestCents))
            .OrderBy(l => l.ClosedOn).ThenBy(l => l.AccountNumber, StringComparer.Ordinal).ToList();

        var glBalance = await db.GlEntries.AsNoTracking().Where(g => g.GlAccount == GlAccounts.CustomerDeposits && g.EffectiveOn <= asOf)
            .SumAsync(g => g.CreditCents - g.DebitCents, cancellationToken);
        var held = outstandingLines.Where(l => l.Status == nameof(DepositStatus.Held)).ToList();
        var unpaid = outstandingLines.Where(l => l.Status == nameof(DepositStatus.Billed)).ToList();
        var applied = closedLines.Where(l => l.Status == nameof(DepositStatus.Applied)).ToList();
        var refunded = closedLines.Where(l => l.Status == nameof(DepositStatus.Refunded)).ToList();
        return new DepositReport(periodStart, asOf, outstandingLines.Take(ReportLineLimit).ToList(), closedLines.Take(ReportLineLimit).ToList(),
            held.Count, held.Sum(l => l.BilledCents), unpaid.Count, unpaid.Sum(l => l.BilledCents),
            applied.Count, applied.Sum(l => l.BilledCents), refunded.Count, refunded.Sum(l => l.BilledCents),
            closedLines.Sum(l => l.InterestCents), held.Sum(l => l.InterestCents), glBalance);
    }

    /// <summary>The report as CSV: one row per deposit, then the totals and the tie to GL 2200.</summary>
    public static string Csv(DepositReport report)
    {
        var csv = new StringBuilder();
        csv.AppendLine("section,deposit_id,account,status,billed,decided_on,held_since,closed_on,interest");
        foreach (var (section, lines) in new[] { ("outstanding", report.Outstanding), ("closed_in_period", report.Closed) })
        {
            foreach (var l in lines)
            {
                csv.AppendLine(string.Join(',', section, l.DepositId.ToString(CultureInfo.InvariantCulture), Core.Common.Csv.Field(l.AccountNumber), l.Status, Dollars(l.BilledCents),
                    l.DecidedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Date(l.HeldSince), Date(l.ClosedOn), Dollars(l.InterestCents)));
            }
        }

        csv.AppendLine();
        csv.AppendLine("total,count,amount");
        csv.AppendLine($"held as of {report.AsOf:yyyy-MM-dd},{report.HeldCount},{Dollars(report.HeldCents)}");
        csv.AppendLine($"billed unpaid as of {report.AsOf:yyyy-MM-dd},{report.BilledUnpaidCount},{Dollars(report.BilledUnpaidCents)}");
        csv.AppendLine($"applied {report.From:yyyy-MM-dd} to {report.AsOf:yyyy-MM-dd},{report.AppliedCount},{Dollars(report.AppliedCents)}");
        csv.AppendLine($"refunded {report.From:yyyy-MM-dd} to {report.AsOf:yyyy-MM-dd},{report.RefundedCount},{Dollars(report.RefundedCents)}");
        csv.AppendLine($"interest credited in period,,{Dollars(report.InterestCreditedCents)}");
        csv.AppendLine($"interest accrued on deposits held,,{Dollars(report.InterestAccruedCents)}");
        csv.AppendLine($"outstanding (held + billed unpaid),,{Dollars(report.OutstandingCents)}");
        csv.AppendLine($"GL {GlAccounts.CustomerDeposits} balance,,{Dollars(report.GeneralLedgerBalanceCents)}");
        csv.AppendLine($"ties to GL {GlAccounts.CustomerDeposits},,{(report.TiesToGeneralLedger ? "yes" : "NO")}");
        return csv.ToString();
    }


    /// <summary>
    /// Posts a deposit's closing into the unit of work: the amount billed comes off the liability, then the
    /// interest a held deposit earned through <paramref name="on"/>. The one place a deposit leaves GL 2200.
    /// </summary>
    internal static (FinancialTransaction Closing, Money Interest, FinancialTransaction? InterestTransaction) PostClosing(
        OpenCisDbContext db, DepositPolicy policy, AccountLedger ledger, Deposit deposit, DateOnly on, string user, DateTimeOffset now, string reason)
    {
        var amount = DepositPostingRules.ApplicableAmount(Money.FromCents(deposit.BilledCents), Money.Zero);
        var closing = ledger.Post(db, DepositPostingRules.ForDepositApplication(amount), on, on, null, user, $"Deposit {deposit.Id}: {reason}", now);
        var since = deposit.Status == DepositStatus.Held ? deposit.HeldSince : null;
        var interest = since is { } heldSince ? policy.Interest(amount, heldSince, on) : Money.Zero;
        var interestTransaction = interest.IsPositive
            ? ledger.Post(db, DepositPostingRules.ForDepositInterest(interest), on, on, null, user,
                string.Create(CultureInfo.InvariantCulture, $"Deposit {deposit.Id} interest: {amount} x {policy.AnnualInterestRatePercent:0.###}% x {on.DayNumber - since!.Value.DayNumber} days / {DepositPolicy.DaysPerYear}"), now)
            : null;
        return (closing, interest, interestTransaction);
    }

    internal static async Task<DepositOutcome> OutcomeAsync(OpenCisDbContext db, DepositPolicy policy, long depositId, DateOnly today, bool alreadyDone, string message, CancellationToken cancellationToken)
    {
        var view = (await ViewsAsync(db, policy, db.Deposits.Where(d => d.Id == depositId), today, cancellationToken)).Single();
        var accountId = await db.Deposits.Where(d => d.Id == depositId).Select(d => d.AccountId).SingleAsync(cancellationToken);
        var balance = await Ledger.AccountLedger.BalanceAsync(db, accountId, cancellationToken);
        return new DepositOutcome(view, balance, alreadyDone, message);
    }

    private static async Task<List<DepositView>> ViewsAsync(OpenCisDbContext db, DepositPolicy policy, IQueryable<Deposit> query, DateOnly today, CancellationToken cancellationToken)
    {
        var rows = await query.AsNoTracking().Join(db.Accounts, d => d.AccountId, a => a.Id, (d, a) => new { d, a.AccountNumber }).ToListAsync(cancellationToken);
        var chargeIds = rows.Where(r => r.d.ChargeTransactionId is not null).Select(r => r.d.ChargeTransactionId!.Value).ToList();
        var open = (await db.OpenItems.AsNoTracking().Where(o => chargeIds.Contains(o.FinancialTransactionId) && o.AmountCents > 0)
                .Select(o => new { o.FinancialTransactionId, o.OpenCents }).ToListAsync(cancellationToken))
            .GroupBy(o => o.FinancialTransactionId).ToDictionary(g => g.Key, g => g.Sum(o => o.OpenCents));
        return rows.Select(r => new DepositView(r.d.Id, r.AccountNumber, r.d.Status.ToString(), r.d.DecisionKind.ToString(), r.d.StandardCents, r.d.BilledCents, r.d.DecisionReason,
                r.d.ChargeTransactionId, r.d.IsOpen && r.d.ChargeTransactionId is { } charge ? open.GetValueOrDefault(charge) : 0, r.d.DecidedOn, r.d.DueOn, r.d.HeldSince,
                r.d is { Status: DepositStatus.Held, HeldSince: { } since } ? policy.Interest(Money.FromCents(r.d.BilledCents), since, today).Cents : r.d.InterestCents,
                r.d.ClosedOn, r.d.ClosedBy, r.d.CloseReason, r.d.ClosingTransactionId, r.d.RequestedBy, r.d.RequestedAt))
            .ToList();
    }

    private static string Dollars(long cents) => Money.FromCents(cents).ToPlainString();

    private static string Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";
}
