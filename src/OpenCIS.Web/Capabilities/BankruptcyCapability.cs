using OpenCIS.Web.Api;
using OpenCIS.Web.Security;

namespace OpenCIS.Web.Capabilities;

/// <summary>Bankruptcy: the cases, their stays and pre-petition claims, trustee payments, discharges and dismissals. Its permissions and API endpoints; its screens are under Pages/Bankruptcy.</summary>
public sealed class BankruptcyCapability : IWebCapability
{
    public const string ViewBankruptcies = nameof(ViewBankruptcies);
    public const string ManageBankruptcies = nameof(ManageBankruptcies);
    public const string PostTrusteePayments = nameof(PostTrusteePayments);
    public const string CloseBankruptcies = nameof(CloseBankruptcies);

    public IReadOnlyList<PermissionGrant> Permissions { get; } =
    [
        // Read the cases and print a proof of claim: everyone who answers for an account in one or audits.
        new(ViewBankruptcies, [Roles.Clerk, Roles.Cashier, Roles.Collector, Roles.Supervisor, Roles.Admin, Roles.Auditor]),
        // Enter a case from the court's notice: the stay goes on and the pre-petition balance moves to the claim.
        new(ManageBankruptcies, [Roles.Collector, Roles.Supervisor, Roles.Admin]),
        // Post the trustee's check or EFT on the claim.
        new(PostTrusteePayments, [Roles.Cashier, Roles.Collector, Roles.Supervisor, Roles.Admin]),
        // Close a case on the court's order: a discharge writes the claim off, a dismissal puts it back on the accounts.
        new(CloseBankruptcies, [Roles.Supervisor, Roles.Admin]),
    ];

    public void MapEndpoints(RouteGroupBuilder api)
    {
        BankruptcyApi.Map(api);
    }
}
