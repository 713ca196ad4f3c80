using System.Collections.Immutable;
using OpenCIS.Core.Common;

namespace OpenCIS.Core.Billing;

/// <summary>
/// Whom a bill message is for: bills of one cycle, one class of account, one meter-reading route or one program's
/// enrolled accounts. Every part set must match (a cycle and a class: that class within that cycle); none set is every bill.
/// </summary>
public sealed record BillMessageTarget(string? CycleCode = null, string? AccountClass = null, string? RouteCode = null, string? ProgramCode = null)
{
    public static readonly BillMessageTarget Everyone = new();

    public bool IsEveryone => CycleCode is null && AccountClass is null && RouteCode is null && ProgramCode is null;

    /// <summary>The audience in words, as the screens and the CLI list it: "cycle C2, route R7" or "every bill".</summary>
    public string InWords()
    {
        var parts = new List<string>(4);
        if (CycleCode is not null)
        {
            parts.Add($"cycle {CycleCode}");
        }

        if (AccountClass is not null)
        {
            parts.Add($"{AccountClass.ToLowerInvariant()} accounts");
        }

        if (RouteCode is not null)
        {
            parts.Add($"route {RouteCode}");
        }

        if (ProgramCode is not null)
        {
            parts.Add($"program {ProgramCode}");
        }

        return parts.Count == 0 ? "every bill" : string.Join(", ", parts);
    }
}

/// <summary>A message printed on the bills of its audience dated from <see cref="StartsOn"/> through <see cref="EndsOn"/> (both inclusive).</summary>
public sealed record BillMessage(long Id, string Text, DateOnly StartsOn, DateOnly EndsOn, BillMessageTarget Target);

/// <summary>What a bill's account is, for choosing its messages: its cycle, class and route, and the programs it is enrolled in.</summary>
public sealed record BillRecipient(string CycleCode, string AccountClass, string? RouteCode, IReadOnlySet<string> ProgramCodes);

/// <summary>
/// The rules of bill messages: what a message may say and to whom (<see cref="Validated"/>), and which messages a bill
/// carries (<see cref="For"/>). A bill keeps its messages' text as printed (<see cref="Printed"/>), so a message edited or
/// ended later never changes a bill already issued. Pure.
/// </summary>
public static class BillMessages
{
    /// <summary>About six printed lines: a message is a notice, not a letter.</summary>
    public const int TextLengthMax = 500;

    /// <summary>A cycle, route or program code, as the accounts keep them.</summary>
    public const int CodeLengthMax = 20;

    /// <summary>
    /// The messages one bill prints at most: the "Messages" box stays on the bill's first page. More than this many
    /// applying at once leaves out the latest-starting ones (docs/bill-messages.md says so to whoever writes them).
    /// </summary>
    public const int PerBillMax = 5;

    /// <summary>
    /// A message as it will be kept: its text trimmed with every run of spaces and line breaks made one space (a message
    /// prints as one paragraph), its codes trimmed, blank codes none. A problem is a <see cref="DomainException"/> naming
    /// the field: <c>text</c>, <c>endsOn</c>, <c>cycleCode</c>, <c>accountClass</c>, <c>routeCode</c> or <c>programCode</c>.
    /// </summary>
    public static BillMessage Validated(long id, string? text, DateOnly startsOn, DateOnly endsOn, BillMessageTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var words = string.Join(' ', (text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (words.Length == 0)
        {
            throw new DomainException("Write the message: its text is empty.", "text");
        }

        if (words.Length > TextLengthMax)
        {
            throw new DomainException($"A bill message is at most {TextLengthMax} characters; this one is {words.Length}.", "text");
        }

        if (words.Any(char.IsControl))
        {
            throw new DomainException("The message has a control character; write it as plain text.", "text");
        }

        if (endsOn < startsOn)
        {
            throw new DomainException($"The message ends on {endsOn:yyyy-MM-dd}, before it starts on {startsOn:yyyy-MM-dd}.", "endsOn");
        }

        var kept = new BillMessageTarget(
            Code(target.CycleCode, "cycleCode", "cycle"),
            Code(target.AccountClass, "accountClass", "account class"),
            Code(target.RouteCode, "routeCode", "route"),
            Code(target.ProgramCode, "programCode", "program"));
        return new BillMessage(id, words, startsOn, endsOn, kept);
    }

    /// <summary>Whether the message prints on a bill of this date for this account.</summary>
    public static bool AppliesTo(BillMessage message, DateOnly billDate, BillRecipient recipient)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(recipient);
        var target = message.Target;
        return message.StartsOn <= billDate && billDate <= message.EndsOn
            && (target.CycleCode is null || string.Equals(target.CycleCode, recipient.CycleCode, StringComparison.OrdinalIgnoreCase))
            && (target.AccountClass is null || string.Equals(target.AccountClass, recipient.AccountClass, StringComparison.OrdinalIgnoreCase))
            && (target.RouteCode is null || string.Equals(target.RouteCode, recipient.RouteCode, StringComparison.OrdinalIgnoreCase))
            && (target.ProgramCode is null || recipient.ProgramCodes.Contains(target.ProgramCode));
    }

    /// <summary>
    /// The messages a bill of this date for this account prints, in a stable order: the earliest-starting first, then by
    /// id; at most <see cref="PerBillMax"/>.
    /// </summary>
    public static ImmutableArray<BillMessage> For(IEnumerable<BillMessage> messages, DateOnly billDate, BillRecipient recipient)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return [.. messages.Where(m => AppliesTo(m, billDate, recipient)).OrderBy(m => m.StartsOn).ThenBy(m => m.Id).Take(PerBillMax)];
    }

    /// <summary>The messages as a bill keeps them: each text on its own line, or null for none.</summary>
    public static string? Printed(IEnumerable<BillMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var texts = messages.Select(m => m.Text).ToList();
        return texts.Count == 0 ? null : string.Join('\n', texts);
    }

    /// <summary>A bill's kept messages back as a list, in the order printed.</summary>
    public static ImmutableArray<string> Read(string? printed) =>
        printed is null ? [] : [.. printed.Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    private static string? Code(string? code, string field, string what)
    {
        var trimmed = code?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        if (trimmed.Length > CodeLengthMax || trimmed.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new DomainException($"'{trimmed}' is not a {what} code: at most {CodeLengthMax} characters, without spaces.", field);
        }

        return trimmed;
    }
}
