using Microsoft.AspNetCore.Mvc;
using OpenCIS.UseCases.Portal;

namespace OpenCIS.Web.Pages.Portal;

/// <summary>One of the customer's accounts: the balance, the current bill (its PDF, Pay now), and the bills and payments before it.</summary>
public sealed class AccountModel(PortalQueries queries) : PortalPageModel
{
    public PortalAccountView Account { get; private set; } = null!;

    public IReadOnlyList<PortalUsageSeries> Usage { get; private set; } = [];

    /// <summary>The e-check just authorized on the Pay page, to confirm while it is pending.</summary>
    public Task<IActionResult> OnGetAsync(string number, long? echeck) => TryAsync(async () =>
    {
        await LoadAsync(number);
        if (echeck is { } id && Account.Payments.FirstOrDefault(p => p.ECheckId == id) is { } pending)
        {
            Notice = T("ECheckDone", pending.Amount, pending.BankAccount);
        }

        return Page();
    });

    /// <summary>Cancels one of the customer's e-checks before the next ACH file carries it.</summary>
    public Task<IActionResult> OnPostCancelECheckAsync(string number, long eCheckId, [FromServices] PortalECheck eChecks) => TryAsync(async () =>
    {
        try
        {
            var cancelled = await eChecks.CancelAsync(UserId, number, eCheckId, HttpContext.RequestAborted);
            Notice = T("ECheckCancelled", cancelled.Amount);
        }
        finally
        {
            await LoadAsync(number);
        }

        return Page();
    });

    private async Task LoadAsync(string number)
    {
        Account = await queries.AccountAsync(UserId, number, HttpContext.RequestAborted);
        Usage = await queries.UsageAsync(UserId, number, HttpContext.RequestAborted);
    }

    /// <summary>A period's label: "Nov 2026" by bill, "Nov 22" by day, in the customer's language.</summary>
    public string Label(PortalUsageSeries series, DateOnly period)
    {
        var month = T("Months").Split(',')[period.Month - 1].Trim();
        var shortMonth = month.Length > 3 ? month[..3] : month;
        return series.Daily ? $"{shortMonth} {period.Day}" : $"{shortMonth} {period.Year}";
    }

    /// <summary>The chart's data for site.js (data-trend-chart): this year's use and last year's, side by side.</summary>
    public string ChartJson(PortalUsageSeries series) => System.Text.Json.JsonSerializer.Serialize(new
    {
        kind = "bar",
        unit = "count",
        labels = series.Points.Select(p => Label(series, p.Period)),
        series = new object[]
        {
            new { name = T("ThisPeriod"), values = series.Points.Select(p => (decimal?)p.Quantity) },
            new { name = T("YearBefore"), values = series.Points.Select(p => p.YearBefore) },
        },
    });


    /// <summary>How a payment was made, in words.</summary>
    public string How(PortalPayment payment) => T("How" + payment.How);
}
