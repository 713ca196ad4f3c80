using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Campaigns;

namespace OpenCIS.Storage.Campaigns;

/// <summary>A calling campaign: its criteria as chosen, its script and outcome codes, its collectors, and where it stands.</summary>
public sealed class CampaignRow
{
    public const int NameLengthMax = 120;
    public const int ScriptLengthMax = 4000;

    public long Id { get; internal set; }
    public string Name { get; init; } = "";
    public CampaignStatus Status { get; set; }
    public int MinimumDaysPastDue { get; init; }
    public int? MaximumDaysPastDue { get; init; }
    public long MinimumBalanceCents { get; init; }
    public long? MaximumBalanceCents { get; init; }
    public CampaignDebt Debt { get; init; }
    public bool FinalOnly { get; init; }
    public bool BrokenPromisesOnly { get; init; }
    public string Script { get; init; } = "";

    /// <summary>The outcome codes a call may end with, comma-separated.</summary>
    public string Outcomes { get; init; } = "";

    /// <summary>The collectors' user names, comma-separated, in the order the list was dealt.</summary>
    public string Collectors { get; init; } = "";
    public DateOnly CreatedOn { get; init; }
    public string CreatedBy { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateOnly? ClosedOn { get; set; }
    public string? ClosedBy { get; set; }
}

/// <summary>An account on a campaign's list: whose list it is on, what it owed and how late when the list was built, and how its calls went.</summary>
public sealed class CampaignTargetRow
{
    public long Id { get; internal set; }
    public long CampaignId { get; init; }
    public long AccountId { get; init; }
    public string Collector { get; init; } = "";
    public long BalanceCents { get; init; }
    public int DaysPastDue { get; init; }
    public TargetStatus Status { get; set; }
    public int Attempts { get; set; }
    public string? LastOutcome { get; set; }
    public DateTimeOffset? LastCalledAt { get; set; }
}

/// <summary>A call made in a campaign: the contact it logged on the account, its outcome, and the promise taken on it.</summary>
public sealed class CampaignCallRow
{
    public long Id { get; internal set; }
    public long CampaignId { get; init; }
    public long TargetId { get; init; }
    public long AccountId { get; init; }
    public long ContactId { get; init; }
    public string Collector { get; init; } = "";
    public string Outcome { get; init; } = "";
    public bool RightParty { get; init; }
    public long? PromiseId { get; init; }
    public long PromisedCents { get; init; }
    public DateTimeOffset CalledAt { get; init; }
}

internal static class CampaignModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<CampaignRow>(e =>
        {
            e.ToTable("campaigns");
            e.Property(c => c.Name).HasMaxLength(CampaignRow.NameLengthMax);
            e.Property(c => c.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(c => c.Debt).HasConversion<string>().HasMaxLength(20);
            e.Property(c => c.Script).HasMaxLength(CampaignRow.ScriptLengthMax);
            e.Property(c => c.Outcomes).HasMaxLength(1000);
            e.Property(c => c.Collectors).HasMaxLength(1000);
            e.Property(c => c.CreatedBy).HasMaxLength(100);
            e.Property(c => c.ClosedBy).HasMaxLength(100);
        });
        builder.Entity<CampaignTargetRow>(e =>
        {
            e.ToTable("campaign_targets");
            e.Property(t => t.Collector).HasMaxLength(100);
            e.Property(t => t.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(t => t.LastOutcome).HasMaxLength(40);
            e.HasIndex(t => new { t.CampaignId, t.Collector });
            e.HasIndex(t => t.AccountId);
        });
        builder.Entity<CampaignCallRow>(e =>
        {
            e.ToTable("campaign_calls");
            e.Property(c => c.Collector).HasMaxLength(100);
            e.Property(c => c.Outcome).HasMaxLength(40);
            e.HasIndex(c => c.CampaignId);
            e.HasIndex(c => c.TargetId);
        });
    }
}
