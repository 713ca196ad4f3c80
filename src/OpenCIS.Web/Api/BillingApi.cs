using OpenCIS.Core.Common;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenCIS.Storage.Billing;
using OpenCIS.UseCases.Billing;
using OpenCIS.UseCases.Jobs;
using OpenCIS.UseCases.Reports;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.Web.Security;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Api;

public sealed record StartBillingRunRequest(string Cycle, string BusinessDate);

public sealed record BillingRunResponse(BillingRunView Run, bool AlreadyCompleted, bool Resumed, string Message, IReadOnlyList<BillingExceptionView> Exceptions);

public static class BillingApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var billing = api.MapGroup("/billing").WithTags("Billing");
        BillDocumentsApi.Map(billing);
        CyclesApi.Map(billing);
        billing.MapGet("/cycles", async (BillingQueries queries, CancellationToken cancellationToken) => TypedResults.Ok(await queries.CyclesAsync(cancellationToken)))
            .RequireAuthorization(BillingCapability.ViewBilling)
            .WithSummary("Billing cycles with their schedule and number of active accounts.");

        billing.MapGet("/runs", async (BillingQueries queries, CancellationToken cancellationToken) => TypedResults.Ok(await queries.RecentRunsAsync(30, cancellationToken)))
            .RequireAuthorization(BillingCapability.ViewBilling)
            .WithSummary("The most recent billing runs with their counts.");

        billing.MapGet("/runs/{runId:long}", async Task<Results<Ok<BillingRunResponse>, NotFound>> (long runId, BillingQueries queries, CancellationToken cancellationToken) =>
            {
                var run = await queries.RunAsync(runId, cancellationToken);
                return run is null
                    ? TypedResults.NotFound()
                    : TypedResults.Ok(new BillingRunResponse(run, run.Status == nameof(BillingRunStatus.Completed), false, "", await queries.ExceptionsAsync(runId, cancellationToken)));
            })
            .RequireAuthorization(BillingCapability.ViewBilling)
            .WithSummary("One billing run with every exception and its reason.");

        billing.MapGet("/runs/{runId:long}/register", async Task<Results<Ok<BillingRegister>, NotFound>> (long runId, BillingReports reports, CancellationToken cancellationToken) =>
                await reports.RegisterAsync(runId, cancellationToken) is { } register ? TypedResults.Ok(register) : TypedResults.NotFound())
            .RequireAuthorization(BillingCapability.ViewBilling)
            .WithSummary("A run's billing register: its bills, the amounts by service and the postings by GL account.");

        billing.MapGet("/runs/{runId:long}/register.csv", async Task<Results<FileContentHttpResult, NotFound>> (long runId, BillingReports reports, CancellationToken cancellationToken) =>
                await reports.RegisterAsync(runId, cancellationToken) is { } register
                    ? TypedResults.File(System.Text.Encoding.UTF8.GetBytes(BillingReports.RegisterCsv(register)), "text/csv", $"billing-register-run-{runId}.csv")
                    : TypedResults.NotFound())
            .RequireAuthorization(BillingCapability.ViewBilling)
            .WithSummary("A run's billing register as CSV, one row per bill.");

        billing.MapGet("/runs/{runId:long}/exceptions.csv", async (long runId, BillingQueries queries, CancellationToken cancellationToken) =>
                TypedResults.File(System.Text.Encoding.UTF8.GetBytes(BillingReports.ExceptionsCsv(await queries.ExceptionsAsync(runId, cancellationToken))), "text/csv", $"billing-exceptions-run-{runId}.csv"))
            .RequireAuthorization(BillingCapability.ViewBilling)
            .WithSummary("A run's exceptions as CSV: account and reason.");

        billing.MapGet("/daily", async Task<Results<Ok<DailyBilling>, ValidationProblem>> (string date, BillingReports reports, CancellationToken cancellationToken) =>
                IsoDate.TryParse(date, out var day)
                    ? TypedResults.Ok(await reports.DailyAsync(day, cancellationToken))
                    : (ValidationProblem)DomainExceptionFilter.Problem("date", $"'{date}' is not a date in the form YYYY-MM-DD."))
            .RequireAuthorization(BillingCapability.ViewBilling)
            .WithSummary("The daily billing report: every run of a business date and what was billed by service.");

        billing.MapGet("/daily.csv", async Task<Results<FileContentHttpResult, ValidationProblem>> (string date, BillingReports reports, CancellationToken cancellationToken) =>
                IsoDate.TryParse(date, out var day)
                    ? TypedResults.File(System.Text.Encoding.UTF8.GetBytes(BillingReports.DailyCsv(await reports.DailyAsync(day, cancellationToken))), "text/csv", $"daily-billing-{date}.csv")
                    : (ValidationProblem)DomainExceptionFilter.Problem("date", $"'{date}' is not a date in the form YYYY-MM-DD."))
            .RequireAuthorization(BillingCapability.ViewBilling)
            .WithSummary("The daily billing report as CSV, one row per run.");

        billing.MapPost("/runs", async Task<Results<Accepted<JobView>, Ok<BillingRunResponse>, Conflict<ProblemDetails>, ValidationProblem>> (StartBillingRunRequest request, StartBillingRun start, BillingQueries queries, HttpContext context, CancellationToken cancellationToken) =>
            {
                if (!ApiText.TryDate(request.BusinessDate, out var date))
                {
                    return (ValidationProblem)DomainExceptionFilter.Problem("businessDate", $"'{request.BusinessDate}' is not a date in the form YYYY-MM-DD.");
                }

                try
                {
                    var started = await start.ExecuteAsync(request.Cycle, date, ApiUser.Name(context), cancellationToken);
                    if (started.Job is { } job)
                    {
                        return TypedResults.Accepted(job.StatusUrl, job);
                    }

                    var run = started.CompletedRun!;
                    return TypedResults.Ok(new BillingRunResponse(run, true, false, started.Message, await queries.ExceptionsAsync(run.RunId, cancellationToken)));
                }
                catch (JobAlreadyActiveException already)
                {
                    return TypedResults.Conflict(JobsApi.AlreadyActiveProblem(already));
                }
            })
            .RequireAuthorization(BillingCapability.RunBilling)
            .AddEndpointFilter<IdempotencyFilter>()
            .WithSummary("Start billing a cycle on a business date as a job: 202 with the job and its status URL (poll it for progress), 409 naming the job when the same run is already going, 200 with the run when it already completed (nothing is billed again).");
    }
}
