using OpenCIS.Core.Common;

namespace OpenCIS.Tests.Core;

public sealed class BillingPeriodTests
{
    [Theory]
    [InlineData("2026-03-01", "2026-03-01", 1)]
    [InlineData("2026-03-01", "2026-03-31", 31)]
    [InlineData("2024-02-01", "2024-02-29", 29)] // leap year
    [InlineData("2023-02-01", "2023-02-28", 28)]
    [InlineData("2024-01-15", "2024-03-14", 60)] // 17 + 29 + 14 across a leap February
    [InlineData("2023-01-15", "2023-03-14", 59)]
    [InlineData("2024-01-01", "2024-12-31", 366)]
    [InlineData("2100-02-01", "2100-03-01", 29)] // 2100 is not a leap year
    [InlineData("2000-02-01", "2000-03-01", 30)] // 2000 is
    [InlineData("2025-12-20", "2026-01-19", 31)]
    public void Days_count_both_ends(string start, string end, int days)
    {
        var period = new BillingPeriod(DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(end, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(days, period.Days);
        Assert.True(period.Contains(period.Start));
        Assert.True(period.Contains(period.End));
        Assert.False(period.Contains(period.Start.AddDays(-1)));
        Assert.False(period.Contains(period.End.AddDays(1)));
    }

    [Fact]
    public void A_period_cannot_end_before_it_starts()
    {
        var exception = Assert.Throws<ArgumentException>(() => new BillingPeriod(new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 1)));

        Assert.Contains("2026-03-01", exception.Message, StringComparison.Ordinal);
    }
}
