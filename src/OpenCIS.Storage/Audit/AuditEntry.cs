namespace OpenCIS.Storage.Audit;

/// <summary>Who changed what, when, from what to what, and why. Written by the workflow that makes the change.</summary>
public sealed class AuditEntry
{
    public long Id { get; init; }
    public DateTimeOffset At { get; init; }
    public string User { get; init; } = "";
    public string EntityType { get; init; } = "";
    public long EntityId { get; init; }
    public long? AccountId { get; init; }
    public string Action { get; init; } = "";
    public string? Before { get; init; }
    public string? After { get; init; }
    public string? Reason { get; init; }
}
