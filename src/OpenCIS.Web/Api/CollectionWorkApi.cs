using Microsoft.AspNetCore.Http.HttpResults;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Collections;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Collections;
using OpenCIS.Web.Capabilities;

using static OpenCIS.Web.Api.ApiText;

namespace OpenCIS.Web.Api;

/// <summary>
/// Kind is medical_certificate, life_support, dispute, bankruptcy_stay or tenant_occupied; dates are YYYY-MM-DD;
/// amount is dollars and cents ("40.00"). A certificate needs physician and endsOn, a dispute its amount, a
/// tenant-occupied premise the owner or third-party recipient's name and address.
/// </summary>
public sealed record ProtectionBody(string Kind, string StartsOn, string? EndsOn, string? Physician, string? Amount, string? RecipientName, string? RecipientAddress, string? Note);

public sealed record EndProtectionBody(string Reason);

/// <summary>Kind is call, letter, visit or email; a promise taken on the contact gives both promisedOn and promiseAmount.</summary>
public sealed record ContactBody(string Kind, string Outcome, string? Note, string? PromisedOn, string? PromiseAmount, string? Category = null);

public sealed record PromiseBody(string PromisedOn, string Amount);

public sealed record NoteBody(string Text);

/// <summary>
/// The collector's work on an account through the API: protections (entered and ended, audited), contacts with
/// their outcome codes, promises to pay, notes; and the work queue. Nothing here moves money, so no
/// Idempotency-Key is needed.
/// </summary>
public static class CollectionWorkApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var accounts = api.MapGroup("/accounts/{id:long}").WithTags("Collections");
        accounts.MapGet("/protections", async Task<Results<Ok<IReadOnlyList<ProtectionView>>, NotFound>> (long id, AccountCollectionRecords records, CancellationToken cancellationToken) =>
                await records.ForAccountAsync(id, cancellationToken) is { } view ? TypedResults.Ok(view.Protections) : TypedResults.NotFound())
            .RequireAuthorization(CollectionsCapability.ViewCollections)
            .WithSummary("The account's protections, active and ended, newest first.");

        accounts.MapPost("/protections", async Task<Results<Ok<ProtectionOutcome>, ValidationProblem>> (
                long id, ProtectionBody body, EnterProtection workflow, HttpContext context, CancellationToken cancellationToken) =>
            {
                var request = ReadProtection(body);
                return TypedResults.Ok(await workflow.ExecuteAsync(id, request, ApiUser.Name(context), cancellationToken));
            })
            .RequireAuthorization(CollectionsCapability.ManageProtections)
            .WithSummary("Enter a protection (audited). A medical certificate beyond the renewals a year the account's policy allows is refused, naming the limit.");

        accounts.MapPost("/protections/{pid:long}/end", async (long id, long pid, EndProtectionBody body, EndProtection workflow, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(await workflow.ExecuteAsync(id, pid, body.Reason, ApiUser.Name(context), cancellationToken)))
            .RequireAuthorization(CollectionsCapability.ManageProtections)
            .WithSummary("End a protection today, with the reason (required; audited).");

        accounts.MapGet("/contacts", async Task<Results<Ok<IReadOnlyList<ContactView>>, NotFound>> (long id, AccountCollectionRecords records, CancellationToken cancellationToken) =>
                await records.ForAccountAsync(id, cancellationToken) is { } view ? TypedResults.Ok(view.Contacts) : TypedResults.NotFound())
            .RequireAuthorization(CollectionsCapability.ViewCollections)
            .WithSummary("The account's contact log, newest first.");

        accounts.MapPost("/contacts", async Task<Results<Ok<ContactOutcome>, ForbidHttpResult>> (long id, ContactBody body, LogContact workflow,
                Microsoft.AspNetCore.Authorization.IAuthorizationService authorization, HttpContext context, CancellationToken cancellationToken) =>
            {
                var request = ReadContact(body);
                if (request.Promise is not null && !(await Microsoft.AspNetCore.Authorization.AuthorizationServiceExtensions.AuthorizeAsync(authorization, context.User, CollectionsCapability.WorkCollections)).Succeeded)
                {
                    return TypedResults.Forbid();
                }

                return TypedResults.Ok(await workflow.ExecuteAsync(id, request, ApiUser.Name(context), cancellationToken));
            })
            .RequireAuthorization(CustomersCapability.LogContacts)
            .WithSummary($"Log a call, letter, visit, e-mail, walk-in or portal message with its category ({string.Join(", ", LogContact.Categories)}; collections when none is given) and outcome code ({string.Join(", ", LogContact.Outcomes)}), and a promise to pay taken on it (a promise needs WorkCollections).");

        accounts.MapGet("/promises", async Task<Results<Ok<IReadOnlyList<PromiseView>>, NotFound>> (long id, AccountCollectionRecords records, CancellationToken cancellationToken) =>
                await records.ForAccountAsync(id, cancellationToken) is { } view ? TypedResults.Ok(view.Promises) : TypedResults.NotFound())
            .RequireAuthorization(CollectionsCapability.ViewCollections)
            .WithSummary("The account's promises to pay with their status (open, kept, broken), newest first.");

        accounts.MapPost("/promises", async (long id, PromiseBody body, TakePromise workflow, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(await workflow.ExecuteAsync(id, ReadPromise(body.PromisedOn, body.Amount, "promisedOn", "amount")!, ApiUser.Name(context), cancellationToken)))
            .RequireAuthorization(CollectionsCapability.WorkCollections)
            .WithSummary($"Take a promise to pay an amount above zero by a date after today (at most {TakePromise.DaysAheadMax} days out).");

        accounts.MapGet("/notes", async Task<Results<Ok<IReadOnlyList<NoteView>>, NotFound>> (long id, AccountCollectionRecords records, CancellationToken cancellationToken) =>
                await records.ForAccountAsync(id, cancellationToken) is { } view ? TypedResults.Ok(view.Notes) : TypedResults.NotFound())
            .RequireAuthorization(CollectionsCapability.ViewCollections)
            .WithSummary("The account's notes, newest first.");

        accounts.MapPost("/notes", async (long id, NoteBody body, WriteNote workflow, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(await workflow.ExecuteAsync(id, body.Text, ApiUser.Name(context), cancellationToken)))
            .RequireAuthorization(CollectionsCapability.WorkCollections)
            .WithSummary("Write a note on the account; notes are never edited.");

        api.MapGet("/collections/queue", async (string? status, string? minPastDue, int? minDays, string? @class, string? sort, int? page, int? pageSize,
                CollectorQueue queue, CancellationToken cancellationToken) =>
                TypedResults.Ok(await queue.ListAsync(ReadQueueFilter(status, minPastDue, minDays, @class, sort, page, pageSize), cancellationToken)))
            .WithTags("Collections")
            .RequireAuthorization(CollectionsCapability.ViewCollections)
            .WithSummary("The collector's work queue: accounts past due or in a step, filtered by status (step), minimum past due, minimum days past due and class, sorted (pastdue, dayspastdue, account) and paged; each entry with its next action, last contact and open promise.");
    }

    /// <summary>An enum from its name, ignoring case and the underscores or hyphens between words ("medical_certificate").</summary>
    public static bool TryEnum<T>(string? text, out T value) where T : struct, Enum
    {
        var compact = (text ?? "").Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).Trim();
        return Enum.TryParse(compact, ignoreCase: true, out value) && Enum.IsDefined(value) && !int.TryParse(compact, out _);
    }

    public static ProtectionRequest ReadProtection(ProtectionBody body)
    {
        if (!TryEnum<ProtectionKind>(body.Kind, out var kind))
        {
            throw new DomainException($"'{body.Kind}' is not medical_certificate, life_support, dispute, bankruptcy_stay or tenant_occupied.", "kind");
        }

        var starts = Date(body.StartsOn, "startsOn") ?? throw new DomainException("Enter the date the protection starts, YYYY-MM-DD.", "startsOn");
        return new ProtectionRequest(kind, starts, Date(body.EndsOn, "endsOn"), body.Physician, Amount(body.Amount, "amount"), body.RecipientName, body.RecipientAddress, body.Note);
    }

    public static ContactRequest ReadContact(ContactBody body)
    {
        if (!TryEnum<ContactKind>(body.Kind, out var kind))
        {
            throw new DomainException($"'{body.Kind}' is not call, letter, visit, email, walk-in or portal.", "kind");
        }

        return new ContactRequest(kind, body.Outcome, body.Note, ReadPromise(body.PromisedOn, body.PromiseAmount, "promisedOn", "promiseAmount"), body.Category);
    }

    /// <summary>The promise's terms, or null when neither the date nor the amount is given; one without the other is refused.</summary>
    public static PromiseTerms? ReadPromise(string? promisedOn, string? amount, string dateField, string amountField)
    {
        if (string.IsNullOrWhiteSpace(promisedOn) && string.IsNullOrWhiteSpace(amount))
        {
            return null;
        }

        var date = Date(promisedOn, dateField) ?? throw new DomainException("Enter the date the customer promised to pay by, YYYY-MM-DD.", dateField);
        var money = Amount(amount, amountField) ?? throw new DomainException("Enter the amount the customer promised to pay.", amountField);
        return new PromiseTerms(date, money);
    }

    public static QueueFilter ReadQueueFilter(string? status, string? minPastDue, int? minDays, string? accountClass, string? sort, int? page, int? pageSize)
    {
        CollectionStatus? step = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            step = TryEnum<CollectionStatus>(status, out var parsed) ? parsed
                : throw new DomainException($"'{status}' is not a status: {string.Join(", ", Enum.GetNames<CollectionStatus>())}.", "status");
        }

        AccountClass? @class = null;
        if (!string.IsNullOrWhiteSpace(accountClass))
        {
            @class = TryEnum<AccountClass>(accountClass, out var parsed) ? parsed
                : throw new DomainException($"'{accountClass}' is not a class: {string.Join(", ", Enum.GetNames<AccountClass>())}.", "class");
        }

        var order = QueueSort.PastDue;
        if (!string.IsNullOrWhiteSpace(sort) && !TryEnum(sort, out order))
        {
            throw new DomainException($"'{sort}' is not a sort: pastdue, dayspastdue or account.", "sort");
        }

        return new QueueFilter(step, Amount(minPastDue, "minPastDue"), minDays, @class, order, page ?? 1, pageSize ?? CollectorQueue.PageSizeDefault);
    }

    internal static DateOnly? Date(string? text, string field) =>
        string.IsNullOrWhiteSpace(text) ? null
        : TryDate(text.Trim(), out var date) ? date
        : throw new DomainException($"'{text}' is not a date in the form YYYY-MM-DD.", field);

    internal static Money? Amount(string? text, string field) =>
        string.IsNullOrWhiteSpace(text) ? null
        : Money.TryParse(text, out var money) ? money
        : throw new DomainException($"'{text}' is not an amount in dollars and cents.", field);
}
