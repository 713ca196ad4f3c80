using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.UseCases.Users;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Admin;

/// <summary>
/// The administrator's API keys: the service accounts other city systems call the API with, each scoped to permissions.
/// Make one (its token shown once), rotate it (the old key revoked now or after a grace period), revoke it, and read a
/// key's latest uses.
/// </summary>
[Authorize(Policy = UsersCapability.ManageApiKeys)]
public sealed class ApiKeysModel(ApiKeys keys, PermissionCatalog catalog) : ActionPageModel
{
    public IReadOnlyList<ApiKeyView> Keys { get; private set; } = [];

    /// <summary>The permissions a key may be scoped to, in the order the capabilities declare them.</summary>
    public IReadOnlyList<string> Grantable => catalog.Grants.Select(g => g.Permission).Where(p => !ApiKeys.NeverForKeys.Contains(p)).ToList();

    /// <summary>A token just made, shown this once.</summary>
    public IssuedApiKey? Issued { get; private set; }

    /// <summary>The key whose uses are shown (?uses=id).</summary>
    public ApiKeyView? UsesOf { get; private set; }

    public IReadOnlyList<ApiKeyUseView> Uses { get; private set; } = [];

    [BindProperty(SupportsGet = true, Name = "uses")]
    public long? UsesKeyId { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => await ReloadAsync(cancellationToken) ? Page() : NotFound();

    public Task<IActionResult> OnPostCreateAsync(string? name, string? description, string[] permissions, CancellationToken cancellationToken) =>
        ActAsync(async () =>
        {
            Issued = await keys.CreateAsync(name, description, permissions, catalog.RolesByPermission.Keys.ToList(), Actor, cancellationToken);
            return $"Made key {Issued.Key.Prefix} for {Issued.Key.Name}. Copy the key below into that system now: it is shown only once.";
        }, () => ReloadAsync(cancellationToken));

    public Task<IActionResult> OnPostRotateAsync(long keyId, int graceHours, CancellationToken cancellationToken) =>
        ActAsync(async () =>
        {
            Issued = await keys.RotateAsync(keyId, graceHours, Actor, cancellationToken);
            return graceHours == 0
                ? $"Rotated {Issued.Key.Name}: the old key stopped working now. Copy the new key below: it is shown only once."
                : $"Rotated {Issued.Key.Name}: the old key works {graceHours} more hours. Copy the new key below: it is shown only once.";
        }, () => ReloadAsync(cancellationToken));

    public Task<IActionResult> OnPostRevokeAsync(long keyId, string? reason, CancellationToken cancellationToken) =>
        ActAsync(async () => $"Revoked key {(await keys.RevokeAsync(keyId, reason, Actor, cancellationToken)).Prefix}: it stopped working now.", () => ReloadAsync(cancellationToken));

    private string Actor => User.Identity?.Name ?? "unknown";

    private async Task<bool> ReloadAsync(CancellationToken cancellationToken)
    {
        Keys = await keys.ListAsync(cancellationToken);
        if (UsesKeyId is { } id)
        {
            UsesOf = Keys.FirstOrDefault(k => k.Id == id);
            if (UsesOf is null)
            {
                return false;
            }

            Uses = await keys.UsesAsync(id, 200, cancellationToken);
        }

        return true;
    }
}
