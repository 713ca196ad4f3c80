using System.Text;
using OpenCIS.Core.Customers;
using OpenCIS.UseCases.Campaigns;
using OpenCIS.UseCases.Customers;

namespace OpenCIS.UseCases.Demo;

/// <summary>
/// The demo city's skip tracing, on the campaign's accounts after the collector's first calls: the account that did
/// not answer had its mail come back (the mail room's returned-mail file, imported), and the credit bureau has a newer
/// address for it; the wrong number's phone is marked failed by the call itself, and a relative gave another.
/// </summary>
public static class DemoSkipTrace
{
    public const string ReturnedReason = "Moved, left no address";
    public const string BureauAddress = "2210 Willow Bend Rd Apt 4";
    public const string RelativePhone = "541-555-0188";

    public static async Task SeedAsync(ImportReturnedMail returnedMail, SkipTrace skipTrace, CampaignView? campaign, DateOnly today, CancellationToken cancellationToken)
    {
        var calls = campaign?.Targets.Where(t => t.Collector == "collector").Take(DemoCampaigns.FirstCalls.Count).ToList() ?? [];
        if (calls.Count < DemoCampaigns.FirstCalls.Count)
        {
            return;
        }

        // The third call went unanswered and the fifth reached a wrong number (DemoCampaigns.FirstCalls).
        var unanswered = calls[2];
        var wrongNumber = calls[4];
        var file = $"account_number,returned_on,reason\n{unanswered.AccountNumber},{today.AddDays(-3):yyyy-MM-dd},\"{ReturnedReason}\"\n";
        var outcome = await returnedMail.ExecuteAsync($"returned-mail-{today:yyyy-MM-dd}.csv", Encoding.UTF8.GetBytes(file), "clerk", cancellationToken);
        if (!outcome.Imported)
        {
            throw new InvalidOperationException($"The demo's returned-mail file was refused: {outcome.Message}");
        }

        await skipTrace.AddAlternateAsync(unanswered.AccountNumber,
            new AlternateContactRequest(ContactChannel.Address, BureauAddress, "Riverbend", "OR", "97403", "Credit bureau", "Address reported this month"), "collector", cancellationToken);
        await skipTrace.AddAlternateAsync(wrongNumber.AccountNumber,
            new AlternateContactRequest(ContactChannel.Phone, RelativePhone, null, null, null, "Relative (sister)", "Given when the wrong number was called"), "collector", cancellationToken);
    }
}
