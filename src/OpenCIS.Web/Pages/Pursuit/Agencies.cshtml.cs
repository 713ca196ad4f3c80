using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.Core.Common;
using OpenCIS.Core.Pursuit;
using OpenCIS.UseCases.Pursuit;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Pursuit;

/// <summary>
/// The collection agencies and the legal office (a Supervisor adds and changes them), each agency's placement files (made and downloaded
/// here), and its payment files (posted here, each problem named by line and field).
/// </summary>
[Authorize(Policy = PursuitCapability.ViewPursuit)]
public sealed class AgenciesModel(CollectionAgencies agencies, PlacementFiles placementFiles, AgencyPayments payments, IAuthorizationService authorization) : ActionPageModel
{
    public const long MaximumFileBytes = 10 * 1024 * 1024;

    public IReadOnlyList<AgencyView> Agencies { get; private set; } = [];

    public IReadOnlyList<PlacementFileView> Files { get; private set; } = [];

    public IReadOnlyList<AgencyRemittanceView> Remittances { get; private set; } = [];

    public IReadOnlyList<string> FileErrors { get; private set; } = [];

    public bool CanManage { get; private set; }

    public bool CanSend { get; private set; }

    public bool CanPost { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnGetFileAsync(long id, CancellationToken cancellationToken)
    {
        var file = await placementFiles.FindAsync(id, cancellationToken);
        return File(System.Text.Encoding.UTF8.GetBytes(file.Content), "text/csv", file.File!.FileName);
    }

    public async Task<IActionResult> OnPostSaveAsync(string? code, string? name, ReferralKind kind, decimal? commissionPercent, RemittanceBasis remittance, string? contact, bool active,
        CancellationToken cancellationToken) =>
        await ActAsync(authorization, PursuitCapability.ManageAgencies,
            async () =>
            {
                var saved = await agencies.SaveAsync(new AgencyRequest(code ?? "", name ?? "", kind, commissionPercent ?? 0m, remittance, contact, active), User.Identity!.Name!, cancellationToken);
                return $"{saved.Name} ({saved.Code}) saved.";
            },
            () => LoadAsync(cancellationToken));

    public async Task<IActionResult> OnPostPlaceAsync(string? agencyCode, CancellationToken cancellationToken) =>
        await ActAsync(authorization, PursuitCapability.ReferAccounts,
            async () => (await placementFiles.CreateAsync(agencyCode ?? "", User.Identity!.Name!, cancellationToken)).Message,
            () => LoadAsync(cancellationToken));

    public async Task<IActionResult> OnPostPaymentsAsync(string? agencyCode, IFormFile? file, CancellationToken cancellationToken) =>
        await ActAsync(authorization, PursuitCapability.PostAgencyPayments,
            async () =>
            {
                if (file is null || file.Length == 0)
                {
                    throw new DomainException("Choose the agency's payment file.", "file");
                }

                if (file.Length > MaximumFileBytes)
                {
                    throw new DomainException($"{file.FileName} is larger than {MaximumFileBytes / 1024 / 1024} MB.", "file");
                }

                using var buffer = new MemoryStream();
                await file.CopyToAsync(buffer, cancellationToken);
                var outcome = await payments.ImportAsync(agencyCode ?? "", Path.GetFileName(file.FileName), buffer.ToArray(), User.Identity!.Name!, cancellationToken);
                if (outcome.Errors.Count > 0)
                {
                    FileErrors = [.. outcome.Errors.Select(e => e.ToString())];
                    throw new DomainException(outcome.Message, "file");
                }

                return outcome.Message;
            },
            () => LoadAsync(cancellationToken));

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Agencies = await agencies.ListAsync(cancellationToken);
        Files = await placementFiles.ListAsync(null, cancellationToken);
        Remittances = await payments.ListAsync(cancellationToken);
        CanManage = (await authorization.AuthorizeAsync(User, PursuitCapability.ManageAgencies)).Succeeded;
        CanSend = (await authorization.AuthorizeAsync(User, PursuitCapability.ReferAccounts)).Succeeded;
        CanPost = (await authorization.AuthorizeAsync(User, PursuitCapability.PostAgencyPayments)).Succeeded;
        return true;
    }
}
