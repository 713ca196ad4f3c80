using System.Collections.Immutable;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Metering;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Customers;
using OpenCIS.Storage.Ledger;
using OpenCIS.UseCases.Ledger;
using OpenCIS.Storage.Metering;
using OpenCIS.UseCases.Metering;
using OpenCIS.Storage.Rating;
using OpenCIS.UseCases.Rating;
using OpenCIS.Storage;
using OpenCIS.Storage.Billing.Corrections;
using OpenCIS.Storage.Billing;

namespace OpenCIS.UseCases.Billing.Corrections;

public sealed record AverageBillRequest(string AccountNumber, DateOnly? ReadOn, string Reason);

public sealed record EstimatedMeterRead(string MeterSerial, long PreviousReading, DateOnly PreviousReadOn, long EstimatedReading, DateOnly ReadOn, string Method);

public sealed record AverageBillResult(string AccountNumber, long BillId, DateOnly PeriodStart, DateOnly PeriodEnd, long CurrentChargesCents, long AmountDueCents, IReadOnlyList<EstimatedMeterRead> Estimates, string Message);

/// <summary>
/// An average (estimated) bill for an account whose read is missing: each meter's read is estimated
/// with the core <see cref="Estimation"/> rules (same period last year, else the trailing average)
/// from its billable read history, recorded as an Estimated read, and billed; the bill says
/// "Estimated" on each segment and the next actual read trues it up. A meter that already has a read
/// is billed from that read by the billing run instead, so this refuses.
/// </summary>
public sealed class AverageBill(OpenCisDbContext db, UnitConversion conversion, BusinessCalendar calendar, TimeProvider clock)
{

    public async Task<AverageBillResult> ExecuteAsync(AverageBillRequest request, string user, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            throw new DomainException("Say why the bill is estimated (no access, meter not read, read rejected).", "reason");
        }

        var today = calendar.Today();
        var readOn = request.ReadOn ?? today;
        if (readOn > today)
        {
            throw new DomainException($"The estimate's date {readOn:yyyy-MM-dd} is after today.", "readOn");
        }

        var accountId = (await CorrectionBilling.FindAccountAsync(db, request.AccountNumber, cancellationToken)).Id;
        db.ChangeTracker.Clear();
        await using var transaction = await CorrectionBilling.BeginForAccountAsync(db, accountId, cancellationToken);
        var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == accountId, cancellationToken);
        if (account.Status != AccountStatus.Active)
        {
            throw new DomainException($"Account {account.AccountNumber} is {account.Status}; only active accounts get average bills.", "accountNumber");
        }

        var lastBill = await CorrectionBilling.LastIssuedBillAsync(db, accountId, cancellationToken);
        var periodStart = lastBill is not null ? lastBill.PeriodEnd.AddDays(1) : account.OpenedOn;
        if (readOn < periodStart)
        {
            throw new DomainException($"The last bill already covers service through {lastBill?.PeriodEnd:yyyy-MM-dd}.", "readOn");
        }

        var tariffs = await TariffCatalog.LoadAsync(db, cancellationToken);
        var now = clock.GetUtcNow();
        var estimates = new List<EstimatedMeterRead>();
        var facts = (await BillingFacts.LoadAsync(db, [new AccountToPlan(accountId, account.OpenedOn)],
            new BillingFactsWindow(readOn, periodStart.AddDays(-1), readOn, DateOnly.MinValue), tariffs, cancellationToken)).Accounts[accountId];
        foreach (var agreement in facts.Agreements.Where(a => a.IsMeasured).OrderBy(a => a.Service).ThenBy(a => a.Id.Value))
        {
            var meter = agreement.Meter!;
            var estimate = await EstimateAsync(meter, lastBill, agreement.Id.Value, readOn, cancellationToken);
            estimates.Add(estimate);
            db.Reads.Add(MeterRead.Record(meter.MeterId, agreement.ServicePointId, readOn, estimate.EstimatedReading, ReadSource.Estimate,
                new ReadVerdict(ReadStatus.Estimated, [], null), DeviceFlags.None, user, now, estimateMethod: estimate.Method));
            facts = facts.WithRead(meter.Serial, new ReadFact(long.MaxValue, readOn, estimate.EstimatedReading, ReadStatus.Estimated));
        }

        if (estimates.Count == 0)
        {
            throw new DomainException($"Account {account.AccountNumber} has no metered service to estimate.", "accountNumber");
        }

        // The same planner as the billing run: the period, the reads measured from, meters exchanged since the last bill.
        var plan = BillingPlanner.Plan(facts, new PlanningRequest(BillPlanKind.Estimated, periodStart.AddDays(-1), readOn), tariffs);
        if (plan.Input is null)
        {
            throw new DomainException($"The bill cannot be calculated: {plan.ExceptionReason}", "accountNumber");
        }

        var period = plan.Input.Period;
        var proposal = CorrectionBilling.Decide(plan.Input, conversion);
        var ledger = await AccountLedger.LoadAsync(db, accountId, cancellationToken);
        var cycle = await db.BillingCycles.AsNoTracking().SingleAsync(c => c.Code == account.CycleCode, cancellationToken);
        var payments = await CorrectionBilling.PaymentsSinceAsync(db, accountId, lastBill, cancellationToken);
        var dueDate = BillingSchedule.DueDate(today, cycle.DueDays, await Cycles.BillingCalendars.ForCycleAsync(db, cycle, cancellationToken));
        var bill = await CorrectionBilling.IssueAsync(db, ledger, proposal, BillKind.Estimated, null, today, dueDate, lastBill?.AmountDueCents ?? 0, payments, user,
            $"Average (estimated) bill: {request.Reason.Trim()}", now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        AuditLog.Record(db, now, user, "Bill", bill.Id, accountId, "Average bill", null, new { BillId = bill.Id, Estimates = estimates }, request.Reason.Trim());
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return new AverageBillResult(account.AccountNumber, bill.Id, period.Start, period.End, bill.CurrentChargesCents, bill.AmountDueCents, estimates,
            $"Average bill {bill.Id} for {period}: {Money.FromCents(bill.CurrentChargesCents)} on estimated reads; amount due {Money.FromCents(bill.AmountDueCents)} by {dueDate:yyyy-MM-dd}.");
    }

    private async Task<EstimatedMeterRead> EstimateAsync(MeterFact meter, Bill? lastBill, long agreementId, DateOnly readOn, CancellationToken cancellationToken)
    {
        var reads = await db.Reads.AsNoTracking().Where(r => r.MeterId == meter.MeterId && r.ReadOn <= readOn && ReadStatuses.Billable.Contains(r.Status))
            .OrderBy(r => r.ReadOn).ThenBy(r => r.Id).ToListAsync(cancellationToken);
        var billed = lastBill?.Segments.FirstOrDefault(s => s.ServiceAgreementId == agreementId && s.MeterSerial == meter.Serial);
        var (previousReading, previousOn) = billed is { PresentReading: { } r, PresentReadOn: { } on }
            ? (r, on)
            : reads.Count > 0 ? (reads[0].Reading, reads[0].ReadOn) : throw new DomainException($"Meter {meter.Serial} has no read to estimate from.", "accountNumber");
        if (reads.FirstOrDefault(x => x.ReadOn > previousOn) is { } unbilled)
        {
            throw new DomainException($"Meter {meter.Serial} has a {unbilled.Status.ToString().ToLowerInvariant()} read on {unbilled.ReadOn:yyyy-MM-dd}: bill from it, not from an estimate.", "accountNumber");
        }

        var history = new List<UsageHistory>();
        for (var i = 1; i < reads.Count; i++)
        {
            if (ConsumptionCalculator.Calculate(meter.Register, reads[i - 1].Reading, reads[i].Reading).Usage is { } usage)
            {
                history.Add(new UsageHistory(reads[i - 1].ReadOn, reads[i].ReadOn, usage.Value));
            }
        }

        var estimate = Estimation.Estimate(history, previousOn, readOn, meter.Register.Unit)
            ?? throw new DomainException($"Meter {meter.Serial} has too little read history to estimate; send a reader instead.", "accountNumber");
        var reading = meter.Register.ReadingAfter(previousReading, estimate.Usage);
        return new EstimatedMeterRead(meter.Serial, previousReading, previousOn, reading, readOn, estimate.Method);
    }
}
