using OpenCIS.Core.Common;
using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.UseCases;
using OpenCIS.UseCases.ServiceOrders;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.ServiceOrders;

/// <summary>
/// The dispatch board: a day's orders in a lane per crew and one for those not yet assigned, each with its window,
/// kind, address and account; the overdue orders still open below. A dispatcher assigns (or moves) an order to a crew
/// from its row, by keyboard; everyone else reads it.
/// </summary>
[Authorize(Policy = CustomersCapability.ViewAccounts)]
public sealed class BoardModel(ServiceOrderQueries queries, BusinessCalendar calendar, IAuthorizationService authorization) : ActionPageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Day { get; set; }

    public DispatchBoard Board { get; private set; } = null!;
    public bool CanDispatch { get; private set; }
    public long? OrderId { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken) ? Page() : BadRequest();

    public Task<IActionResult> OnPostAssignAsync(long orderId, string? crew, [FromServices] DispatchServiceOrder workflow, CancellationToken cancellationToken)
    {
        OrderId = orderId;
        return ActAsync(authorization, ServiceOrdersCapability.DispatchServiceOrders,
            async () => (await workflow.ExecuteAsync(orderId, crew ?? "", User.Identity!.Name!, cancellationToken)).Message,
            () => LoadAsync(cancellationToken));
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        var day = calendar.Today();
        if (!string.IsNullOrWhiteSpace(Day) && !IsoDate.TryParse(Day, out day))
        {
            return false;
        }

        Day = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Board = await queries.BoardAsync(day, cancellationToken);
        CanDispatch = (await authorization.AuthorizeAsync(User, ServiceOrdersCapability.DispatchServiceOrders)).Succeeded;
        return true;
    }
}
