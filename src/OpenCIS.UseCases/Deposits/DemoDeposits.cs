using OpenCIS.Core.Deposits;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Ledger;
using OpenCIS.UseCases.Ledger;
using OpenCIS.Storage;
using OpenCIS.Storage.Deposits;

namespace OpenCIS.UseCases.Deposits;

/// <summary>
/// Deposits for the demo city's screens: the standard deposit billed (unpaid) on the seed's last day to all
/// but the last of the given accounts, and the last one's waived by a letter of credit. Posted through the
/// ledger like any deposit, so the deposit report ties to GL 2200.
/// </summary>
internal static class DemoDeposits
{
    public static async Task SeedAsync(OpenCisDbContext db, DepositPolicy policy, IReadOnlyList<long> accountIds, DateOnly on, string user, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (accountIds.Count == 0)
        {
            return;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var ledgers = await AccountLedger.LoadManyAsync(db, accountIds, cancellationToken);
        var standard = policy.RequiredByClass.GetValueOrDefault("Residential", Core.Common.Money.Zero);
        for (var i = 0; i < accountIds.Count; i++)
        {
            var waived = i == accountIds.Count - 1;
            var decision = policy.Decide("Residential", waived ? CreditHistory.None with { WaiverReason = "Letter of credit from Riverbend Savings (demo)" } : CreditHistory.None);
            var deposit = Deposit.Decide(accountIds[i], standard, decision, on, on.AddDays(policy.DueDays), user, now, null, "demo");
            db.Deposits.Add(deposit);
            if (!decision.IsWaived)
            {
                var charge = ledgers[accountIds[i]].Post(db, DepositPostingRules.ForDepositCharge(decision.Amount), on, deposit.DueOn!.Value, null, user, $"Deposit: {decision.Reason}", now);
                await db.SaveChangesAsync(cancellationToken);
                deposit.Billed(charge.Id);
            }

            await db.SaveChangesAsync(cancellationToken);
            AuditLog.Record(db, now, user, "Deposit", deposit.Id, accountIds[i], decision.IsWaived ? "Waive deposit" : "Bill deposit", null,
                new { Kind = decision.Kind.ToString(), Amount = decision.Amount.ToPlainString() }, decision.Reason);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }
}
