using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.ServiceOrders;
using OpenCIS.Web.Api;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Field;

/// <summary>
/// The field's screen, built for a phone: the open disconnect and reconnect orders by route in route order, each
/// with its address, account and amount past due, and a form to complete it with its result (the read taken, the
/// amount paid at the door with its tender, posted as a payment; the protection found). A refused completion names the reason beside its order.
/// </summary>
[Authorize(Policy = CollectionsCapability.CompleteFieldOrders)]
public sealed class IndexModel(ServiceOrderQueries queries, OpenCIS.UseCases.BusinessCalendar calendar) : ActionPageModel
{
    /// <summary>The business date the door-hanger form offers first.</summary>
    public DateOnly Today => calendar.Today();

    public IReadOnlyList<FieldRoute> Routes { get; private set; } = [];

    /// <summary>The order the last action was about, so its message shows on it.</summary>
    public long? OrderId { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Routes = await queries.FieldAsync(cancellationToken);

    public Task<IActionResult> OnPostCompleteAsync(long orderId, string? result, long? reading, string? amountPaid, string? protection, string? physician, string? protectionEndsOn,
        string? note, string? tender, string? reference, [FromServices] CompleteFieldOrder workflow, CancellationToken cancellationToken)
    {
        OrderId = orderId;
        return ActAsync(
            async () => (await workflow.ExecuteAsync(orderId, CollectionFieldApi.ReadCompletion(new FieldCompletionBody(result ?? "", reading, amountPaid, protection, physician, protectionEndsOn, note, tender, reference)),
                User.Identity!.Name!, cancellationToken)).Message,
            async () =>
            {
                Routes = await queries.FieldAsync(cancellationToken);
                return true;
            });
    }
}
