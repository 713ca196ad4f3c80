using System.Text.Json;

namespace OpenCIS.UseCases.Jobs;

/// <summary>A job's arguments, kept as JSON on its row: a few named strings, read back by the job's handler.</summary>
public sealed class JobArguments
{
    public const int CountMax = 20;

    private readonly Dictionary<string, string> values;

    public JobArguments(IReadOnlyDictionary<string, string> values)
    {
        if (values.Count > CountMax)
        {
            throw new ArgumentException($"A job takes at most {CountMax} arguments, not {values.Count}.", nameof(values));
        }

        this.values = new Dictionary<string, string>(values, StringComparer.Ordinal);
    }

    public string this[string name] => values.TryGetValue(name, out var value)
        ? value
        : throw new InvalidOperationException($"The job has no argument '{name}'.");

    public DateOnly Date(string name) => DateOnly.ParseExact(this[name], "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public string ToJson() => JsonSerializer.Serialize(values);

    public static JobArguments FromJson(string json) =>
        new(JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? throw new InvalidOperationException("A job's arguments are a JSON object."));
}
