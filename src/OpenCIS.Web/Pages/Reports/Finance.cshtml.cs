using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.Core.Ledger;
using OpenCIS.UseCases.Reports;
using OpenCIS.Web.Security;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Reports;

/// <summary>The period reports finance runs: trial balance, aging by due date, cash receipts and the month's accounting, each with its downloads.</summary>
[Authorize(Policy = ReportsCapability.ViewReports)]
public sealed class FinanceModel(LedgerReports ledger, ReceivablesAging aging, AccountingReports accounting, OpenCIS.UseCases.BusinessCalendar calendar) : PageModel
{
    public DateOnly From { get; private set; }
    public DateOnly Through { get; private set; }
    public DateOnly AsOf { get; private set; }
    public PeriodTrialBalance TrialBalance { get; private set; } = null!;
    public ReceivablesAgingReport Aging { get; private set; } = null!;
    public CashReceiptsReport Receipts { get; private set; } = null!;
    public MonthlyAccountingReport Monthly { get; private set; } = null!;

    /// <summary>The aging totals by bucket, for site.js's trend chart (data-trend-chart).</summary>
    public string AgingChartJson => System.Text.Json.JsonSerializer.Serialize(new
    {
        kind = "bar",
        unit = "money",
        labels = new[] { "Current", "1-30 days", "31-60 days", "61-90 days", "Over 90 days" },
        series = new[] { new { name = "Receivables", values = new[] { Aging.Totals.Current, Aging.Totals.Days1To30, Aging.Totals.Days31To60, Aging.Totals.Days61To90, Aging.Totals.Over90 }.Select(m => m.Dollars) } },
    });

    public async Task OnGetAsync(DateOnly? from, DateOnly? through, DateOnly? asOf, CancellationToken cancellationToken)
    {
        // By default the last closed period: the month before this one, whose figures no longer move.
        var today = calendar.Today();
        From = from ?? new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
        Through = through is { } last && last >= From ? last : From.AddMonths(1).AddDays(-1);
        AsOf = asOf ?? (Through < today ? Through : today);
        TrialBalance = await ledger.PeriodTrialBalanceAsync(From, Through, cancellationToken);
        Aging = await aging.RunAsync(AsOf, detail: false, cancellationToken);
        Receipts = await accounting.CashReceiptsAsync(From, Through, cancellationToken);
        Monthly = await accounting.MonthlyAsync(From.Year, From.Month, cancellationToken);
    }
}
