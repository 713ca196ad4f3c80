using OpenCIS.Web.Api;
using OpenCIS.Web.Jobs;
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
    public const string PostRemittances = nameof(PostRemittances);
    public const string RequestWaivers = nameof(RequestWaivers);
    public const string ApproveWaivers = nameof(ApproveWaivers);
    public const string RunStatements = nameof(RunStatements);

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
        // Post a payer's remittance (insurance, Medicare, Medicaid) on an invoice: its payment and contractual adjustment.
        new(PostRemittances, [Roles.Clerk, Roles.Cashier, Roles.Supervisor, Roles.Admin]),
        // Ask for a hardship waiver of an invoice; it moves no money until approved.
        new(RequestWaivers, [Roles.Clerk, Roles.Collector, Roles.Supervisor, Roles.Admin]),
        // Approve or reject a waiver (never one's own): the approval posts it.
        new(ApproveWaivers, [Roles.Supervisor, Roles.Admin]),
        // Write a date's patient statements now (the daily collections run writes them anyway).
        new(RunStatements, [Roles.Clerk, Roles.Supervisor, Roles.Admin]),
    ];

    public IReadOnlyList<JobKindView> JobKinds { get; } =
    [
        new(OpenCIS.UseCases.Invoices.InvoiceStatementsJob.JobKind, ViewInvoices) { Home = new JobLink("job-home", "Statements", "/Invoices/Statements") },
    ];

    public void MapEndpoints(RouteGroupBuilder api)
    {
        InvoicesApi.Map(api);
    }
}
