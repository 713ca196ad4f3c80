using System.Globalization;

namespace OpenCIS.Core.Customers;

/// <summary>A way of reaching a customer: the mailing address, the phone or the e-mail address.</summary>
public enum ContactChannel
{
    Address,
    Phone,
    Email,
}

/// <summary>How a printed notice, letter or bill reaches its customer: in the mail, by e-mail, or held because both are known bad.</summary>
public enum ReachBy
{
    Mail,
    Email,
    Held,
}

/// <summary>A channel known not to work: mail returned from the address, a wrong number, an e-mail that bounced.</summary>
public sealed record ContactFailure(ContactChannel Channel, DateOnly On, string Reason)
{
    /// <summary>"Mail returned on Nov 3, 2026: moved, left no address".</summary>
    public string Describe() => $"{What(Channel)} on {On.ToString("MMM d, yyyy", CultureInfo.InvariantCulture)}: {Reason}";

    public static string What(ContactChannel channel) => channel switch
    {
        ContactChannel.Address => "Mail returned",
        ContactChannel.Phone => "Phone failed",
        ContactChannel.Email => "E-mail failed",
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "Unknown channel."),
    };
}

/// <summary>
/// Skip tracing: finding a customer the city cannot reach. The rules here decide how documents go when a
/// channel has failed and what a logged contact says about the channel it used; the use cases keep the
/// failures on the customer and the alternate contacts a collector finds.
/// </summary>
public static class SkipTracing
{
    public const int ReasonLengthMax = 200;
    public const int SourceLengthMax = 100;

    /// <summary>The reason a wrong-number call leaves on the phone it dialled.</summary>
    public const string WrongNumberReason = "wrong number";

    /// <summary>
    /// How a document reaches a customer. E-mail when they chose it and the address works; otherwise the mail,
    /// unless mail came back from the address, in which case a working e-mail address on file takes it and
    /// with none it is held: printing it would only send it back again.
    /// </summary>
    public static ReachBy Route(bool prefersEmail, string? email, bool emailFailed, bool mailReturned)
    {
        var emailWorks = !string.IsNullOrWhiteSpace(email) && !emailFailed;
        if (prefersEmail && emailWorks)
        {
            return ReachBy.Email;
        }

        if (!mailReturned)
        {
            return ReachBy.Mail;
        }

        return emailWorks ? ReachBy.Email : ReachBy.Held;
    }

    /// <summary>The channel a logged contact shows to be bad: a call answered by the wrong person marks the phone.</summary>
    public static ContactChannel? FailedBy(string contactKind, string outcome) =>
        string.Equals(contactKind, "Call", StringComparison.OrdinalIgnoreCase) && string.Equals(outcome, "wrong-number", StringComparison.OrdinalIgnoreCase)
            ? ContactChannel.Phone
            : null;

    /// <summary>
    /// Whether a server's refusal of a mail is permanent for its recipient (an SMTP 5xx on the recipient:
    /// no such user, mailbox unavailable): trying again would only bounce again, so the address is marked failed.
    /// </summary>
    public static bool IsPermanentRecipientFailure(int smtpStatusCode, bool refusedRecipient) =>
        refusedRecipient && smtpStatusCode is >= 500 and < 600;

    /// <summary>The reason, trimmed, or an error naming what is wrong (null when it is fine).</summary>
    public static string? CheckReason(string? reason) =>
        string.IsNullOrWhiteSpace(reason) ? "Say why: what came back or what the person on the phone said."
        : reason.Trim().Length > ReasonLengthMax ? $"The reason can be at most {ReasonLengthMax} characters."
        : null;
}
