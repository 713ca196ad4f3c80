using OpenCIS.UseCases.Billing;
using OpenCIS.Web.Api;
using OpenCIS.Web.Jobs;
using OpenCIS.Web.Security;

namespace OpenCIS.Web.Capabilities;

/// <summary>Billing: runs (started as jobs, with the jobs and schedules screen), bills and their PDFs, the pre-bill review of held bills, bill messages, cycles and holidays, corrections and adjustments. Its permissions (each with the roles that hold it) and its API endpoints; its screens are under Pages/.</summary>
public sealed class BillingCapability : IWebCapability
{
    public const string RunBilling = nameof(RunBilling);
    public const string ViewBilling = nameof(ViewBilling);
    public const string CorrectBills = nameof(CorrectBills);
    public const string AdjustAccounts = nameof(AdjustAccounts);
    public const string ApproveAdjustments = nameof(ApproveAdjustments);
    public const string ManageCycles = nameof(ManageCycles);
    public const string ReviewBills = nameof(ReviewBills);
    public const string ManageBillReview = nameof(ManageBillReview);
    public const string ManageBudgetBilling = nameof(ManageBudgetBilling);
    public const string ManageBillMessages = nameof(ManageBillMessages);

    public IReadOnlyList<PermissionGrant> Permissions { get; } =
    [
        new(RunBilling, [Roles.Clerk, Roles.Supervisor, Roles.Admin]),
        new(ViewBilling, [Roles.Clerk, Roles.Supervisor, Roles.Admin, Roles.Auditor]),
        // Cancel and rebill, final bills on stopping service, average bills.
        new(CorrectBills, [Roles.Clerk, Roles.Supervisor, Roles.Admin]),
        // Adjustments and leak allowances; above the approval threshold they wait for ApproveAdjustments.
        new(AdjustAccounts, [Roles.Clerk, Roles.Supervisor, Roles.Admin]),
        new(ApproveAdjustments, [Roles.Supervisor, Roles.Admin]),
        // Cycle rules (bill days, due days, read window, holiday calendar) and the utility's own holidays.
        new(ManageCycles, [Roles.Supervisor, Roles.Admin]),
        // Release or cancel a bill the pre-bill review held: whoever may cancel and rebill an issued bill.
        new(ReviewBills, [Roles.Clerk, Roles.Supervisor, Roles.Admin]),
        // The pre-bill review's rules by class of account (what a run holds).
        new(ManageBillReview, [Roles.Supervisor, Roles.Admin]),
        // Enroll an account in budget billing or end its plan (which settles its deferred balance): the counter's work.
        new(ManageBudgetBilling, [Roles.Clerk, Roles.Supervisor, Roles.Admin]),
        // The messages printed on bills (what every customer of an audience reads): whoever sets the review's rules.
        new(ManageBillMessages, [Roles.Supervisor, Roles.Admin]),
    ];

    public IReadOnlyList<JobKindView> JobKinds { get; } =
    [
        new(RunBillingJob.JobKind, ViewBilling)
        {
            Links = job => job.ResultId is { } runId ? [new JobLink("job-result", $"Billing run #{runId}", $"/Billing/Runs/{runId}")] : [],
            Home = new JobLink("job-home", "Back to billing", "/Billing"),
        },
    ];

    public void MapEndpoints(RouteGroupBuilder api)
    {
        BillingApi.Map(api);
        BillReviewApi.Map(api);
        BudgetBillingApi.Map(api);
        BillMessagesApi.Map(api);
        CorrectionsApi.Map(api);
        CyclesApi.Map(api);
        BillDocumentsApi.Map(api);
    }
}
