using Microsoft.EntityFrameworkCore;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Billing;
using OpenCIS.Storage.Customers;

namespace OpenCIS.UseCases.Customers;

/// <summary>
/// Landlord agreements at work: when a tenant's service stops at a premise whose owner has a landlord agreement, the
/// same service points are served from the next day on a new owner-revert account of the owner's (same class, cycle
/// and route, same rate schedules), measured from the tenant's final read, so no day between tenants goes unbilled or
/// unserved. It joins the stop's transaction. The next tenant's start stops it (<see cref="StartService"/>).
/// </summary>
public static class OwnerRevert
{
    /// <summary>The owner's new account, or null when no landlord agreement covers the day after the stop (or the owner is the one leaving).</summary>
    public static async Task<Account?> OpenAsync(OpenCisDbContext db, Account tenant, IReadOnlyList<ServiceAgreement> ended, DateOnly stopDate, string user, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (tenant.OwnerRevert || ended.Count == 0 || tenant.PremiseId is not { } premiseId)
        {
            return null;
        }

        var start = stopDate.AddDays(1);
        var agreement = (await db.LandlordAgreements.AsNoTracking().Where(l => l.PremiseId == premiseId).ToListAsync(cancellationToken))
            .FirstOrDefault(l => l.CoversOn(start));
        if (agreement is null)
        {
            return null;
        }

        var leaving = await db.AccountCustomers.AsNoTracking().Where(ac => ac.AccountId == tenant.Id && ac.Role == AccountRole.Main).Select(ac => ac.CustomerId).ToListAsync(cancellationToken);
        if (leaving.Contains(agreement.OwnerCustomerId))
        {
            return null;
        }

        var account = Account.Open(await StartService.NextAccountNumberAsync(db, cancellationToken), tenant.Class, tenant.CycleCode, premiseId, start, ownerRevert: true);
        if (tenant.RouteCode is { } route)
        {
            account.PlaceOnRoute(route, tenant.RouteSequence);
        }

        db.Accounts.Add(account);
        await db.SaveChangesAsync(cancellationToken);
        db.AccountCustomers.Add(new AccountCustomer { AccountId = account.Id, CustomerId = agreement.OwnerCustomerId, Role = AccountRole.Main, StartedOn = start });
        db.AccountCustomers.Add(new AccountCustomer { AccountId = account.Id, CustomerId = agreement.OwnerCustomerId, Role = AccountRole.Owner, StartedOn = start });
        foreach (var from in ended)
        {
            db.ServiceAgreements.Add(new ServiceAgreement
            {
                AccountId = account.Id,
                ServicePointId = from.ServicePointId,
                Service = from.Service,
                RateScheduleCode = from.RateScheduleCode,
                Units = from.Units,
                UsageFromService = from.UsageFromService,
                // The service is the same (the cart, the fire line): so are the attributes that price it.
                Attributes = from.Attributes,
                StartedOn = start,
            });
        }

        AuditLog.Record(db, now, user, "Account", account.Id, account.Id, "Revert service to owner", null,
            new { account.AccountNumber, TenantAccount = tenant.AccountNumber, LandlordAgreementId = agreement.Id, agreement.OwnerCustomerId, StartedOn = start }, $"Tenant's service stopped {stopDate:yyyy-MM-dd}");
        await db.SaveChangesAsync(cancellationToken);
        return account;
    }
}
