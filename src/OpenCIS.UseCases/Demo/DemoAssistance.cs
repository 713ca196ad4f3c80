using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.Storage.Assistance;

namespace OpenCIS.UseCases.Demo;

/// <summary>
/// Riverbend's assistance programs (senior, low-income, medical; the senior discount is 30% off the residential water
/// base charge, in <see cref="DemoTariffs"/>), a few enrolled accounts, and agencies' pledges: one paid, one open, one
/// overdue. The enrollments are made before the seeded year's bills, so the run bills the discount.
/// </summary>
public static class DemoAssistance
{
    public const string Senior = "SENIOR", LowIncome = "LOWINCOME", Medical = "MEDICAL";
    public const string Agency = "Riverbend Community Action";

    /// <summary>
    /// The planted accounts: two seniors whose enrollment counts all year (so every residential water bill of theirs has
    /// the discount), one whose enrollment expired before the year (no discount), one low-income (no tariff charge
    /// names it: its bills are as any); and the accounts of the paid, open and overdue pledges.
    /// </summary>
    public sealed record Plants(IReadOnlyList<long> CountingSeniors, long ExpiredSenior, long LowIncome, long PaidPledge, long OpenPledge, long OverduePledge);

    public static IEnumerable<AssistanceProgramRow> Programs(string user, DateTimeOffset at) =>
    [
        Program(Senior, "Senior discount", "Head of household 65 or older; proof of age on enrollment, re-verified every two years.", 24, user, at),
        Program(LowIncome, "Low-income assistance (LIHEAP-eligible)", "Household income at or below 150% of the federal poverty level; re-verified yearly.", 12, user, at),
        Program(Medical, "Medical necessity", "A household member depends on powered medical equipment; a physician's certificate yearly.", 12, user, at),
    ];

    /// <summary>The programs, and the enrollments of the chosen accounts (the last of <paramref name="candidates"/>, residential and paying on time).</summary>
    public static async Task<Plants?> EnrollAsync(OpenCisDbContext db, IReadOnlyList<long> candidates, DateOnly openedOn, string user, DateTimeOffset at, CancellationToken cancellationToken)
    {
        db.AssistancePrograms.AddRange(Programs(user, at));
        if (candidates.Count < 10)
        {
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }

        var chosen = candidates.Reverse().Take(7).ToList();
        var plants = new Plants([chosen[0], chosen[1]], chosen[2], chosen[3], chosen[4], chosen[5], chosen[6]);
        foreach (var account in plants.CountingSeniors)
        {
            db.ProgramEnrollments.Add(ProgramEnrollmentRow.Enroll(account, Senior, openedOn, openedOn, null, user, "Proof of age seen"));
        }

        db.ProgramEnrollments.Add(ProgramEnrollmentRow.Enroll(plants.ExpiredSenior, Senior, openedOn.AddYears(-3), openedOn.AddYears(-3), openedOn.AddDays(-1), user, "Expired: not re-verified"));
        db.ProgramEnrollments.Add(ProgramEnrollmentRow.Enroll(plants.LowIncome, LowIncome, openedOn, openedOn, null, user, null));
        await db.SaveChangesAsync(cancellationToken);
        return plants;
    }

    /// <summary>The pledges, on the seed's last day: one paid (linked to the account's last payment), one open, one overdue.</summary>
    public static async Task PledgeAsync(OpenCisDbContext db, Plants plants, DateOnly through, string user, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var payment = await db.Payments.Where(p => p.AccountId == plants.PaidPledge).OrderByDescending(p => p.Id)
            .Select(p => new { p.Id, p.AmountCents, p.ReceivedOn }).FirstAsync(cancellationToken);
        var paid = AssistancePledgeRow.Record(plants.PaidPledge, Agency, Money.FromCents(payment.AmountCents), payment.ReceivedOn.AddDays(-20), payment.ReceivedOn.AddDays(10), user, at, "LIHEAP crisis grant");
        paid.MarkPaid(payment.Id, payment.ReceivedOn, payment.AmountCents, user);
        db.AssistancePledges.AddRange(
            paid,
            AssistancePledgeRow.Record(plants.OpenPledge, Agency, Money.FromCents(12_500), through.AddDays(-5), through.AddDays(25), user, at, null),
            AssistancePledgeRow.Record(plants.OverduePledge, "Salvation Army", Money.FromCents(7_500), through.AddDays(-45), through.AddDays(-15), user, at, null));
        await db.SaveChangesAsync(cancellationToken);
    }

    private static AssistanceProgramRow Program(string code, string name, string eligibility, int months, string user, DateTimeOffset at) =>
        new() { Code = code, Name = name, Eligibility = eligibility, VerificationMonths = months, Active = true, UpdatedBy = user, UpdatedAt = at };
}
