using Microsoft.Extensions.Configuration;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Payments.Ach;
using OpenCIS.UseCases.Payments.Ach;

namespace OpenCIS.Tests.Payments;

/// <summary>The fees a returned payment takes: the ACH returned-payment fee, unless the city sets its own for returned checks and card charge backs.</summary>
public sealed class ReturnFeeSettingsTests
{
    private static AchSettings From(params (string Key, string Value)[] settings) =>
        AchSettings.FromConfiguration(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build());

    [Fact]
    public void Without_their_own_settings_returned_checks_and_charge_backs_take_the_ach_fee()
    {
        var settings = From(("OPENCIS_ACH_RETURN_FEE", "30.00"));

        Assert.Equal((Money.FromCents(3_000), Money.FromCents(3_000)), (settings.CounterReturnFee(chargeBack: false), settings.CounterReturnFee(chargeBack: true)));
    }

    [Fact]
    public void A_city_sets_its_own_returned_check_and_charge_back_fees()
    {
        var settings = From(("OPENCIS_RETURNED_CHECK_FEE", "35.00"), ("OPENCIS_CHARGE_BACK_FEE", "0"));

        Assert.Equal((Money.FromCents(3_500), Money.Zero, Money.FromCents(2_500)), (settings.CounterReturnFee(chargeBack: false), settings.CounterReturnFee(chargeBack: true), settings.ReturnedPaymentFee));
        var bad = Assert.Throws<InvalidOperationException>(() => From(("OPENCIS_CHARGE_BACK_FEE", "-5")));
        Assert.Contains("OPENCIS_CHARGE_BACK_FEE", bad.Message, StringComparison.Ordinal);
    }
}
