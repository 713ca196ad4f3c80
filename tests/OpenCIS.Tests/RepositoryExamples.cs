namespace OpenCIS.Tests;

/// <summary>Files in the repository's examples folder, found from the test's output folder.</summary>
public static class RepositoryExamples
{
    public static string Path(params string[] parts)
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(System.IO.Path.Combine(folder.FullName, "OpenCIS.slnx")))
        {
            folder = folder.Parent;
        }

        return System.IO.Path.Combine([folder?.FullName ?? throw new InvalidOperationException("The repository root was not found."), "examples", .. parts]);
    }
}
