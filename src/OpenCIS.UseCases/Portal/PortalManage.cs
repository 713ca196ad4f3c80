using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Payments.Ach;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Customers;
using OpenCIS.Storage.Payments.Ach;
using OpenCIS.UseCases.Customers;
using OpenCIS.UseCases.Payments.Ach;

namespace OpenCIS.UseCases.Portal;

/// <summary>What a customer manages on an account: paperless bills, autopay, and the account holder's contact details.</summary>
public sealed record PortalManageView(string AccountNumber, bool Paperless, PortalAutopay? Autopay, PortalContact Contact);

/// <summary>The account's autopay as the customer sees it: the bank, masked, and whether it is waiting for its prenote.</summary>
public sealed record PortalAutopay(long EnrollmentId, string RoutingNumber, string MaskedAccountNumber, string AccountType, string Status, DateOnly EnrolledOn);

/// <summary>The account holder's contact details the customer may change (the name is changed by a clerk, with proof).</summary>
public sealed record PortalContact(string Name, string? Email, string? Phone, string MailingLine1, string MailingCity, string MailingState, string MailingZip);

/// <summary>Autopay as a customer asks for it online: the bank account, and their acceptance of the authorization text.</summary>
public sealed record PortalAutopayRequest(string RoutingNumber, string BankAccountNumber, string AccountType, string HolderName, bool Authorized);

/// <summary>
/// A customer's settings on one of their accounts, each audited on the account as the customer (<c>portal:</c> their address):
/// paperless billing (bills by e-mail, no paper), autopay (an ACH enrollment of WEB class, with its prenote, through the same
/// <see cref="EnrollAch"/> a clerk uses), and the holder's phone, e-mail and mailing address (through <see cref="ChangeCustomerContact"/>).
/// </summary>
public sealed class PortalManage(OpenCisDbContext db, EnrollAch enroll, CancelAch cancel, ChangeCustomerContact contacts, TimeProvider clock)
{
    public async Task<PortalManageView> ViewAsync(string portalUserId, string accountNumber, CancellationToken cancellationToken = default)
    {
        var accountId = await PortalAccess.AccountIdAsync(db, portalUserId, accountNumber, cancellationToken);
        var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == accountId, cancellationToken);
        var enrollment = await db.AchEnrollments.AsNoTracking().Where(e => e.AccountId == accountId && e.Status != AchEnrollmentStatus.Cancelled)
            .OrderByDescending(e => e.Id).FirstOrDefaultAsync(cancellationToken);
        var holder = await HolderAsync(accountId, cancellationToken);
        return new PortalManageView(account.AccountNumber, account.BillDelivery == BillDelivery.Email,
            enrollment is null ? null : new PortalAutopay(enrollment.Id, enrollment.RoutingNumber, enrollment.MaskedAccountNumber, enrollment.AccountType.ToString(), enrollment.Status.ToString(), enrollment.EnrolledOn),
            new PortalContact(holder.DisplayName, holder.Email, holder.Phone, holder.MailingLine1, holder.MailingCity, holder.MailingState, holder.MailingZip));
    }

    /// <summary>Paperless on: each bill comes by e-mail with a link to its PDF, and no paper bill is printed. Off: paper again.</summary>
    public async Task SetPaperlessAsync(string portalUserId, string accountNumber, bool paperless, CancellationToken cancellationToken = default)
    {
        var accountId = await PortalAccess.AccountIdAsync(db, portalUserId, accountNumber, cancellationToken);
        var account = await db.Accounts.SingleAsync(a => a.Id == accountId, cancellationToken);
        var wanted = paperless ? BillDelivery.Email : BillDelivery.Paper;
        if (account.BillDelivery == wanted)
        {
            return;
        }

        var before = account.BillDelivery;
        account.ChooseBillDelivery(wanted);
        AuditLog.Record(db, clock.GetUtcNow(), await ActorAsync(portalUserId, cancellationToken), "Account", accountId, accountId, paperless ? "Paperless billing on" : "Paperless billing off",
            new { BillDelivery = before.ToString() }, new { BillDelivery = wanted.ToString() }, "customer self-service");
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Enrolls the account in autopay with the customer's online (WEB) authorization; refused without their acceptance.</summary>
    public async Task<PortalAutopay> EnrollAutopayAsync(string portalUserId, string accountNumber, PortalAutopayRequest request, CancellationToken cancellationToken = default)
    {
        var accountId = await PortalAccess.AccountIdAsync(db, portalUserId, accountNumber, cancellationToken);
        if (!request.Authorized)
        {
            throw new PortalException("ErrorAuthorize", "authorized");
        }

        var type = string.Equals(request.AccountType, nameof(AchAccountType.Savings), StringComparison.OrdinalIgnoreCase) ? AchAccountType.Savings : AchAccountType.Checking;
        var actor = await ActorAsync(portalUserId, cancellationToken);
        var enrolled = await enroll.ExecuteAsync(new AchEnrollmentRequest(accountNumber.Trim(), request.RoutingNumber, request.BankAccountNumber, type, AchEntryClass.Web, request.HolderName), actor, cancellationToken);
        // The authorization the customer accepted, kept with the enrollment's audit as NACHA's WEB rule asks.
        AuditLog.Record(db, clock.GetUtcNow(), actor, "AchEnrollment", enrolled.Id, accountId, "Authorize autopay online",
            null, new { Authorization = PortalText.Get("en", "AutopayAuthorization", enrolled.HolderName, enrolled.RoutingNumber, enrolled.MaskedAccountNumber) }, "customer self-service (WEB)");
        await db.SaveChangesAsync(cancellationToken);
        return new PortalAutopay(enrolled.Id, enrolled.RoutingNumber, enrolled.MaskedAccountNumber, enrolled.AccountType.ToString(), enrolled.Status.ToString(), enrolled.EnrolledOn);
    }

    /// <summary>Stops autopay: no debit goes out from the next file on.</summary>
    public async Task CancelAutopayAsync(string portalUserId, string accountNumber, CancellationToken cancellationToken = default)
    {
        var accountId = await PortalAccess.AccountIdAsync(db, portalUserId, accountNumber, cancellationToken);
        var enrollment = await db.AchEnrollments.AsNoTracking().Where(e => e.AccountId == accountId && e.Status != AchEnrollmentStatus.Cancelled)
            .Select(e => (long?)e.Id).FirstOrDefaultAsync(cancellationToken) ?? throw new PortalException("ErrorNoAutopay");
        await cancel.ExecuteAsync(enrollment, "Cancelled by the customer online", await ActorAsync(portalUserId, cancellationToken), cancellationToken);
    }

    /// <summary>Changes the holder's phone, e-mail and mailing address; the before and after go to the account's audit trail.</summary>
    public async Task ChangeContactAsync(string portalUserId, string accountNumber, PortalContact contact, CancellationToken cancellationToken = default)
    {
        var accountId = await PortalAccess.AccountIdAsync(db, portalUserId, accountNumber, cancellationToken);
        var holder = await HolderAsync(accountId, cancellationToken);
        await contacts.ExecuteAsync(holder.Id, new CustomerContact(holder.DisplayName, contact.Email, contact.Phone, contact.MailingLine1 ?? "", contact.MailingCity ?? "", contact.MailingState ?? "", contact.MailingZip ?? ""),
            "changed by the customer online", await ActorAsync(portalUserId, cancellationToken), cancellationToken);
    }

    private async Task<Customer> HolderAsync(long accountId, CancellationToken cancellationToken) =>
        await db.AccountCustomers.AsNoTracking().Where(ac => ac.AccountId == accountId && ac.EndedOn == null && ac.Role == AccountRole.Main)
            .Join(db.Customers, ac => ac.CustomerId, c => c.Id, (ac, c) => c).FirstOrDefaultAsync(cancellationToken)
        ?? throw new PortalNotFoundException("The account's holder");

    private async Task<string> ActorAsync(string portalUserId, CancellationToken cancellationToken) =>
        PortalLogins.Actor(await db.PortalUsers.Where(u => u.Id == portalUserId).Select(u => u.Email!).SingleAsync(cancellationToken));
}
