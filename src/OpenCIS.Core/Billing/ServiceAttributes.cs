using System.Collections.Immutable;
using System.Text.RegularExpressions;
using OpenCIS.Core.Common;

namespace OpenCIS.Core.Billing;

/// <summary>
/// A service's attributes that choose a price (cart_size=96gal, pickups=2, fire_line_size=6in, class=multi-family),
/// written as <c>name=value</c> pairs separated by <c>;</c>. A name is lower-case letters, digits and '_'; a value has
/// no ';' or '=' and at most 40 characters.
/// </summary>
public static partial class ServiceAttributes
{
    public const int MaxTextLength = 500;

    public static ImmutableDictionary<string, string> Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return ImmutableDictionary<string, string>.Empty;
        }

        var builder = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var pair in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            if (at > 0)
            {
                builder[pair[..at].Trim()] = pair[(at + 1)..].Trim();
            }
        }

        return builder.ToImmutable();
    }

    /// <summary>The attributes as stored, names in order; null for none.</summary>
    public static string? Format(IReadOnlyDictionary<string, string> attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        foreach (var (name, value) in attributes)
        {
            if (!NamePattern().IsMatch(name))
            {
                throw new DomainException($"'{name}' is not an attribute name: lower-case letters, digits and '_', starting with a letter.", "attributes");
            }

            if (value.Length is 0 or > 40 || value.Contains(';', StringComparison.Ordinal) || value.Contains('=', StringComparison.Ordinal) || value != value.Trim())
            {
                throw new DomainException($"'{value}' is not a value for {name}: 1 to 40 characters, without ';' or '='.", "attributes");
            }
        }

        var text = string.Join(';', attributes.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value}"));
        return text.Length == 0 ? null
            : text.Length > MaxTextLength ? throw new DomainException($"The attributes take {text.Length} characters written out; at most {MaxTextLength}.", "attributes")
            : text;
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,39}$")]
    private static partial Regex NamePattern();
}
