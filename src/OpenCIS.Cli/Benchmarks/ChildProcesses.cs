using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Storage;

namespace OpenCIS.Cli.Benchmarks;

/// <summary>This program run again in a child process, on the same database with the same settings (the crash and API benchmarks).</summary>
internal static class ChildProcesses
{
    /// <summary>The settings the child needs to work on the same database with the same key and zone: every OPENCIS_ setting of this run.</summary>
    public static Dictionary<string, string> Environment(IServiceProvider services, IConfiguration configuration)
    {
        var environment = configuration.AsEnumerable()
            .Where(p => p.Key.StartsWith("OPENCIS_", StringComparison.Ordinal) && p.Value is not null)
            .ToDictionary(p => p.Key, p => p.Value!, StringComparer.Ordinal);
        environment[DatabaseSettings.EnvironmentVariable] = services.GetRequiredService<DatabaseSettings>().ConnectionString;
        return environment;
    }

    /// <summary>How to start this program with <paramref name="arguments"/>, its output and errors read by the caller.</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(CliApp).Assembly.Location);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return start;
    }

    private static string DotnetHost() =>
        System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : System.Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path
        : "dotnet";
}
