using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Users;
using OpenCIS.Storage;

namespace OpenCIS.UseCases.Users;

/// <summary>
/// Registers staff users: Identity's user store in our database with OpenCIS's password policy and lockout, for every
/// host (the web host adds sign-in and cookies on top), and the administrator's user management.
/// </summary>
public static class UsersUseCases
{
    public static IServiceCollection AddUsersUseCases(this IServiceCollection services)
    {
        services.AddLogging();
        services.AddIdentityCore<IdentityUser>(options =>
            {
                options.Password.RequiredLength = PasswordPolicy.LengthMin;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireDigit = false;
                options.Password.RequiredUniqueChars = 1;
                options.Lockout.MaxFailedAccessAttempts = 10;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.Lockout.AllowedForNewUsers = true;
                options.User.RequireUniqueEmail = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<OpenCisDbContext>()
            .AddPasswordValidator<PasswordPolicyValidator>();
        services.AddScoped<ManageUsers>();
        services.AddScoped<ApiKeys>();
        services.AddSingleton<ApiKeyUseLog>();
        services.AddSingleton<ApiKeyDirectory>();
        return services;
    }
}
