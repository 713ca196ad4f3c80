using Microsoft.AspNetCore.Http.HttpResults;
using OpenCIS.UseCases.Users;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Api;

public sealed record CreateApiKeyBody(string Name, string? Description, IReadOnlyList<string> Permissions);

public sealed record RotateApiKeyBody(int? GraceHours);

public sealed record RevokeApiKeyBody(string Reason);

/// <summary>The administrator's keys for service accounts. A key's whole token is in the answer of a create or a rotation, once.</summary>
public static class ApiKeysApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var keys = api.MapGroup("/api-keys").WithTags("API keys").RequireAuthorization(UsersCapability.ManageApiKeys);
        keys.MapGet("/", async (ApiKeys manage, CancellationToken cancellationToken) => TypedResults.Ok(await manage.ListAsync(cancellationToken)))
            .WithSummary("Every API key: its service account name, prefix, permissions, state (Active, Expiring, Expired, Revoked), last use and number of uses.");
        keys.MapGet("/{id:long}", async (long id, ApiKeys manage, CancellationToken cancellationToken) => TypedResults.Ok(await manage.FindAsync(id, cancellationToken)))
            .WithSummary("One API key.");
        keys.MapGet("/{id:long}/uses", async (long id, int? take, ApiKeys manage, CancellationToken cancellationToken) => TypedResults.Ok(await manage.UsesAsync(id, take ?? 200, cancellationToken)))
            .WithSummary("A key's latest requests, newest first: when, method and path, the answer's status and the caller's address (refused requests with a revoked or expired key included).");
        keys.MapPost("/", async Task<Created<IssuedApiKey>> (CreateApiKeyBody body, ApiKeys manage, PermissionCatalog catalog, HttpContext context, CancellationToken cancellationToken) =>
            {
                var issued = await manage.CreateAsync(body.Name, body.Description, body.Permissions, catalog.RolesByPermission.Keys.ToList(), ApiUser.Name(context), cancellationToken);
                return TypedResults.Created($"/api/api-keys/{issued.Key.Id}", issued);
            })
            .WithSummary("Make a key for a service account, scoped to named permissions (never ManageUsers or ManageApiKeys). The answer's token is shown this once; the system keeps only its hash. Audited.");
        keys.MapPost("/{id:long}/rotate", async (long id, RotateApiKeyBody? body, ApiKeys manage, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(await manage.RotateAsync(id, body?.GraceHours ?? 0, ApiUser.Name(context), cancellationToken)))
            .WithSummary("Replace a key with a new one of the same name and permissions (its token shown this once). The old key is revoked at once, or works for a grace period of up to 168 hours. Audited.");
        keys.MapPost("/{id:long}/revoke", async (long id, RevokeApiKeyBody body, ApiKeys manage, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(await manage.RevokeAsync(id, body.Reason, ApiUser.Name(context), cancellationToken)))
            .WithSummary("Revoke a key, with the reason: it stops working at once. Audited.");
    }
}
