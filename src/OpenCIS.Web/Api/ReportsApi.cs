using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenCIS.Core.Ledger;
using OpenCIS.Data.Customers;
using OpenCIS.Data.Reports;
using OpenCIS.Web.Security;

namespace OpenCIS.Web.Api;

public sealed record TrialBalanceRowResponse(string GlAccount, string Name, long DebitsCents, long CreditsCents, long BalanceCents);
public sealed record TrialBalanceResponse(DateOnly? Through, IReadOnlyList<TrialBalanceRowResponse> Rows, long TotalDebitsCents, long TotalCreditsCents, long ReceivableControlCents, long SubLedgerTotalCents, bool Balances, bool TiesToSubLedger);
public sealed record AgingClassResponse(string Class, int Accounts, AgingView Buckets);
public sealed record AgingAccountResponse(long AccountId, string AccountNumber, string Class, AgingView Buckets);
public sealed record AgingResponse(DateOnly AsOf, AgingView Totals, IReadOnlyList<AgingClassResponse> ByClass, IReadOnlyList<AgingAccountResponse> Accounts);

public static class ReportsApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var reports = api.MapGroup("/reports").WithTags("Reports");
        reports.MapGet("/trial-balance", async Task<Results<Ok<TrialBalanceResponse>, ValidationProblem>> (string? through, LedgerReports ledger, CancellationToken cancellationToken) =>
            {
                DateOnly? last = null;
                if (through is not null)
                {
                    if (!DateOnly.TryParseExact(through, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
                    {
                        return (ValidationProblem)DomainExceptionFilter.Problem("through", $"'{through}' is not a date in the form YYYY-MM-DD.");
                    }

                    last = parsed;
                }

                return TypedResults.Ok(ToResponse(last, await ledger.TrialBalanceAsync(last, cancellationToken)));
            })
            .RequireAuthorization(Permissions.ViewReports)
            .WithSummary("Trial balance by GL account, with its tie-out to the customer sub-ledger.");

        reports.MapGet("/aging", async Task<Results<Ok<AgingResponse>, ValidationProblem>> (string? asOf, LedgerReports ledger, OpenCIS.Data.BusinessCalendar calendar, CancellationToken cancellationToken) =>
            {
                var date = calendar.Today();
                if (asOf is not null && !DateOnly.TryParseExact(asOf, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
                {
                    return (ValidationProblem)DomainExceptionFilter.Problem("asOf", $"'{asOf}' is not a date in the form YYYY-MM-DD.");
                }

                var report = await ledger.AgingAsync(date, 500, cancellationToken);
                return TypedResults.Ok(new AgingResponse(report.AsOf, View(report.Totals),
                    report.ByClass.Select(c => new AgingClassResponse(c.Class, c.Accounts, View(c.Buckets))).ToList(),
                    report.Accounts.Select(a => new AgingAccountResponse(a.AccountId, a.AccountNumber, a.Class, View(a.Buckets))).ToList()));
            })
            .RequireAuthorization(Permissions.ViewReports)
            .WithSummary("Aged receivables (current, 30, 60, 90, 120+) in total, by account class, and for the accounts most in arrears.");
    }

    public static AgingView View(AgingBuckets b) =>
        new(b.Current.Cents, b.Days30.Cents, b.Days60.Cents, b.Days90.Cents, b.Days120Plus.Cents, b.Total.Cents);

    public static TrialBalanceResponse ToResponse(DateOnly? through, TrialBalance t) =>
        new(through, t.Rows.Select(r => new TrialBalanceRowResponse(r.GlAccount, r.Name, r.Debits.Cents, r.Credits.Cents, r.Balance.Cents)).ToList(),
            t.TotalDebits.Cents, t.TotalCredits.Cents, t.ReceivableControl.Cents, t.SubLedgerTotal.Cents, t.Balances, t.TiesToSubLedger);
}
