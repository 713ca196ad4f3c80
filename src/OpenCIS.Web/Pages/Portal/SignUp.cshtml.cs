using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using OpenCIS.UseCases.Portal;
using OpenCIS.Web.Security;

namespace OpenCIS.Web.Pages.Portal;

/// <summary>A customer signs up with their account number and the number or amount due of a recent bill; a link verifies their e-mail.</summary>
[AllowAnonymous]
[EnableRateLimiting(PortalAuthentication.RateLimit)]
public sealed class SignUpModel(PortalLogins logins) : PortalPageModel
{
    [BindProperty]
    public string AccountNumber { get; set; } = "";

    [BindProperty]
    public string BillSecret { get; set; } = "";

    [BindProperty]
    public string Name { get; set; } = "";

    [BindProperty]
    public string Email { get; set; } = "";

    public bool Sent { get; private set; }

    public void OnGet(string? account)
    {
        AccountNumber = account ?? "";
    }

    public Task<IActionResult> OnPostAsync(string? password) => TryAsync(async () =>
    {
        await logins.SignUpAsync(new PortalSignUpRequest(AccountNumber, BillSecret, Name, Email, password ?? "", Lang), VerifyLink, HttpContext.RequestAborted);
        // The same answer whether the address was new or already had a login (which is mailed a note instead).
        Sent = true;
        return Page();
    });
}
