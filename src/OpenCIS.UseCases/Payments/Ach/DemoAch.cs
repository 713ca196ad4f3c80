using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Payments.Ach;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Customers;
using OpenCIS.Storage;
using OpenCIS.Storage.Payments.Ach;
using OpenCIS.Storage.Payments;

namespace OpenCIS.UseCases.Payments.Ach;

/// <summary>
/// ACH autopay for the demo city: the accounts that pay by ACH hold an active enrollment (its prenote
/// went out and settled when the account opened), at one of a few real banks' routing numbers, so the
/// ACH screen lists them and <c>opencis ach generate</c> debits their bills as they come due.
/// </summary>
internal static class DemoAch
{
    private static readonly string[] RoutingNumbers = ["021000021", "121000248", "091000019", "011000138"];

    public static async Task SeedAsync(OpenCisDbContext db, Encryption.FieldProtector protector, IReadOnlyList<long> accountIds, DateOnly enrolledOn, string user, CancellationToken cancellationToken)
    {
        if (!RoutingNumbers.All(Core.Payments.Ach.RoutingNumbers.IsValid))
        {
            throw new InvalidOperationException("A demo routing number fails its check digit.");
        }

        var holders = (await db.AccountCustomers.AsNoTracking()
                .Where(ac => accountIds.Contains(ac.AccountId) && ac.Role == AccountRole.Main && ac.EndedOn == null)
                .Join(db.Customers, ac => ac.CustomerId, c => c.Id, (ac, c) => new { ac.AccountId, c.DisplayName })
                .ToListAsync(cancellationToken))
            .GroupBy(h => h.AccountId).ToDictionary(g => g.Key, g => g.First().DisplayName);
        var prenoteSettled = enrolledOn.AddDays(7);
        var enrollments = new List<AchEnrollment>(accountIds.Count);
        for (var i = 0; i < accountIds.Count; i++)
        {
            var accountId = accountIds[i];
            var holder = holders.GetValueOrDefault(accountId, "Riverbend customer");
            var routing = RoutingNumbers[i % RoutingNumbers.Length];

            var bankAccount = $"{4_400_000_000 + (accountId * 7_919 % 599_999_999)}";
            var enrollment = AchEnrollment.Start(accountId, routing, protector.Protect(bankAccount), AchEnrollment.LastFour(bankAccount), i % 5 == 4 ? AchAccountType.Savings : AchAccountType.Checking,
                i % 3 == 2 ? AchEntryClass.Web : AchEntryClass.Ppd, holder.Length > 22 ? holder[..22] : holder, enrolledOn, user);
            enrollment.PrenoteSent(enrolledOn);
            enrollment.Activate(prenoteSettled);
            enrollments.Add(enrollment);
        }

        // In bulk (the rows SaveChanges would write): a large city has hundreds of thousands of them.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await Storage.Bulk.EntityBulkWriter.AddAsync(db, enrollments, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
