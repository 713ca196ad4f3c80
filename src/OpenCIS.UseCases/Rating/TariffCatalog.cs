using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Rating;
using OpenCIS.Storage;
using OpenCIS.Storage.Rating;

namespace OpenCIS.UseCases.Rating;

/// <summary>
/// All rate schedule versions, loaded once per batch (there are few), answering "which version
/// of schedule X is in force on day D".
/// </summary>
public sealed class TariffCatalog : Core.Billing.ITariffVersions
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = true,
    };

    private readonly Dictionary<string, List<Tariff>> versionsByCode;
    private readonly ILookup<string, RateValue> values;

    private readonly Dictionary<string, IReadOnlyList<Tariff>> singles;

    private TariffCatalog(Dictionary<string, List<Tariff>> versionsByCode, ILookup<string, RateValue> values)
    {
        this.versionsByCode = versionsByCode;
        this.values = values;
        singles = versionsByCode.Where(v => v.Value.Count == 1).ToDictionary(v => v.Key, v => (IReadOnlyList<Tariff>)[v.Value[0]], StringComparer.Ordinal);
        intervalCodes = CodesWith(c => c is DemandCharge or RegisterCharge { TimeOfUse.IsDefaultOrEmpty: false });
        ratchetCodes = CodesWith(c => c is DemandCharge { Ratchet: not null });
        areaCodes = CodesWith(c => c is AreaCharge);
        programCodes = CodesWith(c => !c.ForPrograms.IsDefaultOrEmpty);
    }

    private readonly HashSet<string> intervalCodes;
    private readonly HashSet<string> ratchetCodes;
    private readonly HashSet<string> areaCodes;
    private readonly HashSet<string> programCodes;

    /// <summary>Every version of every schedule, and every dated rider and heating value (a few hundred rows at most).</summary>
    public static async Task<TariffCatalog> LoadAsync(OpenCisDbContext db, CancellationToken cancellationToken)
    {
        var rows = await db.RateSchedules.AsNoTracking().ToListAsync(cancellationToken);
        var values = await db.RateValues.AsNoTracking().Select(v => new RateValue(v.Name, v.EffectiveFrom, v.Value)).ToListAsync(cancellationToken);
        return new TariffCatalog(
            rows.Select(Deserialize)
                .GroupBy(t => t.Code, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.OrderByDescending(t => t.EffectiveFrom).ToList(), StringComparer.Ordinal),
            values.ToLookup(v => v.Name, StringComparer.Ordinal));
    }

    public IReadOnlyList<RateValue> ValuesOf(string name) => [.. values[name]];

    /// <summary>A schedule billed from interval reads: time-of-use registers defined by hours, or demand.</summary>
    public bool UsesIntervals(string code) => intervalCodes.Contains(code);

    /// <summary>A schedule whose demand charge looks back on earlier bills.</summary>
    public bool UsesDemandHistory(string code) => ratchetCodes.Contains(code);

    /// <summary>A schedule that prices the premise's impervious area.</summary>
    public bool UsesArea(string code) => areaCodes.Contains(code);

    /// <summary>A schedule with a charge limited to enrolled accounts (<c>for_programs</c>).</summary>
    public bool UsesPrograms(string code) => programCodes.Contains(code);

    /// <summary>Whether any schedule has a charge limited to a program: when none does, billing loads no enrollments.</summary>
    public bool AnyUsesPrograms => programCodes.Count > 0;

    /// <summary>
    /// The charges of every version that apply only to accounts in the program (matched without regard to case):
    /// what the program gives on a bill.
    /// </summary>
    public IReadOnlyList<ProgramCharge> ChargesFor(string programCode) =>
        [.. versionsByCode.Where(v => programCodes.Contains(v.Key)).SelectMany(v => v.Value)
            .SelectMany(t => t.Components.Where(c => c.ForPrograms.Contains(programCode, Core.Assistance.ProgramCodes.Comparer))
                .Select(c => new ProgramCharge(t.Code, t.Name, t.EffectiveFrom, c.Code, c.Description)))
            .OrderBy(c => c.ScheduleCode, StringComparer.Ordinal).ThenBy(c => c.EffectiveFrom)];

    /// <summary>The codes of the schedules some version of which has a charge of the kind: found once, asked per agreement.</summary>
    private HashSet<string> CodesWith(Func<TariffComponent, bool> charge) =>
        versionsByCode.Where(v => v.Value.Exists(t => t.Components.Any(charge))).Select(v => v.Key).ToHashSet(StringComparer.Ordinal);

    /// <summary>The versions in force on some day of the period, oldest first: more than one when the rates changed within it.</summary>
    public IReadOnlyList<Tariff> During(string code, DateOnly start, DateOnly end)
    {
        if (!versionsByCode.TryGetValue(code, out var versions))
        {
            return [];
        }

        // Most schedules have had one version all along: no list to build.
        if (versions.Count == 1 && versions[0].EffectiveFrom <= start)
        {
            return singles[code];
        }

        var atStart = InForce(code, start);
        return [.. versions.Where(v => v.EffectiveFrom <= end && (v.EffectiveFrom > start || v == atStart)).OrderBy(v => v.EffectiveFrom)];
    }

    public Tariff? InForce(string code, DateOnly on) =>
        versionsByCode.TryGetValue(code, out var versions) ? versions.FirstOrDefault(v => v.EffectiveFrom <= on) : null;

    /// <summary>A stored definition: the tariff's YAML as it was imported, or JSON from before tariffs were YAML.</summary>
    public static Tariff Deserialize(RateSchedule row) =>
        row.Definition.TrimStart().StartsWith('{')
            ? JsonSerializer.Deserialize<Tariff>(row.Definition, JsonOptions)
                ?? throw new InvalidOperationException($"Rate schedule {row.Code} effective {row.EffectiveFrom:yyyy-MM-dd} has an empty definition.")
            : TariffYaml.Read(row.Definition, $"rate schedule {row.Code} effective {row.EffectiveFrom:yyyy-MM-dd}");

    /// <summary>The YAML of a stored version: as imported, or written from an older JSON definition.</summary>
    public static string Yaml(RateSchedule row) =>
        row.Definition.TrimStart().StartsWith('{') ? TariffYaml.Write(Deserialize(row), row.Service) : row.Definition;

    public static string Serialize(Tariff tariff) => JsonSerializer.Serialize(tariff, JsonOptions);
}

/// <summary>A charge of a schedule version limited to a program.</summary>
public sealed record ProgramCharge(string ScheduleCode, string ScheduleName, DateOnly EffectiveFrom, string ChargeCode, string Description);
