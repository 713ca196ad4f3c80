using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using OpenCIS.UseCases.Portal;
using OpenCIS.Web.Security;

namespace OpenCIS.Web.Pages.Portal;

/// <summary>A customer who forgot their password asks for a reset link; the answer is the same whether the address has a login or not.</summary>
[AllowAnonymous]
[EnableRateLimiting(PortalAuthentication.RateLimit)]
public sealed class ForgotModel(PortalLogins logins) : PortalPageModel
{
    public bool Sent { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(string? email)
    {
        await logins.RequestPasswordResetAsync(email ?? "", ResetLink, HttpContext.RequestAborted);
        Sent = true;
        return Page();
    }
}
