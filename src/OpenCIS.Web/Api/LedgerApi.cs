using OpenCIS.Core.Ledger;
using OpenCIS.Storage.Ledger;
using OpenCIS.UseCases.Ledger;
using OpenCIS.Storage;
using OpenCIS.Web.Security;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Api;

public sealed record GlAccountBody(string? Name, string? FundCode, string? FundName, string? Department);

public sealed record GlAccountResponse(string Code, string Name, string FundCode, string FundName, string Department, string FullCode, bool UsedByPostingRules);

public sealed record AllocationPriorityBody(int Priority);

public sealed record AllocationPriorityResponse(string TransactionType, int Priority);

/// <summary>The chart of accounts by fund and department, and the allocation rule's charge-type priorities.</summary>
public static class LedgerApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var ledger = api.MapGroup("/ledger").WithTags("Ledger");

        ledger.MapGet("/chart", async (LedgerQueries queries, CancellationToken cancellationToken) =>
                TypedResults.Ok((await queries.ChartAsync(cancellationToken)).Accounts.Select(Response).ToList()))
            .RequireAuthorization(ReportsCapability.ViewReports)
            .WithSummary("The chart of GL accounts: each account's name, fund, department and the ERP's fund-department-account string.");

        ledger.MapPut("/chart/{code}", async (string code, GlAccountBody body, ConfigureLedger workflow, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(Response(await workflow.SaveAccountAsync(new GlAccountDefinition(code, body.Name ?? "", body.FundCode ?? "", body.FundName ?? "", body.Department ?? ""), ApiUser.Name(context), cancellationToken))))
            .RequireAuthorization(LedgerCapability.ManageLedger)
            .WithSummary("Add a GL account to the chart, or rename one or move it to another fund or department. Giving a fund a new name renames it on all its accounts. Audited.");

        ledger.MapGet("/allocation-priorities", async (LedgerQueries queries, CancellationToken cancellationToken) =>
            {
                var priorities = await queries.PrioritiesAsync(cancellationToken);
                return TypedResults.Ok(Enum.GetValues<FinancialTransactionType>().Select(t => new AllocationPriorityResponse(t.ToString(), priorities.For(t))).OrderBy(p => p.Priority).ToList());
            })
            .RequireAuthorization(ReportsCapability.ViewReports)
            .WithSummary("The priority of each charge type when credits are applied: lower is paid first, then the oldest due date. 100 for all: oldest first.");

        ledger.MapPut("/allocation-priorities/{transactionType}", async (string transactionType, AllocationPriorityBody body, ConfigureLedger workflow, HttpContext context, CancellationToken cancellationToken) =>
            {
                var type = ConfigureLedger.ParseType(transactionType);
                var priorities = await workflow.SetPriorityAsync(type, body.Priority, ApiUser.Name(context), cancellationToken);
                return TypedResults.Ok(new AllocationPriorityResponse(type.ToString(), priorities.For(type)));
            })
            .RequireAuthorization(LedgerCapability.ManageLedger)
            .WithSummary("Set a charge type's allocation priority (1-999, lower paid first; 100 is the standard). Charges posted from now on take it. Audited.");
    }

    private static GlAccountResponse Response(GlAccountDefinition a) =>
        new(a.Code, a.Name, a.FundCode, a.FundName, a.Department, a.FullCode, ChartOfAccounts.PostingAccounts.Contains(a.Code));
}
