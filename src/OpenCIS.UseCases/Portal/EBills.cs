using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.Storage.Billing;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Billing;
using OpenCIS.UseCases.Mail;

namespace OpenCIS.UseCases.Portal;

/// <summary>
/// Paperless billing's e-mail: once a billing run completes, each issued bill of a paperless account is mailed (queued, as all
/// customer e-mail is) to the account's verified portal logins, each in their language, or, with none, to the account
/// holder's address on file while it works; the mail says the amount and due date and links to the bill's PDF in the portal
/// (<c>OPENCIS_PUBLIC_URL</c>). The print-vendor file leaves these bills out (<see cref="BillPrintExport"/>). Keyed by bill and
/// address, so a run resumed or completed again queues nothing twice.
/// </summary>
public sealed class EBills(OpenCisDbContext db, PortalMail mail, PortalSettings settings, BillSettings utility)
{
    private const int Chunk = 500;

    public async Task<int> QueueForRunAsync(long runId, CancellationToken cancellationToken = default)
    {
        var bills = await db.Bills.AsNoTracking().Where(b => b.BillingRunId == runId && b.Status == BillStatus.Issued)
            .Join(db.Accounts.Where(a => a.BillDelivery == BillDelivery.Email), b => b.AccountId, a => a.Id,
                (b, a) => new { b.Id, b.AccountId, a.AccountNumber, b.AmountDueCents, b.DueDate })
            .OrderBy(b => b.Id).ToListAsync(cancellationToken);
        var queued = 0;
        foreach (var chunk in bills.Chunk(Chunk))
        {
            var accountIds = chunk.Select(b => b.AccountId).Distinct().ToList();
            var logins = (await db.PortalUserAccounts.AsNoTracking().Where(l => accountIds.Contains(l.AccountId))
                    .Join(db.PortalUsers.Where(u => u.EmailConfirmed), l => l.PortalUserId, u => u.Id, (l, u) => new { l.AccountId, u.Email, u.DisplayName, u.Language })
                    .ToListAsync(cancellationToken))
                .ToLookup(x => x.AccountId, x => (Email: x.Email!, Name: x.DisplayName, x.Language));
            var holders = (await db.AccountCustomers.AsNoTracking().Where(ac => accountIds.Contains(ac.AccountId) && ac.Role == AccountRole.Main && ac.EndedOn == null)
                    .Join(db.Customers.Where(c => c.Email != null && c.EmailFailedOn == null), ac => ac.CustomerId, c => c.Id, (ac, c) => new { ac.AccountId, c.Email, c.DisplayName })
                    .ToListAsync(cancellationToken))
                // An address on file that is no e-mail address (keyed by hand long ago) is passed over: that bill goes on paper
                // (BillDocument.Paperless) until a clerk corrects it.
                .Where(x => QueueMail.IsAddress(x.Email))
                .ToLookup(x => x.AccountId, x => (Email: x.Email!, Name: x.DisplayName, Language: "en"));
            // Two workers finishing one run both queue its e-bills: the one whose save meets the other's rows (the dedupe key's
            // unique index) reads what is queued now and queues the rest.
            for (var attempt = 1; ; attempt++)
            {
                var added = 0;
                var sends = chunk.SelectMany(bill => (logins[bill.AccountId].Any() ? logins[bill.AccountId] : holders[bill.AccountId].Take(1))
                    .Select(to => (Bill: bill, To: to, Key: $"ebill:{bill.Id}:{to.Email.ToLowerInvariant()}"))).ToList();
                var already = await mail.QueuedKeysAsync(sends.Select(s => s.Key).ToList(), cancellationToken);
                foreach (var (bill, (email, name, language), key) in sends)
                {
                    var link = $"{settings.PublicUrl}/portal/accounts/{bill.AccountNumber}/bills/{bill.Id}";
                    if (await mail.QueueAsync("EBill", key, bill.AccountId, email, name, language,
                            [name, utility.UtilityName, bill.AccountNumber, Money.FromCents(bill.AmountDueCents), PortalText.Date(language, bill.DueDate), link, bill.Id], cancellationToken, already))
                    {
                        added++;
                    }
                }

                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                    queued += added;
                    break;
                }
                catch (DbUpdateException) when (attempt < 3)
                {
                    db.ChangeTracker.Clear();
                }
            }

            db.ChangeTracker.Clear();
        }

        if (queued > 0)
        {
            await mail.SendSoonAsync(cancellationToken);
        }

        return queued;
    }
}
