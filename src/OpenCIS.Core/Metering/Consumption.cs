using OpenCIS.Core.Common;

namespace OpenCIS.Core.Metering;

/// <summary>The register facts of a meter that consumption needs.</summary>
public sealed record MeterRegister(string Serial, int Dials, decimal Multiplier, Unit Unit)
{
    public const int DialsMin = 1;
    public const int DialsMax = 12;

    /// <summary>The first reading the register cannot show (10^dials): at it the register rolls over to zero.</summary>
    public long Maximum => MaximumFor(Dials);

    /// <summary>
    /// 10^<paramref name="dials"/>, in integers: a double power is exact only while it stays below 2^53,
    /// and a rollover computed from an inexact maximum would be off by the error.
    /// </summary>
    public static long MaximumFor(int dials)
    {
        if (dials is < DialsMin or > DialsMax)
        {
            throw new ArgumentOutOfRangeException(nameof(dials), dials, $"A meter has between {DialsMin} and {DialsMax} dials.");
        }

        var maximum = 1L;
        for (var dial = 0; dial < dials; dial++)
        {
            maximum *= 10;
        }

        return maximum;
    }

    /// <summary>Whether the register can show <paramref name="reading"/>.</summary>
    public bool Fits(long reading) => reading >= 0 && reading < Maximum;

    /// <summary>
    /// The reading the register shows once <paramref name="usage"/> (in the meter's unit) has passed
    /// through it since <paramref name="previousReading"/>: the usage in register steps (divided by the
    /// multiplier, rounded half away from zero, as money is), wrapping past the maximum. Estimates and
    /// interval files give a usage; the reads table keeps readings, so this is how an estimate becomes a read.
    /// </summary>
    public long ReadingAfter(long previousReading, decimal usage)
    {
        if (!Fits(previousReading))
        {
            throw new ArgumentOutOfRangeException(nameof(previousReading), previousReading, $"The previous reading does not fit the {Dials} dials of meter {Serial}.");
        }

        if (usage < 0m)
        {
            throw new ArgumentOutOfRangeException(nameof(usage), usage, "A register only moves forward: the usage cannot be negative.");
        }

        // Whole turns of the register leave the reading where it was; taking them off first keeps the sum within a long.
        var steps = (long)(decimal.Round(usage / Multiplier, 0, MidpointRounding.AwayFromZero) % Maximum);
        return (previousReading + steps) % Maximum;
    }
}

/// <summary>
/// Consumption between two register readings. A present reading below the previous one is a
/// rollover when the meter's dials allow it (the register wrapped past 10^dials); otherwise it is
/// negative consumption, which is never billed without review.
/// </summary>
public static class ConsumptionCalculator
{
    public static ConsumptionResult Calculate(MeterRegister meter, long previousReading, long presentReading)
    {
        if (meter.Dials is < MeterRegister.DialsMin or > MeterRegister.DialsMax)
        {
            throw new ArgumentOutOfRangeException(nameof(meter), meter.Dials, $"A meter has between {MeterRegister.DialsMin} and {MeterRegister.DialsMax} dials.");
        }

        long registerDifference;
        var rolledOver = false;
        if (presentReading >= previousReading)
        {
            registerDifference = presentReading - previousReading;
        }
        else
        {
            var registerMaximum = meter.Maximum;
            var wrapped = registerMaximum - previousReading + presentReading;
            // A true rollover happens only near the top of the register; a large "wrap" is far more
            // likely a misread, so anything over half the register is reported as negative consumption.
            if (previousReading >= registerMaximum || wrapped > registerMaximum / 2)
            {
                return new ConsumptionResult(null, false, $"Negative consumption on meter {meter.Serial}: present read {presentReading:N0} is below previous read {previousReading:N0}.");
            }

            registerDifference = wrapped;
            rolledOver = true;
        }

        var usage = new Quantity(registerDifference * meter.Multiplier, meter.Unit);
        return new ConsumptionResult(usage, rolledOver, null);
    }
}

public readonly record struct ConsumptionResult(Quantity? Usage, bool RolledOver, string? Problem);
