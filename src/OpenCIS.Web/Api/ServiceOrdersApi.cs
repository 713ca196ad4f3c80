using System.Globalization;
using OpenCIS.Core.Common;
using OpenCIS.UseCases;
using OpenCIS.UseCases.ServiceOrders;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Api;

public sealed record OrderNoteBody(string? Note);

public sealed record ServiceOrderBody(string Kind, string? AccountNumber = null, long? PremiseId = null, long? ServicePointId = null, int? Priority = null, string? DueOn = null,
    string? Window = null, string? Queue = null, string? Notes = null, string? AssignTo = null);

/// <summary>Service orders through the API: create one, the open ones and the dispatch board, dispatch and cancel, complete (the field's).</summary>
public static class ServiceOrdersApi
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/service-orders", async (ServiceOrderBody body, CreateServiceOrder workflow, HttpContext context, CancellationToken cancellationToken) =>
            {
                var (start, end) = OrderTypes.ParseWindow(body.Window);
                var outcome = await workflow.ExecuteAsync(new ServiceOrderRequest(body.Kind, body.AccountNumber, body.PremiseId, body.ServicePointId, body.Priority,
                    body.DueOn is { Length: > 0 } due ? Day(due, "dueOn") : null, start, end, body.Queue, body.Notes, body.AssignTo), ApiUser.Name(context), cancellationToken);
                return TypedResults.Created($"/api/field/orders/{outcome.Order.Id}", outcome);
            })
            .WithTags("Service orders")
            .RequireAuthorization(ServiceOrdersCapability.CreateServiceOrders)
            .AddEndpointFilter<IdempotencyFilter>()
            .WithSummary("Create a service order on an account (or a premise): kind (connect, meter-set, meter-remove, meter-exchange, re-read, meter-test, tamper-investigation, leak-check, high-bill-investigation, inspect), optional service point, priority 1-5, dueOn, window (08:00-12:00), queue, notes, assignTo. A second open order of the same kind there is refused, naming it.");

        api.MapPost("/service-orders/{id:long}/notes", async (long id, OrderNoteBody body, NoteServiceOrder workflow, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(await workflow.ExecuteAsync(id, body.Note ?? "", ApiUser.Name(context), cancellationToken)))
            .WithTags("Service orders")
            .RequireAuthorization(ServiceOrdersCapability.CreateServiceOrders)
            .WithSummary("Add a note to an order's history (what the customer said, what the crew should know). Audited.");

        api.MapGet("/service-orders/board", async (string? day, ServiceOrderQueries queries, BusinessCalendar calendar, CancellationToken cancellationToken) =>
                TypedResults.Ok(await queries.BoardAsync(day is { Length: > 0 } text ? Day(text, "day") : calendar.Today(), cancellationToken)))
            .WithTags("Service orders")
            .RequireAuthorization(CustomersCapability.ViewAccounts)
            .WithSummary("The dispatch board of a day (?day=YYYY-MM-DD, default today): the orders due that day in a lane per crew and one unassigned, the overdue ones still open, and the crews.");

        api.MapGet("/service-orders", async (bool? overdue, string? assignedTo, ServiceOrderQueries queries, CancellationToken cancellationToken) =>
                TypedResults.Ok(await queries.OpenAsync(overdue == true, assignedTo, cancellationToken)))
            .WithTags("Service orders")
            .RequireAuthorization(CustomersCapability.ViewAccounts)
            .WithSummary("The open service orders, soonest due first; overdue=true for only those due before today, assignedTo for one person's.");

        var orders = api.MapGroup("/service-orders/{id:long}").WithTags("Service orders");
        orders.MapPost("/dispatch", async (long id, DispatchBody body, DispatchServiceOrder workflow, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(await workflow.ExecuteAsync(id, body.AssignedTo ?? "", ApiUser.Name(context), cancellationToken)))
            .RequireAuthorization(ServiceOrdersCapability.DispatchServiceOrders)
            .WithSummary("Dispatch an open order to a field worker (or move it to another). Audited.");

        orders.MapPost("/cancel", async (long id, CancelOrderBody body, CancelServiceOrder workflow, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(await workflow.ExecuteAsync(id, body.Reason ?? "", ApiUser.Name(context), cancellationToken)))
            .RequireAuthorization(ServiceOrdersCapability.DispatchServiceOrders)
            .WithSummary("Cancel an open order with the reason (required). Audited.");

    }

    private static DateOnly Day(string text, string field) =>
        IsoDate.TryParse(text.Trim(), out var day)
            ? day
            : throw new DomainException($"'{text}' is not a date in the form YYYY-MM-DD.", field);
}
