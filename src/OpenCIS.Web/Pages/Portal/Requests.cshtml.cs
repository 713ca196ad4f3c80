using Microsoft.AspNetCore.Mvc;
using OpenCIS.UseCases.Portal;

namespace OpenCIS.Web.Pages.Portal;

/// <summary>
/// What a customer asks of the city on an account: stop, start or move service, report a problem, dispute a bill. Each becomes a
/// case in the queue staff work, listed here with where it stands.
/// </summary>
public sealed class RequestsModel(PortalRequests requests, PortalQueries queries, OpenCIS.UseCases.BusinessCalendar calendar) : PortalPageModel
{
    public PortalAccountView Account { get; private set; } = null!;

    public IReadOnlyList<PortalRequestView> Asked { get; private set; } = [];

    public DateOnly Today => calendar.Today();

    public Task<IActionResult> OnGetAsync(string number) => TryAsync(async () =>
    {
        await LoadAsync(number);
        return Page();
    });

    public Task<IActionResult> OnPostAsync(string number, PortalRequestKind kind, DateOnly? on, string? address, long? billNumber, string? amount, string? details) => TryAsync(async () =>
    {
        try
        {
            var asked = await requests.AskAsync(UserId, number, new PortalRequest(kind, on, address, billNumber, amount, details), HttpContext.RequestAborted);
            Notice = T("RequestDone", asked.CaseNumber);
        }
        finally
        {
            await LoadAsync(number);
        }

        return Page();
    });

    /// <summary>A case's status in the customer's words.</summary>
    public string State(PortalRequestView request) => T("Case" + request.Status);

    private async Task LoadAsync(string number)
    {
        Account = await queries.AccountAsync(UserId, number, HttpContext.RequestAborted);
        Asked = await requests.ListAsync(UserId, number, HttpContext.RequestAborted);
    }
}
