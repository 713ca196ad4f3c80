using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments.Ach;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Customers;
using OpenCIS.Storage.Portal;
using OpenCIS.UseCases.Payments.Ach;

namespace OpenCIS.UseCases.Portal;

/// <summary>An e-check as the customer asks for it: the bank account, the amount, and their acceptance of the authorization text.</summary>
public sealed record PortalECheckRequest(string HolderName, string RoutingNumber, string BankAccountNumber, string AccountType, string Amount, bool Authorized);

/// <summary>An e-check as the customer sees it: the bank account masked, never whole.</summary>
public sealed record PortalECheckView(long Id, string AccountNumber, Money Amount, string RoutingNumber, string MaskedAccountNumber, string AccountType, string Status, DateOnly AuthorizedOn);

/// <summary>
/// E-check payments in the portal: a signed-in customer authorizes a one-time ACH debit (a WEB entry) from their bank account
/// for an amount on one of their accounts. Nothing posts then: the debit waits as pending until the next ACH file
/// (<see cref="GenerateAchFile"/>) carries it, posts its payment and e-mails the receipt. The routing number must pass its
/// check digit and the bank account number the rule autopay's does; the amount follows the card path's rule
/// (<see cref="OnlinePayments.Amount"/>), and no convenience fee is added: the fee settings are the card processor's. The
/// authorization the customer accepted is kept on the debit and in the account's audit trail, as the customer.
/// </summary>
public sealed class PortalECheck(OpenCisDbContext db, Encryption.FieldProtector protector, BusinessCalendar calendar, TimeProvider clock)
{
    public async Task<PortalECheckView> AuthorizeAsync(string portalUserId, string accountNumber, PortalECheckRequest request, CancellationToken cancellationToken = default)
    {
        var accountId = await PortalAccess.AccountIdAsync(db, portalUserId, accountNumber, cancellationToken);
        var holder = (request.HolderName ?? "").Trim();
        if (holder.Length == 0)
        {
            throw new PortalException("Field_holderName", "holderName");
        }

        var routing = (request.RoutingNumber ?? "").Trim();
        if (!RoutingNumbers.IsValid(routing))
        {
            throw new PortalException("Field_routingNumber", "routingNumber");
        }

        string bankAccount;
        try
        {
            bankAccount = EnrollAch.BankAccountNumber(request.BankAccountNumber);
        }
        catch (DomainException)
        {
            throw new PortalException("Field_dfiAccountNumber", "dfiAccountNumber");
        }

        var amount = OnlinePayments.Amount(request.Amount);
        if (!request.Authorized)
        {
            throw new PortalException("ErrorECheckAuthorize", "authorized");
        }

        var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == accountId, cancellationToken);
        if (account.Status == AccountStatus.Closed)
        {
            throw new PortalException("ErrorClosed", "accountNumber");
        }

        if (account.CashOnly)
        {
            throw new PortalException("ErrorECheckCashOnly", "accountNumber");
        }

        var user = await db.PortalUsers.AsNoTracking().SingleAsync(u => u.Id == portalUserId, cancellationToken);
        var type = string.Equals(request.AccountType, nameof(AchAccountType.Savings), StringComparison.OrdinalIgnoreCase) ? AchAccountType.Savings : AchAccountType.Checking;
        var today = calendar.Today();
        var now = clock.GetUtcNow();
        var name = holder.Length > 22 ? holder[..22] : holder;
        var lastFour = Storage.Payments.Ach.AchEnrollment.LastFour(bankAccount);
        // The authorization in the words the customer read and accepted, kept with the debit as NACHA's WEB rule asks.
        var authorization = PortalText.Get(user.Language, "ECheckAuthorization", name, amount, routing, Storage.Payments.Ach.AchEnrollment.Mask(lastFour), account.AccountNumber, PortalText.Date(user.Language, today));
        var debit = OneTimeDebit.Authorize(accountId, portalUserId, amount.Cents, routing, protector.Protect(bankAccount), lastFour, type, name, today, now, authorization);
        // The debit and its audit entry commit together (the entry names the debit's id, which comes with the first save).
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.OneTimeDebits.Add(debit);
        await db.SaveChangesAsync(cancellationToken);
        AuditLog.Record(db, now, PortalLogins.Actor(user.Email!), "OneTimeDebit", debit.Id, accountId, "Authorize e-check online", null,
            new { Amount = amount.ToPlainString(), debit.RoutingNumber, Account = debit.MaskedAccountNumber, AccountType = type.ToString(), EntryClass = debit.EntryClass.ToString(), Authorization = authorization },
            "customer self-service (WEB)");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return View(debit, account.AccountNumber);
    }

    /// <summary>Stops an e-check that has not gone out yet; one already in a file is refused (the bank has it).</summary>
    public async Task<PortalECheckView> CancelAsync(string portalUserId, string accountNumber, long eCheckId, CancellationToken cancellationToken = default)
    {
        var accountId = await PortalAccess.AccountIdAsync(db, portalUserId, accountNumber, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Under the account's lock, as the ACH file reads its e-checks: the file and a cancel do not both win.
        await AccountLocks.LockAccountAsync(db, accountId, cancellationToken);
        var debit = await db.OneTimeDebits.SingleOrDefaultAsync(d => d.Id == eCheckId && d.AccountId == accountId && d.PortalUserId == portalUserId, cancellationToken)
            ?? throw new PortalNotFoundException($"E-check {eCheckId}");
        if (debit.Status != OneTimeDebitStatus.Pending)
        {
            throw new PortalException("ErrorECheckNotPending", "eCheckId");
        }

        var user = await db.PortalUsers.AsNoTracking().SingleAsync(u => u.Id == portalUserId, cancellationToken);
        debit.Cancel(calendar.Today(), "Cancelled by the customer online");
        AuditLog.Record(db, clock.GetUtcNow(), PortalLogins.Actor(user.Email!), "OneTimeDebit", debit.Id, accountId, "Cancel e-check", null,
            new { Amount = Money.FromCents(debit.AmountCents).ToPlainString(), debit.CancelReason }, "customer self-service");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return View(debit, accountNumber.Trim());
    }

    private static PortalECheckView View(OneTimeDebit d, string accountNumber) =>
        new(d.Id, accountNumber, Money.FromCents(d.AmountCents), d.RoutingNumber, d.MaskedAccountNumber, d.AccountType.ToString(), d.Status.ToString(), d.AuthorizedOn);
}
