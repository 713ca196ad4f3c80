using Microsoft.AspNetCore.Http.HttpResults;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Customers;
using OpenCIS.Web.Security;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Api;

public static class AccountsApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var accounts = api.MapGroup("/accounts").WithTags("Accounts");
        accounts.MapGet("/", async (string q, AccountQueries queries, CancellationToken cancellationToken) =>
                TypedResults.Ok(await queries.SearchAsync(q, cancellationToken)))
            .RequireAuthorization(CustomersCapability.ViewAccounts)
            .WithSummary("Search accounts by account number, customer name, service address, meter serial, phone (however punctuated), e-mail, parcel, ZIP code, bill number or receipt number; the first 50 in account-number order.");

        accounts.MapGet("/{accountNumber}", async Task<Results<Ok<AccountOverview>, NotFound>> (string accountNumber, AccountQueries queries, CancellationToken cancellationToken) =>
            {
                var id = await queries.FindAccountIdAsync(accountNumber, cancellationToken);
                var overview = id is null ? null : await queries.OverviewAsync(id.Value, cancellationToken);
                return overview is null ? TypedResults.NotFound() : TypedResults.Ok(overview);
            })
            .RequireAuthorization(CustomersCapability.ViewAccounts)
            .WithSummary("An account with its customers, services, balance, aging, bills with their lines and traces, payments, reads and transactions.");

        accounts.MapGet("/{accountNumber}/alerts", async Task<Results<Ok<IReadOnlyList<AccountAlertView>>, NotFound>> (string accountNumber, AccountQueries queries, AccountAlertQueries alerts, CancellationToken cancellationToken) =>
            {
                var id = await queries.FindAccountIdAsync(accountNumber, cancellationToken);
                return id is null ? TypedResults.NotFound() : TypedResults.Ok(await alerts.ForAccountAsync(id.Value, cancellationToken));
            })
            .RequireAuthorization(CustomersCapability.ViewAccounts)
            .WithSummary("The account's alert strip, loudest first: past due with days and amount, the disconnect list, cash-only, protections, the arrangement, deposits due, open orders, the last payment and the latest note. Each alert has a kind, a level (danger, warning, info) and its words.");

        accounts.MapGet("/{accountNumber}/audit", async Task<Results<Ok<IReadOnlyList<AuditView>>, NotFound>> (string accountNumber, AccountQueries queries, CancellationToken cancellationToken) =>
            {
                var id = await queries.FindAccountIdAsync(accountNumber, cancellationToken);
                return id is null ? TypedResults.NotFound() : TypedResults.Ok(await queries.AuditTrailAsync(id.Value, cancellationToken));
            })
            .RequireAuthorization(ReportsCapability.ViewAudit)
            .WithSummary("The audit trail of an account: who changed what, when, before and after, and why.");
    }
}
