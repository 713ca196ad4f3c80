using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Collections;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.Storage.Collections;
using OpenCIS.Storage.Customers;

namespace OpenCIS.UseCases.Collections;

/// <summary>
/// One entry of the disconnect list: an account on it (<see cref="OnList"/>) with the reason it is there,
/// or one the disconnect step reached that a protection keeps off, with the protection named.
/// </summary>
public sealed record DisconnectListEntry(
    long AccountId,
    string AccountNumber,
    string CustomerName,
    string ServiceAddress,
    string Route,
    int RouteSequence,
    string AccountClass,
    int DaysPastDue,
    Money PastDue,
    bool OnList,
    DateOnly? ListedOn,
    string Reason);

/// <summary>The disconnect list as of the last run: the entries of each route in route order, the routes in code order.</summary>
public sealed record DisconnectList(DateOnly? AsOf, IReadOnlyList<DisconnectListRoute> Routes)
{
    public IEnumerable<DisconnectListEntry> Entries => Routes.SelectMany(r => r.Entries);
}

public sealed record DisconnectListRoute(string Route, IReadOnlyList<DisconnectListEntry> Entries);

/// <summary>One event of an account's collection history.</summary>
public sealed record CollectionHistoryEntry(long Id, DateOnly Date, CollectionAction Action, StepKind? Step, Money? Amount, string? Bill, string Reason, long? TransactionId);

/// <summary>An account's standing in collections, and its history of steps, newest first.</summary>
public sealed record AccountCollectionView(
    long AccountId,
    CollectionStatus Status,
    string PolicyCode,
    int DaysPastDue,
    Money PastDue,
    bool Listed,
    string? ListReason,
    string? ProtectedBy,
    DateOnly? FinalNoticeOn,
    DateOnly? EarliestDisconnectOn,
    string Explanation,
    DateOnly? LastRunOn,
    IReadOnlyList<CollectionHistoryEntry> History);

/// <summary>One daily run, for lists.</summary>
public sealed record CollectionRunView(long Id, DateOnly BusinessDate, CollectionRunStatus Status, DateTimeOffset StartedAt, string StartedBy, DateTimeOffset? CompletedAt,
    int AccountsSelected, int LateCharges, Money LateChargeTotal, int Notices, int Listed, int Protected);

/// <summary>What collections shows: the disconnect list, an account's standing and history, the runs.</summary>
public sealed class CollectionQueries(OpenCisDbContext db)
{
    public const int HistoryMax = 500;

    public async Task<DisconnectList> DisconnectListAsync(bool withProtected, CancellationToken cancellationToken = default)
    {
        var rows = await db.AccountCollections.AsNoTracking()
            .Where(a => a.Listed || (withProtected && a.ProtectedBy != null && a.PastDueCents > 0
                && (a.Status == CollectionStatus.DoorHanger || a.Status == CollectionStatus.FinalNotice || a.Status == CollectionStatus.DisconnectEligible
                    // A stayed account is named at whatever step the stay holds it: the stay holds the notices that would bring it to the list.
                    || a.ProtectedBy.StartsWith(Core.Collections.CollectionProtections.BankruptcyStayName))))
            .Join(db.Accounts, c => c.AccountId, a => a.Id, (c, a) => new { Standing = c, a.AccountNumber, a.RouteCode, a.RouteSequence, a.Class, a.PremiseId })
            .Join(db.Premises, x => x.PremiseId, p => p.Id, (x, p) => new { x.Standing, x.AccountNumber, x.RouteCode, x.RouteSequence, x.Class, p.AddressLine1, p.City })
            .ToListAsync(cancellationToken);
        var ids = rows.Select(r => r.Standing.AccountId).ToList();
        var names = await MainNamesAsync(ids, cancellationToken);
        var asOf = await db.CollectionRuns.AsNoTracking().Where(r => r.Status == CollectionRunStatus.Completed).OrderByDescending(r => r.BusinessDate).Select(r => (DateOnly?)r.BusinessDate).FirstOrDefaultAsync(cancellationToken);
        var entries = rows.Select(r => new DisconnectListEntry(
                r.Standing.AccountId, r.AccountNumber, names.GetValueOrDefault(r.Standing.AccountId, ""), $"{r.AddressLine1}, {r.City}", r.RouteCode ?? "(no route)", r.RouteSequence,
                r.Class.ToString(), r.Standing.DaysPastDue, Money.FromCents(r.Standing.PastDueCents), r.Standing.Listed, r.Standing.ListedOn,
                r.Standing.Listed ? r.Standing.ListReason ?? r.Standing.Explanation : r.Standing.Explanation))
            .ToList();
        var routes = entries.GroupBy(e => e.Route, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new DisconnectListRoute(g.Key, [.. g.OrderByDescending(e => e.OnList).ThenBy(e => e.RouteSequence).ThenBy(e => e.AccountNumber, StringComparer.Ordinal)]))
            .ToList();
        return new DisconnectList(asOf, routes);
    }

    public async Task<AccountCollectionView?> AccountAsync(long accountId, CancellationToken cancellationToken = default)
    {
        if (!await db.Accounts.AnyAsync(a => a.Id == accountId, cancellationToken))
        {
            return null;
        }

        var standing = await db.AccountCollections.AsNoTracking().SingleOrDefaultAsync(a => a.AccountId == accountId, cancellationToken);
        var history = (await db.CollectionEvents.AsNoTracking().Where(e => e.AccountId == accountId).OrderByDescending(e => e.Id).Take(HistoryMax).ToListAsync(cancellationToken))
            .Select(e => new CollectionHistoryEntry(e.Id, e.BusinessDate, e.Action, e.Step, e.AmountCents is { } cents ? Money.FromCents(cents) : null, e.BillReference, e.Reason, e.FinancialTransactionId))
            .ToList();
        return standing is null
            ? new AccountCollectionView(accountId, CollectionStatus.Current, "", 0, Money.Zero, false, null, null, null, null, "not in collections", null, history)
            : new AccountCollectionView(accountId, standing.Status, standing.PolicyCode, standing.DaysPastDue, Money.FromCents(standing.PastDueCents), standing.Listed, standing.ListReason,
                standing.ProtectedBy, standing.FinalNoticeOn, standing.EarliestDisconnectOn, standing.Explanation, standing.LastRunOn, history);
    }

    public async Task<IReadOnlyList<CollectionRunView>> RunsAsync(int take = 60, CancellationToken cancellationToken = default) =>
        (await db.CollectionRuns.AsNoTracking().OrderByDescending(r => r.BusinessDate).Take(take).ToListAsync(cancellationToken))
            .Select(r => new CollectionRunView(r.Id, r.BusinessDate, r.Status, r.StartedAt, r.StartedBy, r.CompletedAt, r.AccountsSelected, r.LateCharges,
                Money.FromCents(r.LateChargeCents), r.Notices, r.Listed, r.Protected))
            .ToList();

    /// <summary>The disconnect list as CSV, one line an entry, by route: what the field and the supervisor download.</summary>
    public static string Csv(DisconnectList list)
    {
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        using var csv = CsvHelper.CsvWriter.Create(writer, new CsvHelper.CsvWriterOptions(), true);
        foreach (var header in new[] { "route", "sequence", "account", "customer", "service_address", "class", "days_past_due", "past_due", "on_list", "listed_on", "reason" })
        {
            csv.WriteField(header);
        }

        csv.EndRecord();
        foreach (var e in list.Entries)
        {
            csv.WriteField(Core.Common.Csv.Defused(e.Route));
            csv.WriteField(e.RouteSequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
            csv.WriteField(e.AccountNumber);
            csv.WriteField(Core.Common.Csv.Defused(e.CustomerName));
            csv.WriteField(Core.Common.Csv.Defused(e.ServiceAddress));
            csv.WriteField(Core.Common.Csv.Defused(e.AccountClass));
            csv.WriteField(e.DaysPastDue.ToString(System.Globalization.CultureInfo.InvariantCulture));
            csv.WriteField(e.PastDue.ToPlainString());
            csv.WriteField(e.OnList ? "yes" : "no");
            csv.WriteField(e.ListedOn?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "");
            csv.WriteField(Core.Common.Csv.Defused(e.Reason));
            csv.EndRecord();
        }

        csv.Flush();
        return writer.ToString();
    }

    /// <summary>The accounts' main customers' names.</summary>
    public async Task<Dictionary<long, string>> MainNamesAsync(IReadOnlyCollection<long> accountIds, CancellationToken cancellationToken)
    {
        if (accountIds.Count == 0)
        {
            return [];
        }

        var pairs = await db.AccountCustomers.AsNoTracking().Where(ac => ac.Role == AccountRole.Main && ac.EndedOn == null && accountIds.Contains(ac.AccountId))
            .Join(db.Customers, ac => ac.CustomerId, c => c.Id, (ac, c) => new { ac.AccountId, c.DisplayName })
            .ToListAsync(cancellationToken);
        return pairs.GroupBy(p => p.AccountId).ToDictionary(g => g.Key, g => g.First().DisplayName);
    }
}
