using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Rating;
using OpenCIS.Storage.Rating;
using OpenCIS.UseCases.Rating;
using OpenCIS.Storage;
using OpenCIS.Storage.Billing.Corrections;
using OpenCIS.Storage.Billing;

namespace OpenCIS.UseCases.Billing.Corrections;

public sealed record LeakAllowanceQuote(long BillId, string AccountNumber, decimal BilledUsage, decimal AverageUsage, decimal ExcessUsage, string Unit, long CreditCents, IReadOnlyList<string> Calculation);

/// <summary>
/// A leak allowance for one bill: the core works out the account's average use from its earlier bills
/// (per <see cref="LeakPolicy"/>), the bill's water service and every service billed on its usage
/// (sewer) are rated again at the average, and the policy's share of the difference is the credit.
/// It posts as an adjustment with reason LEAK, so the approval threshold applies and the calculation
/// is kept with it.
/// </summary>
public sealed class LeakAllowanceWorkflow(OpenCisDbContext db, RequestAdjustment adjustments, UnitConversion conversion, LeakPolicy policy)
{
    public LeakPolicy Policy { get; } = policy;

    /// <summary>
    /// The utility's policy from settings: <c>OPENCIS_LEAK_LOOKBACK_MONTHS</c> (12), <c>OPENCIS_LEAK_MINIMUM_BILLS</c> (3)
    /// and <c>OPENCIS_LEAK_CREDIT_PERCENT</c> (100).
    /// </summary>
    public static LeakPolicy PolicyFrom(IConfiguration configuration)
    {
        static decimal Read(IConfiguration configuration, string name, decimal fallback, decimal min, decimal max)
        {
            var text = configuration[name];
            if (string.IsNullOrWhiteSpace(text))
            {
                return fallback;
            }

            return decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
                ? value
                : throw new InvalidOperationException($"{name} must be a number from {min} to {max}; it is '{text}'.");
        }

        var defaults = LeakPolicy.Default;
        return new LeakPolicy(
            (int)Read(configuration, "OPENCIS_LEAK_LOOKBACK_MONTHS", defaults.LookbackMonths, 1, 36),
            (int)Read(configuration, "OPENCIS_LEAK_MINIMUM_BILLS", defaults.MinimumBills, 1, 36),
            Read(configuration, "OPENCIS_LEAK_CREDIT_PERCENT", defaults.CreditPercent, 1, 100));
    }

    public async Task<LeakAllowanceQuote> QuoteAsync(long billId, CancellationToken cancellationToken = default)
    {
        var bill = await db.Bills.AsNoTracking().Include(b => b.Segments).ThenInclude(s => s.Lines).AsSplitQuery().SingleOrDefaultAsync(b => b.Id == billId, cancellationToken)
            ?? throw new DomainException($"There is no bill {billId}.", "billId");
        if (bill.Status != BillStatus.Issued)
        {
            throw new DomainException($"Bill {billId} is canceled; give the allowance on the bill that replaced it.", "billId");
        }

        var metered = bill.Segments.FirstOrDefault(s => s.Service == Service.Water && s.MeterSerial is not null && s.UsageQuantity is not null && s.UsageUnit is not null)
            ?? throw new DomainException($"Bill {billId} has no metered water use to measure a leak against.", "billId");
        var unit = metered.UsageUnit!.Value;
        var accountNumber = await db.Accounts.Where(a => a.Id == bill.AccountId).Select(a => a.AccountNumber).SingleAsync(cancellationToken);

        var earlier = await db.Bills.AsNoTracking().Include(b => b.Segments)
            .Where(b => b.AccountId == bill.AccountId && b.Status == BillStatus.Issued && b.Id != bill.Id && b.PeriodEnd < bill.PeriodStart)
            .OrderByDescending(b => b.PeriodEnd).Take(24).ToListAsync(cancellationToken);
        var history = earlier
            .Select(b => (Bill: b, Segment: b.Segments.FirstOrDefault(s => s.Service == Service.Water && s.UsageQuantity is not null && s.UsageUnit is not null)))
            .Where(x => x.Segment is not null)
            .Select(x => new UsagePeriod(x.Bill.BillDate, x.Bill.PeriodEnd.DayNumber - x.Bill.PeriodStart.DayNumber + 1,
                conversion.Convert(new Quantity(x.Segment!.UsageQuantity!.Value, x.Segment.UsageUnit!.Value), unit).Value));
        var period = new BillingPeriod(bill.PeriodStart, bill.PeriodEnd);
        var (average, explanation) = LeakAllowance.AverageUsage(history, bill.BillDate, period.Days, Policy);
        if (average is null)
        {
            throw new DomainException(explanation, "billId");
        }

        var agreementIds = bill.Segments.Select(s => s.ServiceAgreementId).ToList();
        var agreements = await db.ServiceAgreements.AsNoTracking().Where(a => agreementIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, cancellationToken);
        var tariffs = await TariffCatalog.LoadAsync(db, cancellationToken);
        var averageUsage = new Quantity(average.Value, unit);
        var charges = new List<ServiceCharges>();
        foreach (var segment in bill.Segments.Where(s => s == metered || agreements[s.ServiceAgreementId].UsageFromService == Service.Water))
        {
            var agreement = agreements[segment.ServiceAgreementId];
            var meterSize = await db.Meters.Where(m => m.ServicePointId == agreement.ServicePointId && m.Serial == segment.MeterSerial).Select(m => m.Size).FirstOrDefaultAsync(cancellationToken);
            var rating = new RatingInput(period, averageUsage, meterSize, agreement.Units);
            // The schedules the planner rates every bill under: the version in force at the period's end, and each version when they changed within it.
            var (tariff, versions) = BillingPlanner.TariffsFor(agreement.RateScheduleCode, period, tariffs);
            if (tariff is null)
            {
                throw new DomainException($"No rate schedule {agreement.RateScheduleCode} in force on {period.End:yyyy-MM-dd}.", "billId");
            }

            var lines = versions.Length > 1 ? RatingEngine.RateAcross(versions, rating, conversion) : RatingEngine.Rate(tariff, rating, conversion);
            charges.Add(new ServiceCharges(segment.Service, Money.FromCents(segment.AmountCents), Money.Sum(lines.Select(l => l.Amount))));
        }

        var result = LeakAllowance.Calculate(metered.UsageQuantity!.Value, average.Value, explanation, UnitConversion.Abbreviation(unit), charges, Policy);
        return new LeakAllowanceQuote(bill.Id, accountNumber, metered.UsageQuantity.Value, result.AverageUsage, result.ExcessUsage, UnitConversion.Abbreviation(unit), result.Credit.Cents, result.Trace);
    }

    /// <summary>Quotes the allowance and requests it as a LEAK adjustment (a credit) with the calculation attached.</summary>
    public async Task<AdjustmentOutcome> RequestAsync(long billId, string note, string? idempotencyKey, string user, CancellationToken cancellationToken = default)
    {
        // A retry of this clerk's own request finds its allowance through the adjustment's key, so the one-allowance rule must not refuse it.
        var retry = Idempotency.CheckKey(idempotencyKey, user) is { } key && await Idempotency.Named(db.AccountAdjustments, AccountAdjustment.RequestKey, key).AnyAsync(cancellationToken);
        if (!retry && await db.AccountAdjustments.Where(a => a.BillId == billId && a.ReasonCode == AdjustmentReasons.Leak && a.Status != AdjustmentStatus.Rejected)
                .Select(a => (long?)a.Id).FirstOrDefaultAsync(cancellationToken) is { } given)
        {
            throw new DomainException($"Bill {billId} already has a leak allowance (adjustment {given}).", "billId");
        }

        var quote = await QuoteAsync(billId, cancellationToken);
        if (quote.CreditCents <= 0)
        {
            throw new DomainException($"Bill {billId}'s usage is not above the account's average: there is no leak allowance to give.", "billId");
        }

        return await adjustments.ExecuteAsync(
            new AdjustmentRequest(quote.AccountNumber, AdjustmentReasons.Leak, -Money.FromCents(quote.CreditCents), note, billId, idempotencyKey),
            user, string.Join("\n", quote.Calculation), cancellationToken);
    }
}
