using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Billing.Corrections;

namespace OpenCIS.UseCases.Customers;

/// <summary>A customer moving within the city: the stop at the old premise with its final reads, and the start at the new one.</summary>
public sealed record TransferServiceRequest(
    string FromAccountNumber,
    DateOnly StopDate,
    IReadOnlyList<FinalReading> FinalReadings,
    long PremiseId,
    DateOnly? StartDate = null,
    IReadOnlyList<InitialRead>? InitialReads = null,
    bool ReadOrder = false,
    IReadOnlyList<ServiceChoice>? Services = null,
    string? CycleCode = null,
    string? DepositWaiverReason = null,
    string? Reason = null);

public sealed record TransferServiceOutcome(FinalBillResult FinalBill, StartServiceOutcome Started, string Message);

/// <summary>
/// Transfer of service in one step: the account's service stops at the old premise (<see cref="StopService"/>: final
/// reads, the final bill, the deposit applied, the owner's revert under a landlord agreement) and starts at the new one
/// for the same customer, class and bill delivery (<see cref="StartService"/>), by default the day after the stop. The
/// final balance moves to the new account or stays to be paid, per <see cref="ServiceStartSettings"/>. The new premise
/// is checked before anything is stopped, so a start that would be refused stops nothing.
/// </summary>
public sealed class TransferService(OpenCisDbContext db, StopService stopService, StartService startService)
{
    public async Task<TransferServiceOutcome> ExecuteAsync(TransferServiceRequest request, string user, CancellationToken cancellationToken = default)
    {
        db.ChangeTracker.Clear();
        var from = await CorrectionBilling.FindAccountAsync(db, request.FromAccountNumber, cancellationToken);
        if (from.Status != AccountStatus.Active)
        {
            throw new DomainException($"Account {from.AccountNumber} is {from.Status}; only active service can be transferred.", "fromAccountNumber");
        }

        if (from.PremiseId == request.PremiseId)
        {
            throw new DomainException("The new premise is the one service is at now; choose where the customer is moving to.", "premiseId");
        }

        var start = request.StartDate ?? request.StopDate.AddDays(1);
        if (start <= request.StopDate.AddDays(-1))
        {
            throw new DomainException("Service at the new premise starts no earlier than the day of the stop.", "startDate");
        }

        var customerId = await db.AccountCustomers.AsNoTracking().Where(ac => ac.AccountId == from.Id && ac.Role == AccountRole.Main)
            .OrderByDescending(ac => ac.StartedOn).Select(ac => (long?)ac.CustomerId).FirstOrDefaultAsync(cancellationToken)
            ?? throw new DomainException($"Account {from.AccountNumber} has no main customer.", "fromAccountNumber");
        var premise = await db.Premises.AsNoTracking().SingleOrDefaultAsync(p => p.Id == request.PremiseId, cancellationToken)
            ?? throw new DomainException($"There is no premise {request.PremiseId}.", "premiseId");
        // A premise never served takes the cycle the customer was billed on.
        var cycle = request.CycleCode ?? (await db.Accounts.AnyAsync(a => a.PremiseId == premise.Id, cancellationToken) ? null : from.CycleCode);
        var reason = string.IsNullOrWhiteSpace(request.Reason) ? $"Transfer of service to {premise.FullAddress}" : request.Reason.Trim();
        var starting = new StartServiceRequest(customerId, null, premise.Id, start, from.Class, request.InitialReads, request.ReadOrder,
            Services: request.Services, CycleCode: cycle, DepositWaiverReason: request.DepositWaiverReason, BillDelivery: from.BillDelivery);
        // Everything the start checks, before anything stops: a start that would be refused stops nothing.
        await startService.CheckAsync(starting, from, cancellationToken);
        var finalBill = await stopService.ExecuteAsync(new StopServiceRequest(from.AccountNumber, request.StopDate, request.FinalReadings, reason), user, cancellationToken);
        var started = (await startService.ExecuteAsync(starting, user, from, checkOnly: false, cancellationToken))!;
        return new TransferServiceOutcome(finalBill, started, $"{finalBill.Message} {started.Message}");
    }
}
