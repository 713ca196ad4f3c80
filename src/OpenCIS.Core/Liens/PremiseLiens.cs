using OpenCIS.Core.Common;

namespace OpenCIS.Core.Liens;

/// <summary>
/// Where a lien stands in the register. Noticed: the owner of record has been sent the notice and has the notice period to pay.
/// Filed: recorded against the parcel with the filing fee. Partly paid: filed, and some of it since paid. Satisfied: nothing it
/// secures is left unpaid, paid or written off (a lien settled before filing ends here; nothing was recorded to release).
/// Released: the release is recorded.
/// </summary>
public enum LienStatus
{
    Noticed,
    Filed,
    PartlyPaid,
    Satisfied,
    Released,
}

/// <summary>
/// A policy's liens: an owner-responsible balance <see cref="DaysPastDue"/> days past due and at least <see cref="MinimumBalance"/>
/// past due is noticed to the owner of record, who has <see cref="NoticeDays"/> days to pay before the lien is filed against the
/// parcel with <see cref="FilingFee"/> added to what it secures.
/// </summary>
public sealed record LienRules(int DaysPastDue, Money MinimumBalance, int NoticeDays, Money FilingFee)
{
    public const int DaysMax = 3650;
}

/// <summary>
/// The lien an account has open now: its number, where it stands, when its notice period ends, what of it is unpaid, and what of
/// it was written off to bad debt (closed, but not paid).
/// </summary>
public sealed record OpenLien(string Number, LienStatus Status, DateOnly NoticeEndsOn, Money Secured, Money Outstanding, Money WrittenOff = default);

/// <summary>
/// What the lien run knows of an account on the day: whether its owner answers for it, how far past due it is and by how much,
/// what protects it (a bankruptcy stay, a dispute, an arrangement), whether an agency has the balance, and its open lien.
/// </summary>
public sealed record LienAccount(bool OwnerResponsible, int DaysPastDue, Money PastDue, string? Protection, string? WithAgency, OpenLien? Lien);

public enum LienActionKind
{
    /// <summary>Nothing to do today; the reason says why.</summary>
    None,
    Notice,
    File,
    MarkPartlyPaid,
    Satisfy,
}

/// <summary>The day's action on one account's lien, with the reason in words for the register and the account's timeline.</summary>
public sealed record LienAction(LienActionKind Kind, string Reason);

/// <summary>The lien decisions. Pure: the daily run loads each account's facts and acts on what comes back.</summary>
public static class PremiseLiens
{
    /// <summary>The one thing the lien run does for <paramref name="account"/> on <paramref name="today"/> under <paramref name="rules"/>.</summary>
    public static LienAction Decide(LienRules rules, LienAccount account, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(account);
        if (account.Lien is { } lien)
        {
            return Advance(lien, account, today);
        }

        if (!account.OwnerResponsible)
        {
            return new LienAction(LienActionKind.None, "the owner of record does not answer for this account");
        }

        if (account.Protection is { } protection)
        {
            return new LienAction(LienActionKind.None, $"no lien: {protection}");
        }

        if (account.WithAgency is { } agency)
        {
            return new LienAction(LienActionKind.None, $"no lien: the balance is with {agency}");
        }

        if (account.DaysPastDue < rules.DaysPastDue)
        {
            return new LienAction(LienActionKind.None, $"{Days(account.DaysPastDue)} past due, under the {Days(rules.DaysPastDue)} a lien waits for");
        }

        if (account.PastDue < rules.MinimumBalance || !account.PastDue.IsPositive)
        {
            return new LienAction(LienActionKind.None, $"{account.PastDue} past due, under the {rules.MinimumBalance} a lien needs");
        }

        return new LienAction(LienActionKind.Notice,
            $"lien noticed to the owner of record for {account.PastDue}: {Days(account.DaysPastDue)} past due; filed after {today.AddDays(rules.NoticeDays):yyyy-MM-dd} unless paid");
    }

    private static LienAction Advance(OpenLien lien, LienAccount account, DateOnly today)
    {
        switch (lien.Status)
        {
            case LienStatus.Satisfied or LienStatus.Released:
                return new LienAction(LienActionKind.None, $"lien {lien.Number} {(lien.Status == LienStatus.Released ? "released" : "satisfied")}");
            case LienStatus.Noticed when !lien.Outstanding.IsPositive && lien.WrittenOff.IsPositive:
                return new LienAction(LienActionKind.Satisfy, $"lien {lien.Number} not filed: {lien.WrittenOff} of it written off within its notice period, the rest paid; nothing to file");
            case LienStatus.Noticed when !lien.Outstanding.IsPositive:
                return new LienAction(LienActionKind.Satisfy, $"lien {lien.Number} paid within its notice period; nothing to file");
            case LienStatus.Noticed when account.Protection is { } protection:
                return new LienAction(LienActionKind.None, $"lien {lien.Number} filing waits: {protection}");
            case LienStatus.Noticed when today <= lien.NoticeEndsOn:
                return new LienAction(LienActionKind.None, $"lien {lien.Number} noticed; {lien.Outstanding} unpaid, notice period ends {lien.NoticeEndsOn:yyyy-MM-dd}");
            case LienStatus.Noticed:
                return new LienAction(LienActionKind.File, $"lien {lien.Number} filed for {lien.Outstanding} unpaid after the notice period ended {lien.NoticeEndsOn:yyyy-MM-dd}");
            case LienStatus.Filed or LienStatus.PartlyPaid when !lien.Outstanding.IsPositive && lien.WrittenOff.IsPositive:
                return new LienAction(LienActionKind.Satisfy, $"lien {lien.Number} settled, not paid in full: {lien.WrittenOff} of it written off; its release can be recorded");
            case LienStatus.Filed or LienStatus.PartlyPaid when !lien.Outstanding.IsPositive:
                return new LienAction(LienActionKind.Satisfy, $"lien {lien.Number} paid in full; its release can be recorded");
            case LienStatus.Filed when lien.Outstanding + lien.WrittenOff < lien.Secured:
                return new LienAction(LienActionKind.MarkPartlyPaid, $"lien {lien.Number} partly paid: {lien.Secured - lien.Outstanding} of {lien.Secured}, {lien.Outstanding} unpaid");
            default:
                return new LienAction(LienActionKind.None, $"lien {lien.Number} {Words(lien.Status)}; {lien.Outstanding} unpaid");
        }
    }

    /// <summary>Whether a lien is still open: it secures a balance, or has been filed and waits for its release.</summary>
    public static bool IsOpen(LienStatus status) => status is LienStatus.Noticed or LienStatus.Filed or LienStatus.PartlyPaid;

    public static string Words(LienStatus status) => status switch
    {
        LienStatus.PartlyPaid => "partly paid",
        _ => status.ToString().ToLowerInvariant(),
    };

    /// <summary>The register's number of the <paramref name="sequence"/>th lien: LN- and six digits.</summary>
    public static string Number(long sequence) => $"LN-{sequence:D6}";

    private static string Days(int days) => days == 1 ? "1 day" : $"{days} days";
}
