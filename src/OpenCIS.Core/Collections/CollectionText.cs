using System.Globalization;

namespace OpenCIS.Core.Collections;

/// <summary>How collections words dates, percents and classes in its explanations, in one place so every reason reads alike.</summary>
internal static class CollectionText
{
    /// <summary>"Jan 15, 2027": the way a notice prints a date.</summary>
    public static string Date(DateOnly date) => date.ToString("MMM d, yyyy", CultureInfo.InvariantCulture);

    public static string Percent(decimal percent) => percent.ToString("0.####", CultureInfo.InvariantCulture) + "%";

    /// <summary>"Municipal" for "municipal": classes are named as a clerk writes them.</summary>
    public static string Class(string accountClass) =>
        accountClass.Length == 0 ? accountClass : char.ToUpperInvariant(accountClass[0]) + accountClass[1..];

    public static string Days(int days) => days == 1 ? "1 day" : $"{days} days";
}
