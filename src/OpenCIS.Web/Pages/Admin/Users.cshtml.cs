using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.Core.Users;
using OpenCIS.UseCases.Users;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Admin;

/// <summary>The administrator's users screen: every user with roles and state, adding one, and each user's actions.</summary>
[Authorize(Policy = UsersCapability.ManageUsers)]
public sealed class UsersModel(ManageUsers manage) : ActionPageModel
{
    public IReadOnlyList<UserView> Users { get; private set; } = [];

    public IReadOnlyList<string> AllRoles => Roles.All;

    /// <summary>A temporary password just made, shown this once with whose it is.</summary>
    public TemporaryPassword? Issued { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Users = await manage.ListAsync(cancellationToken);

    public Task<IActionResult> OnPostAddAsync(string userName, string[] roles, string? email, CancellationToken cancellationToken) =>
        ActAsync(async () =>
        {
            Issued = await manage.AddAsync(userName, roles, email, Actor, cancellationToken);
            return $"Added {Issued.User.UserName} ({string.Join(", ", Issued.User.Roles)}). Hand over the temporary password below; it is shown only now.";
        }, () => ReloadAsync(cancellationToken));

    public Task<IActionResult> OnPostRolesAsync(string userName, string[] roles, CancellationToken cancellationToken) =>
        ActAsync(async () => $"{(await manage.SetRolesAsync(userName, roles, Actor, cancellationToken)).UserName} now has the roles {string.Join(", ", roles)}.", () => ReloadAsync(cancellationToken));

    public Task<IActionResult> OnPostResetAsync(string userName, CancellationToken cancellationToken) =>
        ActAsync(async () =>
        {
            Issued = await manage.ResetPasswordAsync(userName, Actor, cancellationToken);
            return $"Reset the password of {Issued.User.UserName}; their sessions have ended. Hand over the temporary password below; it is shown only now.";
        }, () => ReloadAsync(cancellationToken));

    public Task<IActionResult> OnPostResetTwoFactorAsync(string userName, CancellationToken cancellationToken) =>
        ActAsync(async () => $"Turned off two-factor sign-in for {(await manage.ResetTwoFactorAsync(userName, Actor, cancellationToken)).UserName}; they set it up again at their next sign-in.", () => ReloadAsync(cancellationToken));

    public Task<IActionResult> OnPostUnlockAsync(string userName, CancellationToken cancellationToken) =>
        ActAsync(async () => $"Unlocked {(await manage.UnlockAsync(userName, Actor, cancellationToken)).UserName}.", () => ReloadAsync(cancellationToken));

    public Task<IActionResult> OnPostDeactivateAsync(string userName, string? reason, CancellationToken cancellationToken) =>
        ActAsync(async () => $"Deactivated {(await manage.DeactivateAsync(userName, reason ?? "", Actor, cancellationToken)).UserName}; their sessions have ended.", () => ReloadAsync(cancellationToken));

    public Task<IActionResult> OnPostReactivateAsync(string userName, CancellationToken cancellationToken) =>
        ActAsync(async () => $"Reactivated {(await manage.ReactivateAsync(userName, Actor, cancellationToken)).UserName}.", () => ReloadAsync(cancellationToken));

    private string Actor => User.Identity?.Name ?? "unknown";

    private async Task<bool> ReloadAsync(CancellationToken cancellationToken)
    {
        Users = await manage.ListAsync(cancellationToken);
        return true;
    }
}
