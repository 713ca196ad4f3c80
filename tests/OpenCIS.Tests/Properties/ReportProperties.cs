using FsCheck;
using FsCheck.Fluent;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;

namespace OpenCIS.Tests.Properties;

public sealed class ReportProperties
{
    private static readonly string[] Accounts = [GlAccounts.Cash, GlAccounts.AccountsReceivable, GlAccounts.WaterSales, GlAccounts.SewerCharges, GlAccounts.SolidWasteCharges, GlAccounts.BillingAdjustments];

    /// <summary>Balanced two-line postings between random accounts on random days.</summary>
    private static Gen<GlPosting[]> Postings { get; } =
        (from day in Generators.Dates
         from debit in Gen.Elements(Accounts)
         from credit in Gen.Elements(Accounts)
         from cents in Generators.Cents(1, 900_000)
         select new[] { new GlPosting(day, debit, Money.FromCents(cents), Money.Zero), new GlPosting(day, credit, Money.Zero, Money.FromCents(cents)) })
        .ListOf().Select(l => l.SelectMany(p => p).ToArray());

    private static (string, Money, Money)[] Totals(IEnumerable<GlPosting> postings) =>
        postings.GroupBy(p => p.GlAccount).Select(g => (g.Key, Money.Sum(g.Select(p => p.Debit)), Money.Sum(g.Select(p => p.Credit)))).ToArray();

    private static PeriodTrialBalance For(GlPosting[] postings, DateOnly from, DateOnly through) =>
        PeriodTrialBalance.Compute(from, through,
            Totals(postings.Where(p => p.EffectiveOn < from)),
            Totals(postings.Where(p => p.EffectiveOn >= from && p.EffectiveOn <= through)),
            Money.Sum(postings.Where(p => p.EffectiveOn <= through && p.GlAccount == GlAccounts.AccountsReceivable).Select(p => p.Debit - p.Credit)),
            ChartOfAccounts.Default);

    [Fact]
    public void A_period_split_in_two_chains_the_closing_of_the_first_into_the_opening_of_the_second()
    {
        var input = from postings in Postings
                    from start in Generators.Dates
                    from length in Gen.Choose(1, 200)
                    from split in Gen.Choose(0, 199)
                    select (postings, start, through: start.AddDays(length), split: start.AddDays(Math.Min(split, length - 1)));
        var property = Prop.ForAll(input.ToArbitrary(), x =>
        {
            var whole = For(x.postings, x.start, x.through);
            var first = For(x.postings, x.start, x.split);
            var second = For(x.postings, x.split.AddDays(1), x.through);

            var chains = first.Rows.All(r => second.Rows.Single(s => s.GlAccount == r.GlAccount).Opening == r.Closing)
                && second.Rows.All(s => first.Rows.SingleOrDefault(r => r.GlAccount == s.GlAccount) is { } r ? r.Closing == s.Opening : s.Opening.IsZero);
            var adds = whole.TotalDebits == first.TotalDebits + second.TotalDebits
                && whole.Rows.All(w => w.Closing == second.Rows.Single(s => s.GlAccount == w.GlAccount).Closing);
            return chains && adds && whole.Balances && first.Balances && second.Balances && whole.TiesToSubLedger && first.TiesToSubLedger;
        });

        Check.One(Generators.Config, property);
    }

    [Fact]
    public void The_gl_export_balances_in_every_fund_and_keeps_each_accounts_net()
    {
        var property = Prop.ForAll(Postings.ToArbitrary(), postings =>
        {
            var lines = GlJournalExport.Summarize(postings, ChartOfAccounts.Default);
            var perFund = GlJournalExport.NetByFund(lines).Values.All(v => v.IsZero);
            var perDay = lines.GroupBy(l => (l.EffectiveOn, l.Fund)).All(g => Money.Sum(g.Select(l => l.Debit)) == Money.Sum(g.Select(l => l.Credit)));
            var netsKept = postings.GroupBy(p => p.GlAccount).All(g =>
                Money.Sum(g.Select(p => p.Debit - p.Credit)) == Money.Sum(lines.Where(l => l.GlAccount == g.Key).Select(l => l.Debit - l.Credit)));
            var interfund = Money.Sum(lines.Where(l => l.GlAccount == GlAccounts.DueToFromOtherFunds).Select(l => l.Debit - l.Credit)).IsZero;
            var oneSided = lines.All(l => l.Debit.IsZero != l.Credit.IsZero);
            return perFund && perDay && netsKept && interfund && oneSided;
        });

        Check.One(Generators.Config, property);
    }

    [Fact]
    public void Aging_rewound_from_todays_open_items_equals_aging_rebuilt_from_every_posting()
    {
        // Charges and credits on one account, each applied oldest first to what is open when it is posted.
        var input = from amounts in Gen.Choose(-50_000, 80_000).Where(c => c != 0).ListOf()
                    from days in Gen.Choose(0, 300).ArrayOf(amounts.Count)
                    from asOfDay in Gen.Choose(0, 300)
                    select (amounts: amounts.ToArray(), days, asOf: new DateOnly(2026, 1, 1).AddDays(asOfDay));
        var property = Prop.ForAll(input.ToArbitrary(), x =>
        {
            var start = new DateOnly(2026, 1, 1);
            var items = x.amounts.Select((cents, i) => new HistoricItem(i + 1, 7, start.AddDays(x.days[i]), start.AddDays(x.days[i] + 20), Money.FromCents(cents)))
                .OrderBy(i => i.PostedOn).ThenBy(i => i.ItemId).ToList();
            var open = new Dictionary<long, long>();
            var allocations = new List<HistoricAllocation>();
            foreach (var item in items)
            {
                open[item.ItemId] = item.Amount.Cents;
                foreach (var other in items.Where(o => o.ItemId != item.ItemId && open.ContainsKey(o.ItemId) && Math.Sign(open[o.ItemId]) == -Math.Sign(open[item.ItemId])).ToList())
                {
                    var applied = Math.Min(Math.Abs(open[item.ItemId]), Math.Abs(open[other.ItemId]));
                    if (applied == 0)
                    {
                        continue;
                    }

                    var (charge, credit) = item.Amount.IsPositive ? (item, other) : (other, item);
                    allocations.Add(new HistoricAllocation(charge.ItemId, credit.ItemId, Money.FromCents(applied)));
                    open[charge.ItemId] -= applied;
                    open[credit.ItemId] += applied;
                }
            }

            var posted = items.Where(i => i.PostedOn <= x.asOf).ToDictionary(i => i.ItemId);
            var openNow = posted.Values.Where(i => open[i.ItemId] != 0).Select(i => new OpenNowItem(i.ItemId, i.AccountId, i.DueOn, Money.FromCents(open[i.ItemId])));
            var later = allocations.SelectMany(a =>
                posted.TryGetValue(a.ChargeItemId, out var charge) && !posted.ContainsKey(a.CreditItemId) ? [new LaterAllocation(charge.ItemId, 7, charge.DueOn, a.Amount)]
                : posted.TryGetValue(a.CreditItemId, out var credit) && !posted.ContainsKey(a.ChargeItemId) ? [new LaterAllocation(credit.ItemId, 7, credit.DueOn, -a.Amount)]
                : Array.Empty<LaterAllocation>());

            static List<(long, PastDueItem)> Sorted(IEnumerable<(long AccountId, PastDueItem Item)> open) =>
                [.. open.OrderBy(o => o.Item.DueOn).ThenBy(o => o.Item.Open.Cents)];
            var full = Sorted(OpenItemHistory.OpenOn(items, allocations, x.asOf));
            var rewound = Sorted(OpenItemRewind.OpenOn(openNow, later));
            var balance = items.Where(i => i.PostedOn <= x.asOf).Sum(i => i.Amount.Cents);
            return full.SequenceEqual(rewound) && full.Sum(f => f.Item2.Open.Cents) == balance;
        });

        Check.One(Generators.Config, property);
    }
}

