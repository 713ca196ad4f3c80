using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.Core.Campaigns;
using OpenCIS.UseCases.Campaigns;
using OpenCIS.Web.Api;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Campaigns;

/// <summary>The calling campaigns, and for a Supervisor the form that builds one from criteria, a script, outcome codes and collectors.</summary>
[Authorize(Policy = CampaignCapability.ViewCampaigns)]
public sealed class IndexModel(CallingCampaignBook book, IAuthorizationService authorization) : ActionPageModel
{
    /// <summary>The aging buckets the form offers: a label and the days past due from and to.</summary>
    public static readonly IReadOnlyList<(string Value, string Label, int From, int? To)> Buckets =
    [
        ("1", "Any past due", 1, null), ("31-60", "31–60 days", 31, 60), ("61-90", "61–90 days", 61, 90), ("91-120", "91–120 days", 91, 120), ("121", "Over 120 days", 121, null),
    ];

    public IReadOnlyList<CampaignSummary> Campaigns { get; private set; } = [];

    public bool CanManage { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostCreateAsync(string? name, string? bucket, string? minimumBalance, string? maximumBalance, string? debt, bool finalOnly, bool brokenPromisesOnly,
        string? script, string? collectors, CancellationToken cancellationToken)
    {
        if (!(await authorization.AuthorizeAsync(User, CampaignCapability.ManageCampaigns)).Succeeded)
        {
            return Forbid();
        }

        var (_, _, from, to) = Buckets.FirstOrDefault(b => b.Value == bucket, Buckets[0]);
        CampaignView? built = null;
        var result = await ActAsync(
            async () =>
            {
                built = await book.CreateAsync(CampaignsApi.ToRequest(new CampaignBody(name, from, to, minimumBalance, maximumBalance, debt, finalOnly, brokenPromisesOnly, script, null,
                    (collectors ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))), User.Identity!.Name!, cancellationToken);
                return "";
            },
            () => LoadAsync(cancellationToken));
        return built is null ? result : RedirectToPage("/Campaigns/Campaign", new { campaignId = built.Id });
    }

    public static string StatusWords(CampaignStatus status) => status == CampaignStatus.Open ? "open" : "closed";

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Campaigns = await book.ListAsync(cancellationToken);
        CanManage = (await authorization.AuthorizeAsync(User, CampaignCapability.ManageCampaigns)).Succeeded;
        return true;
    }
}
