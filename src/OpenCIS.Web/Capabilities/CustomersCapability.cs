using OpenCIS.Web.Api;
using OpenCIS.Web.Security;

namespace OpenCIS.Web.Capabilities;

/// <summary>Customers and their accounts: search, the account page, contacts and identity numbers. Its permissions (each with the roles that hold it) and its API endpoints; its screens are under Pages/.</summary>
public sealed class CustomersCapability : IWebCapability
{
    public const string ViewAccounts = nameof(ViewAccounts);
    public const string EditCustomers = nameof(EditCustomers);
    public const string RevealIdentity = nameof(RevealIdentity);
    public const string LogContacts = nameof(LogContacts);
    public const string StartStopService = nameof(StartStopService);
    public const string ManageInventory = nameof(ManageInventory);
    public const string ManageParcelAreas = nameof(ManageParcelAreas);
    public const string TraceContacts = nameof(TraceContacts);
    public const string ImportReturnedMail = nameof(ImportReturnedMail);

    public IReadOnlyList<PermissionGrant> Permissions { get; } =
    [
        new(ViewAccounts, Roles.All),
        new(EditCustomers, [Roles.Clerk, Roles.Supervisor, Roles.Admin]),
        new(RevealIdentity, [Roles.Supervisor, Roles.Admin]),
        // Log every interaction with the customer on the account: calls, walk-ins, e-mails, letters, portal messages.
        new(LogContacts, [Roles.Clerk, Roles.Cashier, Roles.Collector, Roles.Supervisor, Roles.Admin]),
        // Start, stop and transfer service; landlord agreements.
        new(StartStopService, [Roles.Clerk, Roles.Supervisor, Roles.Admin]),
        // Premises, service points and meters into inventory (new construction), by screen, API or CSV.
        new(ManageInventory, [Roles.Clerk, Roles.Supervisor, Roles.Admin]),
        // Each parcel's impervious area, which stormwater is billed on, by hand or from the GIS export: whoever may add premises.
        new(ManageParcelAreas, [Roles.Clerk, Roles.Supervisor, Roles.Admin]),
        // Skip tracing: mark an address, phone or e-mail failed, record alternate contacts, make one the contact on file.
        new(TraceContacts, [Roles.Clerk, Roles.Collector, Roles.Supervisor, Roles.Admin]),
        // The mail room's returned-mail file, which stops mail to the addresses it names.
        new(ImportReturnedMail, [Roles.Clerk, Roles.Supervisor, Roles.Admin]),
    ];

    public void MapEndpoints(RouteGroupBuilder api)
    {
        AccountsApi.Map(api);
        CustomersApi.Map(api);
        ServiceApi.Map(api);
        ParcelsApi.Map(api);
        SkipTraceApi.Map(api);
    }
}
