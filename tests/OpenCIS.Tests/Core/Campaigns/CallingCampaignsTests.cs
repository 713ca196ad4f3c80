using FsCheck;
using FsCheck.Fluent;
using OpenCIS.Core.Campaigns;
using OpenCIS.Core.Common;

namespace OpenCIS.Tests.Core.Campaigns;

public sealed class CallingCampaignsTests
{
    private static readonly CampaignCriteria Bucket61To90 = new(61, 90, Money.FromCents(50_00), Money.FromCents(2_000_00), CampaignDebt.Utility, false, false);

    private static CampaignCandidate Candidate(long id, int days, long cents, bool invoice = false, bool final = false, bool broken = false, bool excluded = false) =>
        new(id, invoice, final, days, Money.FromCents(cents), broken, excluded);

    [Fact]
    public void An_account_matches_on_its_bucket_amount_range_and_debt_type_and_an_excluded_one_never()
    {
        Assert.True(CallingCampaigns.Matches(Bucket61To90, Candidate(1, 61, 50_00)));
        Assert.True(CallingCampaigns.Matches(Bucket61To90, Candidate(1, 90, 2_000_00)));
        Assert.False(CallingCampaigns.Matches(Bucket61To90, Candidate(1, 60, 500_00)));
        Assert.False(CallingCampaigns.Matches(Bucket61To90, Candidate(1, 91, 500_00)));
        Assert.False(CallingCampaigns.Matches(Bucket61To90, Candidate(1, 75, 49_99)));
        Assert.False(CallingCampaigns.Matches(Bucket61To90, Candidate(1, 75, 2_000_01)));
        Assert.False(CallingCampaigns.Matches(Bucket61To90, Candidate(1, 75, 500_00, invoice: true)));
        Assert.False(CallingCampaigns.Matches(Bucket61To90, Candidate(1, 75, 500_00, excluded: true)));
        Assert.False(CallingCampaigns.Matches(Bucket61To90 with { FinalOnly = true }, Candidate(1, 75, 500_00)));
        Assert.True(CallingCampaigns.Matches(Bucket61To90 with { FinalOnly = true }, Candidate(1, 75, 500_00, final: true)));
        Assert.False(CallingCampaigns.Matches(Bucket61To90 with { BrokenPromisesOnly = true }, Candidate(1, 75, 500_00)));
        Assert.True(CallingCampaigns.Matches(Bucket61To90 with { BrokenPromisesOnly = true, Debt = CampaignDebt.Any }, Candidate(1, 75, 500_00, invoice: true, broken: true)));
    }

    [Fact]
    public void Criteria_that_cannot_select_sensibly_are_refused_by_field()
    {
        Assert.Equal("minimumDaysPastDue", Assert.Throws<DomainException>(() => (Bucket61To90 with { MinimumDaysPastDue = 0 }).Check()).Field);
        Assert.Equal("maximumDaysPastDue", Assert.Throws<DomainException>(() => (Bucket61To90 with { MaximumDaysPastDue = 30 }).Check()).Field);
        Assert.Equal("maximumBalance", Assert.Throws<DomainException>(() => (Bucket61To90 with { MaximumBalance = Money.FromCents(10_00) }).Check()).Field);
        Assert.Equal("finalOnly", Assert.Throws<DomainException>(() => (Bucket61To90 with { Debt = CampaignDebt.Invoice, FinalOnly = true }).Check()).Field);
        Assert.Equal("61–90 days past due, owing $50.00 to $2,000.00, utility accounts", Bucket61To90.Describe());
    }

    [Fact]
    public void The_list_is_dealt_so_each_collectors_list_is_as_long_as_the_next_and_every_account_is_on_exactly_one()
    {
        Prop.ForAll(Gen.ListOf(Gen.Choose(1, 500_000)).ToArbitrary(), Gen.Choose(1, 4).ToArbitrary(), (balances, collectorCount) =>
        {
            var targets = balances.Select((cents, i) => Candidate(i + 1, 40, cents)).ToList();
            var collectors = Enumerable.Range(1, collectorCount).Select(i => $"c{i}").ToList();
            var dealt = CallingCampaigns.Assign(targets, collectors);
            var lengths = collectors.Select(c => dealt.Count(d => d.Collector == c)).ToList();
            return dealt.Count == targets.Count && dealt.Select(d => d.Target.AccountId).Distinct().Count() == targets.Count && lengths.Max() - lengths.Min() <= 1;
        }).QuickCheckThrowOnFailure();
        Assert.Equal("collectors", Assert.Throws<DomainException>(() => CallingCampaigns.Assign([Candidate(1, 40, 10_00)], [])).Field);
    }

    [Fact]
    public void Results_count_each_collectors_calls_right_party_contacts_promises_and_collected()
    {
        var results = CallingCampaigns.Results(["ana", "ben"], new Dictionary<string, int> { ["ana"] = 3, ["ben"] = 2 },
            [
                new CampaignCall("ana", "promise-to-pay", true, Money.FromCents(80_00)),
                new CampaignCall("ana", "no-answer", false, Money.Zero),
                new CampaignCall("ANA", "refused", true, Money.Zero),
                new CampaignCall("ben", "wrong-number", false, Money.Zero),
            ],
            new Dictionary<string, Money> { ["ana"] = Money.FromCents(40_00) });
        var ana = results.Single(r => r.Collector == "ana");
        Assert.Equal((3, 3, 2, 1, Money.FromCents(80_00), Money.FromCents(40_00), 66.7m), (ana.Targets, ana.Calls, ana.RightPartyContacts, ana.Promises, ana.Promised, ana.Collected, ana.RightPartyRate));
        var ben = results.Single(r => r.Collector == "ben");
        Assert.Equal((1, 0, Money.Zero), (ben.Calls, ben.RightPartyContacts, ben.Collected));
        Assert.True(CallingCampaigns.IsRightParty("refused") && !CallingCampaigns.IsRightParty("wrong-number"));
        Assert.True(CallingCampaigns.Finishes("wrong-number") && !CallingCampaigns.Finishes("no-answer"));
    }
}
