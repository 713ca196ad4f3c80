using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.UseCases.Users;
using Spectre.Console;

namespace OpenCIS.Cli.Users;

/// <summary>
/// <c>opencis users add|roles|reset|unlock|deactivate|reactivate|list</c>: the administrator's user management from a
/// terminal on the server (also the way back in when no administrator can sign in). Every change is audited as the CLI user.
/// </summary>
public static class UserCommands
{
    public static void AddTo(CliHost host)
    {
        var console = host.Console;
        var users = host.Group("users", "Staff users: add, set roles, reset passwords, unlock, deactivate, list.");
        var nameArgument = new Argument<string>("user") { Description = "The user name" };
        var rolesOption = new Option<string[]>("--roles") { Description = $"Roles, comma-separated or repeated: {string.Join(", ", OpenCIS.Core.Users.Roles.All)}", Required = true, AllowMultipleArgumentsPerToken = true };
        var emailOption = new Option<string?>("--email") { Description = "The user's e-mail (optional)" };
        var reasonOption = new Option<string>("--reason") { Description = "Why the user is deactivated", Required = true };

        var list = new Command("list", "Every user with roles and state.");
        list.SetAction((_, cancellationToken) => host.WithServices(async services =>
        {
            var table = new Table().AddColumns("User", "Roles", "State");
            foreach (var user in await services.GetRequiredService<ManageUsers>().ListAsync(cancellationToken))
            {
                table.AddRow(Markup.Escape(user.UserName), Markup.Escape(string.Join(", ", user.Roles)), Markup.Escape(State(user)));
            }

            console.Write(table);
            return CliApp.Ok;
        }));

        var add = new Command("add", "Add a user with roles; prints a temporary password, to be changed at the first sign-in.") { nameArgument, rolesOption, emailOption };
        add.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var added = await services.GetRequiredService<ManageUsers>().AddAsync(parse.GetValue(nameArgument)!, Split(parse.GetValue(rolesOption)), parse.GetValue(emailOption), host.User, cancellationToken);
            Issued(console, added, "Added");
            return CliApp.Ok;
        }));

        var roles = new Command("roles", "Set a user's roles (their sessions end).") { nameArgument, rolesOption };
        roles.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var user = await services.GetRequiredService<ManageUsers>().SetRolesAsync(parse.GetValue(nameArgument)!, Split(parse.GetValue(rolesOption)), host.User, cancellationToken);
            console.MarkupLineInterpolated($"{user.UserName} now has the roles [bold]{string.Join(", ", user.Roles)}[/].");
            return CliApp.Ok;
        }));

        var twoFactorOption = new Option<bool>("--two-factor") { Description = "Turn off the user's two-factor sign-in instead (a lost phone); the password stays" };
        var reset = new Command("reset", "Reset a user's password: prints a temporary password, to be changed at the next sign-in; their sessions end. With --two-factor, turn off their two-factor sign-in instead.") { nameArgument, twoFactorOption };
        reset.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var manage = services.GetRequiredService<ManageUsers>();
            if (parse.GetValue(twoFactorOption))
            {
                var user = await manage.ResetTwoFactorAsync(parse.GetValue(nameArgument)!, host.User, cancellationToken);
                console.MarkupLineInterpolated($"Turned off two-factor sign-in for {user.UserName}; they set it up again at their next sign-in.");
                return CliApp.Ok;
            }

            Issued(console, await manage.ResetPasswordAsync(parse.GetValue(nameArgument)!, host.User, cancellationToken), "Reset the password of");
            return CliApp.Ok;
        }));

        var unlock = new Command("unlock", "Unlock a user locked out after failed sign-ins.") { nameArgument };
        unlock.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var user = await services.GetRequiredService<ManageUsers>().UnlockAsync(parse.GetValue(nameArgument)!, host.User, cancellationToken);
            console.MarkupLineInterpolated($"Unlocked {user.UserName}.");
            return CliApp.Ok;
        }));

        var deactivate = new Command("deactivate", "Deactivate a user: no more sign-ins, and their sessions end at once.") { nameArgument, reasonOption };
        deactivate.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var user = await services.GetRequiredService<ManageUsers>().DeactivateAsync(parse.GetValue(nameArgument)!, parse.GetValue(reasonOption)!, host.User, cancellationToken);
            console.MarkupLineInterpolated($"Deactivated {user.UserName}.");
            return CliApp.Ok;
        }));

        var reactivate = new Command("reactivate", "Reactivate a deactivated user.") { nameArgument };
        reactivate.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var user = await services.GetRequiredService<ManageUsers>().ReactivateAsync(parse.GetValue(nameArgument)!, host.User, cancellationToken);
            console.MarkupLineInterpolated($"Reactivated {user.UserName}.");
            return CliApp.Ok;
        }));

        foreach (var command in new[] { list, add, roles, reset, unlock, deactivate, reactivate })
        {
            users.Add(command);
        }
    }

    private static string[] Split(string[]? values) =>
        [.. (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];

    private static string State(UserView user) =>
        string.Join("; ", new[]
        {
            user.Active ? "active" : "deactivated",
            user.LockedOut ? $"locked out until {user.LockedUntil:yyyy-MM-dd HH:mm} UTC" : null,
            user.MustChangePassword ? "must change password" : null,
            user.TwoFactor ? "two-factor" : null,
        }.Where(s => s is not null));

    private static void Issued(IAnsiConsole console, TemporaryPassword issued, string what)
    {
        console.MarkupLineInterpolated($"{what} {issued.User.UserName} ({string.Join(", ", issued.User.Roles)}).");
        console.MarkupLineInterpolated($"Temporary password (shown once; changed at the next sign-in): [bold]{issued.Password}[/]");
    }
}
