using Microsoft.AspNetCore.Http.HttpResults;
using OpenCIS.UseCases.Billing;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Api;

/// <summary>
/// The bill messages through the API: list them (of one standing: current, upcoming or past), add one, change one, end
/// one early or delete one not yet started. A problem is a 400 naming the field; an unknown message a 404.
/// </summary>
public static class BillMessagesApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var messages = api.MapGroup("/bill-messages").WithTags("Bill messages");
        messages.MapGet("/", async Task<Results<Ok<IReadOnlyList<BillMessageListing>>, ValidationProblem>> (string? standing, BillMessageBook book, CancellationToken cancellationToken) =>
            {
                BillMessageStanding? only = null;
                if (!string.IsNullOrWhiteSpace(standing))
                {
                    if (!CollectionWorkApi.TryEnum<BillMessageStanding>(standing, out var parsed))
                    {
                        return (ValidationProblem)DomainExceptionFilter.Problem("standing", $"'{standing}' is not a standing: {string.Join(", ", Enum.GetNames<BillMessageStanding>())}.");
                    }

                    only = parsed;
                }

                return TypedResults.Ok(await book.ListAsync(only, cancellationToken));
            })
            .RequireAuthorization(BillingCapability.ViewBilling)
            .WithSummary("The bill messages with their audience and standing on the business date: current first, then upcoming, then past; ?standing=current|upcoming|past for one.");

        messages.MapGet("/{id:long}", async Task<Results<Ok<BillMessageListing>, NotFound>> (long id, BillMessageBook book, CancellationToken cancellationToken) =>
                await book.FindAsync(id, cancellationToken) is { } message ? TypedResults.Ok(message) : TypedResults.NotFound())
            .RequireAuthorization(BillingCapability.ViewBilling)
            .WithSummary("One bill message.");

        messages.MapPost("/", async (BillMessageRequest body, BillMessageBook book, HttpContext context, CancellationToken cancellationToken) =>
            {
                var added = await book.AddAsync(body, ApiUser.Name(context), cancellationToken);
                return TypedResults.Created($"/api/bill-messages/{added.Id}", added);
            })
            .RequireAuthorization(BillingCapability.ManageBillMessages)
            .WithSummary("Add a message {text, startsOn, endsOn, cycleCode?, accountClass?, routeCode?, programCode?}: printed on the bills of its audience (none named: every bill) dated from startsOn through endsOn. At most 500 characters, one paragraph. A problem is a 400 naming the field. Audited.");

        messages.MapPut("/{id:long}", async Task<Results<Ok<BillMessageListing>, NotFound>> (long id, BillMessageRequest body, BillMessageBook book, HttpContext context, CancellationToken cancellationToken) =>
                await book.FindAsync(id, cancellationToken) is null
                    ? TypedResults.NotFound()
                    : TypedResults.Ok(await book.UpdateAsync(id, body, ApiUser.Name(context), cancellationToken)))
            .RequireAuthorization(BillingCapability.ManageBillMessages)
            .WithSummary("Change a message's text, dates or audience (the whole message, as for POST). Bills already issued keep what they printed; a past message is history (400 naming id). Audited.");

        messages.MapPost("/{id:long}/end", async Task<Results<Ok<BillMessageListing>, NotFound>> (long id, BillMessageBook book, HttpContext context, CancellationToken cancellationToken) =>
                await book.FindAsync(id, cancellationToken) is null
                    ? TypedResults.NotFound()
                    : TypedResults.Ok(await book.EndAsync(id, ApiUser.Name(context), cancellationToken)))
            .RequireAuthorization(BillingCapability.ManageBillMessages)
            .WithSummary("End a current message early: today is its last bill date. One not yet started is deleted instead; one already ended is a 400 naming id. Audited.");

        messages.MapDelete("/{id:long}", async Task<Results<NoContent, NotFound>> (long id, BillMessageBook book, HttpContext context, CancellationToken cancellationToken) =>
            {
                if (await book.FindAsync(id, cancellationToken) is null)
                {
                    return TypedResults.NotFound();
                }

                await book.DeleteAsync(id, ApiUser.Name(context), cancellationToken);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(BillingCapability.ManageBillMessages)
            .WithSummary("Delete a message that has not started. One that has started may be on bills: end it instead (400 naming id). Audited.");
    }
}
