using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Cases;
using OpenCIS.Core.Common;

namespace OpenCIS.Storage.Cases;

/// <summary>
/// A case on an account: a complaint, a billing dispute, a high-bill investigation, a leak-adjustment request or an
/// administrative hearing request. It starts in its type's queue, is assigned to a person, may wait on the customer
/// or the field, and is resolved once with one of its type's resolution codes. Every move is kept in
/// <see cref="CaseChange"/>. A billing dispute names the amount it holds out of collections, through the dispute
/// protection it entered.
/// </summary>
public sealed class AccountCase
{
    public const int UserLengthMax = 100;
    public const int QueueLengthMax = 60;

    public long Id { get; private set; }
    public long AccountId { get; private set; }
    public CaseKind Kind { get; private set; }
    public CaseStatus Status { get; private set; }
    public string Subject { get; private set; } = "";
    public string Description { get; private set; } = "";
    public long? AmountCents { get; private set; }

    /// <summary>The dispute protection a billing dispute entered; ended when the case is resolved.</summary>
    public long? ProtectionId { get; private set; }

    public string Queue { get; private set; } = "";
    public string? AssignedTo { get; private set; }
    public DateOnly OpenedOn { get; private set; }
    public DateOnly DueOn { get; private set; }
    public string OpenedBy { get; private set; } = "";
    public DateTimeOffset OpenedAt { get; private set; }
    public DateOnly? ResolvedOn { get; private set; }
    public string? Resolution { get; private set; }
    public string? ResolvedBy { get; private set; }
    public List<CaseChange> Changes { get; private set; } = [];

    public bool IsOpen => Status != CaseStatus.Resolved;

    public static AccountCase Open(long accountId, CaseKind kind, string subject, string description, long? amountCents, string? assignedTo, DateOnly openedOn, string by, DateTimeOffset now)
    {
        var type = CaseTypes.For(kind);
        var @case = new AccountCase
        {
            AccountId = accountId,
            Kind = kind,
            Status = assignedTo is null ? CaseStatus.Open : CaseStatus.Assigned,
            Subject = subject,
            Description = description,
            AmountCents = amountCents,
            Queue = type.Queue,
            AssignedTo = assignedTo,
            OpenedOn = openedOn,
            DueOn = CaseTypes.DueOn(kind, openedOn),
            OpenedBy = by,
            OpenedAt = now,
        };
        @case.Changes.Add(CaseChange.Of(null, @case.Status, assignedTo is null ? $"opened in the {type.Queue} queue" : $"opened and assigned to {assignedTo}", null, by, now));
        return @case;
    }

    internal void LinkProtection(long protectionId) => ProtectionId = protectionId;

    /// <summary>Assigns the case to a person (or moves it to another), and optionally to another queue.</summary>
    public void Assign(string assignedTo, string? queue, string? note, string by, DateTimeOffset now)
    {
        CaseTypes.CheckMove(Id, Status, CaseStatus.Assigned);
        var person = assignedTo.Trim();
        if (person.Length is 0 or > UserLengthMax)
        {
            throw new DomainException($"Name the person to assign case {Id} to (at most {UserLengthMax} characters).", "assignedTo");
        }

        var before = Status;
        if (!string.IsNullOrWhiteSpace(queue))
        {
            Queue = queue.Trim().Length <= QueueLengthMax ? queue.Trim() : throw new DomainException($"A queue's name is at most {QueueLengthMax} characters.", "queue");
        }

        AssignedTo = person;
        Status = CaseStatus.Assigned;
        Changes.Add(CaseChange.Of(before, Status, $"assigned to {person} in the {Queue} queue", note, by, now));
    }

    /// <summary>Puts the case to wait on the customer or on the field.</summary>
    public void WaitOn(CaseStatus waiting, string? note, string by, DateTimeOffset now)
    {
        if (waiting is not (CaseStatus.WaitingOnCustomer or CaseStatus.WaitingOnField))
        {
            throw new DomainException("A case waits on the customer or on the field.", "status");
        }

        CaseTypes.CheckMove(Id, Status, waiting);
        var before = Status;
        Status = waiting;
        Changes.Add(CaseChange.Of(before, Status, waiting == CaseStatus.WaitingOnCustomer ? "waiting on the customer" : "waiting on the field", note, by, now));
    }

    /// <summary>Resolves the case once, with one of its type's resolution codes.</summary>
    public void Resolve(string resolution, string? note, DateOnly on, string by, DateTimeOffset now)
    {
        CaseTypes.CheckMove(Id, Status, CaseStatus.Resolved);
        var code = CaseTypes.Resolution(Kind, resolution);
        var before = Status;
        Status = CaseStatus.Resolved;
        Resolution = code;
        ResolvedOn = on;
        ResolvedBy = by;
        Changes.Add(CaseChange.Of(before, Status, $"resolved: {code}", note, by, now));
    }

    /// <summary>A note on the case's history, without a change of status.</summary>
    public void AddNote(string note, string by, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(note))
        {
            throw new DomainException("Write the note.", "note");
        }

        Changes.Add(CaseChange.Of(Status, Status, "note", note, by, now));
    }

    internal static void Configure(ModelBuilder builder)
    {
        builder.Entity<AccountCase>(e =>
        {
            e.Property(c => c.Subject).HasMaxLength(CaseTypes.SubjectLengthMax);
            e.Property(c => c.Description).HasMaxLength(CaseTypes.TextLengthMax);
            e.Property(c => c.Queue).HasMaxLength(QueueLengthMax);
            e.Property(c => c.AssignedTo).HasMaxLength(UserLengthMax);
            e.Property(c => c.OpenedBy).HasMaxLength(UserLengthMax);
            e.Property(c => c.ResolvedBy).HasMaxLength(UserLengthMax);
            e.Property(c => c.Resolution).HasMaxLength(40);
            e.Ignore(c => c.IsOpen);
            e.HasIndex(c => new { c.AccountId, c.Status });
            e.HasIndex(c => new { c.AssignedTo, c.Status });
            e.HasIndex(c => new { c.Queue, c.Status });
            e.HasMany(c => c.Changes).WithOne().HasForeignKey(c => c.CaseId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<CaseChange>(e =>
        {
            e.Property(c => c.What).HasMaxLength(200);
            e.Property(c => c.Note).HasMaxLength(CaseTypes.TextLengthMax);
            e.Property(c => c.ChangedBy).HasMaxLength(UserLengthMax);
            e.HasIndex(c => c.CaseId);
        });
    }
}

/// <summary>One move of a case: its status before and after, what happened, a note, who and when. Append-only.</summary>
public sealed class CaseChange
{
    public long Id { get; init; }
    public long CaseId { get; init; }
    public CaseStatus? FromStatus { get; init; }
    public CaseStatus ToStatus { get; init; }
    public string What { get; init; } = "";
    public string? Note { get; init; }
    public string ChangedBy { get; init; } = "";
    public DateTimeOffset ChangedAt { get; init; }

    internal static CaseChange Of(CaseStatus? from, CaseStatus to, string what, string? note, string by, DateTimeOffset at) =>
        new() { FromStatus = from, ToStatus = to, What = what, Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim(), ChangedBy = by, ChangedAt = at };
}
