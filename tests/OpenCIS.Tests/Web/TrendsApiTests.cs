using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenCIS.UseCases.Reports;

using static OpenCIS.Tests.Web.ApiRequests;

namespace OpenCIS.Tests.Web;

/// <summary>
/// The trends through the API on the web's demo city (today 2026-11-22): every chart's JSON for the twelve months through
/// November, one chart, its CSV and XLSX; an unknown chart, a bad month, a role without reports and nobody signed in refused.
/// </summary>
public sealed class TrendsApiTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    [Fact]
    public async Task The_trends_give_twelve_months_of_each_chart_as_json_csv_and_xlsx_to_whoever_may_read_reports()
    {
        var collector = await factory.SignedInClientAsync("Collector");
        var all = await collector.GetFromJsonAsync<JsonElement>(new Uri("/api/trends", UriKind.Relative));
        Assert.Equal("2026-11", all.GetProperty("through").GetString());
        var charts = all.GetProperty("charts").EnumerateArray().ToList();
        Assert.Equal(CollectionTrends.Charts.Select(c => c.Key), charts.Select(c => c.GetProperty("key").GetString()));
        Assert.All(charts, c => Assert.Equal(12, c.GetProperty("months").GetArrayLength()));

        // Money is text in dollars; the demo's year bills and collects in every month.
        var billed = charts[0];
        Assert.Equal(("money", "2025-12", "2026-11"), (billed.GetProperty("unit").GetString(), billed.GetProperty("months")[0].GetString(), billed.GetProperty("months")[11].GetString()));
        var series = billed.GetProperty("series").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("values").EnumerateArray().Select(v => v.GetString()!).ToList());
        Assert.Equal(["Billed", "Collected"], series.Keys);
        Assert.All(series["Billed"].Concat(series["Collected"]), v => Assert.Matches(@"^-?\d+\.\d\d$", v));
        Assert.All(series["Billed"], v => Assert.True(decimal.Parse(v, System.Globalization.CultureInfo.InvariantCulture) > 0, "billed every month"));
        Assert.All(series["Collected"], v => Assert.True(decimal.Parse(v, System.Globalization.CultureInfo.InvariantCulture) > 0, "collected every month"));
        // Counts are numbers.
        Assert.Equal(JsonValueKind.Number, charts[4].GetProperty("series")[0].GetProperty("values")[11].ValueKind);

        // One chart through an earlier month, and its files.
        var dso = await collector.GetFromJsonAsync<JsonElement>(new Uri("/api/trends/dso?through=2026-06", UriKind.Relative));
        Assert.Equal(("days", "2025-07", "2026-06"), (dso.GetProperty("unit").GetString(), dso.GetProperty("months")[0].GetString(), dso.GetProperty("months")[11].GetString()));
        var csv = await collector.GetStringAsync(new Uri("/api/trends/billed-collected.csv?through=2026-11", UriKind.Relative));
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("month,Billed,Collected", lines[0]);
        Assert.Equal(13, lines.Length);
        Assert.Equal($"2026-11,{series["Billed"][11]},{series["Collected"][11]}", lines[12]);
        var xlsx = await collector.GetAsync(new Uri("/api/trends/aging.xlsx", UriKind.Relative));
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType?.MediaType);
        var sheet = ReportWorkbook.Read(await xlsx.Content.ReadAsStreamAsync(), "aging");
        Assert.Equal(["Month", "Current", "1-30 days", "31-60 days", "61-90 days", "Over 90 days"], sheet[0]);
        Assert.Equal(("2025-12", "2026-11", 13), (sheet[1][0], sheet[12][0], sheet.Count));

        // Refusals.
        Assert.Equal(HttpStatusCode.NotFound, (await collector.GetAsync(new Uri("/api/trends/weather", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await collector.GetAsync(new Uri("/api/trends/weather.csv", UriKind.Relative))).StatusCode);
        Assert.Equal("through", await ProblemFieldAsync(await collector.GetAsync(new Uri("/api/trends?through=2026-13", UriKind.Relative))));
        Assert.Equal("through", await ProblemFieldAsync(await collector.GetAsync(new Uri("/api/trends/dso.csv?through=November", UriKind.Relative))));
        var cashier = await factory.SignedInClientAsync("Cashier");
        Assert.Equal(HttpStatusCode.Forbidden, (await cashier.GetAsync(new Uri("/api/trends", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().GetAsync(new Uri("/api/trends/dso", UriKind.Relative))).StatusCode);
    }
}
