using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Core.Reports;
using OpenCIS.UseCases.Reports;
using Spectre.Console;
using System.CommandLine;
using static OpenCIS.Cli.CliApp;

namespace OpenCIS.Cli.Reports;

/// <summary>`opencis report trends`: the collection and billing trends (docs/trends.md) as tables, or one chart as CSV.</summary>
public static class TrendCommands
{
    public static void AddTo(CliHost host)
    {
        var console = host.Console;
        var report = host.Group("report", "Reports.");
        var chartOption = new Option<string?>("--chart") { Description = $"One chart: {string.Join(", ", CollectionTrends.Charts.Select(c => c.Key))} (default: all)" };
        var throughOption = new Option<string?>("--through") { Description = "The last of the twelve months, YYYY-MM (default: the business date's month)" };
        var formatOption = new Option<string?>("--format") { Description = "table (default) or csv" };
        var outOption = new Option<FileInfo?>("--out") { Description = "Write to this file instead of the console" };
        var trends = new Command("trends", "Billed and collected, DSO, aging, late charges and write-offs, disconnects, arrangements and campaigns by month, for twelve months.")
            { chartOption, throughOption, formatOption, outOption };
        trends.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var format = parse.GetValue(formatOption) ?? "table";
            if (format is not ("table" or "csv"))
            {
                throw new DomainException($"'{format}' is not table or csv.", "--format");
            }

            var key = parse.GetValue(chartOption);
            if (key is not null && !CollectionTrends.IsChart(key))
            {
                throw new DomainException($"There is no chart '{key}'; the charts are {string.Join(", ", CollectionTrends.Charts.Select(c => c.Key))}.", "--chart");
            }

            CalendarMonth? through = parse.GetValue(throughOption) is { } text
                ? CalendarMonth.TryParse(text, out var month) ? month : throw new DomainException($"'{text}' is not a month in the form YYYY-MM.", "--through")
                : null;
            var queries = services.GetRequiredService<CollectionTrends>();
            IReadOnlyList<TrendChart> charts = key is null ? await queries.AllAsync(through, cancellationToken) : [(await queries.ChartAsync(key, through, cancellationToken))!];
            var file = parse.GetValue(outOption);
            if (format == "csv")
            {
                // One CSV per chart; all of them are written one after another, each under a line naming its chart.
                var csv = charts.Count == 1 ? charts[0].ToCsv() : string.Concat(charts.Select(c => $"# {c.Key}\r\n{c.ToCsv()}"));
                if (file is not null)
                {
                    await File.WriteAllTextAsync(file.FullName, csv, cancellationToken);
                    console.WriteLine($"Wrote {file.FullName}.");
                }
                else
                {
                    console.Profile.Out.Writer.Write(csv);
                }

                return Ok;
            }

            var target = file is null ? console : AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(new StreamWriter(file.FullName)), ColorSystem = ColorSystemSupport.NoColors });
            foreach (var chart in charts)
            {
                target.Write(Table(chart));
            }

            if (file is not null)
            {
                target.Profile.Out.Writer.Flush();
                target.Profile.Out.Writer.Dispose();
                console.WriteLine($"Wrote {file.FullName}.");
            }

            return Ok;
        }));
        report.Add(trends);
    }

    private static Table Table(TrendChart chart)
    {
        var table = new Table().Title(Markup.Escape($"{chart.Title}, {chart.Months[0]} to {chart.Months[^1]}")).AddColumn("Month");
        foreach (var series in chart.Series)
        {
            table.AddColumn(new TableColumn(Markup.Escape(series.Name)).RightAligned());
        }

        for (var m = 0; m < chart.Months.Count; m++)
        {
            table.AddRow([chart.Months[m].ToString(), .. chart.Series.Select(s => s.Values[m] is { } v ? chart.Unit == TrendUnit.Money ? Money.FromCents(v).ToString() : v.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) : "-")]);
        }

        return table;
    }
}
