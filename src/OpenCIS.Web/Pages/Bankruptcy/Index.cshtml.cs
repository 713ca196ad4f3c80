using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.Core.Bankruptcy;
using OpenCIS.UseCases;
using OpenCIS.UseCases.Bankruptcy;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Bankruptcy;

/// <summary>The bankruptcy cases, open first, and the form a collector enters a new one on from the court's notice.</summary>
[Authorize(Policy = BankruptcyCapability.ViewBankruptcies)]
public sealed class IndexModel(BankruptcyCases cases, BusinessCalendar calendar, IAuthorizationService authorization) : ActionPageModel
{
    public IReadOnlyList<BankruptcyCaseView> Cases { get; private set; } = [];

    public bool CanEnter { get; private set; }

    public DateOnly Today { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Accounts { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? caseNumber, int chapter, string? court, DateOnly? petitionDate, string? debtorName, string? attorney, string? trustee,
        CancellationToken cancellationToken)
    {
        var result = await ActAsync(authorization, BankruptcyCapability.ManageBankruptcies, async () =>
            {
                var outcome = await cases.FileAsync(new BankruptcyFiling(caseNumber, (BankruptcyChapter)chapter, court,
                    petitionDate ?? throw new Core.Common.DomainException("Enter the petition date, as on the court's notice.", "petitionDate"), debtorName, attorney, trustee,
                    (Accounts ?? "").Split([',', ' ', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)), User.Identity!.Name!, cancellationToken);
                return outcome.Message;
            },
            () => LoadAsync(cancellationToken));
        return !IsError && caseNumber is not null ? RedirectToPage("Detail", new { caseNumber = caseNumber.Trim() }) : result;
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        BankruptcyStatus? wanted = Enum.TryParse<BankruptcyStatus>(Status, true, out var parsed) && Enum.IsDefined(parsed) ? parsed : null;
        Cases = await cases.ListAsync(wanted, cancellationToken);
        CanEnter = (await authorization.AuthorizeAsync(User, BankruptcyCapability.ManageBankruptcies)).Succeeded;
        Today = calendar.Today();
        return true;
    }
}
