using Microsoft.AspNetCore.Http.HttpResults;
using OpenCIS.Core.Common;
using OpenCIS.Core.Reports;
using OpenCIS.UseCases.Reports;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Api;

/// <summary>A series of a trend chart: one value per month, money as dollars in text ("1234.56"), counts and days as numbers, null for no figure.</summary>
public sealed record TrendSeriesResponse(string Name, IReadOnlyList<object?> Values);

/// <summary>A trend chart: its key, title, unit (money, count or days), months (yyyy-MM, oldest first) and series.</summary>
public sealed record TrendChartResponse(string Key, string Title, string Unit, IReadOnlyList<string> Months, IReadOnlyList<TrendSeriesResponse> Series);

public sealed record TrendsResponse(string Through, IReadOnlyList<TrendChartResponse> Charts);

/// <summary>The collection and billing trends (docs/trends.md): every chart, one chart, or one chart as CSV or XLSX.</summary>
public static class TrendsApi
{
    private const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static void Map(RouteGroupBuilder api)
    {
        var trends = api.MapGroup("/trends").WithTags("Reports");
        trends.MapGet("", async Task<Ok<TrendsResponse>> (string? through, CollectionTrends queries, CancellationToken cancellationToken) =>
            {
                var month = Through(through) ?? queries.DefaultThrough();
                var charts = await queries.AllAsync(month, cancellationToken);
                return TypedResults.Ok(new TrendsResponse(month.ToString(), [.. charts.Select(ToResponse)]));
            })
            .RequireAuthorization(ReportsCapability.ViewReports)
            .WithSummary("Every trend chart for the twelve months through a month (through=yyyy-MM, by default the business date's).");

        trends.MapGet("/{chart}", async Task<Results<Ok<TrendChartResponse>, FileContentHttpResult, NotFound>> (string chart, string? through, CollectionTrends queries, CancellationToken cancellationToken) =>
            {
                var (key, format) = chart.EndsWith(".csv", StringComparison.Ordinal) ? (chart[..^4], "csv")
                    : chart.EndsWith(".xlsx", StringComparison.Ordinal) ? (chart[..^5], "xlsx")
                    : (chart, "json");
                var month = Through(through);
                if (await queries.ChartAsync(key, month, cancellationToken) is not { } found)
                {
                    return TypedResults.NotFound();
                }

                var name = $"{found.Key}-{found.Months[^1]}";
                return format switch
                {
                    "csv" => TypedResults.File(System.Text.Encoding.UTF8.GetBytes(found.ToCsv()), "text/csv", name + ".csv"),
                    "xlsx" => TypedResults.File(ReportWorkbook.Trend(found), XlsxType, name + ".xlsx"),
                    _ => TypedResults.Ok(ToResponse(found)),
                };
            })
            .RequireAuthorization(ReportsCapability.ViewReports)
            .WithSummary("One trend chart (billed-collected, dso, aging, charges-write-offs, disconnects, arrangements, campaigns); add .csv or .xlsx for the file.");
    }

    /// <summary>The month a <c>through</c> names, null when none is given; anything but yyyy-MM is a problem naming the field.</summary>
    public static CalendarMonth? Through(string? through) =>
        string.IsNullOrEmpty(through) ? null
        : CalendarMonth.TryParse(through, out var month) ? month
        : throw new DomainException($"'{through}' is not a month in the form YYYY-MM.", "through");

    public static TrendChartResponse ToResponse(TrendChart chart) => new(chart.Key, chart.Title, chart.Unit.ToString().ToLowerInvariant(),
        [.. chart.Months.Select(m => m.ToString())],
        [.. chart.Series.Select(s => new TrendSeriesResponse(s.Name, [.. s.Values.Select(v => v is null ? null : chart.Unit == TrendUnit.Money ? (object)chart.Format(v) : v.Value)]))]);
}
