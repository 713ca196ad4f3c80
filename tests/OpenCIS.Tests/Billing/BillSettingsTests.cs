using Microsoft.Extensions.Configuration;
using OpenCIS.Storage.Billing;
using OpenCIS.UseCases.Billing;

namespace OpenCIS.Tests.Billing;

public sealed class BillSettingsTests
{
    private static BillSettings From(params (string Key, string Value)[] values) =>
        BillSettings.FromConfiguration(new ConfigurationBuilder().AddInMemoryCollection(values.ToDictionary(v => v.Key, v => (string?)v.Value)).Build());

    [Fact]
    public void Without_settings_a_bill_names_the_demo_city_and_a_ten_percent_late_charge()
    {
        var settings = From();

        Assert.Equal(BillSettings.Default, settings);
        Assert.Equal(
            "A late charge of 10% of the unpaid balance will be added to any amount not received by the due date, December 1, 2026.",
            settings.LateChargeNotice(new DateOnly(2026, 12, 1)));
    }

    [Fact]
    public void The_percentage_and_the_whole_notice_can_be_set()
    {
        Assert.StartsWith("A late charge of 1.5% ", From(("OPENCIS_LATE_CHARGE_PERCENT", "1.5")).LateChargeNotice(new DateOnly(2026, 12, 1)), StringComparison.Ordinal);
        var custom = From(("OPENCIS_LATE_CHARGE_NOTICE", "Pay by {due} to avoid a $5.00 late fee."), ("OPENCIS_UTILITY_NAME", "Town of Elm Utilities"));
        Assert.Equal("Pay by January 4, 2027 to avoid a $5.00 late fee.", custom.LateChargeNotice(new DateOnly(2027, 1, 4)));
        Assert.Equal("Town of Elm Utilities", custom.UtilityName);
    }

    [Theory]
    [InlineData("ten")]
    [InlineData("-1")]
    [InlineData("150")]
    public void A_late_charge_percentage_that_is_not_one_is_refused_with_the_setting_named(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => From(("OPENCIS_LATE_CHARGE_PERCENT", value)));
        Assert.Contains("OPENCIS_LATE_CHARGE_PERCENT", error.Message, StringComparison.Ordinal);
    }
}
