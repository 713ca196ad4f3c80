using Microsoft.AspNetCore.Http.HttpResults;
using OpenCIS.UseCases.Users;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Api;

public sealed record AddUserBody(string UserName, IReadOnlyList<string> Roles, string? Email);

public sealed record UserRolesBody(IReadOnlyList<string> Roles);

public sealed record DeactivateUserBody(string Reason);

/// <summary>The administrator's user management. A temporary password is in the answer once and never again.</summary>
public static class UsersApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users").RequireAuthorization(UsersCapability.ManageUsers);
        users.MapGet("/", async (ManageUsers manage, CancellationToken cancellationToken) => TypedResults.Ok(await manage.ListAsync(cancellationToken)))
            .WithSummary("Every staff user: roles, whether active, locked out, due to change their password, using two-factor sign-in.");
        users.MapPost("/", async Task<Created<TemporaryPassword>> (AddUserBody body, ManageUsers manage, HttpContext context, CancellationToken cancellationToken) =>
            {
                var added = await manage.AddAsync(body.UserName, body.Roles ?? [], body.Email, ApiUser.Name(context), cancellationToken);
                return TypedResults.Created($"/api/users/{added.User.UserName}", added);
            })
            .WithSummary("Add a user with roles. The answer holds a temporary password, shown this once; the user must change it at the first sign-in. Audited.");
        users.MapPut("/{userName}/roles", async (string userName, UserRolesBody body, ManageUsers manage, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(await manage.SetRolesAsync(userName, body.Roles ?? [], ApiUser.Name(context), cancellationToken)))
            .WithSummary("Set a user's roles (the user's sessions end). The last active Admin keeps the Admin role. Audited.");
        users.MapPost("/{userName}/reset", async (string userName, ManageUsers manage, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(await manage.ResetPasswordAsync(userName, ApiUser.Name(context), cancellationToken)))
            .WithSummary("Reset a user's password: a temporary password, shown this once, to be changed at the next sign-in; the user's sessions end. Audited.");
        users.MapPost("/{userName}/reset-two-factor", async (string userName, ManageUsers manage, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(await manage.ResetTwoFactorAsync(userName, ApiUser.Name(context), cancellationToken)))
            .WithSummary("Turn off a user's two-factor sign-in (a lost phone): the old authenticator stops working; they set it up again. Audited.");
        users.MapPost("/{userName}/unlock", async (string userName, ManageUsers manage, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(await manage.UnlockAsync(userName, ApiUser.Name(context), cancellationToken)))
            .WithSummary("Unlock a user locked out after failed sign-ins. Audited.");
        users.MapPost("/{userName}/deactivate", async (string userName, DeactivateUserBody body, ManageUsers manage, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(await manage.DeactivateAsync(userName, body.Reason, ApiUser.Name(context), cancellationToken)))
            .WithSummary("Deactivate a user, with the reason: no more sign-ins, sessions end at once. Never yourself, never the last active Admin. Audited.");
        users.MapPost("/{userName}/reactivate", async (string userName, ManageUsers manage, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(await manage.ReactivateAsync(userName, ApiUser.Name(context), cancellationToken)))
            .WithSummary("Reactivate a deactivated user. Audited.");
    }
}
