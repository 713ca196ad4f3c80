using Microsoft.AspNetCore.Http.HttpResults;
using OpenCIS.Core.Collections;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;
using OpenCIS.Storage.Collections;
using OpenCIS.Storage.ServiceOrders;
using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.ServiceOrders;
using OpenCIS.Web.Capabilities;

using static OpenCIS.Web.Api.ApiText;

namespace OpenCIS.Web.Api;

/// <summary>The accounts to approve; none (null) approves the whole list as of the last run.</summary>
public sealed record ApproveListBody(IReadOnlyList<string>? Accounts);

/// <summary>
/// Result is disconnected, paid-at-door, no-access, protection-found or reconnected. Reading is the meter read;
/// amountPaid dollars and cents ("120.00"), with tender cash (the default), check or money order and reference (a
/// check's number); protection is life_support or medical_certificate (with physician and protectionEndsOn, YYYY-MM-DD).
/// </summary>
public sealed record FieldCompletionBody(string Result, long? Reading, string? AmountPaid, string? Protection, string? Physician, string? ProtectionEndsOn, string? Note,
    string? Tender = null, string? Reference = null, string? NewMeterSerial = null, long? NewMeterReading = null);

/// <summary>Timing is standard, same-day or after-hours.</summary>
public sealed record ReconnectBody(string? Timing);

public sealed record DispatchBody(string AssignedTo);

public sealed record CancelOrderBody(string Reason);

/// <summary>
/// The disconnect list's approval and the field's orders through the API: a Supervisor approves (one disconnect
/// order per account, never a second while one is open); the field lists its open orders by route and completes
/// them; a clerk or collector asks for a disconnected account's reconnect. The writes that can post a fee honour
/// an Idempotency-Key, and are once-only in themselves (an order completes once; an open reconnect order is answered, not doubled).
/// </summary>
public static class CollectionFieldApi
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/collections/disconnect-list/approve", async (ApproveListBody? body, ApproveDisconnectList workflow, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(await workflow.ExecuteAsync(body?.Accounts, ApiUser.Name(context), cancellationToken)))
            .WithTags("Collections")
            .RequireAuthorization(CollectionsCapability.ApproveCollections)
            .AddEndpointFilter<IdempotencyFilter>()
            .WithSummary("Approve the disconnect list (all of it, or the accounts named): one disconnect-for-non-payment order per account; an account with an open order keeps it. Audited.");

        var field = api.MapGroup("/field/orders").WithTags("Service orders");
        field.MapGet("", async (ServiceOrderQueries queries, CancellationToken cancellationToken) => TypedResults.Ok(await queries.FieldAsync(cancellationToken)))
            .RequireAuthorization(CollectionsCapability.CompleteFieldOrders)
            .WithSummary("The open service orders by route, in route order, each with its address, account and amount past due.");

        // The crew's own copy of the day's door hangers: the Field role does not see the office's notice lists.
        api.MapGet("/field/door-hangers.pdf", async (DateOnly date, NoticeQueries queries, CancellationToken cancellationToken) =>
                TypedResults.File((await queries.DoorHangersPdfAsync(date, cancellationToken)).Pdf, "application/pdf", $"door-hangers-{date:yyyy-MM-dd}.pdf"))
            .WithTags("Service orders")
            .RequireAuthorization(CollectionsCapability.CompleteFieldOrders)
            .WithSummary("The day's door hangers (?date=YYYY-MM-DD) as one PDF, by route and route order, for the crew that hangs them.");

        field.MapGet("/{id:long}", async Task<Results<Ok<ServiceOrderView>, NotFound>> (long id, ServiceOrderQueries queries, CancellationToken cancellationToken) =>
                await queries.OrderAsync(id, cancellationToken) is { } order ? TypedResults.Ok(order) : TypedResults.NotFound())
            .RequireAuthorization(CollectionsCapability.CompleteFieldOrders)
            .WithSummary("One order with its history of changes.");

        field.MapPost("/{id:long}/complete", async (long id, FieldCompletionBody body, CompleteFieldOrder workflow, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(await workflow.ExecuteAsync(id, ReadCompletion(body), ApiUser.Name(context), cancellationToken)))
            .RequireAuthorization(CollectionsCapability.CompleteFieldOrders)
            .AddEndpointFilter<IdempotencyFilter>()
            .WithSummary("Complete any order the field works: results done, no-access, disconnected, paid-at-door, protection-found, reconnected, passed, failed, leak-found, no-leak-found. A meter set or exchange takes newMeterSerial and newMeterReading (through the meter lifecycle; a serial set elsewhere is refused), a remove or exchange the old meter's final reading; a failed meter test opens an exchange order; the order's fee posts once. A re-read done needs the read taken, stored through read validation and linked on the order. Disconnected is refused, naming the protection, for an account that became protected; it posts the policy's disconnect fee once and sets the service points and standing to Disconnected. A reading is stored as the meter's read of the day (refused, naming reading, when lower than the last read or rejected by validation). Paid-at-door posts the amount as a payment (tender cash, check or money order; a check needs its number as reference), linked on the order.");

        api.MapPost("/accounts/{id:long}/reconnect", async (long id, ReconnectBody? body, RequestReconnect workflow, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(await workflow.ExecuteAsync(id, ReadTiming(body?.Timing), ApiUser.Name(context), cancellationToken)))
            .WithTags("Collections")
            .RequireAuthorization(CollectionsCapability.RequestReconnects)
            .AddEndpointFilter<IdempotencyFilter>()
            .WithSummary("Request a disconnected account's reconnect order with the policy's fee for the timing; refused with the reason unless paid in full or an arrangement's down payment is paid. An open reconnect order is answered, not doubled.");
    }

    public static ReconnectTiming ReadTiming(string? text) => (text ?? "").Trim().ToLowerInvariant() switch
    {
        "" or "standard" => ReconnectTiming.Standard,
        "same-day" or "same_day" or "sameday" => ReconnectTiming.SameDay,
        "after-hours" or "after_hours" or "afterhours" => ReconnectTiming.AfterHours,
        _ => throw new DomainException($"'{text}' is not a reconnect timing; use standard, same-day or after-hours.", "timing"),
    };

    public static FieldCompletion ReadCompletion(FieldCompletionBody body)
    {
        var result = OrderTypes.ParseResult(body.Result);
        Money? paid = null;
        if (!string.IsNullOrWhiteSpace(body.AmountPaid))
        {
            paid = Money.TryParse(body.AmountPaid, out var amount) ? amount : throw new DomainException($"'{body.AmountPaid}' is not an amount (dollars and cents, e.g. 120.00).", "amount");
        }

        ProtectionKind? protection = (body.Protection ?? "").Trim().ToLowerInvariant() switch
        {
            "" => null,
            "life_support" or "life-support" => ProtectionKind.LifeSupport,
            "medical_certificate" or "medical-certificate" => ProtectionKind.MedicalCertificate,
            _ => throw new DomainException($"'{body.Protection}' is not a protection the field enters; use life_support or medical_certificate.", "protection"),
        };
        DateOnly? endsOn = null;
        if (!string.IsNullOrWhiteSpace(body.ProtectionEndsOn))
        {
            endsOn = TryDate(body.ProtectionEndsOn, out var date) ? date : throw new DomainException($"'{body.ProtectionEndsOn}' is not a date (YYYY-MM-DD).", "protectionEndsOn");
        }

        Tender? tender = null;
        if (!string.IsNullOrWhiteSpace(body.Tender))
        {
            // At the door a crew takes what a customer has in hand; cards and bank debits go through the office.
            tender = Tenders.TryParse(body.Tender, out var parsed) && parsed is Tender.Cash or Tender.Check or Tender.MoneyOrder
                ? parsed
                : throw new DomainException($"'{body.Tender}' is not a tender the field takes; use cash, check or money order.", "tender");
        }

        return new FieldCompletion(result, body.Reading, paid, protection, body.Physician, endsOn, body.Note, tender, string.IsNullOrWhiteSpace(body.Reference) ? null : body.Reference.Trim(),
            string.IsNullOrWhiteSpace(body.NewMeterSerial) ? null : body.NewMeterSerial.Trim(), body.NewMeterReading);
    }
}
