using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Collections;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.Storage.Collections;
using OpenCIS.UseCases.Collections;

namespace OpenCIS.UseCases.Portal;

/// <summary>One payment of an arrangement as the customer sees it: the down payment (number 0) or an installment.</summary>
public sealed record PortalInstallment(int Number, DateOnly DueOn, Money Amount, bool Paid);

/// <summary>An arrangement the account has: what was arranged, how much is paid, where it stands, and its payments.</summary>
public sealed record PortalArrangement(long Id, DateOnly MadeOn, Money Amount, Money Paid, string Status, IReadOnlyList<PortalInstallment> Payments);

/// <summary>
/// What the customer may arrange online: the past-due amount, in any number of monthly installments up to the policy's most,
/// with the policy's least down payment paid today; or, when the policy does not allow one, why not
/// (<see cref="RefusalKey"/>, a portal text).
/// </summary>
public sealed record PortalArrangementOffer(
    string AccountNumber,
    Money PastDue,
    Money DownPayment,
    int InstallmentsMin,
    int InstallmentsMax,
    DateOnly FirstDueOn,
    string? RefusalKey,
    PortalArrangement? Active)
{
    public bool CanArrange => RefusalKey is null;
}

/// <summary>
/// A customer sets up a payment arrangement on a past-due account, within the collections policy in force for the account
/// (<see cref="CreateArrangement"/> and its <see cref="PaymentArrangements.Validate"/>, the same rules a collector works to):
/// the past-due amount, the policy's least down payment today, then monthly installments from a month on. Terms outside the
/// policy need a collector on the phone; the portal never approves them. Made as the customer (<c>portal:</c> their address),
/// so staff see it on the account and in collections like one they made.
/// </summary>
public sealed class PortalArrangements(OpenCisDbContext db, CreateArrangement create, ArrangementQueries arrangements, BusinessCalendar calendar)
{
    /// <summary>The fewest installments offered online: one payment later is a promise, which a collector takes.</summary>
    public const int InstallmentsMin = 2;

    public async Task<PortalArrangementOffer> OfferAsync(string portalUserId, string accountNumber, CancellationToken cancellationToken = default)
    {
        var accountId = await PortalAccess.AccountIdAsync(db, portalUserId, accountNumber, cancellationToken);
        var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == accountId, cancellationToken);
        var today = calendar.Today();
        var firstDue = today.AddMonths(1);
        var active = (await arrangements.ForAccountAsync(accountId, cancellationToken)).FirstOrDefault(a => a.Status == ArrangementStage.Active);
        var pastDue = await CreateArrangement.PastDueAsync(db, accountId, today, cancellationToken);
        var limits = await CreateArrangement.LimitsAsync(db, account, today, cancellationToken);
        var down = PaymentArrangements.LeastDownPayment(limits, pastDue);
        var most = Math.Min(limits.InstallmentsMax, ArrangementLimits.InstallmentsLimit);
        string? refusal = null;
        if (active is not null)
        {
            refusal = "ArrangementHaveOne";
        }
        else if (!pastDue.IsPositive)
        {
            refusal = "ArrangementNothingPastDue";
        }
        else if (most < InstallmentsMin)
        {
            refusal = "ArrangementCallUs";
        }
        else
        {
            var balance = await CreateArrangement.BalanceAsync(db, accountId, cancellationToken);
            var recent = await CreateArrangement.RecentCountAsync(db, accountId, today, cancellationToken);
            try
            {
                PaymentArrangements.Validate(limits, balance, pastDue, down, InstallmentsMin, recent);
            }
            catch (DomainException)
            {
                refusal = "ArrangementCallUs";
            }
        }

        return new PortalArrangementOffer(account.AccountNumber, pastDue, down, InstallmentsMin, Math.Max(most, InstallmentsMin), firstDue, refusal, active is null ? null : View(active));
    }

    /// <summary>Arranges the past-due amount in <paramref name="installments"/> monthly payments, the offer's down payment today.</summary>
    public async Task<PortalArrangement> ArrangeAsync(string portalUserId, string accountNumber, int installments, CancellationToken cancellationToken = default)
    {
        var offer = await OfferAsync(portalUserId, accountNumber, cancellationToken);
        if (offer.RefusalKey is { } refusal)
        {
            throw new PortalException(refusal);
        }

        if (installments < offer.InstallmentsMin || installments > offer.InstallmentsMax)
        {
            throw new PortalException("ErrorInstallments", "installments", offer.InstallmentsMin, offer.InstallmentsMax);
        }

        var accountId = await PortalAccess.AccountIdAsync(db, portalUserId, accountNumber, cancellationToken);
        var email = await db.PortalUsers.Where(u => u.Id == portalUserId).Select(u => u.Email!).SingleAsync(cancellationToken);
        try
        {
            var made = await create.ExecuteAsync(accountId, new ArrangementRequest(null, offer.DownPayment, installments, offer.FirstDueOn), PortalLogins.Actor(email), cancellationToken);
            return View(made.Arrangement);
        }
        catch (DomainException)
        {
            // The policy's rules moved under the offer (a payment posted, another arrangement made): a collector sorts it out.
            throw new PortalException("ArrangementCallUs");
        }
    }

    private static PortalArrangement View(ArrangementView a) =>
        new(a.Id, a.CreatedOn, Money.FromCents(a.AmountCents), Money.FromCents(a.PaidCents), a.Status.ToString(),
            [
                .. a.DownPaymentCents > 0 ? [new PortalInstallment(0, a.CreatedOn, Money.FromCents(a.DownPaymentCents), a.DownPaymentPaidCents >= a.DownPaymentCents)] : Array.Empty<PortalInstallment>(),
                .. a.Installments.Select(i => new PortalInstallment(i.Number, i.DueOn, Money.FromCents(i.AmountCents), i.Paid)),
            ]);
}
