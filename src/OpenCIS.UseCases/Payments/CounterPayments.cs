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

    /// <summary>
    /// The account an invoice paid by its number is billed to (its party's receivables account). An account number given
    /// with it must be that account; none given, the invoice's is taken.
    /// </summary>
    public static async Task<string> AccountOfInvoiceAsync(OpenCisDbContext db, string? accountNumber, long invoiceNumber, CancellationToken cancellationToken)
    {
        var billedTo = await db.Invoices.AsNoTracking().Where(i => i.Id == invoiceNumber).Join(db.Accounts, i => i.AccountId, a => a.Id, (i, a) => a.AccountNumber)
            .SingleOrDefaultAsync(cancellationToken) ?? throw new DomainException($"There is no invoice {invoiceNumber}.", "invoiceNumber");
        if (!string.IsNullOrWhiteSpace(accountNumber) && accountNumber.Trim() != billedTo)
        {
            throw new DomainException($"Invoice {invoiceNumber} is billed to account {billedTo}, not {accountNumber.Trim()}.", "invoiceNumber");
        }

        return billedTo;
    }

    /// <summary>The payment this cashier posted earlier under this key, or null; their key on a different request is refused.</summary>
    public static Task<Payment?> EarlierAsync(OpenCisDbContext db, RequestKey? key, string fingerprint, CancellationToken cancellationToken) =>
        Idempotency.EarlierAsync(db.Payments, Payment.RequestKey, key, p => p, p => p.RequestFingerprint == fingerprint, p => $"payment (receipt {p.ReceiptNumber})", cancellationToken);
}
