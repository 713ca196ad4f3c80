using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.Core.Common;
using OpenCIS.UseCases.Invoices;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Invoices;

/// <summary>
/// City receivables billed by invoice: the invoices, newest first, filtered by type, standing or a party's name, number or
/// reference, with what is open; a clerk starts a new one or imports another system's file here.
/// </summary>
[Authorize(Policy = InvoicesCapability.ViewInvoices)]
public sealed class IndexModel(InvoiceQueries queries, InvoiceTypes types, ImportInvoices import, IAuthorizationService authorization) : ActionPageModel
{
    public InvoicePage Invoices { get; private set; } = new([], 0, 1, InvoiceQueries.PageSize, Money.Zero);

    public IReadOnlyList<InvoiceTypeView> Types { get; private set; } = [];

    [BindProperty(SupportsGet = true)]
    public string? Type { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Standing { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Text { get; set; }

    /// <summary>Only the invoices on this receivables account (from the account's page).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Account { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public bool CanCreate { get; private set; }

    public IReadOnlyList<UseCases.Payments.FileError> ImportErrors { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        try
        {
            await LoadAsync(cancellationToken);
        }
        catch (DomainException exception)
        {
            (Message, IsError, ErrorField) = (exception.Message, true, exception.Field);
            Standing = null;
            await LoadAsync(cancellationToken);
        }

        return Page();
    }

    public Task<IActionResult> OnPostImportAsync(IFormFile? file, CancellationToken cancellationToken) =>
        ActAsync(authorization, InvoicesCapability.CreateInvoices, async () =>
        {
            if (file is null || file.Length == 0)
            {
                throw new DomainException("Choose the CSV file of invoices to import.", "file");
            }

            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, cancellationToken);
            var outcome = await import.ExecuteAsync(Path.GetFileName(file.FileName), buffer.ToArray(), User.Identity!.Name!, cancellationToken);
            if (!outcome.Imported && !outcome.AlreadyImported)
            {
                ImportErrors = outcome.Errors;
                throw new DomainException(outcome.Message, "file");
            }

            return outcome.Message;
        }, async () =>
        {
            (Type, Standing, Text, PageNumber, Account) = (null, null, null, 1, null);
            await LoadAsync(cancellationToken);
            return true;
        });

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Types = await types.ListAsync(cancellationToken);
        CanCreate = (await authorization.AuthorizeAsync(User, InvoicesCapability.CreateInvoices)).Succeeded;
        Invoices = await queries.ListAsync(new InvoiceFilter(Type, null, Standing, Text, PageNumber, Account), cancellationToken);
    }
}
