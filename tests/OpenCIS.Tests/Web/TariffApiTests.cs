using OpenCIS.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenCIS.Web.Api;

namespace OpenCIS.Tests.Web;

public sealed class TariffApiTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    private const string Yaml = """
        code: API-TEST
        name: Test water
        service: water
        effective: 2026-01-01
        charges:
          - code: BASE
            description: Base charge
            fixed: 10.00
          - code: USE
            description: Water use
            blocks:
              unit: kgal
              tiers:
                - { up_to: 5, price: 2.00 }
                - { price: 3.00 }
        """;

    [Fact]
    public async Task A_supervisor_adds_a_version_a_clerk_may_not_and_anyone_with_billing_can_list_export_and_quote()
    {
        var clerk = await factory.SignedInClientAsync("Clerk");
        var refused = await clerk.PostAsJsonAsync(new Uri("/api/tariffs", UriKind.Relative), new ImportTariffBody(Yaml, "test.yaml", null));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        var supervisor = await factory.SignedInClientAsync("Supervisor");
        var bad = await supervisor.PostAsJsonAsync(new Uri("/api/tariffs", UriKind.Relative), new ImportTariffBody(Yaml.Replace("unit: kgal", "unit: pints", StringComparison.Ordinal), "bad.yaml", null));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("line 12: 'pints' is not a unit", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var added = await supervisor.PostAsJsonAsync(new Uri("/api/tariffs", UriKind.Relative), new ImportTariffBody(Yaml, "test.yaml", null));
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);

        var list = await clerk.GetStringAsync(new Uri("/api/tariffs", UriKind.Relative));
        Assert.Contains("API-TEST", list, StringComparison.Ordinal);
        Assert.Equal(Yaml, await clerk.GetStringAsync(new Uri("/api/tariffs/API-TEST/yaml", UriKind.Relative)));

        var quote = await clerk.PostAsJsonAsync(new Uri("/api/tariffs/quote", UriKind.Relative), new QuoteBody("2026-03-01", "2026-03-31", Code: "API-TEST", Usage: "7,500 gal"));
        Assert.Equal(HttpStatusCode.OK, quote.StatusCode);
        using var json = JsonDocument.Parse(await quote.Content.ReadAsStringAsync());
        // $10 + 5 kgal x $2 + 2.5 kgal x $3 = $27.50
        Assert.Equal("27.50", json.RootElement.GetProperty("total").GetString());
        Assert.Equal(3, json.RootElement.GetProperty("lines").GetArrayLength());
    }

    [Theory]
    [InlineData("2026-03-31", "2026-03-01", "7500gal", null, "to")]
    [InlineData("2026-03-01", "2026-03-31", "1200kwh", null, "usage")]
    [InlineData("2026-03-01", "2026-03-31", "7500gal", "9in", "meterSize")]
    [InlineData("2025-12-01", "2025-12-31", "7500gal", null, "tariff")]
    public async Task A_quote_on_input_the_tariff_cannot_rate_is_a_400_naming_the_field(string from, string to, string usage, string? meterSize, string field)
    {
        var clerk = await factory.SignedInClientAsync("Clerk");
        var sized = Yaml.Replace("fixed: 10.00", "fixed: 10.00\n    by_meter_size: { '5/8\"': 10.00, '1\"': 15.00 }", StringComparison.Ordinal);

        var response = await clerk.PostAsJsonAsync(new Uri("/api/tariffs/quote", UriKind.Relative), new QuoteBody(from, to, Yaml: sized, Usage: usage, MeterSize: meterSize));

        Assert.Equal(field, await ApiRequests.ProblemFieldAsync(response));
    }

    [Fact]
    public async Task A_rate_comparison_of_the_demo_residential_water_schedule_reports_by_class_and_posts_nothing()
    {
        var clerk = await factory.SignedInClientAsync("Clerk");
        var current = await clerk.GetStringAsync(new Uri("/api/tariffs/W-RES/yaml", UriKind.Relative));
        var proposed = System.Text.RegularExpressions.Regex.Replace(current, "effective: .*", "effective: 2027-07-01");
        // A higher base charge for every meter size.
        proposed = System.Text.RegularExpressions.Regex.Replace(proposed, @"by_meter_size: \{[^}]*\}", "by_meter_size: { '5/8\"': 20.00, '3/4\"': 24.00, '1\"': 35.00 }");

        var before = await CountsAsync();
        var response = await clerk.PostAsJsonAsync(new Uri("/api/tariffs/compare", UriKind.Relative), new CompareBody(proposed, null));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var groups = json.RootElement.GetProperty("groups").EnumerateArray().ToList();
        var residential = groups.Single(g => g.GetProperty("accountClass").GetString() == "Residential" && g.GetProperty("service").GetString() == "Water");
        Assert.True(residential.GetProperty("bills").GetInt32() > 0);
        Assert.True(residential.GetProperty("changePercent").GetDecimal() > 0m, "a higher base charge raises the average bill");
        Assert.Equal(residential.GetProperty("bills").GetInt32(), residential.GetProperty("distribution").EnumerateArray().Sum(d => d.GetProperty("bills").GetInt32()));
        // Posting nothing: no bill, transaction, GL line or schedule version more than before.
        Assert.Equal(before, await CountsAsync());
    }

    private async Task<(int Bills, int Transactions, int GlLines, int Schedules)> CountsAsync()
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        return (await db.Bills.CountAsync(), await db.FinancialTransactions.CountAsync(), await db.GlEntries.CountAsync(), await db.RateSchedules.CountAsync());
    }
}
