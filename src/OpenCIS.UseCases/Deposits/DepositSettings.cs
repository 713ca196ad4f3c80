using System.Collections.Immutable;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using OpenCIS.Core.Common;
using OpenCIS.Core.Deposits;
using OpenCIS.Storage.Deposits;
using OpenCIS.Storage;

namespace OpenCIS.UseCases.Deposits;

/// <summary>
/// The utility's deposit policy from configuration; anything not set keeps <see cref="DepositPolicy.Default"/>.
/// <c>OPENCIS_DEPOSIT_AMOUNTS</c> ("Residential=150.00;Commercial=500.00"), <c>OPENCIS_DEPOSIT_REFUND_MONTHS</c>,
/// <c>OPENCIS_DEPOSIT_WAIVE_MONTHS</c>, <c>OPENCIS_DEPOSIT_RISK_MULTIPLIER</c>, <c>OPENCIS_DEPOSIT_INTEREST_PERCENT</c> (annual)
/// and <c>OPENCIS_DEPOSIT_DUE_DAYS</c>.
/// </summary>
public static class DepositSettings
{
    public const string AmountsSetting = "OPENCIS_DEPOSIT_AMOUNTS";
    public const string RefundMonthsSetting = "OPENCIS_DEPOSIT_REFUND_MONTHS";
    public const string WaiveMonthsSetting = "OPENCIS_DEPOSIT_WAIVE_MONTHS";
    public const string RiskMultiplierSetting = "OPENCIS_DEPOSIT_RISK_MULTIPLIER";
    public const string InterestSetting = "OPENCIS_DEPOSIT_INTEREST_PERCENT";
    public const string DueDaysSetting = "OPENCIS_DEPOSIT_DUE_DAYS";

    public static DepositPolicy FromConfiguration(IConfiguration configuration)
    {
        var defaults = DepositPolicy.Default;
        var amounts = defaults.RequiredByClass;
        if (configuration[AmountsSetting] is { Length: > 0 } text)
        {
            foreach (var pair in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var parts = pair.Split('=', 2, StringSplitOptions.TrimEntries);
                if (parts.Length != 2 || parts[0].Length == 0 || !Money.TryParse(parts[1], out var amount) || amount.IsNegative)
                {
                    throw new InvalidOperationException($"{AmountsSetting}: '{pair}' is not CLASS=AMOUNT such as Residential=150.00.");
                }

                amounts = amounts.SetItem(parts[0], amount);
            }
        }

        try
        {
            return new DepositPolicy(
                amounts.ToImmutableDictionary(StringComparer.OrdinalIgnoreCase),
                Int(configuration, RefundMonthsSetting) ?? defaults.RefundAfterOnTimeMonths,
                Int(configuration, WaiveMonthsSetting) ?? defaults.WaiveAfterOnTimeMonthsElsewhere,
                Decimal(configuration, RiskMultiplierSetting) ?? defaults.RiskMultiplier,
                Decimal(configuration, InterestSetting) ?? defaults.AnnualInterestRatePercent,
                Int(configuration, DueDaysSetting) ?? defaults.DueDays);
        }
        catch (DomainException exception)
        {
            throw new InvalidOperationException($"Deposit settings: {exception.Message}", exception);
        }
    }

    private static int? Int(IConfiguration configuration, string name) =>
        configuration[name] is not { Length: > 0 } text ? null
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value
        : throw new InvalidOperationException($"{name} must be a whole number; it is '{text}'.");

    private static decimal? Decimal(IConfiguration configuration, string name) =>
        configuration[name] is not { Length: > 0 } text ? null
        : decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) ? value
        : throw new InvalidOperationException($"{name} must be a number such as 2.5; it is '{text}'.");
}
