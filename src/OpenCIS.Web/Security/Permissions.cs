using Microsoft.AspNetCore.Authorization;

namespace OpenCIS.Web.Security;

/// <summary>The roles of PRODUCT.md.</summary>
public static class Roles
{
    public const string Clerk = "Clerk";
    public const string Cashier = "Cashier";
    public const string Collector = "Collector";
    public const string Supervisor = "Supervisor";
    public const string Admin = "Admin";
    public const string Auditor = "Auditor";

    public static readonly string[] All = [Clerk, Cashier, Collector, Supervisor, Admin, Auditor];
}

/// <summary>
/// Permissions are policies; each names the roles that hold it. Screens and API endpoints use the
/// same policy names, so a role can do through the API exactly what it can do on screen.
/// </summary>
public static class Permissions
{
    public const string ViewAccounts = nameof(ViewAccounts);
    public const string TakePayments = nameof(TakePayments);
    public const string PostPaymentFiles = nameof(PostPaymentFiles);
    public const string ResolveSuspense = nameof(ResolveSuspense);
    public const string RunBilling = nameof(RunBilling);
    public const string ViewBilling = nameof(ViewBilling);
    public const string ViewReports = nameof(ViewReports);
    public const string ViewAudit = nameof(ViewAudit);
    public const string EditCustomers = nameof(EditCustomers);
    public const string RevealIdentity = nameof(RevealIdentity);
    public const string ManageMeters = nameof(ManageMeters);
    public const string ImportReads = nameof(ImportReads);
    public const string ReviewReads = nameof(ReviewReads);
    public const string ManageTariffs = nameof(ManageTariffs);
    public const string CorrectBills = nameof(CorrectBills);
    public const string AdjustAccounts = nameof(AdjustAccounts);
    public const string ApproveAdjustments = nameof(ApproveAdjustments);
    public const string ManageCycles = nameof(ManageCycles);
    public const string ManageLedger = nameof(ManageLedger);
    public const string ManageAch = nameof(ManageAch);
    public const string ApproveDrawers = nameof(ApproveDrawers);
    public const string ManageDeposits = nameof(ManageDeposits);
    public const string KeyMailPayments = nameof(KeyMailPayments);
    public const string ReturnPayments = nameof(ReturnPayments);
    public const string RequestRefunds = nameof(RequestRefunds);
    public const string ApproveRefunds = nameof(ApproveRefunds);
    public const string TransferBalances = nameof(TransferBalances);
    public const string WriteOffAccounts = nameof(WriteOffAccounts);

    public static readonly IReadOnlyDictionary<string, string[]> RolesByPermission = new Dictionary<string, string[]>
    {
        [ViewAccounts] = Roles.All,
        [TakePayments] = [Roles.Cashier, Roles.Supervisor, Roles.Admin],
        [PostPaymentFiles] = [Roles.Cashier, Roles.Supervisor, Roles.Admin],
        // Work the suspense queue: post a lockbox payment to the account a clerk finds, or return it.
        [ResolveSuspense] = [Roles.Clerk, Roles.Supervisor, Roles.Admin],
        [RunBilling] = [Roles.Clerk, Roles.Supervisor, Roles.Admin],
        [ViewBilling] = [Roles.Clerk, Roles.Supervisor, Roles.Admin, Roles.Auditor],
        [ViewReports] = [Roles.Supervisor, Roles.Admin, Roles.Auditor, Roles.Collector],
        [ViewAudit] = [Roles.Supervisor, Roles.Admin, Roles.Auditor],
        [EditCustomers] = [Roles.Clerk, Roles.Supervisor, Roles.Admin],
        [RevealIdentity] = [Roles.Supervisor, Roles.Admin],
        [ManageMeters] = [Roles.Clerk, Roles.Supervisor, Roles.Admin],
        [ImportReads] = [Roles.Clerk, Roles.Supervisor, Roles.Admin],
        [ReviewReads] = [Roles.Clerk, Roles.Supervisor, Roles.Admin],
        [ManageTariffs] = [Roles.Supervisor, Roles.Admin],
        // Cancel and rebill, final bills on stopping service, average bills.
        [CorrectBills] = [Roles.Clerk, Roles.Supervisor, Roles.Admin],
        // Adjustments and leak allowances; above the approval threshold they wait for ApproveAdjustments.
        [AdjustAccounts] = [Roles.Clerk, Roles.Supervisor, Roles.Admin],
        [ApproveAdjustments] = [Roles.Supervisor, Roles.Admin],
        // Cycle rules (bill days, due days, read window, holiday calendar) and the utility's own holidays.
        [ManageCycles] = [Roles.Supervisor, Roles.Admin],
        // The chart of accounts (names, funds, departments) and the allocation rule's charge-type priorities.
        [ManageLedger] = [Roles.Supervisor, Roles.Admin],
        // ACH autopay enrollments; generating debit files and posting return files is PostPaymentFiles.
        [ManageAch] = [Roles.Clerk, Roles.Supervisor, Roles.Admin],
        // Approve a closed cashier drawer's over/short and see its deposit slip; never one's own drawer.
        [ApproveDrawers] = [Roles.Supervisor, Roles.Admin],
        // Require (bill or waive) a deposit, apply it to a final bill, run the refund review.
        [ManageDeposits] = [Roles.Clerk, Roles.Supervisor, Roles.Admin],
        // Key mailed checks in batches from their stubs' scan lines and post a batch that matches its tape.
        [KeyMailPayments] = [Roles.Cashier, Roles.Clerk, Roles.Supervisor, Roles.Admin],
        // Return a payment the bank sent back (returned check, card charge back): reversal, fee, cash-only.
        [ReturnPayments] = [Roles.Clerk, Roles.Supervisor, Roles.Admin],
        // Ask to refund an account's credit balance; it pays out only when ApproveRefunds approves it (never the requester).
        [RequestRefunds] = [Roles.Clerk, Roles.Supervisor, Roles.Admin],
        [ApproveRefunds] = [Roles.Supervisor, Roles.Admin],
        // Move an account's whole balance to another account of the same customer.
        [TransferBalances] = [Roles.Clerk, Roles.Supervisor, Roles.Admin],
        // Write off uncollectible balances and reverse write-offs.
        [WriteOffAccounts] = [Roles.Supervisor, Roles.Admin],
    };

    public static void AddPolicies(AuthorizationOptions options)
    {
        foreach (var (permission, roles) in RolesByPermission)
        {
            options.AddPolicy(permission, policy => policy.RequireAuthenticatedUser().RequireRole(roles));
        }

        // Everything needs a signed-in user unless it says otherwise (login page, static files, the OpenAPI document).
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
    }
}
