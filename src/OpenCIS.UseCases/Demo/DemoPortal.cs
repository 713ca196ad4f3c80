using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Storage;
using OpenCIS.Storage.Billing;
using OpenCIS.Storage.Customers;
using OpenCIS.Storage.Portal;

namespace OpenCIS.UseCases.Demo;

/// <summary>
/// The demo city's customers with portal logins (the README lists them, with the demo password): María, in Spanish, with
/// two accounts under one login, and Sam, in English, with one, paperless, with texts to his mobile, and an e-check of $20.00
/// waiting for the next ACH file. Their addresses are verified, as if they had followed the link. The accounts are the first
/// residential accounts in service with a bill, in account order.
/// </summary>
public static class DemoPortal
{
    public const string Maria = "maria@riverbend.example", Sam = "sam@riverbend.example";

    /// <summary>Sam's proved mobile number, where his texts go.</summary>
    public const string SamMobile = "+15415550142";

    /// <summary>The demo customers' password (the demo staff's too).</summary>
    public const string Password = "riverbend-demo";

    /// <summary>Sam's pending e-check: from this checking account (shown as ****7788), for this much.</summary>
    public const string SamBankAccount = "4455667788";

    public const long SamECheckCents = 20_00;

    public static async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> SeedAsync(OpenCisDbContext db, Encryption.FieldProtector protector, DateOnly today, TimeProvider clock, CancellationToken cancellationToken)
    {
        var accounts = await db.Accounts.AsNoTracking()
            .Where(a => a.Class == AccountClass.Residential && a.Status == AccountStatus.Active && db.Bills.Any(b => b.AccountId == a.Id && b.Status == BillStatus.Issued))
            .OrderBy(a => a.AccountNumber).Select(a => new { a.Id, a.AccountNumber }).Take(3).ToListAsync(cancellationToken);
        if (accounts.Count < 3)
        {
            return new Dictionary<string, IReadOnlyList<string>>();
        }

        var now = clock.GetUtcNow();
        var hasher = new PasswordHasher<PortalUser>();
        var logins = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var (email, name, language, linked) in new[] { (Maria, "María Delgado", "es", accounts.Take(2).ToList()), (Sam, "Sam Whitfield", "en", accounts.Skip(2).Take(1).ToList()) })
        {
            var user = new PortalUser
            {
                UserName = email,
                NormalizedUserName = email.ToUpperInvariant(),
                Email = email,
                NormalizedEmail = email.ToUpperInvariant(),
                EmailConfirmed = true,
                LockoutEnabled = true,
                DisplayName = name,
                Language = language,
                CreatedAt = now,
            };
            user.PasswordHash = hasher.HashPassword(user, Password);
            db.PortalUsers.Add(user);
            foreach (var account in linked)
            {
                db.PortalUserAccounts.Add(new PortalUserAccount { PortalUserId = user.Id, AccountId = account.Id, Proof = "demo", LinkedAt = now });
            }

            logins[email] = linked.Select(a => a.AccountNumber).ToList();
        }

        // Sam has gone paperless: his bills come by e-mail, and the print file leaves them out. He proved his mobile number
        // and gets his reminders and receipts by text too.
        var sam = db.PortalUsers.Local.Single(u => u.Email == Sam);
        (sam.PhoneNumber, sam.PhoneNumberConfirmed, sam.TextAlerts) = (SamMobile, true, true);
        var paperless = accounts[2].Id;
        (await db.Accounts.SingleAsync(a => a.Id == paperless, cancellationToken)).ChooseBillDelivery(BillDelivery.Email);
        // And has authorized an e-check online, which the next ACH file carries (the pay page shows how).
        var amount = Core.Common.Money.FromCents(SamECheckCents);
        db.OneTimeDebits.Add(OneTimeDebit.Authorize(paperless, sam.Id, SamECheckCents, "011000015", protector.Protect(SamBankAccount), "7788", Core.Payments.Ach.AchAccountType.Checking,
            "Sam Whitfield", today, now, Portal.PortalText.Get("en", "ECheckAuthorization", "Sam Whitfield", amount, "011000015", "****7788", accounts[2].AccountNumber, Portal.PortalText.Date("en", today))));
        await db.SaveChangesAsync(cancellationToken);
        return logins;
    }

    /// <summary>The most of her last bill María disputed online (less when her account owes less).</summary>
    public const long MariaDisputedCents = 12_50;

    /// <summary>
    /// María disputed the last bill of the first of her accounts that owes something, online, in Spanish, and a clerk decided it:
    /// the decision letter on that account is written from the Spanish template, in Spanish words and dates. Nothing when the
    /// portal was not seeded or her accounts owe nothing.
    /// </summary>
    public static async Task SeedDisputeAsync(OpenCisDbContext db, Portal.PortalRequests requests, Cases.CaseWork cases, string user, CancellationToken cancellationToken)
    {
        var maria = await db.PortalUsers.AsNoTracking().Where(u => u.Email == Maria).Select(u => u.Id).SingleOrDefaultAsync(cancellationToken);
        if (maria is null)
        {
            return;
        }

        var accounts = await db.PortalUserAccounts.AsNoTracking().Where(l => l.PortalUserId == maria).OrderBy(l => l.Id)
            .Join(db.Accounts, l => l.AccountId, a => a.Id, (l, a) => new { a.Id, a.AccountNumber }).ToListAsync(cancellationToken);
        foreach (var account in accounts)
        {
            var owed = (await Collections.CreateArrangement.BalanceAsync(db, account.Id, cancellationToken)).Cents;
            if (owed < 1_00)
            {
                continue;
            }

            var bill = await db.Bills.AsNoTracking().Where(b => b.AccountId == account.Id && b.Status == BillStatus.Issued).MaxAsync(b => b.Id, cancellationToken);
            var amount = Core.Common.Money.FromCents(Math.Min(MariaDisputedCents, owed)).ToPlainString();
            var asked = await requests.AskAsync(maria, account.AccountNumber, new Portal.PortalRequest(Portal.PortalRequestKind.BillDispute, null, null, bill, amount,
                "El consumo de este mes me parece demasiado alto: no hubo nadie en casa durante dos semanas."), cancellationToken);
            await cases.ResolveAsync(asked.CaseNumber, "denied", "Revisamos la lectura y el medidor: el consumo facturado es correcto.", user, cancellationToken);
            db.ChangeTracker.Clear();
            return;
        }
    }
}
