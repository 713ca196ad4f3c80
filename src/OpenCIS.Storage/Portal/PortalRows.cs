using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace OpenCIS.Storage.Portal;

/// <summary>
/// A customer's login to the self-service portal: Identity's user (password hash, e-mail and whether it is verified,
/// lockout, the authenticator key for two-factor sign-in) in tables of its own (<c>portal_users</c>), apart from
/// staff users, so no portal login can ever hold a staff role. The accounts it may see are its
/// <see cref="PortalUserAccount"/> links.
/// </summary>
public sealed class PortalUser : IdentityUser<string>
{
    public const int NameLengthMax = 200;

    public PortalUser()
    {
        Id = Guid.NewGuid().ToString("N");
        SecurityStamp = Guid.NewGuid().ToString("N");
    }

    /// <summary>The name the customer gave, for greetings and mail.</summary>
    public string DisplayName { get; set; } = "";

    /// <summary>The language the portal, its e-mail, and the customer's bills and notices use: <c>en</c> or <c>es</c>.</summary>
    public string Language { get; set; } = "en";

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Whether the login is e-mailed a reminder a few days before a bill of its accounts falls due (on unless turned off).</summary>
    public bool Reminders { get; set; } = true;

    /// <summary>
    /// Whether the login is sent text messages (due-date reminders, payment receipts) at its mobile number, which it proved with a
    /// code sent there (Identity's <see cref="IdentityUser{TKey}.PhoneNumber"/> and <see cref="IdentityUser{TKey}.PhoneNumberConfirmed"/>).
    /// </summary>
    public bool TextAlerts { get; set; }
}

public sealed class PortalUserClaim : IdentityUserClaim<string>;

public sealed class PortalUserLogin : IdentityUserLogin<string>;

public sealed class PortalUserToken : IdentityUserToken<string>;

/// <summary>
/// An account a portal login may see and act on, and how the customer proved it was theirs: a recent bill's number or
/// amount due, at sign-up or when adding an account. Only these links open an account to a login.
/// </summary>
public sealed class PortalUserAccount
{
    public long Id { get; init; }
    public string PortalUserId { get; init; } = "";
    public long AccountId { get; init; }

    /// <summary>What the customer gave to prove the account theirs ("bill 1042", "amount due on bill 1042").</summary>
    public string Proof { get; init; } = "";

    public DateTimeOffset LinkedAt { get; init; }
}

public enum OnlinePaymentStatus
{
    /// <summary>Sent to the processor's page; nothing posted until the processor confirms it.</summary>
    Pending,

    /// <summary>Confirmed by the processor and posted to the account (<see cref="OnlinePayment.PaymentId"/>).</summary>
    Posted,

    /// <summary>The processor said the payment failed or the customer's session expired: nothing posted.</summary>
    Failed,
}

/// <summary>
/// A payment a customer starts in the portal: the amount for an account, the processor's session it went to, and, once the
/// processor confirms it through its webhook, the payment posted for it. OpenCIS never sees the card: the processor's
/// confirmation carries only its reference, the brand and the last four digits, kept here.
/// </summary>
public sealed class OnlinePayment
{
    public long Id { get; init; }

    /// <summary>The processor adapter's name: <c>test</c> (the local test processor) or <c>stripe</c>.</summary>
    public string Processor { get; init; } = "";

    /// <summary>The processor's id of the checkout session (a Stripe Checkout Session's id), by which its webhook names it.</summary>
    public string SessionId { get; internal set; } = "";

    public string PortalUserId { get; init; } = "";
    public long AccountId { get; init; }

    /// <summary>The bill it pays, when it was started from one (the bill's QR code, or its Pay button).</summary>
    public long? BillId { get; init; }

    /// <summary>What posts to the account.</summary>
    public long AmountCents { get; init; }

    /// <summary>The convenience fee charged on top, which the processor collects with the amount; zero when the utility absorbs it.</summary>
    public long FeeCents { get; init; }

    public OnlinePaymentStatus Status { get; private set; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? ConfirmedAt { get; private set; }

    /// <summary>The processor's reference for the charge (a payment intent), its card brand and last four digits.</summary>
    public string? ProcessorReference { get; private set; }

    public string? CardBrand { get; private set; }
    public string? CardLastFour { get; private set; }

    /// <summary>The payment posted once the processor confirmed it.</summary>
    public long? PaymentId { get; private set; }

    public string? FailureReason { get; private set; }

    /// <summary>Posted as the processor confirmed it: from pending, or from failed when the processor took the money after all (its word stands).</summary>
    internal void MarkPosted(long paymentId, string? reference, string? brand, string? lastFour, DateTimeOffset at)
    {
        if (Status == OnlinePaymentStatus.Posted)
        {
            throw new InvalidOperationException($"Online payment {Id} was posted already (payment {PaymentId}).");
        }

        (Status, PaymentId, ProcessorReference, CardBrand, CardLastFour, ConfirmedAt) = (OnlinePaymentStatus.Posted, paymentId, reference, brand, lastFour, at);
    }

    internal void MarkFailed(string reason, DateTimeOffset at)
    {
        if (Status != OnlinePaymentStatus.Pending)
        {
            throw new InvalidOperationException($"Online payment {Id} is {Status}, not pending.");
        }

        (Status, FailureReason, ConfirmedAt) = (OnlinePaymentStatus.Failed, reason.Length <= 200 ? reason : reason[..200], at);
    }
}

/// <summary>
/// One event a payment processor sent to the webhook, kept by the processor's event id (unique), so an event delivered
/// again (a retry, a replay) is recognized and does nothing; with what came of it.
/// </summary>
public sealed class ProcessorEvent
{
    public long Id { get; init; }
    public string Processor { get; init; } = "";
    public string EventId { get; init; } = "";
    public string Kind { get; init; } = "";
    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The online payment it was about, when one of ours.</summary>
    public long? OnlinePaymentId { get; init; }

    /// <summary>What came of it: "posted payment 42", "unknown session cs_...; ignored".</summary>
    public string Outcome { get; init; } = "";
}

internal static class PortalModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<PortalUser>(e =>
        {
            // Not a kind of staff user (Identity's base types are staff's entities): a table of its own.
            e.HasBaseType((Type?)null);
            e.ToTable("portal_users");
            e.HasKey(u => u.Id);
            e.Property(u => u.Id).HasMaxLength(32);
            e.Property(u => u.UserName).HasMaxLength(256);
            e.Property(u => u.NormalizedUserName).HasMaxLength(256);
            e.Property(u => u.Email).HasMaxLength(256);
            e.Property(u => u.NormalizedEmail).HasMaxLength(256);
            e.Property(u => u.ConcurrencyStamp).IsConcurrencyToken();
            e.Property(u => u.DisplayName).HasMaxLength(PortalUser.NameLengthMax);
            e.Property(u => u.Language).HasMaxLength(5);
            e.HasIndex(u => u.NormalizedUserName).IsUnique();
            e.HasIndex(u => u.NormalizedEmail);
        });
        builder.Entity<PortalUserClaim>(e =>
        {
            // Not a kind of staff user (Identity's base types are staff's entities): a table of its own.
            e.HasBaseType((Type?)null);
            e.ToTable("portal_user_claims");
            e.HasKey(c => c.Id);
            e.Property(x => x.UserId).HasMaxLength(32);
            e.HasOne<PortalUser>().WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<PortalUserLogin>(e =>
        {
            // Not a kind of staff user (Identity's base types are staff's entities): a table of its own.
            e.HasBaseType((Type?)null);
            e.ToTable("portal_user_logins");
            e.HasKey(l => new { l.LoginProvider, l.ProviderKey });
            e.Property(l => l.LoginProvider).HasMaxLength(128);
            e.Property(l => l.ProviderKey).HasMaxLength(128);
            e.Property(x => x.UserId).HasMaxLength(32);
            e.HasOne<PortalUser>().WithMany().HasForeignKey(l => l.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<PortalUserToken>(e =>
        {
            // Not a kind of staff user (Identity's base types are staff's entities): a table of its own.
            e.HasBaseType((Type?)null);
            e.ToTable("portal_user_tokens");
            e.HasKey(t => new { t.UserId, t.LoginProvider, t.Name });
            e.Property(t => t.LoginProvider).HasMaxLength(128);
            e.Property(t => t.Name).HasMaxLength(128);
            e.Property(x => x.UserId).HasMaxLength(32);
            e.HasOne<PortalUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<PortalUserAccount>(e =>
        {
            e.ToTable("portal_user_accounts");
            e.Property(l => l.PortalUserId).HasMaxLength(32);
            e.Property(l => l.Proof).HasMaxLength(100);
            e.HasIndex(l => new { l.PortalUserId, l.AccountId }).IsUnique();
            e.HasIndex(l => l.AccountId);
            e.HasOne<PortalUser>().WithMany().HasForeignKey(l => l.PortalUserId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Customers.Account>().WithMany().HasForeignKey(l => l.AccountId);
        });
        builder.Entity<OnlinePayment>(e =>
        {
            e.ToTable("online_payments");
            e.Property(p => p.Processor).HasMaxLength(20);
            e.Property(p => p.SessionId).HasMaxLength(200);
            e.Property(p => p.PortalUserId).HasMaxLength(32);
            e.Property(p => p.Status).HasConversion<string>().HasMaxLength(10);
            e.Property(p => p.ProcessorReference).HasMaxLength(200);
            e.Property(p => p.CardBrand).HasMaxLength(20);
            e.Property(p => p.CardLastFour).HasMaxLength(4);
            e.Property(p => p.FailureReason).HasMaxLength(200);
            e.HasIndex(p => new { p.Processor, p.SessionId }).IsUnique();
            e.HasIndex(p => p.AccountId);
            e.HasIndex(p => p.PortalUserId);
            e.HasOne<Customers.Account>().WithMany().HasForeignKey(p => p.AccountId);
            e.HasOne<Payments.Payment>().WithMany().HasForeignKey(p => p.PaymentId);
        });
        builder.Entity<ProcessorEvent>(e =>
        {
            e.ToTable("processor_events");
            e.Property(p => p.Processor).HasMaxLength(20);
            e.Property(p => p.EventId).HasMaxLength(200);
            e.Property(p => p.Kind).HasMaxLength(100);
            e.Property(p => p.Outcome).HasMaxLength(300);
            e.HasIndex(p => new { p.Processor, p.EventId }).IsUnique();
        });
    }
}
