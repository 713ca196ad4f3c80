using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.Core.Common;
using OpenCIS.Core.Invoices;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Customers;
using OpenCIS.UseCases.Invoices;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Invoices;

/// <summary>
/// A new invoice: the party (found by name among the customers on file, or keyed as a new one), the type, up to eight
/// lines, the other system's reference and the parcel. Posted once even when the form is sent twice (its key).
/// </summary>
[Authorize(Policy = InvoicesCapability.CreateInvoices)]
public sealed class NewModel(CreateInvoice create, InvoiceTypes types, InvoiceQueries queries) : ActionPageModel
{
    public const int LineRows = 8;

    public IReadOnlyList<InvoiceTypeView> Types { get; private set; } = [];

    [BindProperty]
    public InvoiceForm Form { get; set; } = new();

    public IReadOnlyList<(long CustomerId, string Name, string Address)> Found { get; private set; } = [];

    public async Task OnGetAsync(long? customerId, CancellationToken cancellationToken)
    {
        Form = new InvoiceForm { CustomerId = customerId, IdempotencyKey = Guid.NewGuid().ToString("N") };
        await LoadAsync(cancellationToken);
    }

    /// <summary>The customers whose name starts with what was typed, as radio choices (htmx).</summary>
    public async Task<IActionResult> OnGetPartiesAsync(string? q, CancellationToken cancellationToken)
    {
        Found = string.IsNullOrWhiteSpace(q) ? [] : await queries.FindPartiesAsync(q, cancellationToken);
        return Partial("_PartyChoices", this);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        try
        {
            var lines = Form.Lines.Where(l => !string.IsNullOrWhiteSpace(l.Description) || !string.IsNullOrWhiteSpace(l.UnitPrice))
                .Select((l, i) => new InvoiceLine(l.Description ?? "", Number(l.Quantity, 1m, $"lines[{i}].quantity"), Number(l.UnitPrice, null, $"lines[{i}].unitPrice")))
                .ToList();
            var party = Form.CustomerId is null ? Form.Party() : null;
            var outcome = await create.ExecuteAsync(new CreateInvoiceRequest(Form.CustomerId, party, Form.Type ?? "", lines, Form.Reference, Form.ParcelId, Form.Note, Form.IdempotencyKey),
                User.Identity!.Name!, CreateInvoice.ScreenSource, cancellationToken);
            return Redirect($"/Invoices/{outcome.Invoice.Number}");
        }
        catch (DomainException exception)
        {
            (Message, IsError, ErrorField) = (exception.Message, true, exception.Field);
            await LoadAsync(cancellationToken);
            return Page();
        }
    }

    private static decimal Number(string? text, decimal? blank, string field)
    {
        var trimmed = (text ?? "").Trim().TrimStart('$').Replace(",", "", StringComparison.Ordinal);
        if (trimmed.Length == 0 && blank is { } value)
        {
            return value;
        }

        return decimal.TryParse(trimmed, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new DomainException($"'{text}' is not a number.", field);
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Types = (await types.ListAsync(cancellationToken)).Where(t => t.Type.Active).ToList();
        while (Form.Lines.Count < LineRows)
        {
            Form.Lines.Add(new LineForm());
        }

        if (Form.CustomerId is { } id)
        {
            var name = await queries.FindPartiesByIdAsync(id, cancellationToken);
            Found = name is null ? [] : [name.Value];
        }
    }

    public sealed class InvoiceForm
    {
        public long? CustomerId { get; set; }
        public string? Kind { get; set; } = "Person";
        public string? Name { get; set; }
        public string? Line1 { get; set; }
        public string? City { get; set; }
        public string? State { get; set; }
        public string? Zip { get; set; }
        public string? Email { get; set; }
        public string? Phone { get; set; }
        public string? IdentityNumber { get; set; }
        public DateOnly? BirthDate { get; set; }
        public string? Type { get; set; }
        public string? Reference { get; set; }
        public string? ParcelId { get; set; }
        public string? Note { get; set; }
        public string? IdempotencyKey { get; set; }
        public List<LineForm> Lines { get; set; } = [];

        public ApplyingCustomer Party() =>
            new(string.Equals(Kind, "Business", StringComparison.OrdinalIgnoreCase) ? CustomerKind.Business : CustomerKind.Person, Name ?? "", BirthDate, null, IdentityNumber,
                Phone, Email, Line1, City, State, Zip);
    }

    public sealed class LineForm
    {
        public string? Description { get; set; }
        public string? Quantity { get; set; }
        public string? UnitPrice { get; set; }
    }
}
