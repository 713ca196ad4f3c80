using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Reports;
using OpenCIS.Storage;
using OpenCIS.Storage.Collections;
using OpenCIS.Storage.ServiceOrders;

namespace OpenCIS.UseCases.Reports;

/// <summary>
/// The collection and billing trends (docs/trends.md): seven charts of the twelve months ending with a month, by default the
/// business date's. Each chart reads a fixed number of queries, summed by day in the database (every filter on a DateOnly
/// column, which both databases compare) and by month in the core; the money ones share one read of the GL.
/// </summary>
public sealed class CollectionTrends(OpenCisDbContext db, BusinessCalendar calendar)
{
    public const string BilledAndCollected = "billed-collected";
    public const string DaysSalesOutstanding = "dso";
    public const string AgingOverTime = "aging";
    public const string ChargesAndWriteOffs = "charges-write-offs";
    public const string DisconnectsAndReconnects = "disconnects";
    public const string Arrangements = "arrangements";
    public const string Campaigns = "campaigns";

    /// <summary>The charts, in the dashboard's order, by key and title.</summary>
    public static readonly IReadOnlyList<(string Key, string Title)> Charts =
    [
        (BilledAndCollected, "Billed and collected"),
        (DaysSalesOutstanding, "Days sales outstanding"),
        (AgingOverTime, "Aging by bucket at month end"),
        (ChargesAndWriteOffs, "Late charges, write-offs and recoveries"),
        (DisconnectsAndReconnects, "Disconnects and reconnects"),
        (Arrangements, "Arrangements and promises kept and broken"),
        (Campaigns, "Calling campaign results"),
    ];

    /// <summary>The transactions whose receivables debits are billing: bills (net of their cancellations) and city invoices.</summary>
    private static readonly FinancialTransactionType[] BillingTypes = [FinancialTransactionType.Bill, FinancialTransactionType.BillCancellation, FinancialTransactionType.Invoice];

    /// <summary>The transactions whose cash is collection: payments on every channel (recoveries included), trustees' payments, less payments returned.</summary>
    private static readonly FinancialTransactionType[] CollectingTypes = [FinancialTransactionType.Payment, FinancialTransactionType.TrusteePayment, FinancialTransactionType.ReturnedPayment];

    /// <summary>The transactions that charge the allowance for uncollectibles: write-offs and discharges, less write-offs reversed.</summary>
    private static readonly FinancialTransactionType[] WriteOffTypes = [FinancialTransactionType.WriteOff, FinancialTransactionType.BankruptcyDischarge, FinancialTransactionType.WriteOffReversal];

    private static readonly string[] TrendGlAccounts = [GlAccounts.AccountsReceivable, GlAccounts.Cash, GlAccounts.AllowanceForUncollectibles];

    public static bool IsChart(string key) => Charts.Any(c => c.Key == key);

    /// <summary>The month the window ends with when none is named: the business date's.</summary>
    public CalendarMonth DefaultThrough() => CalendarMonth.Of(calendar.Today());

    public async Task<IReadOnlyList<TrendChart>> AllAsync(CalendarMonth? through, CancellationToken cancellationToken = default)
    {
        var months = Trends.MonthsEnding(through ?? DefaultThrough());
        var ledger = await LedgerSumsAsync(months, cancellationToken);
        var charts = new List<TrendChart>();
        foreach (var (key, _) in Charts)
        {
            charts.Add(await BuildAsync(key, months, ledger, cancellationToken));
        }

        return charts;
    }

    /// <summary>One chart, or null when there is no chart of that key.</summary>
    public async Task<TrendChart?> ChartAsync(string key, CalendarMonth? through, CancellationToken cancellationToken = default)
    {
        if (!IsChart(key))
        {
            return null;
        }

        var months = Trends.MonthsEnding(through ?? DefaultThrough());
        var ledger = key is BilledAndCollected or DaysSalesOutstanding or ChargesAndWriteOffs ? await LedgerSumsAsync(months, cancellationToken) : null;
        return await BuildAsync(key, months, ledger, cancellationToken);
    }

    private async Task<TrendChart> BuildAsync(string key, IReadOnlyList<CalendarMonth> months, LedgerSums? ledger, CancellationToken cancellationToken)
    {
        var title = Charts.Single(c => c.Key == key).Title;
        return key switch
        {
            BilledAndCollected => new TrendChart(key, title, TrendUnit.Money, months,
                [new("Billed", Values(ledger!.Billed)), new("Collected", Values(ledger.Collected))]),
            DaysSalesOutstanding => new TrendChart(key, title, TrendUnit.Days, months,
                [new("Days sales outstanding", [.. months.Select((m, i) => Trends.DaysSalesOutstanding(Money.FromCents(ledger!.ReceivablesAtEnd[i]), Money.FromCents(ledger.Billed[i]), m.Days))])]),
            ChargesAndWriteOffs => new TrendChart(key, title, TrendUnit.Money, months,
                [new("Late charges", Values(ledger!.LateCharges)), new("Write-offs", Values(ledger.WriteOffs)), new("Recoveries", Values(ledger.Recoveries))]),
            AgingOverTime => await AgingAsync(key, title, months, cancellationToken),
            DisconnectsAndReconnects => await FieldOrdersAsync(key, title, months, cancellationToken),
            Arrangements => await ArrangementsAsync(key, title, months, cancellationToken),
            _ => await CampaignsAsync(key, title, months, cancellationToken),
        };
    }

    private static long?[] Values(long[] values) => [.. values.Select(v => (long?)v)];

    /// <summary>What the money charts need from the GL, month by month.</summary>
    private sealed record LedgerSums(long[] Billed, long[] Collected, long[] LateCharges, long[] WriteOffs, long[] Recoveries, long[] ReceivablesAtEnd);

    /// <summary>
    /// Two queries: the receivables balance before the window, and the window's receivables, cash and allowance lines summed by
    /// transaction type, GL account and day.
    /// </summary>
    private async Task<LedgerSums> LedgerSumsAsync(IReadOnlyList<CalendarMonth> months, CancellationToken cancellationToken)
    {
        var first = months[0].First;
        var last = months[^1].Last;
        var opening = await db.GlEntries.AsNoTracking().Where(g => g.GlAccount == GlAccounts.AccountsReceivable && g.EffectiveOn < first)
            .SumAsync(g => g.DebitCents - g.CreditCents, cancellationToken);
        var rows = await (
                from g in db.GlEntries.AsNoTracking()
                where g.EffectiveOn >= first && g.EffectiveOn <= last && TrendGlAccounts.Contains(g.GlAccount)
                join t in db.FinancialTransactions on g.FinancialTransactionId equals t.Id
                group g by new { t.Type, g.GlAccount, g.EffectiveOn } into day
                select new { day.Key.Type, day.Key.GlAccount, day.Key.EffectiveOn, Net = day.Sum(g => g.DebitCents - g.CreditCents) })
            .ToListAsync(cancellationToken);

        long[] Sum(string glAccount, FinancialTransactionType[]? types, int sign) => Trends.SumByMonth(months,
            rows.Where(r => r.GlAccount == glAccount && (types is null || types.Contains(r.Type))).Select(r => (r.EffectiveOn, sign * r.Net)));

        var receivablesChange = Sum(GlAccounts.AccountsReceivable, null, 1);
        var atEnd = new long[months.Count];
        var running = opening;
        for (var i = 0; i < months.Count; i++)
        {
            running = checked(running + receivablesChange[i]);
            atEnd[i] = running;
        }

        return new LedgerSums(
            Billed: Sum(GlAccounts.AccountsReceivable, BillingTypes, 1),
            Collected: Sum(GlAccounts.Cash, CollectingTypes, 1),
            LateCharges: Sum(GlAccounts.AccountsReceivable, [FinancialTransactionType.LateCharge], 1),
            WriteOffs: Sum(GlAccounts.AllowanceForUncollectibles, WriteOffTypes, 1),
            // A recovery is the allowance line of a payment (PostingRules.ForPayment with a recovered part): a credit.
            Recoveries: Sum(GlAccounts.AllowanceForUncollectibles, [FinancialTransactionType.Payment, FinancialTransactionType.ReturnedPayment], -1),
            ReceivablesAtEnd: atEnd);
    }

    /// <summary>Two queries: the items posted by the window's end and the allocations between them; the core ages them at each month end.</summary>
    private async Task<TrendChart> AgingAsync(string key, string title, IReadOnlyList<CalendarMonth> months, CancellationToken cancellationToken)
    {
        var last = months[^1].Last;
        var items = await db.OpenItems.AsNoTracking().Where(o => o.PostedOn <= last)
            .Select(o => new { o.Id, o.AccountId, o.PostedOn, o.DueOn, o.AmountCents }).ToListAsync(cancellationToken);
        var allocations = await db.ItemAllocations.AsNoTracking().Where(a => a.ChargePostedOn <= last && a.CreditPostedOn <= last)
            .Select(a => new { a.ChargeItemId, a.CreditItemId, a.AmountCents }).ToListAsync(cancellationToken);
        var aging = Trends.AgingAtMonthEnds(months,
            items.ConvertAll(i => new HistoricItem(i.Id, i.AccountId, i.PostedOn, i.DueOn, Money.FromCents(i.AmountCents))),
            allocations.ConvertAll(a => new HistoricAllocation(a.ChargeItemId, a.CreditItemId, Money.FromCents(a.AmountCents))));
        TrendSeries Bucket(string name, Func<PastDueBuckets, Money> part) => new(name, [.. aging.Select(b => (long?)part(b).Cents)]);
        return new TrendChart(key, title, TrendUnit.Money, months,
        [
            Bucket("Current", b => b.Current),
            Bucket("1-30 days", b => b.Days1To30),
            Bucket("31-60 days", b => b.Days31To60),
            Bucket("61-90 days", b => b.Days61To90),
            Bucket("Over 90 days", b => b.Over90),
        ]);
    }

    /// <summary>One query: completed disconnects for non-payment that cut service, and completed reconnects that restored it, by day.</summary>
    private async Task<TrendChart> FieldOrdersAsync(string key, string title, IReadOnlyList<CalendarMonth> months, CancellationToken cancellationToken)
    {
        var (first, last) = (months[0].First, months[^1].Last);
        var rows = await db.ServiceOrders.AsNoTracking()
            .Where(o => o.Status == ServiceOrderStatus.Completed && o.CompletedOn >= first && o.CompletedOn <= last
                && ((o.Kind == ServiceOrderKind.DisconnectForNonPayment && o.Result == ServiceOrderResult.Disconnected)
                    || (o.Kind == ServiceOrderKind.Reconnect && o.Result == ServiceOrderResult.Reconnected)))
            .GroupBy(o => new { o.Kind, o.CompletedOn })
            .Select(g => new { g.Key.Kind, g.Key.CompletedOn, Count = g.Count() })
            .ToListAsync(cancellationToken);
        TrendSeries Counted(string name, ServiceOrderKind kind) => new(name, Values(Trends.SumByMonth(months, rows.Where(r => r.Kind == kind).Select(r => (r.CompletedOn!.Value, (long)r.Count)))));
        return new TrendChart(key, title, TrendUnit.Count, months,
            [Counted("Disconnects", ServiceOrderKind.DisconnectForNonPayment), Counted("Reconnects", ServiceOrderKind.Reconnect)]);
    }

    /// <summary>
    /// Three queries: arrangements made (by the day made), arrangements kept (completed: every installment paid) and broken (by the day
    /// decided), and promises kept and broken (by the day decided).
    /// </summary>
    private async Task<TrendChart> ArrangementsAsync(string key, string title, IReadOnlyList<CalendarMonth> months, CancellationToken cancellationToken)
    {
        var (first, last) = (months[0].First, months[^1].Last);
        var made = await db.Arrangements.AsNoTracking().Where(a => a.CreatedOn >= first && a.CreatedOn <= last)
            .GroupBy(a => a.CreatedOn).Select(g => new { On = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var decided = await db.Arrangements.AsNoTracking()
            .Where(a => (a.Status == ArrangementStage.Completed || a.Status == ArrangementStage.Broken) && a.StatusOn >= first && a.StatusOn <= last)
            .GroupBy(a => new { a.Status, a.StatusOn }).Select(g => new { g.Key.Status, On = g.Key.StatusOn, Count = g.Count() }).ToListAsync(cancellationToken);
        var promises = await db.Promises.AsNoTracking()
            .Where(p => (p.Status == PromiseStatus.Kept || p.Status == PromiseStatus.Broken) && p.DecidedOn >= first && p.DecidedOn <= last)
            .GroupBy(p => new { p.Status, p.DecidedOn }).Select(g => new { g.Key.Status, g.Key.DecidedOn, Count = g.Count() }).ToListAsync(cancellationToken);
        return new TrendChart(key, title, TrendUnit.Count, months,
        [
            new("Arrangements made", Values(Trends.SumByMonth(months, made.Select(r => (r.On, (long)r.Count))))),
            new("Arrangements kept", Values(Trends.SumByMonth(months, decided.Where(r => r.Status == ArrangementStage.Completed).Select(r => (r.On, (long)r.Count))))),
            new("Arrangements broken", Values(Trends.SumByMonth(months, decided.Where(r => r.Status == ArrangementStage.Broken).Select(r => (r.On, (long)r.Count))))),
            new("Promises kept", Values(Trends.SumByMonth(months, promises.Where(r => r.Status == PromiseStatus.Kept).Select(r => (r.DecidedOn!.Value, (long)r.Count))))),
            new("Promises broken", Values(Trends.SumByMonth(months, promises.Where(r => r.Status == PromiseStatus.Broken).Select(r => (r.DecidedOn!.Value, (long)r.Count))))),
        ]);
    }

    /// <summary>
    /// One query: the calls of the campaigns open at some time in the window (a call's time is an instant, which SQLite cannot compare,
    /// so the campaigns are chosen by their dates and each call is dated in the utility's zone here).
    /// </summary>
    private async Task<TrendChart> CampaignsAsync(string key, string title, IReadOnlyList<CalendarMonth> months, CancellationToken cancellationToken)
    {
        var (first, last) = (months[0].First, months[^1].Last);
        var calls = await (
                from c in db.CampaignCalls.AsNoTracking()
                join campaign in db.Campaigns on c.CampaignId equals campaign.Id
                where campaign.CreatedOn <= last && (campaign.ClosedOn == null || campaign.ClosedOn >= first)
                select new { c.CalledAt, c.RightParty, Promised = c.PromiseId != null })
            .ToListAsync(cancellationToken);
        var dated = calls.ConvertAll(c => (On: DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(c.CalledAt, calendar.Zone).DateTime), c.RightParty, c.Promised));
        TrendSeries Counted(string name, Func<(DateOnly On, bool RightParty, bool Promised), bool> which) =>
            new(name, Values(Trends.SumByMonth(months, dated.Where(which).Select(c => (c.On, 1L)))));
        return new TrendChart(key, title, TrendUnit.Count, months,
            [Counted("Calls", _ => true), Counted("Right party reached", c => c.RightParty), Counted("Promises taken", c => c.Promised)]);
    }
}
