using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Assistance;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.Storage.Assistance;
using OpenCIS.Core.Payments;

namespace OpenCIS.UseCases.Assistance;

/// <summary>One agency's pledges in the report's range: open (and of them overdue), paid, and closed unpaid.</summary>
public sealed record PledgeAgencyTotals(string Agency, int OpenCount, long OpenCents, int OverdueCount, long OverdueCents, int PaidCount, long PaidCents, int ClosedCount, long ClosedCents);

/// <summary>The pledges made from <see cref="From"/> through <see cref="Through"/>, by agency, with each pledge.</summary>
public sealed record PledgeReport(DateOnly From, DateOnly Through, DateOnly AsOf, string? Agency, IReadOnlyList<PledgeAgencyTotals> Agencies, PledgeAgencyTotals Total, IReadOnlyList<PledgeView> Pledges);

/// <summary>The pledges of an account, and the pledges report (open, overdue and paid by agency over a range of pledge dates).</summary>
public sealed class PledgeQueries(OpenCisDbContext db, BusinessCalendar calendar)
{
    /// <summary>The widest report: ten years of pledges.</summary>
    public const int ReportDaysMax = 3660;

    public async Task<IReadOnlyList<PledgeView>> OfAccountAsync(string accountNumber, CancellationToken cancellationToken = default)
    {
        var accountId = await AccountIdAsync(db, accountNumber, cancellationToken);
        return [.. (await ViewsAsync(db, db.AssistancePledges.Where(p => p.AccountId == accountId), calendar.Today(), cancellationToken))
            .OrderBy(p => p.Status != PledgeStatus.Pledged).ThenByDescending(p => p.PledgedOn).ThenByDescending(p => p.Id)];
    }

    public async Task<PledgeReport> ReportAsync(DateOnly from, DateOnly through, string? agency, CancellationToken cancellationToken = default)
    {
        if (through < from)
        {
            throw new DomainException($"The range ends ({through:yyyy-MM-dd}) before it starts ({from:yyyy-MM-dd}).", "to");
        }

        if (through.DayNumber - from.DayNumber > ReportDaysMax)
        {
            throw new DomainException($"A pledge report covers at most {ReportDaysMax} days.", "to");
        }

        var name = string.IsNullOrWhiteSpace(agency) ? null : agency.Trim();
        var pledges = db.AssistancePledges.Where(p => p.PledgedOn >= from && p.PledgedOn <= through);
        if (name is not null)
        {
            pledges = pledges.Where(p => p.Agency == name);
        }

        var today = calendar.Today();
        var views = (await ViewsAsync(db, pledges, today, cancellationToken)).OrderBy(p => p.Agency, StringComparer.Ordinal).ThenBy(p => p.PledgedOn).ThenBy(p => p.Id).ToList();
        var agencies = views.GroupBy(p => p.Agency, StringComparer.Ordinal).Select(g => Totals(g.Key, g)).ToList();
        return new PledgeReport(from, through, today, name, agencies, Totals("All agencies", views), views);
    }

    /// <summary>The account's id by its number; no such account is refused naming <c>accountNumber</c>.</summary>
    internal static async Task<long> AccountIdAsync(OpenCisDbContext db, string? accountNumber, CancellationToken cancellationToken)
    {
        var number = accountNumber?.Trim() ?? "";
        return await db.Accounts.Where(a => a.AccountNumber == number).Select(a => (long?)a.Id).SingleOrDefaultAsync(cancellationToken)
            ?? throw new DomainException($"There is no account {number}.", "accountNumber");
    }

    /// <summary>The pledges <paramref name="pledges"/> selects, with their accounts' numbers and their payments' receipts.</summary>
    internal static async Task<List<PledgeView>> ViewsAsync(OpenCisDbContext db, IQueryable<AssistancePledgeRow> pledges, DateOnly today, CancellationToken cancellationToken)
    {
        var rows = await pledges.AsNoTracking()
            .Join(db.Accounts, p => p.AccountId, a => a.Id, (p, a) => new { Pledge = p, a.AccountNumber })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => View(r.Pledge, r.AccountNumber, today))];
    }

    private static PledgeView View(AssistancePledgeRow p, string accountNumber, DateOnly today) =>
        new(p.Id, accountNumber, p.Agency, p.AmountCents, p.PledgedOn, p.ExpectedBy, p.Status, AssistancePledges.IsOverdue(p.Status, p.ExpectedBy, today),
            p.PaymentId, p.PaymentId is { } id ? Receipts.Number(id) : null, p.PaidOn, p.PaidCents, p.RecordedBy, p.ClosedBy, p.Note);

    private static PledgeAgencyTotals Totals(string agency, IEnumerable<PledgeView> pledges)
    {
        var list = pledges.ToList();
        var open = list.Where(p => p.Status == PledgeStatus.Pledged).ToList();
        var overdue = open.Where(p => p.Overdue).ToList();
        var paid = list.Where(p => p.Status == PledgeStatus.Paid).ToList();
        var closed = list.Where(p => p.Status is PledgeStatus.Cancelled or PledgeStatus.Expired).ToList();
        return new PledgeAgencyTotals(agency, open.Count, open.Sum(p => p.AmountCents), overdue.Count, overdue.Sum(p => p.AmountCents),
            paid.Count, paid.Sum(p => p.PaidCents ?? 0), closed.Count, closed.Sum(p => p.AmountCents));
    }
}
