using Microsoft.AspNetCore.Identity;

namespace OpenCIS.Web.Security;

/// <summary>
/// Creates the roles, and either the demo users (demo mode) or the first administrator. Outside
/// demo mode there is no default password: it comes from OPENCIS_ADMIN_PASSWORD or a prompt.
/// </summary>
public static class UserSetup
{
    public const string DemoPassword = "riverbend-demo";

    public static async Task EnsureRolesAsync(RoleManager<IdentityRole> roles)
    {
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole(role)), $"create role {role}");
            }
        }
    }

    public static async Task EnsureDemoUsersAsync(UserManager<IdentityUser> users)
    {
        foreach (var role in Roles.All)
        {
            var name = role.ToLowerInvariant();
            if (await users.FindByNameAsync(name) is null)
            {
                var user = new IdentityUser { UserName = name, Email = $"{name}@riverbend.example", EmailConfirmed = true };
                Check(await users.CreateAsync(user, DemoPassword), $"create demo user {name}");
                Check(await users.AddToRoleAsync(user, role), $"give {name} the {role} role");
            }
        }
    }

    /// <summary>Makes sure an administrator exists; returns false when none exists and no password was given.</summary>
    public static async Task<bool> EnsureAdministratorAsync(UserManager<IdentityUser> users, string? password, TextWriter output)
    {
        if ((await users.GetUsersInRoleAsync(Roles.Admin)).Count > 0)
        {
            return true;
        }

        if (string.IsNullOrEmpty(password) && !Console.IsInputRedirected)
        {
            output.Write("No administrator exists yet. Choose a password for user 'admin' (at least 12 characters): ");
            password = Console.ReadLine();
        }

        if (string.IsNullOrEmpty(password))
        {
            output.WriteLine("No administrator exists. Set OPENCIS_ADMIN_PASSWORD (at least 12 characters) and start again, or start with --demo.");
            return false;
        }

        if (OpenCIS.Core.Users.PasswordPolicy.Problem(password, "admin") is { } problem)
        {
            output.WriteLine($"The first administrator's password is refused: {problem}");
            return false;
        }

        var admin = new IdentityUser { UserName = "admin", EmailConfirmed = true };
        Check(await users.CreateAsync(admin, password), "create the administrator");
        Check(await users.AddToRoleAsync(admin, Roles.Admin), "give admin the Admin role");
        output.WriteLine("Created the administrator 'admin'.");
        return true;
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not {what}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }
    }
}
