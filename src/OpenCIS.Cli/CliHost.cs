using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.UseCases;
using Spectre.Console;

namespace OpenCIS.Cli;

/// <summary>
/// The command line's composition root: what every command shares (the console, the configuration,
/// the user named in the audit trail, the command tree) and how a command gets its services: a
/// container per command, the schema migrated first, a <see cref="DomainException"/> shown as a red
/// line and exit code 1.
/// </summary>
public sealed class CliHost(IAnsiConsole console, IConfiguration configuration, TimeProvider? clock, RootCommand root)
{
    public IAnsiConsole Console { get; } = console;

    public IConfiguration Configuration { get; } = configuration;

    public RootCommand Root { get; } = root;

    /// <summary>Who the audit trail names for work done from the command line.</summary>
    public string User { get; } = $"cli:{Environment.UserName}";

    public ServiceProvider Services()
    {
        var services = new ServiceCollection();
        if (clock is not null)
        {
            services.AddSingleton(clock);
        }

        services.AddOpenCisUseCases(Configuration);
        return services.BuildServiceProvider();
    }

    public async Task<int> WithServices(Func<IServiceProvider, Task<int>> action)
    {
        await using var provider = Services();
        await using var scope = provider.CreateAsyncScope();
        try
        {
            await scope.ServiceProvider.GetRequiredService<SchemaMigrator>().MigrateAsync();
            return await action(scope.ServiceProvider);
        }
        catch (DomainException exception)
        {
            Console.MarkupLineInterpolated($"[red]{exception.Message}[/]");
            return CliApp.BadInput;
        }
    }

    /// <summary>
    /// For the demo city and the benchmarks, which seed their own data: demo mode, where a missing encryption key is
    /// created as a file beside the database (elsewhere the key must come from OPENCIS_ENCRYPTION_KEY).
    /// </summary>
    public Task<int> WithDemoServices(Func<IServiceProvider, Task<int>> action)
    {
        Configuration["OPENCIS_DEMO"] = "true";
        return WithServices(action);
    }

    /// <summary>A top-level command that several capabilities add to (bill, payments, report): created by the first to ask.</summary>
    public Command Group(string name, string description)
    {
        if (Root.Subcommands.FirstOrDefault(c => c.Name == name) is { } existing)
        {
            return existing;
        }

        var group = new Command(name, description);
        Root.Add(group);
        return group;
    }
}

/// <summary>Reports progress on the caller's thread, so a progress bar moves in step with the work.</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
