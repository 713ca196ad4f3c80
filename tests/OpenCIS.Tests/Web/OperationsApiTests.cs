using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using OpenCIS.UseCases.Payments;
using OpenCIS.UseCases.Telemetry;
using OpenCIS.Web.Api;
using static OpenCIS.Tests.Web.ApiRequests;

namespace OpenCIS.Tests.Web;

/// <summary>What an operator sees: /health, the correlation id on every answer, and the metrics of requests, jobs and imports.</summary>
public sealed class OperationsApiTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    [Fact]
    public async Task Health_reports_the_database_the_jobs_and_the_disk_to_anyone()
    {
        var anonymous = factory.CreateClient();
        var response = await anonymous.GetAsync(new Uri("/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var parts = health.RootElement.GetProperty("parts");
        Assert.Equal(["database", "disk", "jobs"], parts.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("Healthy", parts.GetProperty("database").GetProperty("status").GetString());
        Assert.Equal(OpenCIS.Storage.SchemaMigrator.LatestVersion, parts.GetProperty("database").GetProperty("data").GetProperty("schemaVersion").GetInt32());
        Assert.True(parts.GetProperty("disk").GetProperty("data").GetProperty("freeBytes").GetInt64() > 0);
        Assert.NotEqual("Unhealthy", parts.GetProperty("jobs").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Every_answer_carries_a_correlation_id_and_a_problem_names_it()
    {
        var cashier = await factory.SignedInClientAsync("Cashier");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments") { Content = System.Net.Http.Json.JsonContent.Create(new TakePaymentBody("00000018", "ten", "check", "CK1")) };
        request.Headers.Add("X-Correlation-Id", "till-7-0042");
        var response = await cashier.SendAsync(request);
        Assert.Equal("till-7-0042", response.Headers.GetValues("X-Correlation-Id").Single());
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("till-7-0042", problem.RootElement.GetProperty("correlationId").GetString());

        var bad = await cashier.GetAsync(new Uri("/api/billing/runs", UriKind.Relative));
        Assert.Matches("^[0-9a-f]{32}$|^[A-Z0-9:]+$", bad.Headers.GetValues("X-Correlation-Id").Single());
    }

    [Fact]
    public async Task Requests_jobs_and_imports_are_measured()
    {
        var measured = new ConcurrentBag<(string Instrument, long Value, string Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name is OpenCisMetrics.MeterName or "Microsoft.AspNetCore.Hosting")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => measured.Add((instrument.Name, value, Tags(tags))));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => measured.Add((instrument.Name, (long)value, Tags(tags))));
        listener.Start();

        var cashier = await factory.SignedInClientAsync("Cashier");
        using var form = new MultipartFormDataContent();
        using var file = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes("account,amount,date,tender,reference\n00000018,3.00,2026-11-21,check,CK77\n00000026,4.00,2026-11-21,money order,\n"));
        form.Add(file, "file", "metrics.csv");
        var outcome = await JobPolling.ResultAsync<PaymentFileResult>(cashier, await cashier.PostAsync(new Uri("/api/payments/files", UriKind.Relative), form));
        Assert.True(outcome.Posted, outcome.Message);

        Assert.Contains(measured, m => m.Instrument == "opencis.imports.files" && m.Tags.Contains("kind=payment_file", StringComparison.Ordinal) && m.Tags.Contains("outcome=posted", StringComparison.Ordinal));
        Assert.Contains(measured, m => m.Instrument == "opencis.imports.records" && m.Value == 2);
        Assert.Contains(measured, m => m.Instrument == "opencis.jobs.finished" && m.Tags.Contains("outcome=completed", StringComparison.Ordinal));
        Assert.Contains(measured, m => m.Instrument == "http.server.request.duration");
    }

    private static string Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var parts = new List<string>();
        foreach (var tag in tags)
        {
            parts.Add($"{tag.Key}={tag.Value}");
        }

        return string.Join(";", parts);
    }
}
