using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.Storage.Mail;
using OpenCIS.UseCases.Jobs;
using OpenCIS.UseCases.Mail;
using OpenCIS.Web.Capabilities;
using OpenCIS.Web.Jobs;

namespace OpenCIS.Web.Api;

/// <summary>Customer e-mail through the API: the mail sent and waiting, one mail, its attachments; sending the queue now.</summary>
public static class MailApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var mail = api.MapGroup("/mail").WithTags("Mail");
        mail.MapGet("/", async Task<Results<Ok<IReadOnlyList<MailSummary>>, ValidationProblem>> (string? status, string? account, int? limit, MailQueries queries, CancellationToken cancellationToken) =>
            {
                MailStatus? wanted = null;
                if (status is not null)
                {
                    if (!Enum.TryParse<MailStatus>(status, true, out var parsed))
                    {
                        return (ValidationProblem)DomainExceptionFilter.Problem("status", $"'{status}' is not a mail status (queued, sent, failed).");
                    }

                    wanted = parsed;
                }

                return TypedResults.Ok(await queries.RecentAsync(wanted, account, limit ?? 100, cancellationToken));
            })
            .RequireAuthorization(MailCapability.ViewSentMail)
            .WithSummary("Customer e-mail, newest first: by status (queued, sent, failed) or account (?account=).");

        mail.MapGet("/{id:long}", async Task<Results<Ok<MailDetail>, NotFound>> (long id, MailQueries queries, CancellationToken cancellationToken) =>
                await queries.MailAsync(id, cancellationToken) is { } detail ? TypedResults.Ok(detail) : TypedResults.NotFound())
            .RequireAuthorization(MailCapability.ViewSentMail)
            .WithSummary("One mail: to whom, its text, its attachments, and how its sending went.");

        mail.MapGet("/{id:long}/attachments/{attachmentId:long}", async Task<Results<FileContentHttpResult, NotFound>> (long id, long attachmentId, MailQueries queries, CancellationToken cancellationToken) =>
                await queries.AttachmentAsync(id, attachmentId, cancellationToken) is { } file ? TypedResults.File(file.Content, file.ContentType, file.FileName) : TypedResults.NotFound())
            .RequireAuthorization(MailCapability.ViewSentMail)
            .WithSummary("An attachment of a mail, as sent.");

        mail.MapPost("/send", async (StartJob start, HttpContext context, CancellationToken cancellationToken) =>
                await JobStarts.AcceptAsync(start, SendMailJob.Request(), ApiUser.Name(context), cancellationToken))
            .RequireAuthorization(MailCapability.SendMail)
            .WithSummary("Send the queued mail that is due now, as a job: 202 with the job; 409 naming the sender already going.");

        mail.MapPost("/{id:long}/retry", async Task<Results<NoContent, ValidationProblem>> (long id, SendQueuedMail sender, CancellationToken cancellationToken) =>
            {
                await sender.RequeueAsync(id, cancellationToken);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(MailCapability.SendMail)
            .WithSummary("Queue a failed (or waiting) mail to be sent now, its attempts afresh; the next send takes it.");
    }
}
