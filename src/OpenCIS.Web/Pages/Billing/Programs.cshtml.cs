using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.UseCases.Assistance;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Billing;

/// <summary>
/// The assistance programs: each with who is eligible, how often an enrollment is re-verified, how many accounts it
/// counts for today, and the tariff charges limited to it (what it gives on a bill). A supervisor adds or edits one.
/// </summary>
[Authorize(Policy = BillingCapability.ViewBilling)]
public sealed class ProgramsModel(AssistancePrograms programs, IAuthorizationService authorization) : ActionPageModel
{
    public IReadOnlyList<ProgramListing> Programs { get; private set; } = [];

    public bool CanManage { get; private set; }

    /// <summary>The program being edited (from ?code=), or null for a new one.</summary>
    public ProgramListing? Editing { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? code, CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        Editing = Programs.FirstOrDefault(p => string.Equals(p.Code, code, StringComparison.OrdinalIgnoreCase));
        return Page();
    }

    public Task<IActionResult> OnPostAsync(string code, string name, string? eligibility, int? verificationMonths, bool active, CancellationToken cancellationToken) =>
        ActAsync(authorization, AssistanceCapability.ManagePrograms, async () =>
        {
            var saved = await programs.SaveAsync(new ProgramDefinition(code, name, eligibility, verificationMonths, active), User.Identity!.Name!, cancellationToken);
            return $"Program {saved.Code} saved.";
        }, () => LoadAsync(cancellationToken));

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Programs = await programs.ListAsync(cancellationToken);
        CanManage = (await authorization.AuthorizeAsync(User, AssistanceCapability.ManagePrograms)).Succeeded;
        return true;
    }
}
