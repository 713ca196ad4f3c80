using OpenCIS.Web.Api;
using OpenCIS.Web.Security;

namespace OpenCIS.Web.Capabilities;

/// <summary>City receivables billed by invoice: the invoice types, the invoices and their import. Its permissions (each with the roles that hold it) and its API endpoints; its screens are under Pages/Invoices.</summary>
public sealed class InvoicesCapability : IWebCapability
{
    public const string ViewInvoices = nameof(ViewInvoices);
    public const string CreateInvoices = nameof(CreateInvoices);
    public const string ManageInvoiceTypes = nameof(ManageInvoiceTypes);
    public const string CheckDebts = nameof(CheckDebts);
    public const string PlaceHolds = nameof(PlaceHolds);

    public IReadOnlyList<PermissionGrant> Permissions { get; } =
    [
        // Read invoices and their PDFs: everyone who answers a party's question, takes its payment or audits.
        new(ViewInvoices, [Roles.Clerk, Roles.Cashier, Roles.Collector, Roles.Supervisor, Roles.Admin, Roles.Auditor]),
        // Bill a party on screen, through the API (the city's other systems) or by file.
        new(CreateInvoices, [Roles.Clerk, Roles.Collector, Roles.Supervisor, Roles.Admin]),
        // The types themselves: where their revenue is booked and their terms.
        new(ManageInvoiceTypes, [Roles.Supervisor, Roles.Admin]),
        // The city-wide debt check (does this person or business owe the city?), each one logged.
        new(CheckDebts, [Roles.Clerk, Roles.Cashier, Roles.Collector, Roles.Supervisor, Roles.Admin, Roles.Auditor]),
        // Place and release holds that block a party's or a parcel's permits and licences; reading them is CheckDebts.
        new(PlaceHolds, [Roles.Collector, Roles.Supervisor, Roles.Admin]),
    ];

    public void MapEndpoints(RouteGroupBuilder api)
    {
        InvoicesApi.Map(api);
    }
}
