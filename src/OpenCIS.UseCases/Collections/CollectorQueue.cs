using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.Storage.Collections;
using OpenCIS.Storage.Customers;

namespace OpenCIS.UseCases.Collections;

public enum QueueSort
{
    /// <summary>The most past due first.</summary>
    PastDue,

    /// <summary>The longest past due first.</summary>
    DaysPastDue,

    /// <summary>By account number.</summary>
    Account,
}

/// <summary>Which accounts the queue shows: every filter left null shows all the accounts with something past due or a step taken.</summary>
public sealed record QueueFilter(
    CollectionStatus? Status = null,
    Money? MinimumPastDue = null,
    int? MinimumDaysPastDue = null,
    AccountClass? AccountClass = null,
    QueueSort Sort = QueueSort.PastDue,
    int Page = 1,
    int PageSize = CollectorQueue.PageSizeDefault);

/// <summary>One account in the queue, with the next action: the daily run's explanation of where it stands.</summary>
public sealed record QueueEntry(
    long AccountId,
    string AccountNumber,
    string CustomerName,
    string AccountClass,
    [property: JsonConverter(typeof(JsonStringEnumConverter<CollectionStatus>))] CollectionStatus Status,
    long PastDueCents,
    int DaysPastDue,
    bool Listed,
    string? ProtectedBy,
    string NextAction,
    DateTimeOffset? LastContactAt,
    PromiseView? OpenPromise);

public sealed record QueuePage(IReadOnlyList<QueueEntry> Entries, int Total, int Page, int PageSize)
{
    public int Pages => Total == 0 ? 1 : ((Total - 1) / PageSize) + 1;
}

/// <summary>
/// The collector's work queue: the accounts' standings as the daily run left them, joined to the accounts,
/// filtered by step, amount, days past due and class, sorted and paged; each entry with its last contact and
/// open promise, loaded for the page in one query each.
/// </summary>
public sealed class CollectorQueue(OpenCisDbContext db, CollectionQueries queries)
{
    public const int PageSizeDefault = 50;
    public const int PageSizeMax = 200;

    public async Task<QueuePage> ListAsync(QueueFilter filter, CancellationToken cancellationToken = default)
    {
        if (filter.Page < 1)
        {
            throw new DomainException($"The page is counted from 1; {filter.Page} is not a page.", "page");
        }

        if (filter.PageSize is < 1 or > PageSizeMax)
        {
            throw new DomainException($"A page holds 1 to {PageSizeMax} accounts; {filter.PageSize} is not.", "pageSize");
        }

        if (filter.MinimumDaysPastDue is < 0)
        {
            throw new DomainException("The minimum days past due cannot be negative.", "minDays");
        }

        if (filter.MinimumPastDue is { IsNegative: true })
        {
            throw new DomainException("The minimum past due cannot be negative.", "minPastDue");
        }

        var rows = db.AccountCollections.AsNoTracking()
            .Join(db.Accounts, c => c.AccountId, a => a.Id, (c, a) => new { Standing = c, a.AccountNumber, a.Class });
        rows = filter.Status is { } status
            ? rows.Where(r => r.Standing.Status == status)
            : rows.Where(r => r.Standing.PastDueCents > 0 || r.Standing.Status != CollectionStatus.Current);
        if (filter.MinimumPastDue is { } minimum)
        {
            rows = rows.Where(r => r.Standing.PastDueCents >= minimum.Cents);
        }

        if (filter.MinimumDaysPastDue is { } days)
        {
            rows = rows.Where(r => r.Standing.DaysPastDue >= days);
        }

        if (filter.AccountClass is { } accountClass)
        {
            rows = rows.Where(r => r.Class == accountClass);
        }

        var total = await rows.CountAsync(cancellationToken);
        var sorted = filter.Sort switch
        {
            QueueSort.DaysPastDue => rows.OrderByDescending(r => r.Standing.DaysPastDue).ThenByDescending(r => r.Standing.PastDueCents).ThenBy(r => r.AccountNumber),
            QueueSort.Account => rows.OrderBy(r => r.AccountNumber),
            _ => rows.OrderByDescending(r => r.Standing.PastDueCents).ThenByDescending(r => r.Standing.DaysPastDue).ThenBy(r => r.AccountNumber),
        };
        var page = await sorted.Skip((filter.Page - 1) * filter.PageSize).Take(filter.PageSize).ToListAsync(cancellationToken);
        var ids = page.Select(r => r.Standing.AccountId).ToList();
        var names = await queries.MainNamesAsync(ids, cancellationToken);
        var lastContacts = await db.CollectionContacts.AsNoTracking().Where(c => ids.Contains(c.AccountId))
            .GroupBy(c => c.AccountId).Select(g => new { AccountId = g.Key, Last = g.Max(c => c.Id) })
            .Join(db.CollectionContacts, g => g.Last, c => c.Id, (g, c) => new { c.AccountId, c.ContactedAt })
            .ToDictionaryAsync(c => c.AccountId, c => c.ContactedAt, cancellationToken);
        var openPromises = (await db.Promises.AsNoTracking().Where(p => ids.Contains(p.AccountId) && p.Status == PromiseStatus.Open).ToListAsync(cancellationToken))
            .GroupBy(p => p.AccountId)
            .ToDictionary(g => g.Key, g => PromiseView.From(g.OrderBy(p => p.PromisedOn).ThenBy(p => p.Id).First()));
        var entries = page.Select(r => new QueueEntry(
                r.Standing.AccountId, r.AccountNumber, names.GetValueOrDefault(r.Standing.AccountId, ""), r.Class.ToString(), r.Standing.Status,
                r.Standing.PastDueCents, r.Standing.DaysPastDue, r.Standing.Listed, r.Standing.ProtectedBy, r.Standing.Explanation,
                lastContacts.TryGetValue(r.Standing.AccountId, out var at) ? at : null, openPromises.GetValueOrDefault(r.Standing.AccountId)))
            .ToList();
        return new QueuePage(entries, total, filter.Page, filter.PageSize);
    }
}
