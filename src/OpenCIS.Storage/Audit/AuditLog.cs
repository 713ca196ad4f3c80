using System.Text.Json;
using OpenCIS.Storage;

namespace OpenCIS.Storage.Audit;

/// <summary>Adds audit entries to the unit of work of the workflow making the change, so both commit together.</summary>
public static class AuditLog
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = false };

    public static void Record(OpenCisDbContext db, DateTimeOffset at, string user, string entityType, long entityId, long? accountId, string action, object? before, object? after, string? reason) =>
        db.AuditEntries.Add(new AuditEntry
        {
            At = at,
            User = user,
            EntityType = entityType,
            EntityId = entityId,
            AccountId = accountId,
            Action = action,
            Before = before is null ? null : before as string ?? JsonSerializer.Serialize(before, Options),
            After = after is null ? null : after as string ?? JsonSerializer.Serialize(after, Options),
            Reason = reason,
        });
}
