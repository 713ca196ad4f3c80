using System.Globalization;
using Microsoft.Extensions.Configuration;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments.Ach;
using OpenCIS.Storage.Payments.Ach;
using OpenCIS.Storage.Payments;
using OpenCIS.Storage;

namespace OpenCIS.UseCases.Payments.Ach;

/// <summary>
/// The utility's ACH settings: who it is to its bank, the returned-payment fee, how many returns in
/// twelve months make an account cash-only, how many banking days a prenote waits before the first
/// live debit, and how many days ahead of their due date bills are debited.
/// </summary>
public sealed record AchSettings(AchOriginator Originator, Money ReturnedPaymentFee, int CashOnlyAfterReturns, int PrenoteBankingDays, int DueWindowDays)
{
    /// <summary>The fee for a check the bank returned (OPENCIS_RETURNED_CHECK_FEE); the ACH returned-payment fee unless set.</summary>
    public Money? ReturnedCheckFee { get; init; }

    /// <summary>The fee for a card charge back (OPENCIS_CHARGE_BACK_FEE); the ACH returned-payment fee unless set.</summary>
    public Money? ChargeBackFee { get; init; }

    /// <summary>The fee a payment returned at the counter takes: a charge back's, or a returned check's.</summary>
    public Money CounterReturnFee(bool chargeBack) => (chargeBack ? ChargeBackFee : ReturnedCheckFee) ?? ReturnedPaymentFee;

    public static readonly AchSettings Default = new(AchOriginator.Demo, Money.FromCents(2_500), 2, 3, 0);

    /// <summary>Settlement happens on banking days; the federal holiday calendar is the Federal Reserve's.</summary>
    public static HolidayCalendar BankingCalendar { get; } = HolidayCalendar.Named(HolidayCalendar.UsFederalName, []);

    public static AchSettings FromConfiguration(IConfiguration configuration)
    {
        var fee = OptionalFee(configuration, "OPENCIS_ACH_RETURN_FEE") ?? Default.ReturnedPaymentFee;

        var originator = Default.Originator;
        originator = originator with
        {
            ImmediateDestination = configuration["OPENCIS_ACH_DESTINATION_ROUTING"] ?? originator.ImmediateDestination,
            DestinationName = configuration["OPENCIS_ACH_DESTINATION_NAME"] ?? originator.DestinationName,
            CompanyIdentification = configuration["OPENCIS_ACH_COMPANY_ID"] ?? originator.CompanyIdentification,
            CompanyName = configuration["OPENCIS_ACH_COMPANY_NAME"] ?? originator.CompanyName,
            OriginatingDfi = configuration["OPENCIS_ACH_ORIGINATING_DFI"] ?? originator.OriginatingDfi,
        };
        return new AchSettings(
            originator,
            fee,
            Number(configuration, "OPENCIS_ACH_CASH_ONLY_AFTER_RETURNS", Default.CashOnlyAfterReturns),
            Number(configuration, "OPENCIS_ACH_PRENOTE_BANKING_DAYS", Default.PrenoteBankingDays),
            Number(configuration, "OPENCIS_ACH_DUE_WINDOW_DAYS", Default.DueWindowDays))
        {
            ReturnedCheckFee = OptionalFee(configuration, "OPENCIS_RETURNED_CHECK_FEE"),
            ChargeBackFee = OptionalFee(configuration, "OPENCIS_CHARGE_BACK_FEE"),
        };
    }

    private static Money? OptionalFee(IConfiguration configuration, string key) =>
        configuration[key] is not { Length: > 0 } text ? null
        : Money.TryParse(text, out var fee) && !fee.IsNegative ? fee
        : throw new InvalidOperationException($"{key} '{text}' is not an amount in dollars and cents.");

    /// <summary>Banking days after <paramref name="from"/> up to and including <paramref name="to"/>.</summary>
    public static int BankingDaysBetween(DateOnly from, DateOnly to)
    {
        var count = 0;
        for (var day = from.AddDays(1); day <= to && count < 1_000; day = day.AddDays(1))
        {
            if (BankingCalendar.IsBusinessDay(day))
            {
                count++;
            }
        }

        return count;
    }

    private static int Number(IConfiguration configuration, string key, int fallback) =>
        configuration[key] is { Length: > 0 } text
            ? int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : throw new InvalidOperationException($"{key} '{text}' is not a whole number.")
            : fallback;
}
