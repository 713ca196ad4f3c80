using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using OpenCIS.UseCases.Jobs;

namespace OpenCIS.Web.Jobs;

/// <summary>A link from a finished job to what it produced or what it left to do ("Billing run #12", "Work the suspense queue").</summary>
public sealed record JobLink(string Id, string Label, string Url);

/// <summary>
/// How the screens and the API treat one kind of job: the permission that lets a user follow it (the
/// permission that starts it, or the one that views its capability), and the links its finished card
/// offers, and the screen the work is started from. A capability declares the kinds it runs
/// (<see cref="Capabilities.IWebCapability.JobKinds"/>).
/// </summary>
public sealed record JobKindView(string Kind, string ViewPermission)
{
    /// <summary>Where a finished job of this kind leads: what it produced, or what it left for someone to do.</summary>
    public Func<JobView, IEnumerable<JobLink>> Links { get; init; } = _ => [];

    /// <summary>The screen this kind of work is started from, to go back to.</summary>
    public JobLink? Home { get; init; }
}

/// <summary>Every job kind the host's capabilities declared.</summary>
public sealed class JobKindCatalog
{
    private readonly Dictionary<string, JobKindView> kinds;

    public JobKindCatalog(IEnumerable<JobKindView> kinds)
    {
        var list = kinds.ToList();
        var twice = list.GroupBy(k => k.Kind).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (twice.Count > 0)
        {
            throw new InvalidOperationException($"Job kinds declared by two capabilities: {string.Join(", ", twice)}.");
        }

        this.kinds = list.ToDictionary(k => k.Kind, StringComparer.Ordinal);
    }

    public IReadOnlyCollection<JobKindView> All => kinds.Values;

    public JobKindView? Find(string kind) => kinds.GetValueOrDefault(kind);

    public IEnumerable<JobLink> LinksFor(JobView job) => job.Finished && Find(job.Kind) is { } kind ? kind.Links(job) : [];
}

/// <summary>Who may follow a job: a user holding its kind's view permission. A kind no capability declared is nobody's.</summary>
public sealed class JobAccess(JobKindCatalog catalog, IAuthorizationService authorization)
{
    public async Task<bool> CanViewAsync(ClaimsPrincipal user, string kind) =>
        catalog.Find(kind) is { } view && (await authorization.AuthorizeAsync(user, view.ViewPermission)).Succeeded;

    /// <summary>The kinds this user may follow, for the lists.</summary>
    public async Task<IReadOnlySet<string>> ViewableKindsAsync(ClaimsPrincipal user)
    {
        var viewable = new HashSet<string>(StringComparer.Ordinal);
        foreach (var kind in catalog.All)
        {
            if ((await authorization.AuthorizeAsync(user, kind.ViewPermission)).Succeeded)
            {
                viewable.Add(kind.Kind);
            }
        }

        return viewable;
    }
}

/// <summary>How a finished job's outcome reads on its card: a file that posted nothing is an error even though the job itself completed.</summary>
public static class JobOutcome
{
    public static string Tone(JobView job)
    {
        if (job.Status == "Failed")
        {
            return "danger";
        }

        if (job.Result is { ValueKind: JsonValueKind.Object } result)
        {
            if (Flag(result, "alreadyPosted") || Flag(result, "alreadyGenerated"))
            {
                return "info";
            }

            if (result.TryGetProperty("posted", out var posted) && posted.ValueKind == JsonValueKind.False)
            {
                return "danger";
            }

            return "success";
        }

        return job.Finished ? "info" : "secondary";
    }

    /// <summary>The errors a file job found, each naming its line and field.</summary>
    public static IReadOnlyList<(int Line, string Field, string Message)> Errors(JobView job)
    {
        if (job.Result is not { ValueKind: JsonValueKind.Object } result
            || !result.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return [.. errors.EnumerateArray().Select(e => (
            e.TryGetProperty("line", out var line) && line.TryGetInt32(out var number) ? number : 0,
            e.TryGetProperty("field", out var field) ? field.GetString() ?? "" : "",
            e.TryGetProperty("message", out var message) ? message.GetString() ?? "" : ""))];
    }

    private static bool Flag(JsonElement result, string name) => result.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;
}
