namespace OpenCIS.Core.Common;

/// <summary>
/// One text field of a CSV export: quoted per RFC 4180 when it holds a comma, quote or line break, and defused when
/// it would start a spreadsheet formula. A name typed as <c>=HYPERLINK(...)</c>, or starting <c>+ - @</c>, a tab or a
/// carriage return, gets a leading apostrophe, so Excel and LibreOffice show it as the text it is and run nothing.
/// Amounts and dates are written by the reports themselves, never through here, so a negative amount stays a number.
/// </summary>
public static class Csv
{
    public static string Field(string? value)
    {
        var text = Defused(value);
        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }

    /// <summary>The text with a leading apostrophe when it would start a formula, not quoted (for a writer that quotes).</summary>
    public static string Defused(string? value)
    {
        var text = value ?? "";
        return text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;
    }
}
