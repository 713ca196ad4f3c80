using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.Core.Common;
using OpenCIS.Core.Reports;
using OpenCIS.UseCases.Reports;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Reports;

/// <summary>
/// The collection and billing trends: one card per chart, drawn by Chart.js from the figures in a data- attribute, the same
/// figures in a table for whoever would rather read them (or cannot see the chart), and each chart's CSV and XLSX.
/// </summary>
[Authorize(Policy = ReportsCapability.ViewReports)]
public sealed class TrendsModel(CollectionTrends trends) : PageModel
{
    /// <summary>What each chart measures, in a sentence under its title (docs/trends.md says it at length).</summary>
    public static readonly IReadOnlyDictionary<string, string> Definitions = new Dictionary<string, string>
    {
        [CollectionTrends.BilledAndCollected] = "Billed: bills net of cancellations, and city invoices. Collected: cash received on accounts, every channel, less payments returned.",
        [CollectionTrends.DaysSalesOutstanding] = "Receivables at the month's end divided by what was billed in the month, times the days in the month.",
        [CollectionTrends.AgingOverTime] = "Receivables at each month's end by days past due, as that day's aging report gave them.",
        [CollectionTrends.ChargesAndWriteOffs] = "Late charges posted; balances written off (less write-offs reversed); written-off debt paid after all.",
        [CollectionTrends.DisconnectsAndReconnects] = "Field orders completed: service cut for non-payment, and service restored.",
        [CollectionTrends.Arrangements] = "Arrangements made, kept (every installment paid) and broken; promises to pay kept and broken, by the day decided.",
        [CollectionTrends.Campaigns] = "Calls logged in calling campaigns, those that reached the right party, and the promises taken on them.",
    };

    public CalendarMonth Through { get; private set; }
    public IReadOnlyList<TrendChart> Charts { get; private set; } = [];
    public string? Error { get; private set; }

    public async Task OnGetAsync(string? through, CancellationToken cancellationToken)
    {
        Through = trends.DefaultThrough();
        if (!string.IsNullOrEmpty(through))
        {
            if (CalendarMonth.TryParse(through, out var month))
            {
                Through = month;
            }
            else
            {
                Error = $"'{through}' is not a month in the form YYYY-MM; showing the twelve months through {Through}.";
            }
        }

        Charts = await trends.AllAsync(Through, cancellationToken);
    }

    /// <summary>What site.js hands Chart.js: the kind of chart, its labels, and each series in dollars, counts or days.</summary>
    public static string ChartJson(TrendChart chart) => JsonSerializer.Serialize(new
    {
        kind = chart.Key switch
        {
            CollectionTrends.DaysSalesOutstanding => "line",
            CollectionTrends.AgingOverTime => "stacked",
            _ => "bar",
        },
        unit = chart.Unit.ToString().ToLowerInvariant(),
        labels = chart.Months.Select(Label),
        series = chart.Series.Select(s => new
        {
            name = s.Name,
            values = s.Values.Select(v => v is null ? (decimal?)null : chart.Unit == TrendUnit.Money ? Money.FromCents(v.Value).Dollars : v.Value),
        }),
    });

    /// <summary>A month as a person reads it: "Nov 2026".</summary>
    public static string Label(CalendarMonth month) => month.First.ToString("MMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>A figure as the table shows it: dollars with the sign, counts with separators, days, a dash for no figure.</summary>
    public static string Display(TrendChart chart, long? value) => value switch
    {
        null => "—",
        { } cents when chart.Unit == TrendUnit.Money => Money.FromCents(cents).ToString(),
        { } number => number.ToString("N0", CultureInfo.InvariantCulture),
    };
}
