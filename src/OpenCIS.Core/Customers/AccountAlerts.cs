using OpenCIS.Core.Collections;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;

namespace OpenCIS.Core.Customers;

/// <summary>How loudly an alert speaks: danger stops the clerk, a warning changes what they say, info is context.</summary>
public enum AlertLevel
{
    Danger,
    Warning,
    Info,
}

/// <summary>One line of the account's alert strip: what it is about (a stable key for tests and the API), how loud, and its words.</summary>
public sealed record AccountAlert(string Kind, AlertLevel Level, string Text);

/// <summary>The protections a person records on an account, as the alert strip names them.</summary>
public enum ProtectionAlert
{
    MedicalCertificate,
    LifeSupport,
    Dispute,
    BankruptcyStay,
    TenantOccupied,
}

public sealed record LastPaymentFact(DateOnly ReceivedOn, Money Amount, string Tender, bool Returned);

public sealed record ProtectionFact(ProtectionAlert Kind, DateOnly StartsOn, DateOnly? EndsOn, string? Physician, Money? Amount, string Note);

public sealed record ArrangementFact(DateOnly CreatedOn, Money Amount, Money Paid, DateOnly? NextDueOn, Money? NextAmount);

public sealed record DepositDueFact(Money Amount, DateOnly? DueOn);

public sealed record OrderFact(long OrderId, string Kind, string Status, DateOnly DueOn);

public sealed record CaseFact(long CaseId, string Kind, string Status, DateOnly DueOn);

public sealed record NoteFact(string Text, string WrittenBy, DateTimeOffset WrittenAt);

/// <summary>Where the daily collections run left the account: its step, and whether it is on the disconnect list.</summary>
public sealed record CollectionStandingFact(string Step, bool Listed, string? ListReason);

/// <summary>Everything the alert strip looks at, as loaded for one account on one day.</summary>
public sealed record AccountAlertFacts(
    DateOnly Today,
    bool CashOnly,
    IReadOnlyList<PastDueItem> OpenItems,
    LastPaymentFact? LastPayment,
    CollectionStandingFact? Standing,
    IReadOnlyList<ProtectionFact> Protections,
    ArrangementFact? Arrangement,
    IReadOnlyList<DepositDueFact> DepositsDue,
    IReadOnlyList<OrderFact> OpenOrders,
    IReadOnlyList<CaseFact> OpenCases,
    NoteFact? LatestNote)
{
    /// <summary>The account holder's address, phone or e-mail known not to work (skip tracing).</summary>
    public IReadOnlyList<ContactFailure> ContactFailures { get; init; } = [];
}

/// <summary>
/// The account page's alert strip, decided from the facts: past due with its days and amount, the last payment,
/// cash-only, each protection in force, the arrangement, deposits due, open orders and cases, and the latest
/// note. The same strip shows on the cashier screen. The loudest come first.
/// </summary>
public static class AccountAlerts
{
    public const string PastDue = "past-due";
    public const string DisconnectList = "disconnect-list";
    public const string Disconnected = "disconnected";
    public const string LastPayment = "last-payment";
    public const string CashOnly = "cash-only";
    public const string MedicalCertificate = "medical-certificate";
    public const string LifeSupport = "life-support";
    public const string Dispute = "dispute";
    public const string BankruptcyStay = "bankruptcy-stay";
    public const string TenantOccupied = "tenant-occupied";
    public const string Arrangement = "arrangement";
    public const string DepositDue = "deposit-due";
    public const string Orders = "orders";
    public const string Cases = "cases";
    public const string Note = "note";
    public const string MailReturned = "mail-returned";
    public const string PhoneFailed = "phone-failed";
    public const string EmailFailed = "email-failed";

    /// <summary>A note longer than this is cut on the strip; the whole note is on the collections page.</summary>
    public const int NoteLength = 120;

    public static IReadOnlyList<AccountAlert> For(AccountAlertFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var alerts = new List<AccountAlert>();
        var today = facts.Today;

        var pastDueItems = facts.OpenItems.Where(i => i.Open.IsPositive && i.DueOn < today).ToList();
        // A credit on the account (a payment not yet applied) counts against what is past due.
        var buckets = PastDueBuckets.Of(facts.OpenItems, today);
        var pastDue = Money.FromCents(Math.Min(buckets.PastDue.Cents, buckets.Total.Cents));
        if (pastDueItems.Count > 0 && pastDue.IsPositive)
        {
            var days = today.DayNumber - pastDueItems.Min(i => i.DueOn).DayNumber;
            var step = facts.Standing is { Step: not ("Current" or "PastDue") } standing ? $"; {StepWords(standing.Step)}" : "";
            alerts.Add(new(PastDue, days > 30 ? AlertLevel.Danger : AlertLevel.Warning, $"Past due {pastDue} for {CollectionText.Days(days)}{step}"));
        }

        if (facts.Standing is { Step: "Disconnected" })
        {
            alerts.Add(new(Disconnected, AlertLevel.Danger, "Service disconnected for non-payment"));
        }
        else if (facts.Standing is { Listed: true } listed)
        {
            alerts.Add(new(DisconnectList, AlertLevel.Danger, $"On the disconnect list{(listed.ListReason is { Length: > 0 } r ? $": {r}" : "")}"));
        }

        if (facts.CashOnly)
        {
            alerts.Add(new(CashOnly, AlertLevel.Danger, "Cash only: no checks or ACH"));
        }

        foreach (var protection in facts.Protections.Where(p => p.StartsOn <= today && (p.EndsOn is not { } ends || today <= ends)).OrderBy(p => p.Kind))
        {
            alerts.Add(protection.Kind switch
            {
                ProtectionAlert.MedicalCertificate => new(MedicalCertificate, AlertLevel.Warning,
                    $"Medical certificate{(protection.EndsOn is { } to ? $" until {CollectionText.Date(to)}" : "")}{(protection.Physician is { Length: > 0 } doctor ? $" ({doctor})" : "")}"),
                ProtectionAlert.LifeSupport => new(LifeSupport, AlertLevel.Danger, $"Life support in the home{Detail(protection.Note)}"),
                ProtectionAlert.Dispute => new(Dispute, AlertLevel.Warning,
                    $"Open dispute{(protection.Amount is { } amount ? $": {amount} held out of collections" : "")} since {CollectionText.Date(protection.StartsOn)}"),
                ProtectionAlert.BankruptcyStay => new(BankruptcyStay, AlertLevel.Danger, $"Bankruptcy stay since {CollectionText.Date(protection.StartsOn)}: no collection action{Detail(protection.Note)}"),
                ProtectionAlert.TenantOccupied => new(TenantOccupied, AlertLevel.Info, $"Tenant-occupied: the owner is noticed first{Detail(protection.Note)}"),
                _ => throw new ArgumentOutOfRangeException(nameof(facts), protection.Kind, "Unknown protection."),
            });
        }

        if (facts.Arrangement is { } arrangement)
        {
            var next = arrangement.NextDueOn is { } due && arrangement.NextAmount is { } next1 ? $"; next {next1} due {CollectionText.Date(due)}" : "";
            alerts.Add(new(Arrangement, AlertLevel.Info, $"Payment arrangement of {arrangement.Amount} made {CollectionText.Date(arrangement.CreatedOn)}, {arrangement.Paid} paid{next}"));
        }

        foreach (var deposit in facts.DepositsDue)
        {
            alerts.Add(new(DepositDue, AlertLevel.Warning, $"Deposit due: {deposit.Amount}{(deposit.DueOn is { } on ? $" by {CollectionText.Date(on)}" : "")}"));
        }

        if (facts.OpenOrders.Count > 0)
        {
            var overdue = facts.OpenOrders.Count(o => o.DueOn < today);
            alerts.Add(new(Orders, overdue > 0 ? AlertLevel.Warning : AlertLevel.Info,
                $"{Count(facts.OpenOrders.Count, "open order")}: {string.Join(", ", facts.OpenOrders.OrderBy(o => o.DueOn).Select(o => $"{Words(o.Kind)} ({o.Status.ToLowerInvariant()}, due {CollectionText.Date(o.DueOn)})"))}{(overdue > 0 ? $"; {overdue} overdue" : "")}"));
        }

        if (facts.OpenCases.Count > 0)
        {
            var overdue = facts.OpenCases.Count(c => c.DueOn < today);
            alerts.Add(new(Cases, overdue > 0 ? AlertLevel.Warning : AlertLevel.Info,
                $"{Count(facts.OpenCases.Count, "open case")}: {string.Join(", ", facts.OpenCases.OrderBy(c => c.DueOn).Select(c => $"{Words(c.Kind)} ({Words(c.Status).ToLowerInvariant()}, due {CollectionText.Date(c.DueOn)})"))}{(overdue > 0 ? $"; {overdue} overdue" : "")}"));
        }

        foreach (var failure in facts.ContactFailures.OrderBy(f => f.Channel))
        {
            alerts.Add(failure.Channel switch
            {
                ContactChannel.Address => new(MailReturned, AlertLevel.Warning, $"{failure.Describe()}: mail to the address is stopped; confirm the address"),
                ContactChannel.Phone => new(PhoneFailed, AlertLevel.Warning, $"{failure.Describe()}: ask for a working number"),
                _ => new(EmailFailed, AlertLevel.Info, $"{failure.Describe()}: ask for a working address"),
            });
        }

        if (facts.LastPayment is { } payment)
        {
            alerts.Add(new(LastPayment, payment.Returned ? AlertLevel.Warning : AlertLevel.Info,
                $"Last payment {payment.Amount} on {CollectionText.Date(payment.ReceivedOn)} ({Words(payment.Tender).ToLowerInvariant()}){(payment.Returned ? ", returned" : "")}"));
        }
        else
        {
            alerts.Add(new(LastPayment, AlertLevel.Info, "No payment on record"));
        }

        if (facts.LatestNote is { } note)
        {
            var text = note.Text.ReplaceLineEndings(" ").Trim();
            alerts.Add(new(Note, AlertLevel.Info,
                $"Note by {note.WrittenBy} on {CollectionText.Date(DateOnly.FromDateTime(note.WrittenAt.UtcDateTime))}: {(text.Length > NoteLength ? text[..(NoteLength - 1)].TrimEnd() + "…" : text)}"));
        }

        return [.. alerts.OrderBy(a => a.Level)];
    }

    /// <summary>The collection step in the words a clerk says.</summary>
    public static string StepWords(string step) => step switch
    {
        "Reminded" => "reminder sent",
        "FinalNotice" => "shut-off notice sent",
        "DoorHanger" => "door hanger hung",
        "DisconnectEligible" => "eligible for disconnection",
        "Disconnected" => "disconnected",
        _ => Words(step).ToLowerInvariant(),
    };

    /// <summary>"DisconnectForNonPayment" as "Disconnect for non payment".</summary>
    public static string Words(string name)
    {
        var text = new System.Text.StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]))
            {
                text.Append(' ').Append(char.ToLowerInvariant(name[i]));
            }
            else
            {
                text.Append(name[i]);
            }
        }

        return text.ToString();
    }

    private static string Count(int count, string thing) => count == 1 ? $"1 {thing}" : $"{count} {thing}s";

    private static string Detail(string note) => string.IsNullOrWhiteSpace(note) ? "" : $" ({note.Trim()})";
}
