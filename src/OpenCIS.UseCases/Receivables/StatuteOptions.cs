using Microsoft.Extensions.Configuration;
using OpenCIS.Core.Receivables;

namespace OpenCIS.UseCases.Receivables;

/// <summary>The years a debt stays collectible by suit after it fell due or was last paid on: the state's law, setting <c>OPENCIS_STATUTE_OF_LIMITATIONS_YEARS</c> (default 6).</summary>
public sealed record StatuteOptions(int Years)
{
    public const string Setting = "OPENCIS_STATUTE_OF_LIMITATIONS_YEARS";

    public static StatuteOptions Default { get; } = new(StatuteOfLimitations.DefaultYears);

    public static StatuteOptions FromConfiguration(IConfiguration configuration)
    {
        var text = configuration[Setting];
        if (string.IsNullOrWhiteSpace(text))
        {
            return Default;
        }

        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var years) && years is >= 1 and <= 30
            ? new StatuteOptions(years)
            : throw new InvalidOperationException($"{Setting} must be a whole number of years from 1 to 30; it is '{text}'.");
    }

    /// <summary>The last day a debt due on <paramref name="dueOn"/>, last paid on <paramref name="lastPaymentOn"/>, is collectible by suit.</summary>
    public DateOnly Until(DateOnly dueOn, DateOnly? lastPaymentOn) => StatuteOfLimitations.Until(dueOn, lastPaymentOn, Years);
}
