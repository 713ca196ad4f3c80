using System.Globalization;
using System.Resources;

namespace OpenCIS.UseCases.Billing;

/// <summary>
/// What the bill's own words say (its headings, labels and notes), and the words around a notice or letter (its e-mail's
/// subject, its dates, the words filled into its template), in English and Spanish, from <c>BillText.resx</c> and
/// <c>BillText.es.resx</c>: a bill, notice or letter is written in its customer's language (<see cref="BillDocument.Language"/>,
/// <see cref="Customers.AccountLanguages"/>). What the city writes (its charges' names and calculations, its messages, its
/// late-charge notice, its templates) stays as the city wrote it.
/// </summary>
public static class BillText
{
    private static readonly ResourceManager Resources = new("OpenCIS.UseCases.Billing.BillText", typeof(BillText).Assembly);
    private static readonly CultureInfo Spanish = CultureInfo.GetCultureInfo("es");

    public static string Get(string language, string key, params object?[] args)
    {
        var text = Resources.GetString(key, language == "es" ? Spanish : CultureInfo.InvariantCulture) ?? throw new KeyNotFoundException($"The bill has no text '{key}'.");
        return args.Length == 0 ? text : string.Format(CultureInfo.InvariantCulture, text, args);
    }

    /// <summary>A date as the bill prints it: "Nov 6, 2026", "6 nov 2026".</summary>
    public static string Day(string language, DateOnly day) =>
        Get(language, "DayFormat", day.Day, Get(language, "MonthsShort").Split(',')[day.Month - 1].Trim(), day.Year);

    /// <summary>A date as a notice or letter writes it, as the portal does: "December 3, 2026", "3 de diciembre de 2026".</summary>
    public static string LongDate(string language, DateOnly day) => Portal.PortalText.Date(language, day);

    /// <summary>Words as a list: "water", "water and sewer", "water, sewer and trash" ("agua, alcantarillado y basura").</summary>
    public static string List(string language, IReadOnlyList<string> words) => words.Count switch
    {
        0 => "",
        1 => words[0],
        _ => Get(language, "ListAnd", string.Join(", ", words.Take(words.Count - 1)), words[^1]),
    };

    /// <summary>Every key of the English texts, for the test that checks each has its Spanish.</summary>
    public static IReadOnlyList<string> Keys() =>
        Resources.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: false)!
            .Cast<System.Collections.DictionaryEntry>().Select(e => (string)e.Key).Order(StringComparer.Ordinal).ToList();

    /// <summary>Whether <paramref name="key"/> has its own Spanish text.</summary>
    public static bool HasSpanish(string key) =>
        Resources.GetResourceSet(Spanish, createIfNotExists: true, tryParents: false)?.GetString(key) is not null;
}
