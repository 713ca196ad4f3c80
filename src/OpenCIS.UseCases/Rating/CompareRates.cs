using System.Collections.Immutable;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Metering;
using OpenCIS.Core.Rating;
using OpenCIS.Storage.Billing;
using OpenCIS.UseCases.Billing;
using OpenCIS.Storage.Metering;
using OpenCIS.UseCases.Metering;
using OpenCIS.Storage;
using OpenCIS.Storage.Rating;
using OpenCIS.Core.Billing;

namespace OpenCIS.UseCases.Rating;

public sealed record RateComparisonReport(
    string ProposedCode,
    DateOnly ProposedEffective,
    string? Cycle,
    int Compared,
    int Skipped,
    ImmutableArray<ComparisonGroup> Groups,
    IReadOnlyList<string> SkippedReasons);

/// <summary>
/// Rate comparison: every account of a cycle (or every account) whose last bill carries a segment
/// on the proposed schedule's code is rated again from that bill's determinants (period, use,
/// meter size, counted units), once under the version in force and once under the proposed
/// version. Nothing is posted. Accounts go in chunks, so memory does not grow with the city.
/// </summary>
public sealed class CompareRates(OpenCisDbContext db, UnitConversion conversion)
{
    private const int Chunk = 2_000;

    public async Task<RateComparisonReport> ExecuteAsync(Tariff proposed, string? cycleCode, CancellationToken cancellationToken = default)
    {
        var catalog = await TariffCatalog.LoadAsync(db, cancellationToken);
        var accountIds = await db.Accounts.AsNoTracking().Where(a => cycleCode == null || a.CycleCode == cycleCode).OrderBy(a => a.Id).Select(a => a.Id).ToListAsync(cancellationToken);
        var compared = new List<ComparedBill>();
        var skipped = new List<string>();
        foreach (var chunk in accountIds.Chunk(Chunk))
        {
            var lastBillIds = await db.Bills.Where(b => chunk.Contains(b.AccountId) && b.Status == BillStatus.Issued)
                .GroupBy(b => b.AccountId).Select(g => g.Max(b => b.Id)).ToListAsync(cancellationToken);
            var bills = await db.Bills.AsNoTracking().Include(b => b.Segments).Where(b => lastBillIds.Contains(b.Id)).ToListAsync(cancellationToken);
            var classes = await db.Accounts.AsNoTracking().Where(a => chunk.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Class.ToString(), cancellationToken);
            var agreementIds = bills.SelectMany(b => b.Segments).Where(s => s.TariffCode == proposed.Code).Select(s => s.ServiceAgreementId).Distinct().ToList();
            var agreements = await db.ServiceAgreements.AsNoTracking().Where(a => agreementIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, cancellationToken);
            var pointIds = agreements.Values.Select(a => a.ServicePointId).Distinct().ToList();
            var sizes = (await db.Meters.AsNoTracking().Where(m => m.ServicePointId != null && pointIds.Contains(m.ServicePointId.Value) && m.Status == MeterStatus.Installed)
                .Select(m => new { ServicePointId = m.ServicePointId!.Value, m.Size }).ToListAsync(cancellationToken))
                .GroupBy(m => m.ServicePointId).ToDictionary(g => g.Key, g => g.First().Size);

            foreach (var bill in bills)
            {
                foreach (var segment in bill.Segments.Where(s => s.TariffCode == proposed.Code))
                {
                    var period = new BillingPeriod(bill.PeriodStart, bill.PeriodEnd);
                    // The current charges as the planner rates every bill: each version in force during the period.
                    var (current, versions) = BillingPlanner.TariffsFor(proposed.Code, period, catalog);
                    if (current is null)
                    {
                        skipped.Add($"Account {bill.AccountId}: no version of {proposed.Code} was in force on {period.End:yyyy-MM-dd}.");
                        continue;
                    }

                    var agreement = agreements.GetValueOrDefault(segment.ServiceAgreementId);
                    var usage = segment.UsageQuantity is { } quantity && segment.UsageUnit is { } unit ? new Quantity(quantity, unit) : (Quantity?)null;
                    var input = new RatingInput(period, usage, agreement is null ? null : sizes.GetValueOrDefault(agreement.ServicePointId), agreement?.Units ?? 0);
                    try
                    {
                        var final = bill.Kind == BillKind.Final;
                        Tariff Prorated(Tariff tariff) => final ? FinalBillProration.ForFinalBill(tariff) : tariff;
                        var currentLines = versions.Length > 1 ? RatingEngine.RateAcross([.. versions.Select(Prorated)], input, conversion) : RatingEngine.Rate(Prorated(current), input, conversion);
                        var before = Money.Sum(currentLines.Select(l => l.Amount));
                        var after = Money.Sum(RatingEngine.Rate(Prorated(proposed), input, conversion).Select(l => l.Amount));
                        compared.Add(new ComparedBill(classes[bill.AccountId], segment.Service.ToString(), before, after));
                    }
                    catch (DomainException problem)
                    {
                        skipped.Add($"Account {bill.AccountId}: {problem.Message}");
                    }
                }
            }
        }

        return new RateComparisonReport(proposed.Code, proposed.EffectiveFrom, cycleCode, compared.Count, skipped.Count, RateComparisonSummary.Summarize(compared), skipped.Take(50).ToList());
    }

    /// <summary>The report as CSV, one row per class and service, with the bills in each band of change.</summary>
    public static string Csv(RateComparisonReport report)
    {
        var bands = report.Groups.FirstOrDefault()?.Distribution.Select(d => d.Label).ToList() ?? [];
        var csv = new System.Text.StringBuilder();
        csv.AppendLine(string.Join(",", new[] { "class", "service", "bills", "average_current", "average_proposed", "average_change", "change_percent" }.Concat(bands.Select(b => $"\"{b}\""))));
        foreach (var group in report.Groups)
        {
            csv.AppendLine(string.Join(",", new[]
            {
                Core.Common.Csv.Field(group.AccountClass), Core.Common.Csv.Field(group.Service), group.Bills.ToString(System.Globalization.CultureInfo.InvariantCulture),
                group.AverageCurrent.Dollars.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
                group.AverageProposed.Dollars.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
                group.AverageChange.Dollars.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
                group.ChangePercent?.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) ?? "",
            }.Concat(group.Distribution.Select(d => d.Bills.ToString(System.Globalization.CultureInfo.InvariantCulture)))));
        }

        return csv.ToString();
    }
}
