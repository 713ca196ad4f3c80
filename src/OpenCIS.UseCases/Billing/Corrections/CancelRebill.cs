using System.Collections.Immutable;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Ledger;
using OpenCIS.UseCases.Ledger;
using OpenCIS.Storage.Metering;
using OpenCIS.UseCases.Metering;
using OpenCIS.Storage.Rating;
using OpenCIS.UseCases.Rating;
using OpenCIS.Storage;
using OpenCIS.Storage.Billing.Corrections;
using OpenCIS.Storage.Billing;
using OpenCIS.Core.Metering;

namespace OpenCIS.UseCases.Billing.Corrections;

/// <summary>A corrected present reading for one meter of the bill, by its serial.</summary>
/// <summary>
/// A reading that replaces the one billed. It is validated like an imported read; a reading lower than
/// the previous one (a rollover) or any other warning (high use) must be <paramref name="Confirmed"/> by the clerk.
/// </summary>
public sealed record CorrectedReading(string MeterSerial, long Reading, bool Confirmed = false);

/// <summary>What a rebill would be, shown before anything posts: the new total and the difference by service.</summary>
public sealed record RebillPreview(long BillId, long OldTotalCents, long NewTotalCents, long DifferenceCents, IReadOnlyList<ServiceDifference> ByService, IReadOnlyList<string> Warnings, string Message);

public sealed record CancelRebillRequest(long BillId, string Reason, IReadOnlyList<CorrectedReading>? CorrectedReadings, string? IdempotencyKey);

public sealed record ServiceDifference(string Service, long OldCents, long NewCents, long DifferenceCents);

public sealed record RebillResult(
    long CanceledBillId,
    long NewBillId,
    long? ReversalTransactionId,
    long? NewBillTransactionId,
    long OldTotalCents,
    long NewTotalCents,
    long DifferenceCents,
    IReadOnlyList<ServiceDifference> ByService,
    long BalanceCents,
    bool AlreadyDone,
    string Message);

/// <summary>
/// Cancel and rebill: the issued bill is reversed by a new transaction (the exact mirror of its
/// posting, linked by <c>ReversesTransactionId</c>, whose credit settles the bill's open items), the
/// bill is marked canceled with who, when and why (its amounts never change), and a new bill for
/// the same period is rated from the same reads or the clerk's corrected ones under the schedule in
/// force, linked both ways to the original (a final bill's rebill is again a final bill, prorated to the
/// stop date). All in one database transaction under the account lock.
/// The same clerk's retry with the same idempotency key returns the first result; cancelling a canceled bill is refused
/// (also when another clerk sends the same key: their key is their own).
/// </summary>
public sealed class CancelRebill(OpenCisDbContext db, UnitConversion conversion, BusinessCalendar calendar, TimeProvider clock, ReadValidator validator)
{
    /// <summary>
    /// The rebill as it would post, posting nothing: the same checks and the same rating as
    /// <see cref="ExecuteAsync"/>, with the difference by service for the clerk to confirm.
    /// </summary>
    public async Task<RebillPreview> PreviewAsync(long billId, IReadOnlyList<CorrectedReading>? corrections, CancellationToken cancellationToken = default)
    {
        var original = await db.Bills.AsNoTracking().Include(b => b.Segments).ThenInclude(s => s.Lines).Include(b => b.Segments).ThenInclude(s => s.RemovedMeters)
            .AsSplitQuery().SingleOrDefaultAsync(b => b.Id == billId, cancellationToken)
            ?? throw new DomainException($"There is no bill {billId}.", "billId");
        await CheckCancellableAsync(original, cancellationToken);
        var proposal = await RerateAsync(original, corrections ?? [], cancellationToken);
        var difference = RebillDifference.Between(
            original.Segments.Select(s => (s.Service, Money.FromCents(s.AmountCents))),
            proposal.Segments.GroupBy(s => s.Service).Select(g => (g.Key, Money.Sum(g.Select(s => s.Total)))));
        var warnings = (corrections ?? []).Where(c => c.Confirmed).Select(c => $"Meter {c.MeterSerial}: the clerk confirmed the reading {c.Reading:N0}.").ToList();
        return new RebillPreview(original.Id, difference.OldTotal.Cents, difference.NewTotal.Cents, difference.Difference.Cents,
            [.. difference.ByService.Select(d => new ServiceDifference(d.Service.ToString(), d.Old.Cents, d.New.Cents, (d.New - d.Old).Cents))], warnings,
            $"Rebill of bill {original.Id} would be {difference.NewTotal} instead of {difference.OldTotal} (difference {difference.Difference}). Nothing is posted until you confirm.");
    }

    public async Task<RebillResult> ExecuteAsync(CancelRebillRequest request, string user, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            throw new DomainException("A reason is required to cancel a bill.", "reason");
        }

        var key = Idempotency.CheckKey(request.IdempotencyKey, user);
        if (await EarlierAsync(key, request.BillId, cancellationToken) is { } earlier)
        {
            return earlier;
        }

        var accountId = await db.Bills.Where(b => b.Id == request.BillId).Select(b => (long?)b.AccountId).SingleOrDefaultAsync(cancellationToken)
            ?? throw new DomainException($"There is no bill {request.BillId}.", "billId");

        await using var transaction = await CorrectionBilling.BeginForAccountAsync(db, accountId, cancellationToken);
        var original = await db.Bills.Include(b => b.Segments).ThenInclude(s => s.Lines).Include(b => b.Segments).ThenInclude(s => s.RemovedMeters)
            .AsSplitQuery().SingleAsync(b => b.Id == request.BillId, cancellationToken);
        if (await EarlierAsync(key, request.BillId, cancellationToken) is { } raced)
        {
            // The same request raced this one to the lock and won: answer with its result.
            await transaction.RollbackAsync(cancellationToken);
            return raced;
        }

        if (original.Status == BillStatus.Canceled)
        {
            throw new DomainException($"Bill {original.Id} is already canceled (on {original.CanceledAt:yyyy-MM-dd} by {original.CanceledBy}: {original.CancelReason})"
                + (original.ReplacedByBillId is { } by ? $"; bill {by} replaced it. Cancel and rebill that one instead." : "."), "billId");
        }

        await CheckCancellableAsync(original, cancellationToken);

        var proposal = await RerateAsync(original, request.CorrectedReadings ?? [], cancellationToken);
        var today = calendar.Today();
        var now = clock.GetUtcNow();
        var ledger = await AccountLedger.LoadAsync(db, accountId, cancellationToken);
        var reason = request.Reason.Trim();

        FinancialTransaction? reversal = null;
        if (original.FinancialTransactionId is { } originalTransactionId)
        {
            var posted = await db.FinancialTransactions.AsNoTracking().Include(t => t.GlEntries).SingleAsync(t => t.Id == originalTransactionId, cancellationToken);
            var originalPosting = new Posting(posted.Type, Money.FromCents(posted.AmountCents),
                posted.GlEntries.Select(g => new GlLine(g.GlAccount, Money.FromCents(g.DebitCents), Money.FromCents(g.CreditCents))).ToImmutableArray());
            reversal = ledger.Post(db, PostingRules.Reverse(originalPosting, FinancialTransactionType.BillCancellation), today, today, null, user,
                $"Cancel bill {original.Id}: {reason}", now, reversesTransactionId: originalTransactionId);
        }

        await RecordCorrectedReadsAsync(original, request.CorrectedReadings ?? [], reason, user, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);

        original.Cancel(now, user, reason, reversal?.Id, key);

        // The rebill's summary carries the original's previous balance and every payment made since it,
        // so the customer sees one statement for the period; its adjustments line reconciles the rest.
        var cycleCode = await db.Accounts.Where(a => a.Id == accountId).Select(a => a.CycleCode).SingleAsync(cancellationToken);
        var (cycle, holidays) = await Cycles.BillingCalendars.ForCycleAsync(db, cycleCode, cancellationToken);
        var paymentsSince = await CorrectionBilling.PaymentsSinceAsync(db, accountId, original, cancellationToken);
        var rebill = await CorrectionBilling.IssueAsync(db, ledger, proposal, original.Kind == BillKind.Final ? BillKind.Final : BillKind.Rebill, original.Id, today, BillingSchedule.DueDate(today, cycle.DueDays, holidays),
            original.PreviousBalanceCents, checked(original.PaymentsCents + paymentsSince), user, $"Rebill of bill {original.Id}: {reason}", now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        original.LinkReplacement(rebill.Id);

        var difference = Difference(original, rebill);
        AuditLog.Record(db, now, user, "Bill", original.Id, accountId, "Cancel and rebill",
            new { BillId = original.Id, Status = nameof(BillStatus.Issued), CurrentCharges = Money.FromCents(original.CurrentChargesCents).ToPlainString() },
            new { BillId = rebill.Id, CurrentCharges = Money.FromCents(rebill.CurrentChargesCents).ToPlainString(), Difference = Money.FromCents(difference.Difference.Cents).ToPlainString(), request.CorrectedReadings },
            reason);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return await ResultAsync(original.Id, alreadyDone: false, cancellationToken);
    }

    /// <summary>Only an issued bill that is the account's latest can be canceled and rebilled (the next bill measures from it).</summary>
    private async Task CheckCancellableAsync(Bill original, CancellationToken cancellationToken)
    {
        if (original.Status == BillStatus.Canceled)
        {
            throw new DomainException($"Bill {original.Id} is already canceled (on {original.CanceledAt:yyyy-MM-dd} by {original.CanceledBy}: {original.CancelReason})"
                + (original.ReplacedByBillId is { } by ? $"; bill {by} replaced it. Cancel and rebill that one instead." : "."), "billId");
        }

        if (original.Status == BillStatus.Held)
        {
            throw new DomainException($"Bill {original.Id} is held for review and was never issued: release it, or cancel it so the next run bills the period again.", "billId");
        }

        var later = await db.Bills.Where(b => b.AccountId == original.AccountId && b.Status != BillStatus.Canceled && b.Id > original.Id).Select(b => (long?)b.Id).MinAsync(cancellationToken);
        if (later is not null)
        {
            throw new DomainException($"Bill {original.Id} is not the account's latest bill: bill {later} follows it. Cancel and rebill the later bill first.", "billId");
        }
    }

    /// <summary>
    /// A corrected reading goes through the same validation as an imported read, against the meter's
    /// history without the read it corrects. Rejected: refused. A reading below the bill's previous
    /// reading (the register would have rolled over) or a suspect verdict (high or low use): refused,
    /// naming why, unless the clerk confirms it. A rebill once billed 116,497 gallons as a silent rollover.
    /// </summary>
    private async Task CheckCorrectionsAsync(Bill original, IReadOnlyList<CorrectedReading> corrections, CancellationToken cancellationToken)
    {
        foreach (var correction in corrections)
        {
            var segment = original.Segments.First(s => s.MeterSerial == correction.MeterSerial);
            if (segment.PresentReading == correction.Reading || segment.PresentReadOn is not { } readOn)
            {
                continue;
            }

            var meter = await db.Meters.AsNoTracking().SingleAsync(m => m.Serial == correction.MeterSerial, cancellationToken);
            var corrected = await db.Reads.AsNoTracking().Where(r => r.MeterId == meter.Id && r.ReadOn == readOn).Select(r => r.Id).ToListAsync(cancellationToken);
            var servicePointId = meter.ServicePointId ?? await db.ServiceAgreements.Where(a => a.Id == segment.ServiceAgreementId).Select(a => a.ServicePointId).SingleAsync(cancellationToken);
            var (_, verdict) = (await validator.JudgeAsync([new ReadToJudge(meter, servicePointId, readOn, correction.Reading, DeviceFlags.None, ReadSource.Field)], corrected, cancellationToken)).Single();
            var reasons = new List<string>(verdict.Reasons);
            if (segment.PreviousReading is { } previous && correction.Reading < previous)
            {
                var usage = ConsumptionCalculator.Calculate(meter.Register, previous, correction.Reading);
                reasons.Insert(0, $"{correction.Reading:N0} is lower than the previous reading {previous:N0}"
                    + (usage.Usage is { } rolled ? $": the register would have rolled over, a use of {rolled.Value:N0} {UnitConversion.Abbreviation(rolled.Unit)}." : "."));
            }

            if (verdict.Status == ReadStatus.Rejected)
            {
                throw new DomainException($"Meter {correction.MeterSerial}: the corrected reading {correction.Reading:N0} is rejected. {string.Join(" ", reasons)}", "correctedReadings");
            }

            if (reasons.Count > 0 && !correction.Confirmed)
            {
                throw new DomainException($"Meter {correction.MeterSerial}: check the corrected reading {correction.Reading:N0}. {string.Join(" ", reasons.Distinct())} Confirm it to rebill on it.", "correctedReadings");
            }
        }
    }

    /// <summary>Rates the original bill's period again from its reads (with any corrections), under the schedules in force.</summary>
    private async Task<BillProposal> RerateAsync(Bill original, IReadOnlyList<CorrectedReading> corrections, CancellationToken cancellationToken)
    {
        var serials = original.Segments.Where(s => s.MeterSerial is not null).Select(s => s.MeterSerial!)
            .Concat(original.Segments.SelectMany(s => s.RemovedMeters).Select(m => m.MeterSerial)).Distinct().ToList();
        foreach (var correction in corrections)
        {
            if (!original.Segments.Any(s => s.MeterSerial == correction.MeterSerial))
            {
                throw new DomainException($"Meter {correction.MeterSerial} is not on bill {original.Id}; its meters are {string.Join(", ", serials)}.", "correctedReadings");
            }

            if (correction.Reading < 0)
            {
                throw new DomainException($"A reading cannot be negative ({correction.MeterSerial}: {correction.Reading}).", "correctedReadings");
            }
        }

        await CheckCorrectionsAsync(original, corrections, cancellationToken);
        var meters = await db.Meters.AsNoTracking().Where(m => serials.Contains(m.Serial)).ToDictionaryAsync(m => m.Serial, cancellationToken);
        var agreementIds = original.Segments.Select(s => s.ServiceAgreementId).ToList();
        var agreements = await db.ServiceAgreements.AsNoTracking().Where(a => agreementIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, cancellationToken);
        var installedByPoint = await db.Meters.AsNoTracking()
            .Where(m => m.ServicePointId != null && agreements.Values.Select(a => a.ServicePointId).Contains(m.ServicePointId.Value) && m.Status == Core.Metering.MeterStatus.Installed)
            .ToDictionaryAsync(m => m.ServicePointId!.Value, cancellationToken);
        var tariffs = await TariffCatalog.LoadAsync(db, cancellationToken);
        var period = new BillingPeriod(original.PeriodStart, original.PeriodEnd);

        var services = await BillingFacts.ServiceFactsAsync(db,
            [.. agreements.Values.Select(a => new BillingFacts.ServiceToRate(a.Id, a.AccountId, a.ServicePointId, a.RateScheduleCode,
                original.Segments.FirstOrDefault(s => s.ServiceAgreementId == a.Id)?.MeterSerial is { } serial && meters.TryGetValue(serial, out var m) ? m.Id : installedByPoint.GetValueOrDefault(a.ServicePointId)?.Id,
                period.Start.AddDays(-1)) { Attributes = a.Attributes })],
            period.End, tariffs, cancellationToken);
        var billed = new List<BillingPlanner.BilledAgreement>();
        foreach (var segment in original.Segments)
        {
            var agreement = agreements[segment.ServiceAgreementId];
            MeteredReads? reads = null;
            string? meterSize = installedByPoint.GetValueOrDefault(agreement.ServicePointId)?.Size;
            if (segment is { MeterSerial: { } serial, PreviousReading: { } previous, PreviousReadOn: { } previousOn, PresentReading: { } present, PresentReadOn: { } presentOn })
            {
                var meter = meters[serial];
                meterSize = meter.Size;
                var corrected = corrections.LastOrDefault(c => c.MeterSerial == serial);
                reads = new MeteredReads(meter.Register, previous, previousOn, corrected?.Reading ?? present, presentOn, corrected is null && segment.PresentReadEstimated);
            }

            var removed = segment.RemovedMeters.Select(m => new MeteredReads(meters[m.MeterSerial].Register, m.PreviousReading, m.PreviousReadOn, m.FinalReading, m.RemovedOn)).ToImmutableArray();
            billed.Add(new BillingPlanner.BilledAgreement(new ServiceAgreementId(agreement.Id), agreement.Service, agreement.RateScheduleCode, agreement.Units, agreement.UsageFromService, reads, meterSize, removed)
            {
                Facts = services.GetValueOrDefault(agreement.Id) ?? ServiceFacts.None,
            });
        }

        // A final bill is rebilled as a final bill: its fixed charges stay prorated to the stop date.
        var input = BillingPlanner.Rerate(new AccountId(original.AccountId), period, billed, final: original.Kind == BillKind.Final, tariffs);
        return CorrectionBilling.Decide(input, conversion);
    }

    /// <summary>
    /// The meter's read history must say what the rebill says: the billed read is set aside and the
    /// corrected one recorded (Overridden, naming the read it corrects), so validation, estimation and
    /// the next billing run measure from the corrected read.
    /// </summary>
    private async Task RecordCorrectedReadsAsync(Bill original, IReadOnlyList<CorrectedReading> corrections, string reason, string user, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var correction in corrections)
        {
            var segment = original.Segments.First(s => s.MeterSerial == correction.MeterSerial);
            if (segment.PresentReading == correction.Reading || segment.PresentReadOn is not { } readOn)
            {
                continue;
            }

            var meter = await db.Meters.AsNoTracking().SingleAsync(m => m.Serial == correction.MeterSerial, cancellationToken);
            if (!meter.Register.Fits(correction.Reading))
            {
                throw new DomainException($"{correction.Reading:N0} does not fit the {meter.Dials} dials of meter {meter.Serial}.", "correctedReadings");
            }

            var billed = await db.Reads.Where(r => r.MeterId == meter.Id && r.ReadOn == readOn && r.Reading == segment.PresentReading
                    && Core.Metering.ReadStatuses.Billable.Contains(r.Status))
                .OrderByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken);
            billed?.SetAsideAsCorrected($"Corrected by {user} to {correction.Reading:N0} in the rebill of bill {original.Id}: {reason}", user, now);
            var servicePointId = billed?.ServicePointId ?? meter.ServicePointId ?? 0;
            db.Reads.Add(MeterRead.Record(meter.Id, servicePointId, readOn, correction.Reading, Core.Metering.ReadSource.Field,
                new Core.Metering.ReadVerdict(Core.Metering.ReadStatus.Overridden, [$"Corrects the read of {readOn:yyyy-MM-dd} ({segment.PresentReading:N0}) billed on bill {original.Id}: {reason}"], null),
                billed?.Flags ?? Core.Metering.DeviceFlags.None, user, now));
        }
    }

    private static RebillDifference Difference(Bill original, Bill rebill) => RebillDifference.Between(
        original.Segments.Select(s => (s.Service, Money.FromCents(s.AmountCents))),
        rebill.Segments.Select(s => (s.Service, Money.FromCents(s.AmountCents))));

    /// <summary>The cancel-rebill this clerk's key already made, or null; their key on another bill is refused.</summary>
    private async Task<RebillResult?> EarlierAsync(RequestKey? key, long billId, CancellationToken cancellationToken) =>
        await Idempotency.EarlierAsync(db.Bills, Bill.CancelKey, key, b => new { b.Id }, b => b.Id == billId, b => $"cancellation (it canceled bill {b.Id})", cancellationToken) is { } earlier
            ? await ResultAsync(earlier.Id, alreadyDone: true, cancellationToken)
            : null;

    private async Task<RebillResult> ResultAsync(long canceledBillId, bool alreadyDone, CancellationToken cancellationToken)
    {
        var original = await db.Bills.AsNoTracking().Include(b => b.Segments).SingleAsync(b => b.Id == canceledBillId, cancellationToken);
        var rebill = await db.Bills.AsNoTracking().Include(b => b.Segments).SingleAsync(b => b.Id == original.ReplacedByBillId, cancellationToken);
        var difference = Difference(original, rebill);
        var balance = await Ledger.AccountLedger.BalanceAsync(db, original.AccountId, cancellationToken);
        var message = $"Bill {original.Id} canceled and rebilled as bill {rebill.Id}: {difference.OldTotal} became {difference.NewTotal} (difference {difference.Difference})."
            + (alreadyDone ? " This request was already done; nothing was posted again." : "");
        return new RebillResult(original.Id, rebill.Id, original.CancellationTransactionId, rebill.FinancialTransactionId,
            difference.OldTotal.Cents, difference.NewTotal.Cents, difference.Difference.Cents,
            difference.ByService.Select(s => new ServiceDifference(s.Service.ToString(), s.Old.Cents, s.New.Cents, (s.New - s.Old).Cents)).ToList(),
            balance, alreadyDone, message);
    }
}
