using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage;
using OpenCIS.Storage.Customers;

namespace OpenCIS.UseCases.Customers;

/// <summary>A customer's contact details; <paramref name="NoticesByEmail"/> is their choice of e-mail for collection notices (null: unchanged).</summary>
public sealed record CustomerContact(string DisplayName, string? Email, string? Phone, string MailingLine1, string MailingCity, string MailingState, string MailingZip, bool? NoticesByEmail = null);

/// <summary>Corrects a customer's name, contact details or mailing address, with the before, the after and the reason in the audit trail.</summary>
public sealed class ChangeCustomerContact(OpenCisDbContext db, TimeProvider clock)
{
    public async Task<CustomerContact> ExecuteAsync(long customerId, CustomerContact contact, string reason, string user, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainException("Say why the customer's details are being changed.", "reason");
        }

        Require(contact.DisplayName, 200, "displayName", "The customer's name");
        Require(contact.MailingLine1, 200, "mailingLine1", "The mailing address");
        Require(contact.MailingCity, 100, "mailingCity", "The city");
        Require(contact.MailingState, 2, "mailingState", "The state (two letters)");
        Require(contact.MailingZip, 10, "mailingZip", "The ZIP code");
        if (contact.Email is { Length: > 0 } email && (!email.Contains('@', StringComparison.Ordinal) || email.Length > 200))
        {
            throw new DomainException($"'{email}' is not an email address.", "email");
        }

        var customer = await db.Customers.SingleOrDefaultAsync(c => c.Id == customerId, cancellationToken)
            ?? throw new DomainException($"There is no customer {customerId}.", "customerId");
        var before = Snapshot(customer);
        var after = contact with
        {
            Email = string.IsNullOrWhiteSpace(contact.Email) ? null : contact.Email.Trim(),
            Phone = string.IsNullOrWhiteSpace(contact.Phone) ? null : contact.Phone.Trim(),
            MailingState = contact.MailingState.Trim().ToUpperInvariant(),
            // Left out, the choice stands while there is an address to send to; an address removed ends it.
            NoticesByEmail = contact.NoticesByEmail ?? (customer.NoticesByEmail && !string.IsNullOrWhiteSpace(contact.Email)),
        };
        if (after.NoticesByEmail == true && after.Email is null)
        {
            throw new DomainException("Notices can go by e-mail only to a customer with an e-mail address.", "noticesByEmail");
        }

        if (after == before)
        {
            throw new DomainException("Nothing changed: the details are the same as those on file.", "displayName");
        }

        customer.UpdateContact(after.DisplayName.Trim(), after.Email, after.Phone, after.MailingLine1.Trim(), after.MailingCity.Trim(), after.MailingState, after.MailingZip.Trim());
        customer.ChooseNoticeDelivery(after.NoticesByEmail == true);
        var accountId = await db.AccountCustomers.Where(x => x.CustomerId == customerId).Select(x => (long?)x.AccountId).FirstOrDefaultAsync(cancellationToken);
        AuditLog.Record(db, clock.GetUtcNow(), user, "Customer", customerId, accountId, "Change contact details", before, Snapshot(customer), reason);
        await db.SaveChangesAsync(cancellationToken);
        return Snapshot(customer);
    }

    private static CustomerContact Snapshot(Customer c) => new(c.DisplayName, c.Email, c.Phone, c.MailingLine1, c.MailingCity, c.MailingState, c.MailingZip, c.NoticesByEmail);

    private static void Require(string? value, int maximumLength, string field, string what)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new DomainException($"{what} is required.", field);
        }

        if (value.Trim().Length > maximumLength)
        {
            throw new DomainException($"{what} can be at most {maximumLength} characters.", field);
        }
    }
}
