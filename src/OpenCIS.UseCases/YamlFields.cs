using System.Collections.Immutable;
using System.Globalization;
using OpenCIS.Core.Common;
using OpenCIS.UseCases.Payments;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OpenCIS.UseCases;

/// <summary>
/// Reads the fields of a YAML file (a tariff, a collection policy, a scenario), noting each problem with its
/// line and field and carrying on, so one reading reports every problem. A caller checks
/// <see cref="ThrowIfAny"/> before using what it read: a file with any problem gives nothing, and the
/// refusal is the caller's own exception, made by <paramref name="refuse"/>.
/// </summary>
internal sealed class YamlFields(string fileName, Func<IReadOnlyList<FileError>, Exception> refuse, List<FileError>? errors = null)
{
    private readonly List<FileError> errors = errors ?? [];

    private delegate bool Parse<T>(string text, out T value);

    /// <summary>The file's one top-level mapping, or a refusal naming where the text stops being YAML.</summary>
    public YamlMappingNode Root(string text, string what)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException exception)
        {
            throw refuse([new FileError(fileName, (int)exception.Start.Line, "yaml", exception.InnerException?.Message ?? exception.Message)]);
        }
        catch (InvalidOperationException)
        {
            // The scanner gives up without a position on some malformed text (an unclosed bracket):
            // the line of the last thing it could read is where to look.
            throw refuse([new FileError(fileName, LastReadableLine(text), "yaml", "the text is not well-formed YAML from here on (an unclosed bracket or quote?)")]);
        }

        return stream.Documents.Count == 1 && stream.Documents[0].RootNode is YamlMappingNode root
            ? root
            : throw refuse([new FileError(fileName, 1, what, $"a {what} file is one mapping of fields")]);
    }

    /// <summary>The line of the last thing the YAML parser could read: where a file it gives up on goes wrong.</summary>
    public static int LastReadableLine(string text)
    {
        var parser = new Parser(new StringReader(text));
        var line = 1;
        try
        {
            while (parser.MoveNext())
            {
                line = (int)(parser.Current?.Start.Line ?? line);
            }
        }
        catch (Exception exception) when (exception is YamlException or InvalidOperationException)
        {
            // Stop at the first thing that cannot be read.
        }

        return line;
    }

    public void ThrowIfAny()
    {
        if (errors.Count > 0)
        {
            throw refuse([.. errors.OrderBy(e => e.Line)]);
        }
    }

    public void Problem(YamlNode node, string field, string message) => errors.Add(new FileError(fileName, (int)node.Start.Line, field, message));

    public static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    /// <summary>Notes every key of <paramref name="map"/> that is not one of <paramref name="known"/>: a misspelt field is an error, never ignored.</summary>
    public void Known(YamlMappingNode map, params string[] known)
    {
        foreach (var key in map.Children.Keys)
        {
            if (key is YamlScalarNode { Value: { } name } && !known.Contains(name, StringComparer.Ordinal))
            {
                Problem(key, name, $"is not a field here (expected {string.Join(", ", known)})");
            }
        }
    }

    public YamlMappingNode? Mapping(YamlMappingNode map, string key, bool required = true) =>
        Node<YamlMappingNode>(map, key, required, "must be a mapping of fields");

    /// <summary>The items of a list field; none when it is absent and not required.</summary>
    public IEnumerable<YamlNode> List(YamlMappingNode map, string key, bool required = false) =>
        Node<YamlSequenceNode>(map, key, required, "must be a list")?.Children ?? Enumerable.Empty<YamlNode>();

    /// <summary>The field's node when it is of the kind asked for; a missing (when required) or other node is a problem.</summary>
    private TNode? Node<TNode>(YamlMappingNode map, string key, bool required, string mustBe) where TNode : YamlNode
    {
        switch (Child(map, key))
        {
            case TNode node:
                return node;
            case null when !required:
                return null;
            case null:
                Problem(map, key, "is missing");
                return null;
            case var other:
                Problem(other, key, mustBe);
                return null;
        }
    }

    /// <summary>The list's items that are mappings; any other item is noted as a problem.</summary>
    public IEnumerable<YamlMappingNode> Mappings(YamlMappingNode map, string key, string itemShape, bool required = false)
    {
        foreach (var item in List(map, key, required))
        {
            if (item is YamlMappingNode itemMap)
            {
                yield return itemMap;
            }
            else
            {
                Problem(item, key, $"each item is a mapping: {itemShape}");
            }
        }
    }

    public string? Text(YamlMappingNode map, string key, bool required = true)
    {
        var node = Node<YamlScalarNode>(map, key, required, "must be text");
        if (node is { Value: { Length: > 0 } value })
        {
            return value;
        }

        if (node is not null)
        {
            Problem(node, key, "must be text");
        }

        return null;
    }

    public ImmutableArray<string> Names(YamlMappingNode map, string key)
    {
        var names = ImmutableArray.CreateBuilder<string>();
        foreach (var item in List(map, key))
        {
            if (item is YamlScalarNode { Value: { Length: > 0 } name })
            {
                names.Add(name);
            }
            else
            {
                Problem(item, key, "each item is a name");
            }
        }

        return names.ToImmutable();
    }

    public DateOnly? Date(YamlMappingNode map, string key, bool required = true) =>
        Parsed(map, key, required, (string text, out DateOnly date) => IsoDate.TryParse(text, out date),
            text => $"'{text}' is not a date (YYYY-MM-DD)");

    public Money? Amount(YamlMappingNode map, string key, bool required = true) =>
        Parsed(map, key, required, (string text, out Money amount) => Money.TryParse(text, out amount) && !amount.IsNegative,
            text => $"'{text}' is not an amount of money (dollars and at most two decimals, not negative)");

    public decimal? Percent(YamlMappingNode map, string key, bool required = true) =>
        Parsed(map, key, required, (string text, out decimal percent) => decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out percent) && percent <= 100m,
            text => $"'{text}' is not a percent from 0 to 100");

    public int? Whole(YamlMappingNode map, string key, int min, int max, bool required = true) =>
        Parsed(map, key, required, (string text, out int number) => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number) && number >= min && number <= max,
            text => $"'{text}' is not a whole number from {min} to {max}");

    /// <summary>One of a fixed set of words, mapped to its value.</summary>
    public T? Choice<T>(YamlMappingNode map, string key, IReadOnlyDictionary<string, T> choices, bool required = true) where T : struct =>
        Parsed(map, key, required, (string text, out T value) => choices.TryGetValue(text, out value), text => $"'{text}' is not one of {string.Join(", ", choices.Keys)}");

    /// <summary>The items of a list of mappings, each read by <paramref name="read"/>, which adds what it could read.</summary>
    public ImmutableArray<T> Items<T>(YamlMappingNode map, string key, string itemShape, Action<YamlMappingNode, ImmutableArray<T>.Builder> read, bool required = false)
    {
        var items = ImmutableArray.CreateBuilder<T>();
        foreach (var item in Mappings(map, key, itemShape, required))
        {
            read(item, items);
        }

        return items.ToImmutable();
    }

    private T? Parsed<T>(YamlMappingNode map, string key, bool required, Parse<T> parse, Func<string, string> problem) where T : struct
    {
        var text = Text(map, key, required);
        if (text is null)
        {
            return null;
        }

        if (parse(text, out var value))
        {
            return value;
        }

        Problem(Child(map, key)!, key, problem(text));
        return null;
    }

    public bool Flag(YamlMappingNode map, string key)
    {
        var text = Text(map, key, required: false);
        switch (text)
        {
            case null or "false":
                return false;
            case "true":
                return true;
            default:
                Problem(Child(map, key)!, key, $"'{text}' is not true or false");
                return false;
        }
    }
}
