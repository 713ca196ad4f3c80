using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Liens;
using OpenCIS.Core.Payments;
using OpenCIS.Storage;
using OpenCIS.UseCases.Liens;
using OpenCIS.UseCases.Payments;

namespace OpenCIS.UseCases.Demo;

/// <summary>The demo city's lien cases: the owners' payments at the counter, and the release a clerk records once a filed lien is paid.</summary>
public static class DemoLiens
{
    /// <summary>What the owner of the partly paid lien pays on it.</summary>
    public const long PartPaymentCents = 100_00;

    /// <summary>An owner's payment on the first collections day on or after <paramref name="On"/>: the whole balance, or <paramref name="Cents"/>.</summary>
    public sealed record Payoff(long AccountId, DateOnly On, long? Cents)
    {
        public bool Paid { get; set; }
    }

    public static async Task PayAsync(OpenCisDbContext db, PaymentBatchPoster poster, List<Payoff> payoffs, DateOnly day, string user, CancellationToken cancellationToken)
    {
        foreach (var payoff in payoffs.Where(p => !p.Paid && p.On <= day))
        {
            payoff.Paid = true;
            var owed = await db.OpenItems.AsNoTracking().Where(o => o.AccountId == payoff.AccountId).SumAsync(o => o.OpenCents, cancellationToken);
            var cents = Math.Min(payoff.Cents ?? owed, owed);
            if (cents > 0)
            {
                await poster.AddAsync([new PaymentInstruction(payoff.AccountId, Money.FromCents(cents), day, Tender.Check, PaymentSource.Counter, $"LIEN-{payoff.AccountId}")], user, null, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>On or after the day, once the account's filed lien is satisfied, its release recorded as a clerk records it.</summary>
    public static async Task ReleaseAsync(OpenCisDbContext db, LienRegister register, (long AccountId, DateOnly On)? release, DateOnly day, string user, CancellationToken cancellationToken)
    {
        if (release is not { } planned || day < planned.On)
        {
            return;
        }

        var lien = await db.Liens.AsNoTracking().Where(l => l.AccountId == planned.AccountId && l.Status == LienStatus.Satisfied && l.FiledOn != null).FirstOrDefaultAsync(cancellationToken);
        if (lien is not null)
        {
            await register.ReleaseAsync(lien.Number, "Paid in full at the counter", user, cancellationToken, day);
        }
    }
}
