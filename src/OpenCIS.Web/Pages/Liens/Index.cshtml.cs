using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.Core.Liens;
using OpenCIS.UseCases;
using OpenCIS.UseCases.Liens;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Liens;

/// <summary>
/// The lien register: how many liens stand in each status and what the open ones leave unpaid, the liens by status or parcel, the day's
/// lien run by hand, and the certification of unpaid filed liens to the county tax roll with its files.
/// </summary>
[Authorize(Policy = LienCapability.ViewLiens)]
public sealed class IndexModel(LienRegister register, RunLiens run, BusinessCalendar calendar, IAuthorizationService authorization) : ActionPageModel
{
    public IReadOnlyList<LienView> Liens { get; private set; } = [];

    public LienCounts? Counts { get; private set; }

    public IReadOnlyList<LienCertificationView> Certifications { get; private set; } = [];

    public IReadOnlyList<LienStep> Steps { get; private set; } = [];

    public bool CanWork { get; private set; }

    public bool CanCertify { get; private set; }

    public DateOnly Today { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Parcel { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnGetCertificationFileAsync(long id, CancellationToken cancellationToken)
    {
        var (fileName, content) = await register.CertificationFileAsync(id, cancellationToken);
        return File(Encoding.UTF8.GetBytes(content), "text/csv", fileName);
    }

    public async Task<IActionResult> OnPostRunAsync(CancellationToken cancellationToken) =>
        await ActAsync(authorization, LienCapability.WorkLiens,
            async () =>
            {
                var outcome = await run.ExecuteAsync(calendar.Today(), User.Identity!.Name!, cancellationToken);
                Steps = outcome.Steps;
                return outcome.Message;
            },
            () => LoadAsync(cancellationToken));

    public async Task<IActionResult> OnPostCertifyAsync(int? taxYear, CancellationToken cancellationToken) =>
        await ActAsync(authorization, LienCapability.CertifyLiens,
            async () =>
            {
                var certification = await register.CertifyAsync(taxYear ?? 0, User.Identity!.Name!, cancellationToken);
                return $"{certification.Liens} lien{(certification.Liens == 1 ? "" : "s")} for {certification.Total} certified to the {certification.TaxYear} tax roll.";
            },
            () => LoadAsync(cancellationToken));

    public static string StatusValue(LienStatus status) => status.ToString();

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        LienStatus? wanted = Enum.TryParse<LienStatus>(Status, true, out var parsed) && Enum.IsDefined(parsed) ? parsed : null;
        Liens = await register.ListAsync(new LienFilter(wanted, null, string.IsNullOrWhiteSpace(Parcel) ? null : Parcel), cancellationToken);
        Counts = await register.CountsAsync(cancellationToken);
        Certifications = await register.CertificationsAsync(cancellationToken);
        CanWork = (await authorization.AuthorizeAsync(User, LienCapability.WorkLiens)).Succeeded;
        CanCertify = (await authorization.AuthorizeAsync(User, LienCapability.CertifyLiens)).Succeeded;
        Today = calendar.Today();
        return true;
    }
}
