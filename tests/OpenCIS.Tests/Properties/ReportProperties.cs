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
            Money.Sum(postings.Where(p => p.EffectiveOn <= through && p.GlAccount == GlAccounts.AccountsReceivable).Select(p => p.Debit - p.Credit)));

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
            var lines = GlJournalExport.Summarize(postings);
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
}
