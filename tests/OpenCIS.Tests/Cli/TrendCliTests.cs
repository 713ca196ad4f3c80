namespace OpenCIS.Tests.Cli;

/// <summary><c>report trends</c> on the demo city (today 2026-11-22): every chart as a table, one as CSV to a file; a bad month or chart refused.</summary>
public sealed class TrendCliTests(CliCityFixture city) : IClassFixture<CliCityFixture>
{
    [Fact]
    public async Task The_trends_print_as_tables_and_one_chart_writes_as_csv()
    {
        var tables = await city.RunAsync("report", "trends", "--through", "2026-11");
        Assert.True(tables.ExitCode == 0, tables.Output);
        Assert.Contains("Billed and collected", tables.Output, StringComparison.Ordinal);
        Assert.Contains("2025-12", tables.Output, StringComparison.Ordinal);
        Assert.Contains("Calling campaign results", tables.Output, StringComparison.Ordinal);

        var file = Path.Combine(Directory.CreateTempSubdirectory("opencis-trends-cli").FullName, "dso.csv");
        var written = await city.RunAsync("report", "trends", "--chart", "dso", "--through", "2026-10", "--format", "csv", "--out", file);
        Assert.True(written.ExitCode == 0, written.Output);
        var lines = (await File.ReadAllLinesAsync(file)).Where(l => l.Length > 0).ToList();
        Assert.Equal(("month,Days sales outstanding", 13, "2025-11"), (lines[0], lines.Count, lines[1][..7]));
        Assert.StartsWith("2026-10,", lines[12], StringComparison.Ordinal);

        Assert.Equal(1, (await city.RunAsync("report", "trends", "--through", "2026-13")).ExitCode);
        Assert.Equal(1, (await city.RunAsync("report", "trends", "--chart", "weather")).ExitCode);
    }
}
