namespace OpenCIS.UseCases.Demo;

/// <summary>The demo city's collection policy: examples/collections/riverbend.yaml, built into the program so a fresh database can take it.</summary>
public static class DemoCollections
{
    public const string PolicyFileName = "riverbend.yaml";

    public static string PolicyYaml()
    {
        using var stream = typeof(DemoCollections).Assembly.GetManifestResourceStream("OpenCIS.Demo.riverbend-collections.yaml")
            ?? throw new InvalidOperationException("The demo collection policy is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
