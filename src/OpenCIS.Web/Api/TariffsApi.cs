using System.Collections.Immutable;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Rating;
using OpenCIS.Storage;
using OpenCIS.UseCases;
using OpenCIS.Storage.Rating;
using OpenCIS.UseCases.Rating;
using OpenCIS.Web.Security;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Api;

public sealed record ImportTariffBody(string Yaml, string? FileName, string? Service);

public sealed record QuoteBody(
    string From,
    string To,
    string? Yaml = null,
    string? Code = null,
    string? Usage = null,
    string? MeterSize = null,
    string? WinterAverage = null,
    decimal Units = 0,
    IReadOnlyDictionary<string, string>? Registers = null,
    IReadOnlyDictionary<string, decimal>? Riders = null,
    string? Demand = null,
    IReadOnlyList<decimal>? DemandHistory = null,
    decimal? PowerFactor = null,
    decimal? HeatingValue = null,
    decimal? ImperviousArea = null,
    IReadOnlyDictionary<string, string>? Attributes = null,
    IReadOnlyList<string>? Programs = null,
    IReadOnlyList<QuoteInterval>? Intervals = null);

/// <summary>One interval read for a quote: its local start (2026-07-01T14:00), its length in minutes, and its kWh.</summary>
public sealed record QuoteInterval(DateTime Start, int Minutes, decimal Kwh);

public sealed record CompareBody(string Yaml, string? Cycle);

public sealed record QuoteLine(string Code, string Description, string Amount, string Trace);

public sealed record QuoteResponse(string Tariff, string Effective, IReadOnlyList<QuoteLine> Lines, string Total);

public static class TariffsApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var tariffs = api.MapGroup("/tariffs").WithTags("Tariffs");
        tariffs.MapGet("/", async (ImportTariff workflow, CancellationToken cancellationToken) => TypedResults.Ok(await workflow.VersionsAsync(cancellationToken)))
            .RequireAuthorization(BillingCapability.ViewBilling)
            .WithSummary("Every rate schedule version, newest first within each code.");

        tariffs.MapGet("/{code}/yaml", async Task<Results<ContentHttpResult, NotFound>> (string code, string? effective, ImportTariff workflow, CancellationToken cancellationToken) =>
            {
                var date = effective is not null && IsoDate.TryParse(effective, out var parsed) ? parsed : (DateOnly?)null;
                var found = await workflow.ExportAsync(code, date, cancellationToken);
                return found is null ? TypedResults.NotFound() : TypedResults.Text(found.Value.Yaml, "application/yaml");
            })
            .RequireAuthorization(BillingCapability.ViewBilling)
            .WithSummary("A version's YAML as imported (the latest, or the one of ?effective=YYYY-MM-DD).");

        tariffs.MapPost("/", async Task<Results<Ok<TariffImportOutcome>, ValidationProblem>> (ImportTariffBody body, ImportTariff workflow, HttpContext context, CancellationToken cancellationToken) =>
            {
                Service? service = null;
                if (body.Service is { Length: > 0 } text)
                {
                    if (!Enum.TryParse<Service>(text, true, out var parsed))
                    {
                        return (ValidationProblem)DomainExceptionFilter.Problem("service", $"'{text}' is not a service (water, sewer, trash, stormwater, electric, gas).");
                    }

                    service = parsed;
                }

                var outcome = await workflow.ExecuteAsync(body.FileName ?? "tariff.yaml", body.Yaml, service, ApiUser.Name(context), cancellationToken);
                return outcome.Errors.Count == 0
                    ? TypedResults.Ok(outcome)
                    : TypedResults.ValidationProblem(outcome.Errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => $"line {e.Line}: {e.Message}").ToArray()), outcome.Message);
            })
            .RequireAuthorization(RatingCapability.ManageTariffs)
            .WithSummary("Add a rate schedule version from its YAML (docs/tariffs.md). Any problem, named by line and field, and nothing is stored; a version is never changed.");

        tariffs.MapPost("/compare", async Task<Results<Ok<RateComparisonReport>, ValidationProblem>> (CompareBody body, CompareRates workflow, CancellationToken cancellationToken) =>
            {
                try
                {
                    return TypedResults.Ok(await workflow.ExecuteAsync(TariffYaml.Read(body.Yaml, "proposed.yaml"), string.IsNullOrWhiteSpace(body.Cycle) ? null : body.Cycle, cancellationToken));
                }
                catch (TariffFormatException exception)
                {
                    return TypedResults.ValidationProblem(exception.Errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => $"line {e.Line}: {e.Message}").ToArray()), "The proposed tariff has problems.");
                }
            })
            .RequireAuthorization(BillingCapability.ViewBilling)
            .WithSummary("Rate comparison, posting nothing: each account's last bill on the schedule rated under the version in force and under the proposed YAML, by class and service, with the spread of the changes.");

        tariffs.MapPost("/quote", async Task<Results<Ok<QuoteResponse>, ValidationProblem>> (QuoteBody body, QuoteTariff quoteTariff, CancellationToken cancellationToken) =>
            {
                try
                {
                    return TypedResults.Ok(await QuoteAsync(body, quoteTariff, cancellationToken));
                }
                catch (TariffFormatException exception)
                {
                    return TypedResults.ValidationProblem(exception.Errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => $"line {e.Line}: {e.Message}").ToArray()), "The tariff has problems.");
                }
            })
            .RequireAuthorization(BillingCapability.ViewBilling)
            .WithSummary("Rate one bill, posting nothing: under a stored schedule (code) or a YAML text, with every line's calculation.");
    }

    /// <summary>Rates one bill for a quote; shared by the API and the tariffs screen.</summary>
    public static async Task<QuoteResponse> QuoteAsync(QuoteBody body, QuoteTariff quoteTariff, CancellationToken cancellationToken)
    {
        DateOnly Date(string text, string field) =>
            IsoDate.TryParse(text, out var date) ? date : throw new DomainException($"'{text}' is not a date in the form YYYY-MM-DD.", field);
        Quantity Amount(string text, string field) =>
            Quantity.TryParse(text, out var quantity) ? quantity : throw new DomainException($"'{text}' is not a quantity with a unit (gal, kgal, cf, ccf, m3, kwh, wh), e.g. 7500gal.", field);

        var period = QuoteTariff.Period(Date(body.From, "from"), Date(body.To, "to"));
        var input = new RatingInput(period, body.Usage is { Length: > 0 } usage ? Amount(usage, "usage") : null, body.MeterSize is { Length: > 0 } size ? size : null, body.Units)
        {
            Registers = (body.Registers ?? new Dictionary<string, string>()).ToImmutableDictionary(r => r.Key, r => Amount(r.Value, "registers")),
            WinterAverage = body.WinterAverage is { Length: > 0 } winter ? Amount(winter, "winterAverage") : null,
            Riders = (body.Riders ?? new Dictionary<string, decimal>()).ToImmutableDictionary(),
            Demand = body.Demand is { Length: > 0 } demand ? Amount(demand, "demand") : null,
            DemandHistory = [.. body.DemandHistory ?? []],
            PowerFactor = body.PowerFactor,
            HeatingValue = body.HeatingValue,
            ImperviousArea = body.ImperviousArea,
            Attributes = (body.Attributes ?? new Dictionary<string, string>()).ToImmutableDictionary(),
            Programs = [.. body.Programs ?? []],
            Intervals = body.Intervals is { Count: > 0 } intervals
                ? intervals.Count > QuoteTariff.MaximumIntervals
                    ? throw new DomainException($"A quote reads at most {QuoteTariff.MaximumIntervals:N0} intervals.", "intervals")
                    : Core.Metering.IntervalDay.FromReads(intervals.Select(i => new Core.Metering.IntervalRead(i.Start, i.Minutes, i.Kwh)), Unit.Kwh)
                : [],
        };
        var (tariff, lines) = await quoteTariff.ExecuteAsync(body.Yaml, body.Code, input, cancellationToken);
        return new QuoteResponse(
            $"{tariff.Code} {tariff.Name}",
            tariff.EffectiveFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            [.. lines.Select(l => new QuoteLine(l.Code, l.Description, l.Amount.Dollars.ToString("0.00", CultureInfo.InvariantCulture), l.Trace))],
            Money.Sum(lines.Select(l => l.Amount)).Dollars.ToString("0.00", CultureInfo.InvariantCulture));
    }
}
