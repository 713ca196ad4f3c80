using OpenCIS.Core.Rating;

namespace OpenCIS.Core.Billing;

/// <summary>
/// A final bill charges for the days served. Fixed charges a schedule levies "per bill" assume a full
/// billing month; on a final bill they are rated as monthly charges instead, which the rating engine
/// prorates by days ÷ 30 when the period is shorter than a month (and charges whole otherwise).
/// Charges per month or per day already follow the period's days; per-unit flat charges (carts) are
/// charged as the schedule states.
/// </summary>
public static class FinalBillProration
{
    public static Tariff ForFinalBill(Tariff tariff) => tariff with
    {
        Components = [.. tariff.Components.Select(c => c is FixedCharge { Per: ChargeFrequency.Bill } perBill ? perBill with { Per = ChargeFrequency.Month } : c)],
    };
}
