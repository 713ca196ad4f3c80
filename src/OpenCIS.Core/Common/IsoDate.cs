using System.Globalization;

namespace OpenCIS.Core.Common;

/// <summary>
/// How dates come in, from a person, a file or the API: ISO form (YYYY-MM-DD), and within the years a
/// utility's records can hold. A birth date may be a century back and a schedule may run decades on, but
/// year 1 or 9999 is a typing slip, and accepting it only moves the failure to a later overflow.
/// </summary>
public static class IsoDate
{
    public static readonly DateOnly Earliest = new(1900, 1, 1);
    public static readonly DateOnly Latest = new(2199, 12, 31);

    public static bool InRange(DateOnly date) => date >= Earliest && date <= Latest;

    /// <summary>Why a date out of range is refused, for an error message.</summary>
    public static string OutOfRange(DateOnly date) =>
        $"{date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} is outside the dates OpenCIS keeps (1900-01-01 to 2199-12-31)";

    /// <summary>True for a date in the form YYYY-MM-DD within <see cref="Earliest"/> and <see cref="Latest"/>.</summary>
    public static bool TryParse(string? text, out DateOnly date)
    {
        if (DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date) && InRange(date))
        {
            return true;
        }

        date = default;
        return false;
    }
}
