using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.UseCases.Cases;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Work;

/// <summary>A person's work after login: their open cases, their open orders, the waivers waiting on their decision, and the unassigned cases in the queues.</summary>
[Authorize(Policy = CasesCapability.ViewCases)]
public sealed class IndexModel(CaseQueries cases, OpenCIS.UseCases.ServiceOrders.ServiceOrderQueries orders, IAuthorizationService authorization) : PageModel
{
    public MyWork Work { get; private set; } = null!;

    /// <summary>Every open order past its due date, whoever has it: the office follows these up.</summary>
    public IReadOnlyList<OpenCIS.UseCases.ServiceOrders.ServiceOrderView> OverdueOrders { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Work = await cases.MyWorkAsync(User.Identity!.Name!, (await authorization.AuthorizeAsync(User, CollectionsCapability.ApproveCollections)).Succeeded, cancellationToken);
        OverdueOrders = await orders.OpenAsync(overdueOnly: true, cancellationToken: cancellationToken);
    }
}
