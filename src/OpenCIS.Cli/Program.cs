using Spectre.Console;

namespace OpenCIS.Cli;

public static class EntryPoint
{
    public static Task<int> Main(string[] args) => CliApp.RunAsync(args, AnsiConsole.Console);
}
