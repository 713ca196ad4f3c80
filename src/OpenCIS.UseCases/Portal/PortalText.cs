using System.Globalization;
using System.Resources;

namespace OpenCIS.UseCases.Portal;

/// <summary>
/// What the portal and its e-mail say, in English and Spanish, from the resource files beside this class
/// (<c>PortalText.resx</c>, <c>PortalText.es.resx</c>). A text missing in Spanish falls back to English; a key missing in
/// both is a mistake the <c>PortalTextTests</c> catch.
/// </summary>
public static class PortalText
{
    /// <summary>The portal's languages: the first is the default.</summary>
    public static readonly IReadOnlyList<string> Languages = ["en", "es"];

    private static readonly ResourceManager Resources = new("OpenCIS.UseCases.Portal.PortalText", typeof(PortalText).Assembly);

    /// <summary>A known language code for what a customer or browser asked for ("es-MX" is Spanish), else English.</summary>
    public static string Language(string? requested)
    {
        var code = (requested ?? "").Trim().ToLowerInvariant();
        var primary = code.Split('-', '_')[0];
        return Languages.Contains(primary) ? primary : Languages[0];
    }

    public static CultureInfo Culture(string language) => Language(language) == "es" ? Spanish : CultureInfo.InvariantCulture;

    private static readonly CultureInfo Spanish = CultureInfo.GetCultureInfo("es");

    /// <summary>The text of <paramref name="key"/> in <paramref name="language"/>, filled with <paramref name="args"/>.</summary>
    public static string Get(string language, string key, params object?[] args)
    {
        var culture = Culture(language);
        var text = Resources.GetString(key, culture) ?? throw new KeyNotFoundException($"The portal has no text '{key}'.");
        return args.Length == 0 ? text : string.Format(CultureInfo.InvariantCulture, text, args);
    }

    /// <summary>Whether <paramref name="key"/> has a text of its own in <paramref name="language"/> (not the English fallback).</summary>
    public static bool Has(string language, string key) =>
        Resources.GetResourceSet(Culture(language), createIfNotExists: true, tryParents: false)?.GetString(key) is not null;

    private static readonly Lazy<IReadOnlyList<string>> EnglishKeys = new(() =>
        Resources.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: false)!
            .Cast<System.Collections.DictionaryEntry>().Select(e => (string)e.Key).Order(StringComparer.Ordinal).ToList());

    private static readonly Lazy<HashSet<string>> KeySet = new(() => new HashSet<string>(EnglishKeys.Value, StringComparer.Ordinal));

    /// <summary>Every key of the English texts, for the tests that check each has its Spanish.</summary>
    public static IReadOnlyList<string> Keys() => EnglishKeys.Value;

    /// <summary>Whether the portal has a text of <paramref name="key"/> (in English, and so in every language).</summary>
    public static bool Exists(string key) => KeySet.Value.Contains(key);

    /// <summary>A date as the language writes it: "November 22, 2026", "22 de noviembre de 2026" (month names from the resources: the host runs without culture data).</summary>
    public static string Date(string language, DateOnly date)
    {
        var month = Get(language, "Months").Split(',')[date.Month - 1].Trim();
        return Get(language, "DateFormat", date.Day, month, date.Year);
    }
}
