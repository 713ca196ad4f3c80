using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;
using OpenCIS.Core.Payments.Ach;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Customers;
using OpenCIS.Storage;
using OpenCIS.Storage.Payments.Ach;
using OpenCIS.Storage.Payments;

namespace OpenCIS.UseCases.Payments.Ach;

public sealed record AchEnrollmentRequest(string AccountNumber, string RoutingNumber, string DfiAccountNumber, AchAccountType AccountType, AchEntryClass EntryClass, string HolderName);

/// <summary>An enrollment as screens and the API show it: the DFI account number masked to its last four digits.</summary>
public sealed record AchEnrollmentView(long Id, string AccountNumber, string RoutingNumber, string MaskedAccountNumber, AchAccountType AccountType, AchEntryClass EntryClass, string HolderName, AchEnrollmentStatus Status, DateOnly EnrolledOn, DateOnly? PrenoteSentOn, DateOnly? ActivatedOn, DateOnly? CancelledOn, string? CancelReason)
{
    public static AchEnrollmentView Of(AchEnrollment e, string accountNumber) =>
        new(e.Id, accountNumber, e.RoutingNumber, e.MaskedAccountNumber, e.AccountType, e.EntryClass, e.HolderName, e.Status, e.EnrolledOn, e.PrenoteSentOn, e.ActivatedOn, e.CancelledOn, e.CancelReason);
}

/// <summary>
/// Enrolls an account in autopay: the routing number must pass its check digit, the account must be
/// open and not cash-only, and it may hold only one enrollment that is not cancelled. The enrollment
/// starts as a prenote: the next debit file carries a zero-dollar prenote, and live debits start once
/// it has had the configured banking days to come back.
/// </summary>
public sealed class EnrollAch(OpenCisDbContext db, Encryption.FieldProtector protector, BusinessCalendar calendar, TimeProvider clock)
{
    public async Task<AchEnrollmentView> ExecuteAsync(AchEnrollmentRequest request, string user, CancellationToken cancellationToken = default)
    {
        var routing = (request.RoutingNumber ?? "").Trim();
        if (!RoutingNumbers.IsValid(routing))
        {
            throw new DomainException($"'{routing}' is not a routing number: nine digits whose last is the 3-7-1 check digit (mistyped?).", "routingNumber");
        }

        var dfiAccount = BankAccountNumber(request.DfiAccountNumber);
        var holder = (request.HolderName ?? "").Trim();
        if (holder.Length == 0)
        {
            throw new DomainException("The account holder's name is required.", "holderName");
        }

        var account = await db.Accounts.SingleOrDefaultAsync(a => a.AccountNumber == request.AccountNumber, cancellationToken)
            ?? throw new DomainException($"There is no account {request.AccountNumber}.", "accountNumber");
        if (account.Status == AccountStatus.Closed)
        {
            throw new DomainException($"Account {account.AccountNumber} is closed.", "accountNumber");
        }

        if (account.CashOnly)
        {
            throw new DomainException($"Account {account.AccountNumber} is cash-only after returned payments; it cannot pay by ACH.", "accountNumber");
        }

        var current = await db.AchEnrollments.AsNoTracking()
            .Where(e => e.AccountId == account.Id && e.Status != AchEnrollmentStatus.Cancelled).Select(e => (long?)e.Id).FirstOrDefaultAsync(cancellationToken);
        if (current is { } existing)
        {
            throw new DomainException($"Account {account.AccountNumber} is already enrolled in autopay (enrollment {existing}); cancel it first.", "accountNumber");
        }

        var enrollment = AchEnrollment.Start(account.Id, routing, protector.Protect(dfiAccount), AchEnrollment.LastFour(dfiAccount), request.AccountType, request.EntryClass, holder.Length > 22 ? holder[..22] : holder, calendar.Today(), user);
        db.AchEnrollments.Add(enrollment);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another enrollment of this account was saved between the check above and this insert.
            db.ChangeTracker.Clear();
            throw new DomainException($"Account {account.AccountNumber} was enrolled in autopay a moment ago by someone else; cancel that enrollment first.", "accountNumber");
        }

        AuditLog.Record(db, clock.GetUtcNow(), user, "AchEnrollment", enrollment.Id, account.Id, "Enroll in ACH autopay", null,
            new { enrollment.RoutingNumber, Account = enrollment.MaskedAccountNumber, AccountType = enrollment.AccountType.ToString(), EntryClass = enrollment.EntryClass.ToString() }, null);
        await db.SaveChangesAsync(cancellationToken);
        return AchEnrollmentView.Of(enrollment, account.AccountNumber);
    }

    /// <summary>
    /// A bank account number as a debit file takes it (upper case, no spaces), refused unless it is 1 to 17 letters, digits or
    /// hyphens and no card number: the rule for autopay and for a customer's one-time e-check alike.
    /// </summary>
    public static string BankAccountNumber(string? text)
    {
        var dfiAccount = (text ?? "").Trim().Replace(" ", "", StringComparison.Ordinal);
        if (dfiAccount.Length is 0 or > 17 || !dfiAccount.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            throw new DomainException("The bank account number is 1 to 17 letters, digits or hyphens.", "dfiAccountNumber");
        }

        if (CardNumbers.IsCardNumber(dfiAccount))
        {
            throw new DomainException("That is a card number, not a bank account number: an ACH debit takes a checking or savings account.", "dfiAccountNumber");
        }

        return dfiAccount.ToUpperInvariant();
    }
}
