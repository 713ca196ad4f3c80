using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Pursuit;
using OpenCIS.Storage;
using OpenCIS.UseCases.Pursuit;

namespace OpenCIS.UseCases.Demo;

/// <summary>The demo city's final-bill pursuit: its collection agency and legal office, and the agency's payment on the planted placement.</summary>
public static class DemoPursuit
{
    public const string AgencyCode = "CRS";
    public const string LegalCode = "RCSA";

    /// <summary>Days after the placement the agency's payment file brings in a fifth of the balance placed.</summary>
    public const int AgencyPaysAfterDays = 45;

    public static IReadOnlyList<AgencyRequest> Agencies { get; } =
    [
        new(AgencyCode, "Cascade Recovery Services", ReferralKind.Agency, 25m, RemittanceBasis.Net, "PO Box 4410, Salem, OR 97302 · (503) 555-0142 · placements@cascaderecovery.example"),
        new(LegalCode, "Riverbend County State's Attorney", ReferralKind.Legal, 0m, RemittanceBasis.Gross, "Civil Division, 200 Court St, Riverbend"),
    ];

    /// <summary>On the first business day the planted placement is <see cref="AgencyPaysAfterDays"/> days old, the agency's payment file: a fifth of what was placed, through the real import.</summary>
    public static async Task AgencyPaysAsync(OpenCisDbContext db, AgencyPayments payments, long? accountId, DateOnly day, string user, CancellationToken cancellationToken)
    {
        if (accountId is not { } id)
        {
            return;
        }

        var referral = await db.Referrals.AsNoTracking().Where(r => r.AccountId == id && r.Kind == ReferralKind.Agency).OrderBy(r => r.Id).FirstOrDefaultAsync(cancellationToken);
        if (referral is null || day < referral.ReferredOn.AddDays(AgencyPaysAfterDays) || await db.AgencyPayments.AnyAsync(p => p.ReferralId == referral.Id, cancellationToken))
        {
            return;
        }

        var number = await db.Accounts.AsNoTracking().Where(a => a.Id == id).Select(a => a.AccountNumber).SingleAsync(cancellationToken);
        var amount = Money.Max(Money.FromCents(1), Money.Round(referral.ReferredCents / 100m / 5m));
        var file = new StringBuilder("referral_id,account_number,paid_on,amount,reference\r\n")
            .Append(CultureInfo.InvariantCulture, $"{referral.Id},{number},{day:yyyy-MM-dd},{amount.ToPlainString()},CRS-{referral.Id}-1\r\n");
        var outcome = await payments.ImportAsync(AgencyCode, $"crs-payments-{day:yyyyMMdd}.csv", Encoding.UTF8.GetBytes(file.ToString()), user, cancellationToken);
        if (!outcome.Posted)
        {
            throw new InvalidOperationException($"The demo agency payment file did not post: {outcome.Message} {string.Join("; ", outcome.Errors)}");
        }

        db.ChangeTracker.Clear();
    }
}
