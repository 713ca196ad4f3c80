using System.Text;

namespace OpenCIS.Web;

/// <summary>
/// How screens show a code: words, not an enum's name. "MoneyOrder" is "Money order", "PendingApproval" is "Pending
/// approval", and the acronyms staff know stay upper case ("Ach" is "ACH").
/// </summary>
public static class Words
{
    private static readonly Dictionary<string, string> Acronyms = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Ach"] = "ACH", ["Api"] = "API", ["Gl"] = "GL", ["Id"] = "id", ["Ssn"] = "SSN", ["Pdf"] = "PDF", ["Csv"] = "CSV", ["Nsf"] = "NSF", ["Ppd"] = "PPD", ["Web"] = "WEB",
    };

    public static string Of(object? value)
    {
        var text = value?.ToString() ?? "";
        if (text.Length == 0 || text.Contains(' ', StringComparison.Ordinal))
        {
            return text;
        }

        if (Acronyms.TryGetValue(text, out var acronym))
        {
            return acronym;
        }

        var words = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (i > 0 && char.IsUpper(c) && !char.IsUpper(text[i - 1]))
            {
                words.Append(' ').Append(char.ToLowerInvariant(c));
            }
            else
            {
                words.Append(c);
            }
        }

        return words.ToString();
    }
}
