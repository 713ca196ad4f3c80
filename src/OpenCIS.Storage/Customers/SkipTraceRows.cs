using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Customers;

namespace OpenCIS.Storage.Customers;

/// <summary>Whether an alternate contact is still worth trying, failed, or has become the customer's contact on file.</summary>
public enum AlternateContactStatus
{
    Active,
    Failed,
    Promoted,
}

/// <summary>
/// Another way to reach a customer that a collector found (a relative's phone, a new address from the credit bureau,
/// a work e-mail), with where it came from. An address keeps its parts so it can become the mailing address.
/// </summary>
public sealed class AlternateContact
{
    public const int ValueLengthMax = 200;
    public const int NoteLengthMax = 500;

    public long Id { get; private set; }
    public long CustomerId { get; private set; }
    public ContactChannel Channel { get; private set; }

    /// <summary>The phone number, the e-mail address, or the address's first line.</summary>
    public string Value { get; private set; } = "";

    public string? City { get; private set; }
    public string? State { get; private set; }
    public string? Zip { get; private set; }

    /// <summary>Where it came from: "Credit bureau", "Neighbor", "Employer".</summary>
    public string Source { get; private set; } = "";

    public string? Note { get; private set; }
    public AlternateContactStatus Status { get; private set; }
    public DateOnly AddedOn { get; private set; }
    public string AddedBy { get; private set; } = "";
    public DateTimeOffset AddedAt { get; private set; }
    public DateOnly? FailedOn { get; private set; }
    public string? FailedReason { get; private set; }
    public DateOnly? PromotedOn { get; private set; }
    public string? PromotedBy { get; private set; }

    /// <summary>"12 Elm St, Riverbend, OR 97401" for an address; the value itself otherwise.</summary>
    public string Display => Channel == ContactChannel.Address ? $"{Value}, {City}, {State} {Zip}" : Value;

    internal static AlternateContact Add(long customerId, ContactChannel channel, string value, string? city, string? state, string? zip, string source, string? note,
        DateOnly on, string user, DateTimeOffset now) => new()
        {
            CustomerId = customerId,
            Channel = channel,
            Value = value,
            City = city,
            State = state,
            Zip = zip,
            Source = source,
            Note = note,
            Status = AlternateContactStatus.Active,
            AddedOn = on,
            AddedBy = user,
            AddedAt = now,
        };

    internal void MarkFailed(DateOnly on, string reason)
    {
        Status = AlternateContactStatus.Failed;
        FailedOn = on;
        FailedReason = reason;
    }

    internal void MarkPromoted(DateOnly on, string user)
    {
        Status = AlternateContactStatus.Promoted;
        PromotedOn = on;
        PromotedBy = user;
    }
}

/// <summary>A returned-mail file as imported: fingerprinted, so the same file imported again marks nothing twice.</summary>
public sealed class ReturnedMailFile
{
    public long Id { get; private set; }
    public string FileName { get; private set; } = "";
    public string Sha256 { get; private set; } = "";
    public int Lines { get; private set; }

    /// <summary>Customers whose address this file marked as returned (the others were marked already).</summary>
    public int Marked { get; private set; }

    public string ImportedBy { get; private set; } = "";
    public DateTimeOffset ImportedAt { get; private set; }

    internal static ReturnedMailFile Create(string fileName, string sha256, int lines, int marked, string user, DateTimeOffset now) =>
        new() { FileName = fileName, Sha256 = sha256, Lines = lines, Marked = marked, ImportedBy = user, ImportedAt = now };
}

/// <summary>One piece of mail that came back: whose, from which address, when and why.</summary>
public sealed class ReturnedMailItem
{
    public long Id { get; private set; }
    public long FileId { get; private set; }
    public int LineNumber { get; private set; }
    public long AccountId { get; private set; }
    public long CustomerId { get; private set; }

    /// <summary>The address it was sent to, as on file when it came back.</summary>
    public string Address { get; private set; } = "";

    public DateOnly ReturnedOn { get; private set; }
    public string Reason { get; private set; } = "";

    internal static ReturnedMailItem Create(long fileId, int lineNumber, long accountId, long customerId, string address, DateOnly returnedOn, string reason) =>
        new() { FileId = fileId, LineNumber = lineNumber, AccountId = accountId, CustomerId = customerId, Address = address, ReturnedOn = returnedOn, Reason = reason };
}

internal static class SkipTraceModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<AlternateContact>(e =>
        {
            e.ToTable("alternate_contacts");
            e.Property(x => x.Channel).HasConversion<string>().HasMaxLength(10);
            e.Property(x => x.Value).HasMaxLength(AlternateContact.ValueLengthMax);
            e.Property(x => x.City).HasMaxLength(100);
            e.Property(x => x.State).HasMaxLength(2);
            e.Property(x => x.Zip).HasMaxLength(10);
            e.Property(x => x.Source).HasMaxLength(SkipTracing.SourceLengthMax);
            e.Property(x => x.Note).HasMaxLength(AlternateContact.NoteLengthMax);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(10);
            e.Property(x => x.AddedBy).HasMaxLength(100);
            e.Property(x => x.FailedReason).HasMaxLength(SkipTracing.ReasonLengthMax);
            e.Property(x => x.PromotedBy).HasMaxLength(100);
            e.Ignore(x => x.Display);
            e.HasIndex(x => x.CustomerId);
        });
        builder.Entity<ReturnedMailFile>(e =>
        {
            e.ToTable("returned_mail_files");
            e.Property(x => x.FileName).HasMaxLength(260);
            e.Property(x => x.Sha256).HasMaxLength(64);
            e.Property(x => x.ImportedBy).HasMaxLength(100);
            e.HasIndex(x => x.Sha256).IsUnique();
        });
        builder.Entity<ReturnedMailItem>(e =>
        {
            e.ToTable("returned_mail");
            e.Property(x => x.Address).HasMaxLength(400);
            e.Property(x => x.Reason).HasMaxLength(SkipTracing.ReasonLengthMax);
            e.HasIndex(x => x.AccountId);
            e.HasIndex(x => x.FileId);
        });
    }
}
