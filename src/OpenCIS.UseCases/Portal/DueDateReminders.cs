using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.Storage.Billing;
using OpenCIS.Storage.Payments.Ach;
using OpenCIS.UseCases.Billing;

namespace OpenCIS.UseCases.Portal;

/// <summary>
/// Due-date reminders: after each business day's collections run, the portal logins that want them are e-mailed, and texted
/// where they asked for texts at a proved mobile number (queued, in their language), about their accounts' latest bills falling due within <see cref="DaysAhead"/> days on which something is
/// still owed, unless autopay pays them. Run on business days, the window covers the weekend after a Friday. Keyed by bill
/// and login, so a bill is reminded of once.
/// </summary>
public sealed class DueDateReminders(OpenCisDbContext db, PortalMail mail, PortalSettings settings, BillSettings utility)
{
    public const int DaysAhead = 3;

    public async Task<int> QueueAsync(DateOnly businessDate, CancellationToken cancellationToken = default)
    {
        var through = businessDate.AddDays(DaysAhead);
        var due = await db.Bills.AsNoTracking()
            .Where(b => b.Status == BillStatus.Issued && b.DueDate > businessDate && b.DueDate <= through && db.PortalUserAccounts.Any(l => l.AccountId == b.AccountId))
            .Where(b => !db.Bills.Any(later => later.AccountId == b.AccountId && later.Status == BillStatus.Issued && later.Id > b.Id))
            .Where(b => !db.AchEnrollments.Any(e => e.AccountId == b.AccountId && e.Status == AchEnrollmentStatus.Active))
            .Join(db.Accounts, b => b.AccountId, a => a.Id, (b, a) => new { b.Id, b.AccountId, a.AccountNumber, b.DueDate })
            .ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return 0;
        }

        var accountIds = due.Select(b => b.AccountId).Distinct().ToList();
        var balances = await Ledger.AccountLedger.BalancesAsync(db, accountIds, cancellationToken);
        var logins = (await db.PortalUserAccounts.AsNoTracking().Where(l => accountIds.Contains(l.AccountId))
                .Join(db.PortalUsers.Where(u => u.EmailConfirmed && (u.Reminders || (u.TextAlerts && u.PhoneNumberConfirmed))), l => l.PortalUserId, u => u.Id,
                    (l, u) => new { l.AccountId, u.Id, u.Email, u.DisplayName, u.Language, u.Reminders, Mobile = u.TextAlerts && u.PhoneNumberConfirmed ? u.PhoneNumber : null })
                .ToListAsync(cancellationToken))
            .ToLookup(x => x.AccountId);
        var sends = due.Where(b => balances.GetValueOrDefault(b.AccountId) > 0)
            .SelectMany(bill => logins[bill.AccountId].Select(login => (Bill: bill, Login: login, Key: $"reminder:{bill.Id}:{login.Email!.ToLowerInvariant()}", TextKey: $"reminder-text:{bill.Id}:{login.Id}")))
            .ToList();
        var already = await mail.QueuedKeysAsync([.. sends.Select(s => s.Key), .. sends.Select(s => s.TextKey)], cancellationToken);
        var queued = 0;
        foreach (var (bill, login, key, textKey) in sends)
        {
            var link = $"{settings.PublicUrl}/portal/accounts/{bill.AccountNumber}/pay?bill={bill.Id}";
            var owed = Money.FromCents(balances[bill.AccountId]);
            if (login.Reminders && await mail.QueueAsync("Reminder", key, bill.AccountId, login.Email!, login.DisplayName, login.Language,
                    [login.DisplayName, utility.UtilityName, bill.AccountNumber, owed, PortalText.Date(login.Language, bill.DueDate), link], cancellationToken, already))
            {
                queued++;
            }

            if (login.Mobile is { } mobile && await mail.QueueTextAsync("Reminder", textKey, bill.AccountId, mobile, login.DisplayName, login.Language,
                    [utility.UtilityName, bill.AccountNumber, owed, PortalText.Date(login.Language, bill.DueDate), link], cancellationToken, already))
            {
                queued++;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        if (queued > 0)
        {
            await mail.SendSoonAsync(cancellationToken);
        }

        return queued;
    }
}
