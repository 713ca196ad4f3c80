using Microsoft.EntityFrameworkCore;
using OpenCIS.Storage;
using OpenCIS.Storage.Collections;

namespace OpenCIS.UseCases.Collections;

/// <summary>
/// The latest version of each notice and letter template in each language, and the one a customer's notice or letter is
/// written from: the latest in their language, else the latest English one (a city may translate some kinds and not others),
/// else none. Each chosen template is parsed once.
/// </summary>
public sealed class LatestTemplates
{
    private readonly Dictionary<(string Kind, string Language), CollectionNoticeTemplate> latest;
    private readonly Dictionary<long, Fluid.IFluidTemplate> parsed = [];

    private LatestTemplates(IEnumerable<CollectionNoticeTemplate> rows) =>
        latest = rows.GroupBy(r => (r.Kind, r.Language)).ToDictionary(g => g.Key, g => g.MaxBy(r => r.Version)!);

    /// <summary>The store's latest templates (of one kind when <paramref name="kind"/> is given).</summary>
    public static async Task<LatestTemplates> LoadAsync(OpenCisDbContext db, string? kind, CancellationToken cancellationToken) =>
        new(await db.NoticeTemplates.AsNoTracking().Where(t => kind == null || t.Kind == kind).ToListAsync(cancellationToken));

    /// <summary>The template for a customer reading <paramref name="language"/>: theirs, else English, else null.</summary>
    public CollectionNoticeTemplate? For(string kind, string language) =>
        latest.GetValueOrDefault((kind, language)) ?? latest.GetValueOrDefault((kind, CollectionNoticeTemplate.English));

    /// <summary>A chosen template, parsed for rendering.</summary>
    public Fluid.IFluidTemplate Parsed(CollectionNoticeTemplate template)
    {
        if (!parsed.TryGetValue(template.Id, out var done))
        {
            parsed[template.Id] = done = NoticeTemplates.Parse(template.Text);
        }

        return done;
    }
}
