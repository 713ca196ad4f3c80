using OpenCIS.Core.Common;
using OpenCIS.Core.Metering;

namespace OpenCIS.Tests.Core.Metering;

public sealed class EstimationTests
{
    [Fact]
    public void The_same_period_last_year_is_preferred_and_scaled_to_the_days()
    {
        var history = new[]
        {
            new UsageHistory(new DateOnly(2025, 10, 5), new DateOnly(2025, 11, 5), 6_200m), // 31 days, 200 a day
            new UsageHistory(new DateOnly(2026, 9, 5), new DateOnly(2026, 10, 5), 9_000m),
        };
        var estimate = Estimation.Estimate(history, new DateOnly(2026, 10, 5), new DateOnly(2026, 11, 4), Unit.Gallons);
        Assert.NotNull(estimate);
        Assert.Equal(6_000m, estimate.Usage); // 200 a day x 30 days
        Assert.StartsWith("Same period last year (2025-10-05 to 2025-11-04)", estimate.Method, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_last_year_the_trailing_average_of_three_periods_is_used()
    {
        var history = new[]
        {
            new UsageHistory(new DateOnly(2026, 5, 5), new DateOnly(2026, 6, 5), 31_000m), // too old: only the last three count
            new UsageHistory(new DateOnly(2026, 6, 5), new DateOnly(2026, 7, 5), 3_000m),
            new UsageHistory(new DateOnly(2026, 7, 5), new DateOnly(2026, 8, 5), 3_100m),
            new UsageHistory(new DateOnly(2026, 8, 5), new DateOnly(2026, 9, 5), 3_100m),
        };
        var estimate = Estimation.Estimate(history, new DateOnly(2026, 9, 5), new DateOnly(2026, 10, 5), Unit.Gallons);
        Assert.Equal(3_000m, estimate!.Usage); // 9,200 / 92 days = 100 a day x 30
        Assert.StartsWith("Average of the last 3 periods", estimate.Method, StringComparison.Ordinal);
    }

    [Fact]
    public void No_history_means_no_estimate()
    {
        Assert.Null(Estimation.Estimate([], new DateOnly(2026, 9, 5), new DateOnly(2026, 10, 5), Unit.Gallons));
    }
}
