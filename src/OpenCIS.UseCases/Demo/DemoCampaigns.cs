using OpenCIS.Core.Campaigns;
using OpenCIS.Core.Common;
using OpenCIS.UseCases.Campaigns;
using OpenCIS.UseCases.Collections;

namespace OpenCIS.UseCases.Demo;

/// <summary>
/// The demo city's calling campaign, built on the demo date by a Supervisor for the collector and the Supervisor: the accounts 31 days
/// or more past due owing $50.00 or more, with a script; the collector's first five calls of the morning made, one of each kind.
/// </summary>
public static class DemoCampaigns
{
    public const string Name = "Past due over 30 days";

    public const string Script = """
        Hello, may I speak with the account holder? This is the City of Riverbend utility billing office calling about your water account.
        Our records show a past-due balance. Can you pay it today, or tell me the date you can pay by?
        If you cannot pay it all, we can set up a payment arrangement. Confirm the best phone number to reach you.
        """;

    /// <summary>The outcomes of the collector's first five calls, in list order; the first is a promise of half the balance in two weeks.</summary>
    public static readonly IReadOnlyList<string> FirstCalls = ["promise-to-pay", "refused", "no-answer", "left-message", "wrong-number"];

    /// <summary>Builds the campaign and makes the first calls; the campaign as it stands after them, or null when nobody is past due enough to call.</summary>
    public static async Task<CampaignView?> SeedAsync(CallingCampaignBook book, DateOnly today, CancellationToken cancellationToken)
    {
        var criteria = new CampaignCriteria(31, null, Money.FromCents(50_00), null, CampaignDebt.Utility, false, false);
        CampaignView campaign;
        try
        {
            campaign = await book.CreateAsync(new CampaignRequest(Name, criteria, Script, null, ["collector", "supervisor"]), "supervisor", cancellationToken);
        }
        catch (DomainException)
        {
            // A city with nobody 31 to 90 days past due has no campaign to call.
            return null;
        }

        foreach (var (target, outcome) in campaign.Targets.Where(t => t.Collector == "collector").Zip(FirstCalls))
        {
            var promise = outcome == "promise-to-pay" ? new PromiseTerms(today.AddDays(14), Money.Max(Money.FromCents(1), Money.Round(target.Balance.Dollars / 2m))) : null;
            await book.LogCallAsync(campaign.Id, new CampaignCallRequest(target.Id, outcome, null, promise), "collector", cancellationToken);
        }

        return await book.FindAsync(campaign.Id, cancellationToken: cancellationToken);
    }
}
