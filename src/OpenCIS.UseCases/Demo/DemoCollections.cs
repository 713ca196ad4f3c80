namespace OpenCIS.UseCases.Demo;

/// <summary>
/// The demo city's collection policies, built into the program so a fresh database can take them:
/// examples/collections/riverbend.yaml for active accounts, riverbend-final.yaml for final bills, and
/// riverbend-receivables.yaml for the invoice types that name it.
/// </summary>
public static class DemoCollections
{
    public const string PolicyFileName = "riverbend.yaml";
    public const string FinalPolicyFileName = "riverbend-final.yaml";
    public const string ReceivablesPolicyFileName = "riverbend-receivables.yaml";
    public const string ReceivablesPolicyCode = "RIVERBEND-RECEIVABLES";

    public static string PolicyYaml() => Resource("OpenCIS.Demo.riverbend-collections.yaml", "The demo collection policy");

    /// <summary>The policy for what a customer who moved out still owes (debt type final).</summary>
    public static string FinalPolicyYaml() => Resource("OpenCIS.Demo.riverbend-final-collections.yaml", "The demo final-bill collection policy");

    /// <summary>The policy the demo's invoice types name for their late charges and notices (debt type invoice).</summary>
    public static string ReceivablesPolicyYaml() => Resource("OpenCIS.Demo.riverbend-receivables-collections.yaml", "The demo receivables collection policy");

    private static string Resource(string name, string what)
    {
        using var stream = typeof(DemoCollections).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"{what} is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The default notice templates, examples/collections/notices/*.liquid: the kind, its file name and text.</summary>
    public static IReadOnlyList<(string Kind, string FileName, string Text)> NoticeTemplates() => Templates("");

    /// <summary>The Spanish translations of the default templates, examples/collections/notices/es/*.liquid: the kind, its file name and text.</summary>
    public static IReadOnlyList<(string Kind, string FileName, string Text)> SpanishTemplates() => Templates("es");

    private static IReadOnlyList<(string Kind, string FileName, string Text)> Templates(string language) =>
        [.. Collections.NoticeTemplates.Kinds.Select(kind =>
        {
            var folder = language.Length == 0 ? "" : $"{language}.";
            using var stream = typeof(DemoCollections).Assembly.GetManifestResourceStream($"OpenCIS.Demo.notices.{folder}{kind}.liquid")
                ?? throw new InvalidOperationException($"The default {kind} template{(language.Length == 0 ? "" : $" in {language}")} is missing from the build.");
            using var reader = new StreamReader(stream);
            return (kind, $"{folder.Replace('.', '/')}{kind}.liquid", reader.ReadToEnd());
        })];
}
