using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Customers;
using OpenCIS.Storage;
using OpenCIS.Storage.Payments;

namespace OpenCIS.UseCases.Payments;

/// <summary>
/// What every payment taken one at a time checks, whether at the counter's drawer or through the
/// API: the account it names, and the payment an <c>Idempotency-Key</c> already posted.
/// </summary>
internal static class CounterPayments
{
    /// <summary>The account to pay: it exists, is not closed, and takes checks unless it is cash-only.</summary>
    public static async Task<Account> PayableAccountAsync(OpenCisDbContext db, string accountNumber, bool paysByCheck, string tenderField, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.AccountNumber == accountNumber, cancellationToken)
            ?? throw new DomainException($"There is no account {accountNumber}.", "accountNumber");
        if (account.CashOnly && paysByCheck)
        {
            throw new DomainException($"Account {account.AccountNumber} is cash-only after returned payments; checks cannot be accepted.", tenderField);
        }

        if (account.Status == AccountStatus.Closed)
        {
            throw new DomainException($"Account {account.AccountNumber} is closed; post the payment to the customer's active account.", "accountNumber");
        }

        return account;
    }

    /// <summary>The payment this cashier posted earlier under this key, or null; their key on a different request is refused.</summary>
    public static Task<Payment?> EarlierAsync(OpenCisDbContext db, RequestKey? key, string fingerprint, CancellationToken cancellationToken) =>
        Idempotency.EarlierAsync(db.Payments, Payment.RequestKey, key, p => p, p => p.RequestFingerprint == fingerprint, p => $"payment (receipt {p.ReceiptNumber})", cancellationToken);
}
