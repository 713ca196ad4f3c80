using Microsoft.AspNetCore.Http.HttpResults;
using OpenCIS.Core.Common;
using OpenCIS.Core.Customers;
using OpenCIS.UseCases.Customers;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Api;

public sealed record ChannelFailureBody(string? Channel, string? Reason);

public sealed record SkipTraceReasonBody(string? Reason);

public sealed record AlternateContactBody(string? Channel, string? Value, string? City, string? State, string? Zip, string? Source, string? Note);

/// <summary>Skip tracing over HTTP: an account holder's failed channels and alternate contacts, and the mail room's returned-mail file.</summary>
public static class SkipTraceApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var trace = api.MapGroup("/accounts/{accountNumber}/skip-trace").WithTags("Skip tracing");
        trace.MapGet("/", async (string accountNumber, SkipTrace skipTrace, CancellationToken cancellationToken) =>
                TypedResults.Ok(await skipTrace.ForAccountAsync(accountNumber, cancellationToken)))
            .RequireAuthorization(CustomersCapability.ViewAccounts)
            .WithSummary("The account holder's address, phone and e-mail with what has failed, how notices reach them now (mail, e-mail or held), the alternate contacts found and the mail that came back.");

        trace.MapPost("/failures", async (string accountNumber, ChannelFailureBody body, SkipTrace skipTrace, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(await skipTrace.MarkFailedAsync(accountNumber, SkipTrace.ParseChannel(body.Channel), body.Reason, ApiUser.Name(context), cancellationToken)))
            .RequireAuthorization(CustomersCapability.TraceContacts)
            .WithSummary("Mark the address (mail returned: mail stops), phone or e-mail on file as failed, with the reason. Audited.");

        trace.MapPost("/failures/{channel}/clear", async (string accountNumber, string channel, SkipTraceReasonBody body, SkipTrace skipTrace, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(await skipTrace.ClearFailureAsync(accountNumber, SkipTrace.ParseChannel(channel), body.Reason, ApiUser.Name(context), cancellationToken)))
            .RequireAuthorization(CustomersCapability.TraceContacts)
            .WithSummary("Clear a failure on file (the customer confirmed it works), with the reason. Audited.");

        trace.MapPost("/alternates", async (string accountNumber, AlternateContactBody body, SkipTrace skipTrace, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(await skipTrace.AddAlternateAsync(accountNumber,
                    new AlternateContactRequest(SkipTrace.ParseChannel(body.Channel), body.Value, body.City, body.State, body.Zip, body.Source, body.Note), ApiUser.Name(context), cancellationToken)))
            .RequireAuthorization(CustomersCapability.TraceContacts)
            .WithSummary("Record an alternate contact found by skip tracing: a phone, an e-mail address, or an address (value is its first line, with city, state and zip), and where it came from (source).");

        trace.MapPost("/alternates/{alternateId:long}/failed", async (string accountNumber, long alternateId, SkipTraceReasonBody body, SkipTrace skipTrace, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(await skipTrace.MarkAlternateFailedAsync(accountNumber, alternateId, body.Reason, ApiUser.Name(context), cancellationToken)))
            .RequireAuthorization(CustomersCapability.TraceContacts)
            .WithSummary("Mark an alternate contact tried and failed, with the reason.");

        trace.MapPost("/alternates/{alternateId:long}/promote", async (string accountNumber, long alternateId, SkipTrace skipTrace, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(await skipTrace.PromoteAsync(accountNumber, alternateId, ApiUser.Name(context), cancellationToken)))
            .RequireAuthorization(CustomersCapability.TraceContacts)
            .WithSummary("Make an alternate contact the one on file: an address becomes the mailing address and mail starts again. The one it replaces is kept as an alternate. Audited.");

        api.MapPost("/returned-mail", ImportAsync)
            .WithTags("Skip tracing")
            .RequireAuthorization(CustomersCapability.ImportReturnedMail)
            .DisableAntiforgery()
            .WithSummary("Import the mail room's returned-mail file (form field 'file'; header account_number,returned_on,reason; docs/collections.md). Each line marks the account holder's address returned, which stops mail to it. Any bad line, named by line and field, and nothing is marked (400); the same file again marks nothing twice.");
    }

    private static async Task<Results<Ok<ReturnedMailImportOutcome>, ValidationProblem>> ImportAsync(IFormFile file, ImportReturnedMail import, HttpContext context, CancellationToken cancellationToken)
    {
        if (file.Length > ServiceApi.ImportBytesMax)
        {
            throw new DomainException($"A returned-mail file is at most {ServiceApi.ImportBytesMax:N0} bytes.", "file");
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellationToken);
        var outcome = await import.ExecuteAsync(Path.GetFileName(file.FileName), buffer.ToArray(), ApiUser.Name(context), cancellationToken);
        return outcome.Imported ? TypedResults.Ok(outcome) : CollectionPoliciesApi.Problem(outcome.Errors, outcome.Message);
    }
}
