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

using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.Letters;

namespace OpenCIS.UseCases.Billing.Corrections;

/// <summary>A final read taken when service stops, for one meter by serial.</summary>
public sealed record FinalReading(string MeterSerial, long Reading);

public sealed record StopServiceRequest(string AccountNumber, DateOnly StopDate, IReadOnlyList<FinalReading> FinalReadings, string Reason);

public sealed record FinalBillResult(string AccountNumber, long BillId, DateOnly PeriodStart, DateOnly PeriodEnd, int Days, long CurrentChargesCents, long AmountDueCents, DateOnly DueDate, string AccountStatus, string Message,
    string? OwnerAccountNumber = null, long? LetterId = null);

/// <summary>
/// Stop service and final bill: every open service agreement of the account ends on the stop date,
/// the final reads are recorded, and a final bill covers the day after the last billed period through
/// the stop date, from the last billed read to the final read. Fixed charges are prorated by days:
/// <see cref="FinalBillProration"/> rates per-bill charges as monthly ones, and the rating engine
/// prorates monthly charges by days ÷ 30 when the period is shorter than a month.
/// The account becomes final-billed, so billing runs pass it by; asking again is refused.
/// </summary>
public sealed class StopService(OpenCisDbContext db, UnitConversion conversion, BusinessCalendar calendar, TimeProvider clock, Core.Deposits.DepositPolicy depositPolicy, SendLetter letters)
{
    public async Task<FinalBillResult> ExecuteAsync(StopServiceRequest request, string user, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            throw new DomainException("Say why service stops (move-out, sale, owner request).", "reason");
        }

        var today = calendar.Today();
        if (request.StopDate > today)
        {
            throw new DomainException($"The stop date {request.StopDate:yyyy-MM-dd} is after today ({today:yyyy-MM-dd}): a final bill needs the final read.", "stopDate");
        }

        var accountId = (await CorrectionBilling.FindAccountAsync(db, request.AccountNumber, cancellationToken)).Id;
        db.ChangeTracker.Clear();
        await using var transaction = await CorrectionBilling.BeginForAccountAsync(db, accountId, cancellationToken);
        var account = await db.Accounts.SingleAsync(a => a.Id == accountId, cancellationToken);
        if (account.Status != AccountStatus.Active)
        {
            throw new DomainException($"Account {account.AccountNumber} is {account.Status}; its service is already stopped.", "accountNumber");
        }

        var lastBill = await CorrectionBilling.LastIssuedBillAsync(db, accountId, cancellationToken);
        var periodStart = lastBill is not null ? lastBill.PeriodEnd.AddDays(1) : account.OpenedOn;
        if (request.StopDate < periodStart)
        {
            throw new DomainException($"Service is billed through {lastBill?.PeriodEnd:yyyy-MM-dd}; the stop date must be after that. Cancel and rebill the last bill to stop earlier.", "stopDate");
        }

        var agreements = await db.ServiceAgreements.Where(a => a.AccountId == accountId && a.EndedOn == null).OrderBy(a => a.Service).ThenBy(a => a.Id).ToListAsync(cancellationToken);
        if (agreements.Count == 0)
        {
            throw new DomainException($"Account {account.AccountNumber} has no open service agreements.", "accountNumber");
        }

        // The same facts and the same planner as the billing run: meters exchanged since the last bill are
        // billed with the present one, and a first bill starts where the run would start it.
        var tariffs = await TariffCatalog.LoadAsync(db, cancellationToken);
        var facts = (await BillingFacts.LoadAsync(db, [new AccountToPlan(accountId, account.OpenedOn)],
            new BillingFactsWindow(request.StopDate, periodStart.AddDays(-1), request.StopDate, DateOnly.MinValue), tariffs, cancellationToken)).Accounts[accountId];
        foreach (var reading in request.FinalReadings)
        {
            if (!facts.Agreements.Any(a => a.Meter?.Serial == reading.MeterSerial))
            {
                throw new DomainException($"Meter {reading.MeterSerial} is not at this account's service points.", "finalReadings");
            }
        }

        var now = clock.GetUtcNow();
        foreach (var agreement in facts.Agreements.Where(a => a.IsMeasured))
        {
            var meter = agreement.Meter!;
            var final = request.FinalReadings.LastOrDefault(r => r.MeterSerial == meter.Serial)
                ?? throw new DomainException($"Enter the final read of {agreement.Service.ToString().ToLowerInvariant()} meter {meter.Serial}.", "finalReadings");
            // The final read is the present read of the stop date, whatever else was read that day.
            facts = facts.WithRead(meter.Serial, new ReadFact(long.MaxValue, request.StopDate, final.Reading, ReadStatus.Valid));
            db.Reads.Add(MeterRead.Record(meter.MeterId, agreement.ServicePointId, request.StopDate, final.Reading, ReadSource.Field, ReadVerdicts.Valid, DeviceFlags.None, user, now));
        }

        var plan = BillingPlanner.Plan(facts, new PlanningRequest(BillPlanKind.Final, periodStart.AddDays(-1), request.StopDate), tariffs);
        if (plan.Input is null)
        {
            throw new DomainException($"The final bill cannot be calculated: {plan.ExceptionReason}", "finalReadings");
        }

        foreach (var agreement in agreements)
        {
            agreement.End(request.StopDate);
        }

        var period = plan.Input.Period;
        var proposal = CorrectionBilling.Decide(plan.Input, conversion);
        var ledger = await AccountLedger.LoadAsync(db, accountId, cancellationToken);
        var cycle = await db.BillingCycles.AsNoTracking().SingleAsync(c => c.Code == account.CycleCode, cancellationToken);
        var payments = await CorrectionBilling.PaymentsSinceAsync(db, accountId, lastBill, cancellationToken);
        var dueDate = BillingSchedule.DueDate(today, cycle.DueDays, await Cycles.BillingCalendars.ForCycleAsync(db, cycle, cancellationToken));
        var bill = await CorrectionBilling.IssueAsync(db, ledger, proposal, BillKind.Final, null, today, dueDate, lastBill?.AmountDueCents ?? 0, payments, user,
            $"Final bill, service stopped {request.StopDate:yyyy-MM-dd}: {request.Reason.Trim()}", now, cancellationToken);
        account.MarkFinalBilled();
        foreach (var role in await db.AccountCustomers.Where(ac => ac.AccountId == accountId && ac.EndedOn == null).ToListAsync(cancellationToken))
        {
            role.End(request.StopDate);
        }

        await db.SaveChangesAsync(cancellationToken);
        // Under a landlord agreement the owner carries the service from the next day.
        var owner = await OwnerRevert.OpenAsync(db, account, agreements, request.StopDate, user, now, cancellationToken);
        // The deposit, if any, is credited against the final bill in the same transaction.
        var deposit = await Deposits.ApplyDepositToFinalBill.ApplyOnFinalAsync(db, depositPolicy, ledger, today, user, now, $"Applied to final bill {bill.Id}", null, null, cancellationToken);
        AuditLog.Record(db, now, user, "Account", accountId, accountId, "Stop service and final bill", new { Status = nameof(AccountStatus.Active) },
            new { Status = account.Status.ToString(), StopDate = request.StopDate, FinalBillId = bill.Id, request.FinalReadings }, request.Reason.Trim());
        await db.SaveChangesAsync(cancellationToken);
        var letter = account.OwnerRevert ? null : await letters.AddAsync(new LetterToSend(accountId, NoticeTemplates.FinalBill, $"final-bill:{bill.Id}",
            language => new Dictionary<string, string>
            {
                ["service.stop_date"] = ProduceNotices.LongDate(request.StopDate, language),
                ["bill.amount_due"] = Money.FromCents(bill.AmountDueCents).ToString(),
                ["bill.due_date"] = ProduceNotices.LongDate(dueDate, language),
            }), today, user, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return new FinalBillResult(account.AccountNumber, bill.Id, period.Start, period.End, period.Days, bill.CurrentChargesCents, bill.AmountDueCents, dueDate, account.Status.ToString(),
            $"Service stopped on {request.StopDate:yyyy-MM-dd}; final bill {bill.Id} for {period} of {Money.FromCents(bill.CurrentChargesCents)}, amount due {Money.FromCents(bill.AmountDueCents)} by {dueDate:yyyy-MM-dd}."
            + (deposit is null ? "" : $" Deposit of {Money.FromCents(deposit.BilledCents)}{(deposit.InterestCents > 0 ? $" with {Money.FromCents(deposit.InterestCents)} interest" : "")} applied to it.")
            + (owner is null ? "" : $" Service reverts to the owner's account {owner.AccountNumber} from {request.StopDate.AddDays(1):yyyy-MM-dd}.")
            + (letter is null ? "" : $" Final-bill letter {letter.Id} {(letter.Delivery == Storage.Collections.NoticeDelivery.Email ? "e-mailed" : "to mail")}."),
            owner?.AccountNumber, letter?.Id);
    }
}
