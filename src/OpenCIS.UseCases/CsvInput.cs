using CsvHelper;
using OpenCIS.Storage.Payments;
using OpenCIS.UseCases.Payments;
using OpenCIS.Storage;

namespace OpenCIS.UseCases;

/// <summary>
/// How every CSV file the system takes in is opened: header names trimmed and lower-cased, line
/// numbers tracked for error reports, and a malformed record reported with its line instead of thrown.
/// </summary>
public static class CsvInput
{
    public static CsvReader Open(Stream content) =>
        CsvReader.Create(content, new CsvReaderOptions { HasHeader = true, TrackLineNumbers = true, SkipEmptyLines = true, TrimWhitespace = true, Separator = ',' }, true);

    /// <summary>The header's column names (none for an empty file), or null with the problem added to <paramref name="errors"/>.</summary>
    public static string[]? ReadHeader(CsvReader csv, string fileName, List<FileError> errors)
    {
        try
        {
            csv.ReadHeader();
            return csv.Headers.Select(h => h.Trim().ToLowerInvariant()).ToArray();
        }
        catch (CsvFormatException exception)
        {
            errors.Add(new FileError(fileName, 1, "header", exception.Message));
            return null;
        }
    }

    /// <summary>
    /// Where each of <paramref name="columns"/> is in the header; null, with the missing ones named in
    /// <paramref name="errors"/> as line 1's header, when any is not there.
    /// </summary>
    public static Dictionary<string, int>? ColumnIndex(string[] header, IReadOnlyList<string> columns, string fileName, List<FileError> errors)
    {
        var missing = columns.Where(c => !header.Contains(c)).ToList();
        if (missing.Count > 0)
        {
            errors.Add(new FileError(fileName, 1, "header", $"missing column{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing)}; expected {string.Join(',', columns)}"));
            return null;
        }

        return columns.ToDictionary(c => c, c => Array.IndexOf(header, c));
    }

    /// <summary>
    /// Moves to the next record; false at the end, or after a malformed record (reported in <paramref name="errors"/>).
    /// A record holding a NUL byte is reported and ends the reading too (a binary file, or UTF-16 text): no database
    /// stores it as text.
    /// </summary>
    public static bool Next(CsvReader csv, string fileName, List<FileError> errors)
    {
        try
        {
            if (!csv.Read())
            {
                return false;
            }

            for (var i = 0; i < csv.FieldCount; i++)
            {
                if (csv.GetRawSpan(i).Contains((byte)0))
                {
                    // Read as far as this and no further, as for a malformed record: nothing after it is text.
                    errors.Add(new FileError(fileName, (int)Math.Max(csv.LineNumber, 1), "record", "holds a NUL byte (is this a binary file, or text in UTF-16 rather than UTF-8?); the rest of the file was not read"));
                    return false;
                }
            }

            return true;
        }
        catch (CsvFormatException exception)
        {
            errors.Add(new FileError(fileName, (int)Math.Max(exception.LineNumber, 1), "record", $"malformed CSV record ({exception.Message}); the rest of the file was not read"));
            return false;
        }
    }
}
