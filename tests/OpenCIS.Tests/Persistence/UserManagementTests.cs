using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Core.Users;
using OpenCIS.UseCases.Users;

namespace OpenCIS.Tests.Persistence;

/// <summary>An administrator's user management on both databases: each change takes effect, is refused when it should be, and is audited.</summary>
public sealed class UserManagementTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Users_are_added_with_a_temporary_password_and_their_roles_reset_unlocked_deactivated_and_audited(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "users");
        await database.MigrateAsync();
        await using var services = database.Services();
        async Task<T> Run<T>(Func<ManageUsers, Task<T>> work)
        {
            await using var scope = services.CreateAsyncScope();
            return await work(scope.ServiceProvider.GetRequiredService<ManageUsers>());
        }

        async Task<IdentityResult> CheckPasswordAsync(string name, string password)
        {
            await using var scope = services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            var user = (await users.FindByNameAsync(name))!;
            return await users.CheckPasswordAsync(user, password) ? IdentityResult.Success : IdentityResult.Failed();
        }

        await using (var scope = services.CreateAsyncScope())
        {
            var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
            foreach (var role in Roles.All)
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }

        var boss = await Run(m => m.AddAsync("Boss", ["admin"], null, "cli:root"));
        Assert.Equal(("boss", "Admin", true), (boss.User.UserName, string.Join(",", boss.User.Roles), boss.User.MustChangePassword));
        Assert.Null(PasswordPolicy.Problem(boss.Password, "boss"));
        Assert.True((await CheckPasswordAsync("boss", boss.Password)).Succeeded);

        var pat = await Run(m => m.AddAsync("pat.cashier", ["Cashier", "clerk"], "pat@riverbend.example", "boss"));
        Assert.Equal(["Cashier", "Clerk"], pat.User.Roles);
        Assert.Equal("userName", (await Assert.ThrowsAsync<DomainException>(() => Run(m => m.AddAsync("PAT.CASHIER", ["Clerk"], null, "boss")))).Field);
        Assert.Equal("roles", (await Assert.ThrowsAsync<DomainException>(() => Run(m => m.AddAsync("lee", ["Wizard"], null, "boss")))).Field);
        Assert.Equal("roles", (await Assert.ThrowsAsync<DomainException>(() => Run(m => m.AddAsync("lee", [], null, "boss")))).Field);

        Assert.Equal(["Supervisor"], (await Run(m => m.SetRolesAsync("pat.cashier", ["supervisor"], "boss"))).Roles);
        var lastAdmin = await Assert.ThrowsAsync<DomainException>(() => Run(m => m.SetRolesAsync("boss", ["Clerk"], "cli:root")));
        Assert.Contains("last active Admin", lastAdmin.Message, StringComparison.Ordinal);

        // The user chooses their own password, which ends the must-change flag; a reset brings it back with a new temporary one.
        await Run(async m => { await m.ChangeOwnPasswordAsync("pat.cashier", pat.Password, "blue kettle under 9 stairs"); return 0; });
        Assert.False((await Run(m => m.FindAsync("pat.cashier"))).MustChangePassword);
        Assert.Equal("newPassword", (await Assert.ThrowsAsync<DomainException>(() => Run(async m => { await m.ChangeOwnPasswordAsync("pat.cashier", "blue kettle under 9 stairs", "aaaaaaaaaaaa"); return 0; }))).Field);
        var reset = await Run(m => m.ResetPasswordAsync("pat.cashier", "boss"));
        Assert.True(reset.User.MustChangePassword);
        Assert.False((await CheckPasswordAsync("pat.cashier", "blue kettle under 9 stairs")).Succeeded);
        Assert.True((await CheckPasswordAsync("pat.cashier", reset.Password)).Succeeded);

        await using (var scope = services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            await users.SetLockoutEndDateAsync((await users.FindByNameAsync("pat.cashier"))!, FixedClock.DemoToday.AddMinutes(10));
        }

        Assert.True((await Run(m => m.FindAsync("pat.cashier"))).LockedOut);
        Assert.False((await Run(m => m.UnlockAsync("pat.cashier", "boss"))).LockedOut);

        Assert.Equal("reason", (await Assert.ThrowsAsync<DomainException>(() => Run(m => m.DeactivateAsync("pat.cashier", " ", "boss")))).Field);
        Assert.Contains("yourself", (await Assert.ThrowsAsync<DomainException>(() => Run(m => m.DeactivateAsync("boss", "leaving", "boss")))).Message, StringComparison.Ordinal);
        Assert.Contains("last active Admin", (await Assert.ThrowsAsync<DomainException>(() => Run(m => m.DeactivateAsync("boss", "leaving", "cli:root")))).Message, StringComparison.Ordinal);
        var gone = await Run(m => m.DeactivateAsync("pat.cashier", "Moved to parks", "boss"));
        Assert.Equal((false, false), (gone.Active, gone.LockedOut));
        Assert.Contains("reactivate", (await Assert.ThrowsAsync<DomainException>(() => Run(m => m.UnlockAsync("pat.cashier", "boss")))).Message, StringComparison.Ordinal);
        Assert.True((await Run(m => m.ReactivateAsync("pat.cashier", "boss"))).Active);

        var listed = await Run(m => m.ListAsync());
        Assert.Equal(["boss", "pat.cashier"], listed.Select(u => u.UserName));

        await using var db = database.Context();
        var actions = await db.AuditEntries.Where(a => a.EntityType == "User").OrderBy(a => a.Id).Select(a => new { a.User, a.Action }).ToListAsync();
        Assert.Equal(
            ["Add user", "Add user", "Change roles", "Change own password", "Reset password", "Unlock user", "Deactivate user", "Reactivate user"],
            actions.Select(a => a.Action));
        Assert.Equal(["cli:root", "boss", "boss", "pat.cashier", "boss", "boss", "boss", "boss"], actions.Select(a => a.User));
    }
}

/// <summary>A collection policy whose name is longer than its column is refused naming the field, on both databases (PostgreSQL used to throw).</summary>
public sealed class PolicyFieldLengthTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_policy_name_too_long_for_its_column_is_refused_naming_the_field(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "policy length");
        await database.MigrateAsync();
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var yaml = (await File.ReadAllTextAsync(RepositoryExamples.Path("collections", "riverbend.yaml")))
            .Replace("name: City of Riverbend utility collections", "name: " + new string('x', 300), StringComparison.Ordinal);
        var outcome = await scope.ServiceProvider.GetRequiredService<OpenCIS.UseCases.Collections.ImportCollectionPolicy>().ExecuteAsync("long.yaml", yaml, "admin");
        Assert.False(outcome.Imported);
        Assert.Equal("name", Assert.Single(outcome.Errors).Field);
    }
}
