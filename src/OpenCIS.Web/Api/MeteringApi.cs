using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Metering;
using OpenCIS.UseCases.Metering;
using OpenCIS.UseCases.Jobs;
using OpenCIS.UseCases.Metering.Import;
using OpenCIS.Web.Jobs;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.Web.Security;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Api;

public sealed record ReceiveMeterBody(string Serial, string Service, string Size, int Dials, decimal Multiplier, string Unit, string? Make, string? Model);
public sealed record SetMeterBody(long ServicePointId, DateOnly SetOn, long InitialReading);
public sealed record RemoveMeterBody(DateOnly RemovedOn, long FinalReading);
public sealed record ExchangeMeterBody(string OldSerial, string NewSerial, DateOnly ExchangedOn, long OldFinalReading, long NewInitialReading);
public sealed record MeterTestBody(bool Passed, string Results);
public sealed record RetireMeterBody(string Reason);
public sealed record ReviewBody(IReadOnlyList<long> ReadIds, string Decision, string Reason, long? CorrectedReading);
public sealed record ReviewResponse(int Decided, string Decision);
public sealed record RouteReadsBody(DateOnly ReadOn, IReadOnlyList<KeyedRead> Reads);

public static class MeteringApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var meters = api.MapGroup("/meters").WithTags("Metering");
        meters.MapGet("/{serial}", async Task<Results<Ok<MeterView>, NotFound>> (string serial, MeterQueries queries, CancellationToken cancellationToken) =>
                await queries.FindAsync(serial, cancellationToken) is { } meter ? TypedResults.Ok(meter) : TypedResults.NotFound())
            .RequireAuthorization(CustomersCapability.ViewAccounts)
            .WithSummary("A meter with its status, where it is set, its history of events and its recent reads.");

        meters.MapGet("/worklists", async Task<Results<Ok<IReadOnlyList<WorklistEntry>>, ValidationProblem>> (string? kind, DetectionWorklists worklists, CancellationToken cancellationToken) =>
            {
                Core.Metering.WorklistKind? filter = null;
                if (kind is not null)
                {
                    if (!Enum.TryParse<Core.Metering.WorklistKind>(kind, true, out var parsed))
                    {
                        return (ValidationProblem)DomainExceptionFilter.Problem("kind", $"'{kind}' is not a worklist (tampering, defectivemeter).");
                    }

                    filter = parsed;
                }

                return TypedResults.Ok(await worklists.BuildAsync(filter, cancellationToken));
            })
            .RequireAuthorization(MeteringCapability.ReviewReads)
            .WithSummary("The detection worklists: suspected tampering or theft, and suspected defective meters, each entry with the reason it is listed.");

        meters.MapPost("/", async Task<Results<Ok<MeterView>, ValidationProblem>> (ReceiveMeterBody body, MeterLifecycle lifecycle, MeterQueries queries, HttpContext context, CancellationToken cancellationToken) =>
            {
                if (!Enum.TryParse<Service>(body.Service, true, out var service))
                {
                    return (ValidationProblem)DomainExceptionFilter.Problem("service", $"'{body.Service}' is not a service (water, sewer, electric, ...).");
                }

                if (ImportReads.ParseUnit(body.Unit) is not { } unit)
                {
                    return (ValidationProblem)DomainExceptionFilter.Problem("unit", $"'{body.Unit}' is not a unit (gal, kgal, cf, ccf, m3, kwh, wh).");
                }

                var meter = await lifecycle.ReceiveAsync(new ReceiveMeterRequest(body.Serial, service, body.Size ?? "", body.Dials, body.Multiplier, unit, body.Make ?? "", body.Model ?? ""), ApiUser.Name(context), cancellationToken);
                return TypedResults.Ok((await queries.FindAsync(meter.Serial, cancellationToken))!);
            })
            .RequireAuthorization(MeteringCapability.ManageMeters)
            .WithSummary("Receive a meter into inventory.");

        meters.MapPost("/{serial}/set", async (string serial, SetMeterBody body, MeterLifecycle lifecycle, MeterQueries queries, HttpContext context, CancellationToken cancellationToken) =>
            {
                await lifecycle.SetAsync(serial, body.ServicePointId, body.SetOn, body.InitialReading, ApiUser.Name(context), cancellationToken);
                return TypedResults.Ok((await queries.FindAsync(serial, cancellationToken))!);
            })
            .RequireAuthorization(MeteringCapability.ManageMeters)
            .WithSummary("Set a meter from inventory at a service point, with its initial read.");

        meters.MapPost("/{serial}/remove", async (string serial, RemoveMeterBody body, MeterLifecycle lifecycle, MeterQueries queries, HttpContext context, CancellationToken cancellationToken) =>
            {
                await lifecycle.RemoveAsync(serial, body.RemovedOn, body.FinalReading, ApiUser.Name(context), cancellationToken);
                return TypedResults.Ok((await queries.FindAsync(serial, cancellationToken))!);
            })
            .RequireAuthorization(MeteringCapability.ManageMeters)
            .WithSummary("Remove an installed meter with its final read.");

        meters.MapPost("/exchange", async (ExchangeMeterBody body, MeterLifecycle lifecycle, MeterQueries queries, HttpContext context, CancellationToken cancellationToken) =>
            {
                await lifecycle.ExchangeAsync(body.OldSerial, body.NewSerial, body.ExchangedOn, body.OldFinalReading, body.NewInitialReading, ApiUser.Name(context), cancellationToken);
                return TypedResults.Ok((await queries.FindAsync(body.NewSerial, cancellationToken))!);
            })
            .RequireAuthorization(MeteringCapability.ManageMeters)
            .WithSummary("Exchange a meter in one operation: final read of the old meter, initial read of the new one. The next bill counts both.");

        meters.MapPost("/{serial}/tests", async (string serial, MeterTestBody body, MeterLifecycle lifecycle, MeterQueries queries, HttpContext context, CancellationToken cancellationToken) =>
            {
                await lifecycle.RecordTestAsync(serial, body.Passed, body.Results, ApiUser.Name(context), cancellationToken);
                return TypedResults.Ok((await queries.FindAsync(serial, cancellationToken))!);
            })
            .RequireAuthorization(MeteringCapability.ManageMeters)
            .WithSummary("Record a test or calibration result; a meter that fails is retired.");

        meters.MapPost("/{serial}/retire", async (string serial, RetireMeterBody body, MeterLifecycle lifecycle, MeterQueries queries, HttpContext context, CancellationToken cancellationToken) =>
            {
                await lifecycle.RetireAsync(serial, body.Reason, ApiUser.Name(context), cancellationToken);
                return TypedResults.Ok((await queries.FindAsync(serial, cancellationToken))!);
            })
            .RequireAuthorization(MeteringCapability.ManageMeters)
            .WithSummary("Retire a meter that is out of service.");

        var routes = api.MapGroup("/routes").WithTags("Metering");
        routes.MapGet("/", async (string? cycle, RouteSheets sheets, CancellationToken cancellationToken) => TypedResults.Ok(await sheets.RoutesAsync(cycle, cancellationToken)))
            .RequireAuthorization(MeteringCapability.ImportReads)
            .WithSummary("The reading routes, optionally of one cycle.");
        routes.MapGet("/{route}/stops", async (string route, DateOnly? readOn, RouteSheets sheets, CancellationToken cancellationToken) => TypedResults.Ok(await sheets.StopsAsync(route, readOn, cancellationToken)))
            .RequireAuthorization(MeteringCapability.ImportReads)
            .WithSummary("A route's meters in route order with the last read and the expected range.");
        routes.MapGet("/{route}/sheet", async (string route, RouteSheets sheets, CancellationToken cancellationToken) =>
                TypedResults.File(System.Text.Encoding.UTF8.GetBytes(RouteSheets.ToCsv(await sheets.StopsAsync(route, null, cancellationToken))), "text/csv", $"route-{route}.csv"))
            .RequireAuthorization(MeteringCapability.ImportReads)
            .WithSummary("A route's read sheet (handheld file) as CSV, which the read import accepts back.");
        routes.MapPost("/{route}/reads", async (string route, RouteReadsBody body, EnterRouteReads enter, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(await enter.ExecuteAsync(route, body.ReadOn, body.Reads, ApiUser.Name(context), cancellationToken)))
            .RequireAuthorization(MeteringCapability.ImportReads)
            .WithSummary("Post reads keyed for a route: the same checks, validation and review queue as a read file.");

        var reads = api.MapGroup("/reads").WithTags("Metering");
        reads.MapPost("/imports", async Task<Results<Accepted<JobView>, Conflict<ProblemDetails>, ValidationProblem>> (IFormFile file, string? format, StartJob start, HttpContext context, CancellationToken cancellationToken) =>
            {
                var readFormat = ReadFileFormat.Csv;
                if (format is not null && !Enum.TryParse(format.Replace("-", "", StringComparison.Ordinal), true, out readFormat))
                {
                    return (ValidationProblem)DomainExceptionFilter.Problem("format", $"'{format}' is not a read file format (csv, greenbutton).");
                }

                var request = ImportReadsJob.Request(await JobStarts.ReadAsync(file, cancellationToken), readFormat);
                return await JobStarts.AcceptAsync(start, request, ApiUser.Name(context), cancellationToken);
            })
            .RequireAuthorization(MeteringCapability.ImportReads)
            .DisableAntiforgery()
            .WithSummary("Import a read file (format csv or greenbutton) as a job: 202 with the job and its status URL; once finished, the job's result is the import's outcome (counts, and every error by line and field). A file with any bad line imports nothing; suspect and rejected reads go to the review queue; the same file twice imports once (409 while the first is still going).");

        reads.MapGet("/review", async (string? cycle, ReviewReads review, CancellationToken cancellationToken) =>
                TypedResults.Ok(await review.QueueAsync(string.IsNullOrWhiteSpace(cycle) ? null : cycle, cancellationToken)))
            .RequireAuthorization(MeteringCapability.ReviewReads)
            .WithSummary("The review queue: suspect and rejected reads awaiting a decision, with their reasons and the prior read.");

        reads.MapPost("/review", async Task<Results<Ok<ReviewResponse>, ValidationProblem>> (ReviewBody body, ReviewReads review, HttpContext context, CancellationToken cancellationToken) =>
            {
                if (!Enum.TryParse<ReviewDecision>(body.Decision.Replace("-", "", StringComparison.Ordinal), true, out var decision))
                {
                    return (ValidationProblem)DomainExceptionFilter.Problem("decision", $"'{body.Decision}' is not a decision (accept, correct, estimate, request-re-read).");
                }

                var count = await review.DecideAsync(body.ReadIds, decision, body.Reason, body.CorrectedReading, ApiUser.Name(context), cancellationToken);
                return TypedResults.Ok(new ReviewResponse(count, decision.ToString()));
            })
            .RequireAuthorization(MeteringCapability.ReviewReads)
            .WithSummary("Decide one or many reads in the review queue: accept, correct (one read, with the corrected reading), estimate, or request a re-read.");
    }
}
