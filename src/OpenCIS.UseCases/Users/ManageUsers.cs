using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Users;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;

namespace OpenCIS.UseCases.Users;

public sealed record UserView(string UserName, string? Email, IReadOnlyList<string> Roles, bool Active, bool LockedOut, DateTimeOffset? LockedUntil, bool MustChangePassword, bool TwoFactor, int FailedSignIns);

/// <summary>What an add or a reset gives the administrator to hand over: the temporary password, shown once.</summary>
public sealed record TemporaryPassword(UserView User, string Password);

/// <summary>
/// An administrator's user management, from the Users screen, the API and <c>opencis users</c>: add a user with roles
/// and a temporary password, change roles, reset a password, unlock, deactivate and reactivate. A temporary password
/// must be changed at the next sign-in; a reset, a role change and a deactivation end the user's sessions at once
/// (a new security stamp). Every change is in the audit trail, with who made it. The last active Admin cannot be
/// deactivated or lose the Admin role, so the system always has someone to manage it.
/// </summary>
public sealed class ManageUsers(UserManager<IdentityUser> users, RoleManager<IdentityRole> roleStore, OpenCisDbContext db, TimeProvider clock)
{
    public async Task<IReadOnlyList<UserView>> ListAsync(CancellationToken cancellationToken = default)
    {
        var all = await users.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(cancellationToken);
        var roles = await db.UserRoles.AsNoTracking().Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name }).ToListAsync(cancellationToken);
        var claims = await db.UserClaims.AsNoTracking().Where(c => c.ClaimType == UserClaims.MustChangePassword || c.ClaimType == UserClaims.Deactivated)
            .Select(c => new { c.UserId, c.ClaimType }).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        return all.Select(u => View(u, roles.Where(r => r.UserId == u.Id).Select(r => r.Name!).Order(StringComparer.Ordinal).ToList(),
            claims.Where(c => c.UserId == u.Id).Select(c => c.ClaimType!).ToHashSet(StringComparer.Ordinal), now)).ToList();
    }

    public async Task<UserView> FindAsync(string userName, CancellationToken cancellationToken = default) =>
        await ViewAsync(await UserAsync(userName), cancellationToken);

    public async Task<TemporaryPassword> AddAsync(string userName, IReadOnlyCollection<string> roles, string? email, string actor, CancellationToken cancellationToken = default)
    {
        var name = (userName ?? "").Trim().ToLowerInvariant();
        if (name.Length is < 3 or > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
        {
            throw new DomainException("A user name is 3 to 64 letters, digits, dots, hyphens or underscores.", "userName");
        }

        var checkedRoles = CheckRoles(roles);
        await EnsureRolesAsync();
        if (await users.FindByNameAsync(name) is not null)
        {
            throw new DomainException($"There is already a user {name}.", "userName");
        }

        var user = new IdentityUser { UserName = name, Email = string.IsNullOrWhiteSpace(email) ? null : email.Trim(), EmailConfirmed = !string.IsNullOrWhiteSpace(email), LockoutEnabled = true };
        var password = NewTemporaryPassword();
        Check(await users.CreateAsync(user, password), "password");
        Check(await users.AddToRolesAsync(user, checkedRoles), "roles");
        Check(await users.AddClaimAsync(user, new Claim(UserClaims.MustChangePassword, "true")), "userName");
        await AuditAsync(actor, name, "Add user", null, new { Roles = checkedRoles, user.Email }, cancellationToken);
        return new TemporaryPassword(await ViewAsync(user, cancellationToken), password);
    }

    public async Task<UserView> SetRolesAsync(string userName, IReadOnlyCollection<string> roles, string actor, CancellationToken cancellationToken = default)
    {
        var user = await UserAsync(userName);
        var wanted = CheckRoles(roles);
        await EnsureRolesAsync();
        var current = await users.GetRolesAsync(user);
        if (current.Contains(Roles.Admin) && !wanted.Contains(Roles.Admin))
        {
            await RefuseLastAdminAsync(user, "lose the Admin role");
        }

        Check(await users.RemoveFromRolesAsync(user, current.Except(wanted)), "roles");
        Check(await users.AddToRolesAsync(user, wanted.Except(current)), "roles");
        await users.UpdateSecurityStampAsync(user);
        await AuditAsync(actor, user.UserName!, "Change roles", new { Roles = current.Order(StringComparer.Ordinal) }, new { Roles = wanted }, cancellationToken);
        return await ViewAsync(user, cancellationToken);
    }

    public async Task<TemporaryPassword> ResetPasswordAsync(string userName, string actor, CancellationToken cancellationToken = default)
    {
        var user = await UserAsync(userName);
        var password = NewTemporaryPassword();
        if (await users.HasPasswordAsync(user))
        {
            Check(await users.RemovePasswordAsync(user), "password");
        }

        Check(await users.AddPasswordAsync(user, password), "password");
        if (!(await users.GetClaimsAsync(user)).Any(c => c.Type == UserClaims.MustChangePassword))
        {
            Check(await users.AddClaimAsync(user, new Claim(UserClaims.MustChangePassword, "true")), "userName");
        }

        await users.UpdateSecurityStampAsync(user);
        await AuditAsync(actor, user.UserName!, "Reset password", null, new { MustChangePassword = true }, cancellationToken);
        return new TemporaryPassword(await ViewAsync(user, cancellationToken), password);
    }

    public async Task<UserView> UnlockAsync(string userName, string actor, CancellationToken cancellationToken = default)
    {
        var user = await UserAsync(userName);
        if ((await users.GetClaimsAsync(user)).Any(c => c.Type == UserClaims.Deactivated))
        {
            throw new DomainException($"{user.UserName} is deactivated, not locked out; reactivate the user instead.", "userName");
        }

        var before = new { user.LockoutEnd, user.AccessFailedCount };
        Check(await users.SetLockoutEndDateAsync(user, null), "userName");
        Check(await users.ResetAccessFailedCountAsync(user), "userName");
        await AuditAsync(actor, user.UserName!, "Unlock user", before, new { LockoutEnd = (DateTimeOffset?)null, AccessFailedCount = 0 }, cancellationToken);
        return await ViewAsync(user, cancellationToken);
    }

    public async Task<UserView> DeactivateAsync(string userName, string reason, string actor, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainException("Say why the user is deactivated (left the city, changed job...).", "reason");
        }

        var user = await UserAsync(userName);
        if (string.Equals(user.UserName, actor, StringComparison.OrdinalIgnoreCase))
        {
            throw new DomainException("You cannot deactivate yourself; ask another administrator.", "userName");
        }

        if ((await users.GetClaimsAsync(user)).Any(c => c.Type == UserClaims.Deactivated))
        {
            throw new DomainException($"{user.UserName} is already deactivated.", "userName");
        }

        if (await users.IsInRoleAsync(user, Roles.Admin))
        {
            await RefuseLastAdminAsync(user, "be deactivated");
        }

        Check(await users.SetLockoutEnabledAsync(user, true), "userName");
        Check(await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue), "userName");
        Check(await users.AddClaimAsync(user, new Claim(UserClaims.Deactivated, $"{clock.GetUtcNow():yyyy-MM-dd} by {actor}")), "userName");
        await users.UpdateSecurityStampAsync(user);
        await AuditAsync(actor, user.UserName!, "Deactivate user", null, new { Active = false }, cancellationToken, reason.Trim());
        return await ViewAsync(user, cancellationToken);
    }

    public async Task<UserView> ReactivateAsync(string userName, string actor, CancellationToken cancellationToken = default)
    {
        var user = await UserAsync(userName);
        var deactivated = (await users.GetClaimsAsync(user)).Where(c => c.Type == UserClaims.Deactivated).ToList();
        if (deactivated.Count == 0)
        {
            throw new DomainException($"{user.UserName} is active.", "userName");
        }

        Check(await users.RemoveClaimsAsync(user, deactivated), "userName");
        Check(await users.SetLockoutEndDateAsync(user, null), "userName");
        Check(await users.ResetAccessFailedCountAsync(user), "userName");
        await AuditAsync(actor, user.UserName!, "Reactivate user", new { Active = false }, new { Active = true }, cancellationToken);
        return await ViewAsync(user, cancellationToken);
    }

    /// <summary>An administrator turns off a user's two-factor sign-in (a lost phone): the old authenticator key stops working, sessions end.</summary>
    public async Task<UserView> ResetTwoFactorAsync(string userName, string actor, CancellationToken cancellationToken = default)
    {
        var user = await UserAsync(userName);
        Check(await users.SetTwoFactorEnabledAsync(user, false), "userName");
        Check(await users.ResetAuthenticatorKeyAsync(user), "userName");
        await users.UpdateSecurityStampAsync(user);
        await AuditAsync(actor, user.UserName!, "Reset two-factor sign-in", new { TwoFactor = true }, new { TwoFactor = false }, cancellationToken);
        return await ViewAsync(user, cancellationToken);
    }

    /// <summary>The user turned their own two-factor sign-in on or off: audited like every user change.</summary>
    public Task RecordOwnTwoFactorAsync(string userName, bool enabled, CancellationToken cancellationToken = default) =>
        AuditAsync(userName, userName, enabled ? "Turn on two-factor sign-in" : "Turn off two-factor sign-in", null, new { TwoFactor = enabled }, cancellationToken);

    /// <summary>The user's own change of password (after a reset, or any time): the old one must be right, the new one pass the policy.</summary>
    public async Task ChangeOwnPasswordAsync(string userName, string currentPassword, string newPassword, CancellationToken cancellationToken = default)
    {
        var user = await UserAsync(userName);
        if (string.Equals(currentPassword, newPassword, StringComparison.Ordinal))
        {
            throw new DomainException("The new password must differ from the current one.", "newPassword");
        }

        var changed = await users.ChangePasswordAsync(user, currentPassword ?? "", newPassword ?? "");
        if (!changed.Succeeded)
        {
            throw new DomainException(string.Join(" ", changed.Errors.Select(e => e.Description)),
                changed.Errors.Any(e => e.Code == "PasswordMismatch") ? "currentPassword" : "newPassword");
        }

        Check(await users.RemoveClaimsAsync(user, (await users.GetClaimsAsync(user)).Where(c => c.Type == UserClaims.MustChangePassword)), "userName");
        await AuditAsync(userName, user.UserName!, "Change own password", null, null, cancellationToken);
    }

    /// <summary>Every staff role exists in the store (a database set up by the CLI alone has none yet).</summary>
    public async Task EnsureRolesAsync()
    {
        foreach (var role in Roles.All)
        {
            if (!await roleStore.RoleExistsAsync(role))
            {
                Check(await roleStore.CreateAsync(new IdentityRole(role)), "roles");
            }
        }
    }

    private async Task<IdentityUser> UserAsync(string userName) =>
        await users.FindByNameAsync((userName ?? "").Trim()) ?? throw new DomainException($"There is no user {userName}.", "userName");

    private async Task RefuseLastAdminAsync(IdentityUser user, string what)
    {
        var admins = await users.GetUsersInRoleAsync(Roles.Admin);
        var activeAdmins = 0;
        foreach (var admin in admins)
        {
            if (!(await users.GetClaimsAsync(admin)).Any(c => c.Type == UserClaims.Deactivated))
            {
                activeAdmins++;
            }
        }

        if (activeAdmins <= 1)
        {
            throw new DomainException($"{user.UserName} is the last active Admin and cannot {what}; make another user an Admin first.", "userName");
        }
    }

    private static string[] CheckRoles(IReadOnlyCollection<string> roles)
    {
        var chosen = new List<string>();
        foreach (var role in roles ?? [])
        {
            var known = Roles.All.FirstOrDefault(r => string.Equals(r, role.Trim(), StringComparison.OrdinalIgnoreCase))
                ?? throw new DomainException($"'{role}' is not a role; the roles are {string.Join(", ", Roles.All)}.", "roles");
            if (!chosen.Contains(known))
            {
                chosen.Add(known);
            }
        }

        return chosen.Count > 0 ? [.. chosen.Order(StringComparer.Ordinal)] : throw new DomainException("A user needs at least one role.", "roles");
    }

    private async Task<UserView> ViewAsync(IdentityUser user, CancellationToken cancellationToken)
    {
        var fresh = await users.FindByIdAsync(user.Id) ?? user;
        cancellationToken.ThrowIfCancellationRequested();
        var claims = (await users.GetClaimsAsync(fresh)).Select(c => c.Type).ToHashSet(StringComparer.Ordinal);
        return View(fresh, [.. (await users.GetRolesAsync(fresh)).Order(StringComparer.Ordinal)], claims, clock.GetUtcNow());
    }

    private static UserView View(IdentityUser user, IReadOnlyList<string> roles, HashSet<string> claims, DateTimeOffset now)
    {
        var active = !claims.Contains(UserClaims.Deactivated);
        var locked = active && user.LockoutEnd is { } end && end > now;
        return new UserView(user.UserName!, user.Email, roles, active, locked, locked ? user.LockoutEnd : null, claims.Contains(UserClaims.MustChangePassword), user.TwoFactorEnabled, user.AccessFailedCount);
    }

    private async Task AuditAsync(string actor, string userName, string action, object? before, object? after, CancellationToken cancellationToken, string? reason = null)
    {
        AuditLog.Record(db, clock.GetUtcNow(), actor, "User", 0, null, action, before, after is null ? new { User = userName } : new { User = userName, Change = after }, reason ?? $"User {userName}");
        await db.SaveChangesAsync(cancellationToken);
    }

    private static void Check(IdentityResult result, string field)
    {
        if (!result.Succeeded)
        {
            throw new DomainException(string.Join(" ", result.Errors.Select(e => e.Description)), field);
        }
    }

    /// <summary>A temporary password to hand over once: 20 characters from an alphabet without look-alikes, in groups of five.</summary>
    public static string NewTemporaryPassword()
    {
        const string Alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
        var chars = Enumerable.Range(0, 20).Select(_ => Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)]).ToArray();
        return string.Join("-", Enumerable.Range(0, 4).Select(i => new string(chars, i * 5, 5)));
    }
}
