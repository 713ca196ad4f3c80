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

    /// <summary>The default notice templates, examples/collections/notices/*.liquid: the kind, its file name and text.</summary>
    public static IReadOnlyList<(string Kind, string FileName, string Text)> NoticeTemplates() =>
        [.. Collections.NoticeTemplates.Kinds.Select(kind =>
        {
            using var stream = typeof(DemoCollections).Assembly.GetManifestResourceStream($"OpenCIS.Demo.notices.{kind}.liquid")
                ?? throw new InvalidOperationException($"The default {kind} template is missing from the build.");
            using var reader = new StreamReader(stream);
            return (kind, $"{kind}.liquid", reader.ReadToEnd());
        })];
}
