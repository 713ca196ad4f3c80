using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Collections;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.Storage.Billing;
using OpenCIS.Storage.Collections;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Billing.Cycles;

namespace OpenCIS.UseCases.Collections;

/// <summary>
/// Whether an account may be disconnected today, asked again when the field completes the order: much may have
/// changed since the list was approved (a payment, an arrangement, a certificate, a dispute, a holiday). The
/// protections are the core's (<see cref="CollectionProtections.Evaluate"/>), read from the same records the
/// daily run reads, with what is past due today against the disconnect step's minimum.
/// </summary>
internal static class DisconnectChecks
{
    /// <summary>The protection that forbids the disconnect today, or null when nothing does.</summary>
    public static async Task<Protection?> ProtectionAsync(OpenCisDbContext db, Account account, DateOnly today, CancellationToken cancellationToken)
    {
        var catalog = await CollectionPolicyCatalog.LoadAsync(db, cancellationToken);
        if (catalog.ForAccount(account.Class, account.Status, today) is not { } stored)
        {
            return new("no policy", false, $"no collection policy applies to class {CollectionPolicyCatalog.ClassName(account.Class)} and debt type {DebtTypes.For(account.Status)}");
        }

        var policy = stored.Policy;
        var pastDue = await CreateArrangement.PastDueAsync(db, account.Id, today, cancellationToken);
        var stepMinimum = policy.Steps.Where(s => s.Kind == StepKind.DisconnectEligible).Select(s => s.MinimumPastDue).FirstOrDefault();
        if (!pastDue.IsPositive)
        {
            return new("paid", false, "nothing is past due now");
        }

        if (pastDue < stepMinimum)
        {
            return new("paid", false, $"past due now {pastDue}, under the {stepMinimum} the disconnect step needs");
        }

        var records = await db.AccountProtections.AsNoTracking().Where(p => p.AccountId == account.Id).ToListAsync(cancellationToken);
        var pledges = await db.AssistancePledges.AsNoTracking().Where(p => p.AccountId == account.Id && p.Status == Core.Assistance.PledgeStatus.Pledged).ToListAsync(cancellationToken);
        var arrangement = await db.Arrangements.AsNoTracking().Where(a => a.AccountId == account.Id && a.Status == ArrangementStage.Active && a.CreatedOn <= today)
            .OrderByDescending(a => a.Id).Select(a => new { a.CreatedOn, a.AmountCents }).FirstOrDefaultAsync(cancellationToken);
        var ownerNoticedOn = await db.CollectionEvents.AsNoTracking().Where(e => e.AccountId == account.Id && e.Action == CollectionAction.OwnerNotice)
            .MaxAsync(e => (DateOnly?)e.BusinessDate, cancellationToken);
        var holidays = await BillingCalendars.NamedAsync(db, HolidayCalendar.UsFederalName, cancellationToken);
        var temperatures = await db.Temperatures.AsNoTracking().Where(t => t.Date >= today.AddDays(-1) && t.Date <= today.AddDays(1)).ToListAsync(cancellationToken);
        var calendar = CollectionCalendar.For(holidays, today, today, temperatures.Select(t => t.ToCore()));
        var facts = new ProtectionFacts(CollectionPolicyCatalog.ClassName(account.Class), pastDue, stepMinimum,
            arrangement is null ? null : $"made {arrangement.CreatedOn.ToString("MMM d, yyyy", System.Globalization.CultureInfo.InvariantCulture)} for {Money.FromCents(arrangement.AmountCents)}", ownerNoticedOn);
        return CollectionProtections.Evaluate(policy.Protections, StepKind.DisconnectEligible, today, ProtectionRecords.Facts(records, today, pledges), facts, calendar);
    }

    /// <summary>The service points the account is served through today (its agreements not ended).</summary>
    public static async Task<List<Storage.Metering.ServicePoint>> ServicePointsAsync(OpenCisDbContext db, long accountId, CancellationToken cancellationToken)
    {
        var pointIds = await db.ServiceAgreements.AsNoTracking().Where(a => a.AccountId == accountId && a.EndedOn == null).Select(a => a.ServicePointId).Distinct().ToListAsync(cancellationToken);
        return await db.ServicePoints.Where(p => pointIds.Contains(p.Id)).OrderBy(p => p.Id).ToListAsync(cancellationToken);
    }
}
