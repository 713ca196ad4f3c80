using Microsoft.AspNetCore.Http.HttpResults;
using OpenCIS.Core.Payments.Ach;
using OpenCIS.Storage.Payments;
using OpenCIS.UseCases.Payments;
using OpenCIS.Storage.Payments.Ach;
using OpenCIS.UseCases.Payments.Ach;
using OpenCIS.Web.Security;
using OpenCIS.Web.Capabilities;
using OpenCIS.Web.Jobs;
using OpenCIS.UseCases.Jobs;

namespace OpenCIS.Web.Api;

/// <summary>Account type: checking or savings; entry class: PPD (signed on paper or by phone) or WEB (online).</summary>
public sealed record AchEnrollmentBody(string AccountNumber, string RoutingNumber, string BankAccountNumber, string AccountType, string EntryClass, string HolderName);

public sealed record AchFileBody(DateOnly Date);

/// <summary>An enrollment as the API shows it: enum values as their names, the bank account masked to its last four digits.</summary>
public sealed record AchEnrollmentResponse(long Id, string AccountNumber, string RoutingNumber, string BankAccountNumber, string AccountType, string EntryClass, string HolderName, string Status,
    DateOnly EnrolledOn, DateOnly? PrenoteSentOn, DateOnly? ActivatedOn, DateOnly? CancelledOn, string? CancelReason)
{
    public static AchEnrollmentResponse Of(AchEnrollmentView e) =>
        new(e.Id, e.AccountNumber, e.RoutingNumber, e.MaskedAccountNumber, e.AccountType.ToString(), e.EntryClass.ToString().ToUpperInvariant(), e.HolderName, e.Status.ToString(),
            e.EnrolledOn, e.PrenoteSentOn, e.ActivatedOn, e.CancelledOn, e.CancelReason);
}

public sealed record AchCancelBody(string Reason);



public static class AchApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var ach = api.MapGroup("/ach").WithTags("ACH autopay");
        ach.MapPost("/enrollments", async Task<Results<Ok<AchEnrollmentResponse>, ValidationProblem>> (AchEnrollmentBody body, EnrollAch workflow, HttpContext context, CancellationToken cancellationToken) =>
            {
                if (!Enum.TryParse<AchAccountType>(body.AccountType, ignoreCase: true, out var accountType) || !Enum.IsDefined(accountType))
                {
                    return (ValidationProblem)DomainExceptionFilter.Problem("accountType", $"'{body.AccountType}' is not checking or savings.");
                }

                if (!Enum.TryParse<AchEntryClass>(body.EntryClass, ignoreCase: true, out var entryClass) || !Enum.IsDefined(entryClass))
                {
                    return (ValidationProblem)DomainExceptionFilter.Problem("entryClass", $"'{body.EntryClass}' is not PPD or WEB.");
                }

                var enrollment = await workflow.ExecuteAsync(
                    new AchEnrollmentRequest(body.AccountNumber, body.RoutingNumber, body.BankAccountNumber, accountType, entryClass, body.HolderName), ApiUser.Name(context), cancellationToken);
                return TypedResults.Ok(AchEnrollmentResponse.Of(enrollment));
            })
            .RequireAuthorization(PaymentsCapability.ManageAch)
            .WithSummary("Enroll an account in ACH autopay. The routing number must pass its check digit; a prenote goes out with the next file. The bank account number comes back masked.");

        ach.MapPost("/enrollments/{id:long}/cancel", async (long id, AchCancelBody body, CancelAch workflow, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(AchEnrollmentResponse.Of(await workflow.ExecuteAsync(id, body.Reason, ApiUser.Name(context), cancellationToken))))
            .RequireAuthorization(PaymentsCapability.ManageAch)
            .WithSummary("Cancel an enrollment (a reason is required); no later file debits the account.");

        ach.MapGet("/enrollments", async (string? account, AchQueries queries, CancellationToken cancellationToken) =>
                TypedResults.Ok((await queries.EnrollmentsAsync(account, cancellationToken: cancellationToken)).Select(AchEnrollmentResponse.Of).ToList()))
            .RequireAuthorization(PaymentsCapability.ManageAch)
            .WithSummary("ACH enrollments, newest first, optionally for one account (?account=). Bank account numbers are masked to their last four digits.");

        ach.MapPost("/files", async (AchFileBody body, StartJob start, HttpContext context, CancellationToken cancellationToken) =>
                await JobStarts.AcceptAsync(start, GenerateAchFileJob.Request(body.Date), ApiUser.Name(context), cancellationToken))
            .RequireAuthorization(PaymentsCapability.PostPaymentFiles)
            .AddEndpointFilter<IdempotencyFilter>()
            .WithSummary("Generate the NACHA debit file for a settlement date as a job: 202 with the job and its status URL; once finished, the job's result (AchFileResult) names the file, whose text is at /api/ach/files/{fileId}. Prenotes for new enrollments, debits of the bills due, posted as ACH payments. Asking again for the same date returns the same file and debits nothing (409 while the first is still going).");

        ach.MapGet("/files", async (AchQueries queries, CancellationToken cancellationToken) => TypedResults.Ok(await queries.FilesAsync(cancellationToken: cancellationToken)))
            .RequireAuthorization(PaymentsCapability.PostPaymentFiles)
            .WithSummary("The debit files generated, newest settlement date first.");

        ach.MapGet("/files/{id:long}", async Task<Results<FileContentHttpResult, NotFound>> (long id, AchQueries queries, CancellationToken cancellationToken) =>
                await queries.FileContentAsync(id, cancellationToken) is { } content
                    ? TypedResults.File(System.Text.Encoding.ASCII.GetBytes(content), "text/plain", $"ach-file-{id}.txt")
                    : TypedResults.NotFound())
            .RequireAuthorization(PaymentsCapability.PostPaymentFiles)
            .WithSummary("A debit file's NACHA text, exactly as generated.");

        ach.MapPost("/returns", async (IFormFile file, StartJob start, HttpContext context, CancellationToken cancellationToken) =>
                await JobStarts.AcceptAsync(start, ProcessAchReturnsJob.Request(await JobStarts.ReadAsync(file, cancellationToken)), ApiUser.Name(context), cancellationToken))
            .RequireAuthorization(PaymentsCapability.PostPaymentFiles)
            .DisableAntiforgery()
            .WithSummary("Post the bank's ACH return file as a job: 202 with the job and its status URL; once finished, the job's result is the file's outcome (AchReturnsResult). Each return reverses its payment and adds the returned-payment fee. A file with any bad record posts nothing; the same file twice posts once.");
    }
}
