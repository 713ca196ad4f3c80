using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.Core.Common;
using OpenCIS.UseCases.Campaigns;
using OpenCIS.Web.Api;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Campaigns;

/// <summary>
/// One campaign: its criteria and script, each collector's results, its exports; the list (a collector sees their own first), each
/// target with its call form (outcome code, note, and a promise's amount and date); and its close.
/// </summary>
[Authorize(Policy = CampaignCapability.ViewCampaigns)]
public sealed class CampaignModel(CallingCampaignBook book, CampaignExport export, IAuthorizationService authorization) : ActionPageModel
{
    public CampaignView? Campaign { get; private set; }

    public bool CanCall { get; private set; }

    /// <summary>A Supervisor may log a call on any collector's list; a collector, on their own.</summary>
    public bool CanCallAnyList { get; private set; }

    public bool MayCall(string collector) => CanCall && (CanCallAnyList || string.Equals(collector, User.Identity?.Name, StringComparison.OrdinalIgnoreCase));

    public bool CanManage { get; private set; }

    /// <summary>Whose list is shown: the signed-in collector's when they have one, unless everyone's is asked for.</summary>
    public string? ListOf { get; private set; }

    [BindProperty(SupportsGet = true)]
    public long CampaignId { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool All { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnGetExportAsync(string? format, CancellationToken cancellationToken)
    {
        var file = string.Equals(format, "xlsx", StringComparison.OrdinalIgnoreCase) ? await export.XlsxAsync(CampaignId, cancellationToken) : await export.CsvAsync(CampaignId, cancellationToken);
        return File(file.Content, file.ContentType, file.FileName);
    }

    public async Task<IActionResult> OnPostCallAsync(long targetId, string? outcome, string? note, string? promiseAmount, DateOnly? promiseDate, CancellationToken cancellationToken) =>
        await ActAsync(authorization, CampaignCapability.CallCampaigns,
            async () => (await book.LogCallAsync(CampaignId, CampaignsApi.ToRequest(new CampaignCallBody(targetId, outcome, note, promiseAmount, promiseDate)), User.Identity!.Name!, cancellationToken,
                anyList: (await authorization.AuthorizeAsync(User, CampaignCapability.ManageCampaigns)).Succeeded)).Message,
            () => LoadAsync(cancellationToken));

    public async Task<IActionResult> OnPostCloseAsync(CancellationToken cancellationToken) =>
        await ActAsync(authorization, CampaignCapability.ManageCampaigns,
            async () => $"Campaign {(await book.CloseAsync(CampaignId, User.Identity!.Name!, cancellationToken)).Name} closed.",
            () => LoadAsync(cancellationToken));

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            Campaign = await book.FindAsync(CampaignId, cancellationToken: cancellationToken);
        }
        catch (DomainException)
        {
            return false;
        }

        var me = User.Identity!.Name!;
        ListOf = !All && Campaign.Targets.Any(t => string.Equals(t.Collector, me, StringComparison.OrdinalIgnoreCase)) ? me : null;
        CanCall = (await authorization.AuthorizeAsync(User, CampaignCapability.CallCampaigns)).Succeeded && Campaign.Status == Core.Campaigns.CampaignStatus.Open;
        CanCallAnyList = (await authorization.AuthorizeAsync(User, CampaignCapability.ManageCampaigns)).Succeeded;
        CanManage = (await authorization.AuthorizeAsync(User, CampaignCapability.ManageCampaigns)).Succeeded;
        return true;
    }
}
