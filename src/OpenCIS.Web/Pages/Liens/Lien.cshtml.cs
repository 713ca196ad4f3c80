using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.Core.Common;
using OpenCIS.UseCases.Liens;
using OpenCIS.Web.Api;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Liens;

/// <summary>One lien: the owner and parcel, its stages, the charges it secures with what is unpaid of each, its documents, and its release once paid.</summary>
[Authorize(Policy = LienCapability.ViewLiens)]
public sealed class LienModel(LienRegister register, LienDocuments documents, IAuthorizationService authorization) : ActionPageModel
{
    public LienView? Lien { get; private set; }

    public IReadOnlyList<string> Documents { get; private set; } = [];

    public bool CanWork { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? LienNumber { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnGetDocumentAsync(string? kind, CancellationToken cancellationToken)
    {
        var document = await documents.RenderAsync(LienNumber ?? "", LiensApi.ParseKind(kind ?? ""), cancellationToken);
        return File(document.Pdf, "application/pdf", document.FileName);
    }

    public async Task<IActionResult> OnPostReleaseAsync(string? reason, CancellationToken cancellationToken) =>
        await ActAsync(authorization, LienCapability.WorkLiens,
            async () =>
            {
                var released = await register.ReleaseAsync(LienNumber ?? "", reason, User.Identity!.Name!, cancellationToken);
                return $"Lien {released.Number} released on {released.ReleasedOn:yyyy-MM-dd}; its release document is ready to record.";
            },
            () => LoadAsync(cancellationToken));

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            Lien = await register.FindAsync(LienNumber ?? "", cancellationToken);
        }
        catch (DomainException)
        {
            return false;
        }

        Documents = LiensApi.Documents(Lien);
        CanWork = (await authorization.AuthorizeAsync(User, LienCapability.WorkLiens)).Succeeded;
        return true;
    }
}
