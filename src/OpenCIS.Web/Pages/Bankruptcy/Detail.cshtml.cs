using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.Core.Common;
using OpenCIS.UseCases.Bankruptcy;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Bankruptcy;

/// <summary>
/// One case: the court's facts, each account with what it owed on the petition date, what the trustee paid and what is
/// left, the trustee's payments, the proof of claim to print, and the forms to post a trustee's payment and to close the
/// case on the court's order.
/// </summary>
[Authorize(Policy = BankruptcyCapability.ViewBankruptcies)]
public sealed class DetailModel(BankruptcyCases cases, ProofOfClaim proof, IAuthorizationService authorization) : ActionPageModel
{
    public BankruptcyCaseView Case { get; private set; } = null!;

    public bool CanPay { get; private set; }

    public bool CanClose { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string CaseNumber { get; set; } = "";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnGetPdfAsync(CancellationToken cancellationToken)
    {
        if (await cases.FindOrNullAsync(CaseNumber, cancellationToken) is null)
        {
            return NotFound();
        }

        var document = await proof.RenderAsync(CaseNumber, User.Identity!.Name!, cancellationToken);
        return File(document.Pdf, "application/pdf", document.FileName);
    }

    public Task<IActionResult> OnPostPayAsync(string? amount, string? tender, string? reference, string? requestKey, CancellationToken cancellationToken) =>
        ActAsync(authorization, BankruptcyCapability.PostTrusteePayments, async () =>
            {
                if (!Core.Payments.Tenders.TryParse(tender, out var parsed))
                {
                    throw new DomainException($"'{tender}' is not a tender: check or ach.", "tender");
                }

                return (await cases.PayAsync(new TrusteePaymentRequest(CaseNumber, Money.ParseField(amount, "amount"), parsed, reference, requestKey), User.Identity!.Name!, cancellationToken)).Message;
            },
            () => LoadAsync(cancellationToken));

    public Task<IActionResult> OnPostCloseAsync(string? outcome, string? note, CancellationToken cancellationToken) =>
        ActAsync(authorization, BankruptcyCapability.CloseBankruptcies, async () =>
                (outcome == "discharge"
                    ? await cases.DischargeAsync(CaseNumber, note, User.Identity!.Name!, cancellationToken)
                    : outcome == "dismiss"
                        ? await cases.DismissAsync(CaseNumber, note, User.Identity!.Name!, cancellationToken)
                        : throw new DomainException("Choose the court's order: a discharge or a dismissal.", "outcome")).Message,
            () => LoadAsync(cancellationToken));

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (await cases.FindOrNullAsync(CaseNumber, cancellationToken) is not { } found)
        {
            return false;
        }

        Case = found;
        CanPay = (await authorization.AuthorizeAsync(User, BankruptcyCapability.PostTrusteePayments)).Succeeded;
        CanClose = (await authorization.AuthorizeAsync(User, BankruptcyCapability.CloseBankruptcies)).Succeeded;
        return true;
    }
}
