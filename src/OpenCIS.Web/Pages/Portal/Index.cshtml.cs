using Microsoft.AspNetCore.Mvc;
using OpenCIS.UseCases.Portal;

namespace OpenCIS.Web.Pages.Portal;

/// <summary>The customer's start: each of their accounts with its balance and current bill, and adding another account.</summary>
public sealed class IndexModel(PortalQueries queries, PortalLogins logins) : PortalPageModel
{
    public IReadOnlyList<PortalAccountSummary> Accounts { get; private set; } = [];

    [BindProperty]
    public string AccountNumber { get; set; } = "";

    [BindProperty]
    public string BillSecret { get; set; } = "";

    public async Task OnGetAsync() => await LoadAsync();

    public Task<IActionResult> OnPostAddAsync() => TryAsync(async () =>
    {
        try
        {
            var added = await logins.AddAccountAsync(UserId, AccountNumber, BillSecret, HttpContext.RequestAborted);
            Notice = T("AccountAdded", added);
            (AccountNumber, BillSecret) = ("", "");
        }
        finally
        {
            await LoadAsync();
        }

        return Page();
    });

    private async Task LoadAsync() => Accounts = await queries.AccountsAsync(UserId, HttpContext.RequestAborted);
}
