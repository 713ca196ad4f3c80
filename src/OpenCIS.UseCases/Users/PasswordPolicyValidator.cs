using Microsoft.AspNetCore.Identity;
using OpenCIS.Core.Users;

namespace OpenCIS.UseCases.Users;

/// <summary>Identity's password check is <see cref="PasswordPolicy"/>: length, and none of the passwords an attacker tries first.</summary>
public sealed class PasswordPolicyValidator : IPasswordValidator<IdentityUser>
{
    public Task<IdentityResult> ValidateAsync(UserManager<IdentityUser> manager, IdentityUser user, string? password) =>
        Task.FromResult(PasswordPolicy.Problem(password, user?.UserName) is { } problem
            ? IdentityResult.Failed(new IdentityError { Code = "PasswordPolicy", Description = problem })
            : IdentityResult.Success);
}
