using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Cases;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.UseCases.Cases;

namespace OpenCIS.UseCases.Portal;

/// <summary>What a customer asks for in the portal.</summary>
public enum PortalRequestKind
{
    StopService,
    StartService,
    TransferService,
    Problem,
    BillDispute,
}

/// <summary>A customer's request: its kind, the date it is for (start, stop, transfer), the new address (start, transfer), the bill and amount disputed, and their words.</summary>
public sealed record PortalRequest(PortalRequestKind Kind, DateOnly? On, string? Address, long? BillNumber, string? Amount, string? Details);

/// <summary>A request as the customer's list shows it: the case staff work it as, and where it is.</summary>
public sealed record PortalRequestView(long CaseNumber, string Kind, string Subject, string Status, DateOnly OpenedOn, string? Resolution);

/// <summary>
/// A customer's requests become cases on the account, in the queue staff work (<see cref="CaseWork"/>): starting, stopping or
/// moving service is a service request a clerk carries out on the service screens; a problem is a complaint; a disputed bill
/// is a billing dispute, whose amount is held out of collections while it is open. The customer follows them in the portal.
/// </summary>
public sealed class PortalRequests(OpenCisDbContext db, CaseWork cases, CaseQueries caseQueries, BusinessCalendar calendar)
{
    public const int DaysAheadMax = 90;

    public async Task<PortalRequestView> AskAsync(string portalUserId, string accountNumber, PortalRequest request, CancellationToken cancellationToken = default)
    {
        var accountId = await PortalAccess.AccountIdAsync(db, portalUserId, accountNumber, cancellationToken);
        var email = await db.PortalUsers.Where(u => u.Id == portalUserId).Select(u => u.Email!).SingleAsync(cancellationToken);
        var details = (request.Details ?? "").Trim();
        if (details.Length > 2000)
        {
            throw new PortalException("ErrorDetails", "details");
        }

        var today = calendar.Today();
        var words = details.Length > 0 ? $"\n\nThe customer wrote: {details}" : "";
        CaseRequest caseRequest;
        switch (request.Kind)
        {
            case PortalRequestKind.StopService or PortalRequestKind.StartService or PortalRequestKind.TransferService:
                if (request.On is not { } on || on < today || on > today.AddDays(DaysAheadMax))
                {
                    throw new PortalException("ErrorRequestDate", "on", DaysAheadMax);
                }

                var address = (request.Address ?? "").Trim();
                if (request.Kind != PortalRequestKind.StopService && address.Length is 0 or > 200)
                {
                    throw new PortalException("ErrorAddress", "address");
                }

                var subject = request.Kind switch
                {
                    PortalRequestKind.StopService => $"Stop service on {on:yyyy-MM-dd}",
                    PortalRequestKind.StartService => $"Start service at {address} on {on:yyyy-MM-dd}",
                    _ => $"Move service to {address} on {on:yyyy-MM-dd}",
                };
                caseRequest = new CaseRequest(CaseKind.ServiceRequest, subject, $"Asked online by {email}.{words}");
                break;
            case PortalRequestKind.Problem:
                if (details.Length == 0)
                {
                    throw new PortalException("ErrorDetails", "details");
                }

                caseRequest = new CaseRequest(CaseKind.Complaint, Clip($"Reported online: {details}"), $"Reported online by {email}.{words}");
                break;
            case PortalRequestKind.BillDispute:
                if (request.BillNumber is not { } billNumber || !await db.Bills.AnyAsync(b => b.Id == billNumber && b.AccountId == accountId, cancellationToken))
                {
                    throw new PortalException("ErrorDisputeBill", "billNumber");
                }

                if (!Money.TryParse(request.Amount, out var amount) || !amount.IsPositive)
                {
                    throw new PortalException("ErrorAmount", "amount");
                }

                if (details.Length == 0)
                {
                    throw new PortalException("ErrorDetails", "details");
                }

                caseRequest = new CaseRequest(CaseKind.BillingDispute, $"Bill {billNumber} disputed online", $"Disputed online by {email}.{words}", amount);
                break;
            default:
                throw new PortalException("ErrorRequestKind", "kind");
        }

        try
        {
            var opened = await cases.OpenAsync(accountId, caseRequest, PortalLogins.Actor(email), cancellationToken);
            return View(opened.Case);
        }
        catch (DomainException refused) when (refused.Field == "amount")
        {
            throw new PortalException("ErrorDisputeAmount", "amount");
        }
    }

    /// <summary>The account's cases the portal opened for this login, newest first.</summary>
    public async Task<IReadOnlyList<PortalRequestView>> ListAsync(string portalUserId, string accountNumber, CancellationToken cancellationToken = default)
    {
        var accountCases = await caseQueries.ForAccountAsync(await PortalAccess.AccountIdAsync(db, portalUserId, accountNumber, cancellationToken), cancellationToken);
        var email = await db.PortalUsers.Where(u => u.Id == portalUserId).Select(u => u.Email!).SingleAsync(cancellationToken);
        return accountCases.Where(c => c.OpenedBy == PortalLogins.Actor(email)).OrderByDescending(c => c.Id).Select(View).ToList();
    }

    private static PortalRequestView View(CaseView c) => new(c.Id, c.Kind, c.Subject, c.Status, c.OpenedOn, c.Resolution);

    private static string Clip(string text) => text.Length <= CaseTypes.SubjectLengthMax ? text : text[..(CaseTypes.SubjectLengthMax - 1)] + "…";
}
