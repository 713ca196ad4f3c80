using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.Core.Common;
using OpenCIS.UseCases.Invoices;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.DebtCheck;

/// <summary>The city-wide debt check: does this person or business owe the city? By name, tax id, address or parcel; each check logged.</summary>
[Authorize(Policy = InvoicesCapability.CheckDebts)]
public sealed class IndexModel(UseCases.Invoices.DebtCheck check) : ActionPageModel
{
    [BindProperty(SupportsGet = true)]
    public DebtCheckBy By { get; set; } = DebtCheckBy.Name;

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    public DebtCheckResult? Result { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Q))
        {
            return Page();
        }

        try
        {
            Result = await check.ExecuteAsync(By, Q, User.Identity!.Name!, "screen", cancellationToken);
        }
        catch (DomainException exception)
        {
            (Message, IsError, ErrorField) = (exception.Message, true, exception.Field);
        }

        return Page();
    }
}
