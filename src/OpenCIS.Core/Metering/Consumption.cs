using OpenCIS.Core.Common;

namespace OpenCIS.Core.Metering;

/// <summary>The register facts of a meter that consumption needs.</summary>
public sealed record MeterRegister(string Serial, int Dials, decimal Multiplier, Unit Unit);

/// <summary>
/// Consumption between two register readings. A present reading below the previous one is a
/// rollover when the meter's dials allow it (the register wrapped past 10^dials); otherwise it is
/// negative consumption, which is never billed without review.
/// </summary>
public static class ConsumptionCalculator
{
    public static ConsumptionResult Calculate(MeterRegister meter, long previousReading, long presentReading)
    {
        if (meter.Dials is < 1 or > 12)
        {
            throw new ArgumentOutOfRangeException(nameof(meter), meter.Dials, "A meter has between 1 and 12 dials.");
        }

        long registerDifference;
        var rolledOver = false;
        if (presentReading >= previousReading)
        {
            registerDifference = presentReading - previousReading;
        }
        else
        {
            var registerMaximum = (long)Math.Pow(10, meter.Dials);
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
