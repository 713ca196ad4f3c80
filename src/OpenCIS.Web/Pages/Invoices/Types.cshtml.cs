using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.UseCases.Invoices;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Invoices;

/// <summary>The invoice types: where each one's revenue is booked (account and fund), its terms, statements and collection policy. A supervisor adds or edits one.</summary>
[Authorize(Policy = InvoicesCapability.ViewInvoices)]
public sealed class TypesModel(InvoiceTypes types, IAuthorizationService authorization) : ActionPageModel
{
    public IReadOnlyList<InvoiceTypeView> Types { get; private set; } = [];

    public bool CanManage { get; private set; }

    /// <summary>The type being edited (from ?code=), or null for a new one.</summary>
    public InvoiceTypeView? Editing { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? code, CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        Editing = Types.FirstOrDefault(t => string.Equals(t.Type.Code, code, StringComparison.OrdinalIgnoreCase));
        return Page();
    }

    public Task<IActionResult> OnPostAsync(string code, string name, string revenueGlAccount, int termsDays, int? statementEveryDays, bool active, string? allowanceGlAccount,
        string? collectionPolicy, CancellationToken cancellationToken) =>
        ActAsync(authorization, InvoicesCapability.ManageInvoiceTypes, async () =>
        {
            var saved = await types.SaveAsync(code, name, revenueGlAccount, termsDays, statementEveryDays, active, User.Identity!.Name!, cancellationToken, allowanceGlAccount, collectionPolicy);
            return $"Invoice type {saved.Type.Code} saved.";
        }, () => LoadAsync(cancellationToken));

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Types = await types.ListAsync(cancellationToken);
        CanManage = (await authorization.AuthorizeAsync(User, InvoicesCapability.ManageInvoiceTypes)).Succeeded;
        return true;
    }
}
