using OpenCIS.Core.Common;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Customers;
using OpenCIS.UseCases.Reports;
using OpenCIS.Web.Security;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Api;

public sealed record TrialBalanceRowResponse(string GlAccount, string Name, long DebitsCents, long CreditsCents, long BalanceCents);
public sealed record TrialBalanceResponse(DateOnly? Through, IReadOnlyList<TrialBalanceRowResponse> Rows, long TotalDebitsCents, long TotalCreditsCents, long ReceivableControlCents, long SubLedgerTotalCents, bool Balances, bool TiesToSubLedger);
public sealed record AgingClassResponse(string Class, int Accounts, AgingView Buckets);
public sealed record AgingAccountResponse(long AccountId, string AccountNumber, string Class, AgingView Buckets);
public sealed record AgingResponse(DateOnly AsOf, AgingView Totals, IReadOnlyList<AgingClassResponse> ByClass, IReadOnlyList<AgingAccountResponse> Accounts);

public sealed record PeriodTrialBalanceRowResponse(string GlAccount, string Name, string Fund, string Department, long OpeningCents, long DebitsCents, long CreditsCents, long ClosingCents);
public sealed record PeriodTrialBalanceResponse(DateOnly From, DateOnly Through, IReadOnlyList<PeriodTrialBalanceRowResponse> Rows, long TotalDebitsCents, long TotalCreditsCents, long ReceivableClosingCents, long SubLedgerAtCloseCents, bool Balances, bool TiesToSubLedger);

public static class ReportsApi
{
    private const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private static bool TryParsePeriod(string? from, string? through, out DateOnly first, out DateOnly last, out ValidationProblem? problem)
    {
        problem = null;
        last = default;
        if (!IsoDate.TryParse(from, out first))
        {
            problem = (ValidationProblem)DomainExceptionFilter.Problem("from", $"'{from}' is not a date in the form YYYY-MM-DD.");
            return false;
        }

        if (!IsoDate.TryParse(through, out last))
        {
            problem = (ValidationProblem)DomainExceptionFilter.Problem("through", $"'{through}' is not a date in the form YYYY-MM-DD.");
            return false;
        }

        if (last < first)
        {
            problem = (ValidationProblem)DomainExceptionFilter.Problem("through", $"The period ends {last:yyyy-MM-dd}, before it starts {first:yyyy-MM-dd}.");
            return false;
        }

        return true;
    }

    public static void Map(RouteGroupBuilder api)
    {
        var reports = api.MapGroup("/reports").WithTags("Reports");
        reports.MapGet("/trial-balance", async Task<Results<Ok<TrialBalanceResponse>, ValidationProblem>> (string? through, LedgerReports ledger, CancellationToken cancellationToken) =>
            {
                DateOnly? last = null;
                if (through is not null)
                {
                    if (!IsoDate.TryParse(through, out var parsed))
                    {
                        return (ValidationProblem)DomainExceptionFilter.Problem("through", $"'{through}' is not a date in the form YYYY-MM-DD.");
                    }

                    last = parsed;
                }

                return TypedResults.Ok(ToResponse(last, await ledger.TrialBalanceAsync(last, cancellationToken)));
            })
            .RequireAuthorization(ReportsCapability.ViewReports)
            .WithSummary("Trial balance by GL account, with its tie-out to the customer sub-ledger.");

        reports.MapGet("/trial-balance/period", async Task<Results<Ok<PeriodTrialBalanceResponse>, FileContentHttpResult, ValidationProblem>> (string? from, string? through, string? format, LedgerReports ledger, CancellationToken cancellationToken) =>
            {
                if (!TryParsePeriod(from, through, out var first, out var last, out var problem))
                {
                    return problem!;
                }

                var t = await ledger.PeriodTrialBalanceAsync(first, last, cancellationToken);
                var name = $"trial-balance-{first:yyyyMMdd}-{last:yyyyMMdd}";
                return format switch
                {
                    null or "json" => TypedResults.Ok(new PeriodTrialBalanceResponse(t.From, t.Through,
                        t.Rows.Select(r => new PeriodTrialBalanceRowResponse(r.GlAccount, r.Name, r.Fund, r.Department, r.Opening.Cents, r.Debits.Cents, r.Credits.Cents, r.Closing.Cents)).ToList(),
                        t.TotalDebits.Cents, t.TotalCredits.Cents, t.ReceivableClosing.Cents, t.SubLedgerAtClose.Cents, t.Balances, t.TiesToSubLedger)),
                    "csv" => TypedResults.File(System.Text.Encoding.UTF8.GetBytes(LedgerReports.PeriodTrialBalanceCsv(t)), "text/csv", name + ".csv"),
                    "xlsx" => TypedResults.File(ReportWorkbook.TrialBalance(t), XlsxType, name + ".xlsx"),
                    _ => (ValidationProblem)DomainExceptionFilter.Problem("format", $"'{format}' is not json, csv or xlsx."),
                };
            })
            .RequireAuthorization(ReportsCapability.ViewReports)
            .WithSummary("Trial balance for a period by GL account (opening, debits, credits, closing), tied to the sub-ledger at its end; format json, csv or xlsx.");

        reports.MapGet("/gl-export", async Task<Results<FileContentHttpResult, ValidationProblem>> (string? from, string? through, string? format, LedgerReports ledger, CancellationToken cancellationToken) =>
            {
                if (!TryParsePeriod(from, through, out var first, out var last, out var problem))
                {
                    return problem!;
                }

                if (format is not (null or "csv" or "fixed"))
                {
                    return (ValidationProblem)DomainExceptionFilter.Problem("format", $"'{format}' is not csv or fixed.");
                }

                var journal = await ledger.GlJournalAsync(first, last, cancellationToken);
                var unbalanced = GlJournalExport.NetByFund(journal).Where(f => !f.Value.IsZero).Select(f => $"{f.Key} {f.Value}").ToList();
                if (unbalanced.Count > 0)
                {
                    throw new InvalidOperationException($"The GL export does not balance per fund: {string.Join(", ", unbalanced)}.");
                }

                var name = $"gl-journal-{first:yyyyMMdd}-{last:yyyyMMdd}";
                return format == "fixed"
                    ? TypedResults.File(System.Text.Encoding.ASCII.GetBytes(GlJournalExport.ToFixedWidth(journal)), "text/plain", name + ".txt")
                    : TypedResults.File(System.Text.Encoding.UTF8.GetBytes(GlJournalExport.ToCsv(journal)), "text/csv", name + ".csv");
            })
            .RequireAuthorization(ReportsCapability.ViewReports)
            .WithSummary("The GL journal for the city's ERP: one line per day, fund and GL account, balanced per fund (docs/gl-export.md); format csv or fixed.");

        reports.MapGet("/cash-receipts", async Task<Results<Ok<CashReceiptsReport>, FileContentHttpResult, ValidationProblem>> (string? from, string? through, string? format, AccountingReports accounting, CancellationToken cancellationToken) =>
            {
                if (!TryParsePeriod(from, through, out var first, out var last, out var problem))
                {
                    return problem!;
                }

                var report = await accounting.CashReceiptsAsync(first, last, cancellationToken);
                return format switch
                {
                    null or "json" => TypedResults.Ok(report),
                    "csv" => TypedResults.File(System.Text.Encoding.UTF8.GetBytes(AccountingReports.Csv(report)), "text/csv", $"cash-receipts-{first:yyyyMMdd}-{last:yyyyMMdd}.csv"),
                    _ => (ValidationProblem)DomainExceptionFilter.Problem("format", $"'{format}' is not json or csv."),
                };
            })
            .RequireAuthorization(ReportsCapability.ViewReports)
            .WithSummary("Payments received by day, cashier and tender; format json or csv.");

        reports.MapGet("/monthly", async Task<Results<Ok<MonthlyAccountingReport>, FileContentHttpResult, ValidationProblem>> (string? month, string? format, AccountingReports accounting, CancellationToken cancellationToken) =>
            {
                if (!IsoDate.TryParse(month + "-01", out var first))
                {
                    return (ValidationProblem)DomainExceptionFilter.Problem("month", $"'{month}' is not a month in the form YYYY-MM.");
                }

                var report = await accounting.MonthlyAsync(first.Year, first.Month, cancellationToken);
                return format switch
                {
                    null or "json" => TypedResults.Ok(report),
                    "csv" => TypedResults.File(System.Text.Encoding.UTF8.GetBytes(AccountingReports.Csv(report)), "text/csv", $"accounting-{first:yyyy-MM}.csv"),
                    _ => (ValidationProblem)DomainExceptionFilter.Problem("format", $"'{format}' is not json or csv."),
                };
            })
            .RequireAuthorization(ReportsCapability.ViewReports)
            .WithSummary("The monthly accounting report: revenue by GL account and service, receipts by tender; format json or csv.");

        reports.MapGet("/aging/past-due", async Task<Results<Ok<ReceivablesAgingReport>, FileContentHttpResult, ValidationProblem>> (string? asOf, bool? detail, string? format, ReceivablesAging aging, OpenCIS.UseCases.BusinessCalendar calendar, CancellationToken cancellationToken) =>
            {
                var date = calendar.Today();
                if (asOf is not null && !IsoDate.TryParse(asOf, out date))
                {
                    return (ValidationProblem)DomainExceptionFilter.Problem("asOf", $"'{asOf}' is not a date in the form YYYY-MM-DD.");
                }

                if (format is not (null or "json" or "csv" or "xlsx"))
                {
                    return (ValidationProblem)DomainExceptionFilter.Problem("format", $"'{format}' is not json, csv or xlsx.");
                }

                // The workbook always carries its detail sheet.
                var report = await aging.RunAsync(date, detail == true || format == "xlsx", cancellationToken);
                return format switch
                {
                    "csv" => TypedResults.File(System.Text.Encoding.UTF8.GetBytes(ReceivablesAging.Csv(report)), "text/csv", $"aging-{date:yyyyMMdd}.csv"),
                    "xlsx" => TypedResults.File(ReportWorkbook.Aging(report), XlsxType, $"aging-{date:yyyyMMdd}.xlsx"),
                    _ => TypedResults.Ok(report),
                };
            })
            .RequireAuthorization(ReportsCapability.ViewReports)
            .WithSummary("Aged receivables by days past due (current, 1-30, 31-60, 61-90, 90+) as of any date, by class and with detail=true per account; format json, csv or xlsx.");

        reports.MapGet("/aging", async Task<Results<Ok<AgingResponse>, ValidationProblem>> (string? asOf, ReceivablesAging aging, OpenCIS.UseCases.BusinessCalendar calendar, CancellationToken cancellationToken) =>
            {
                var date = calendar.Today();
                if (asOf is not null && !IsoDate.TryParse(asOf, out date))
                {
                    return (ValidationProblem)DomainExceptionFilter.Problem("asOf", $"'{asOf}' is not a date in the form YYYY-MM-DD.");
                }

                var report = await aging.RunAsync(date, detail: true, cancellationToken);
                return TypedResults.Ok(new AgingResponse(report.AsOf, AgingView.Of(report.Totals),
                    report.ByClass.Select(c => new AgingClassResponse(c.Class, c.Accounts, AgingView.Of(c.Buckets))).ToList(),
                    ReceivablesAging.MostPastDue(report, 500).Select(a => new AgingAccountResponse(a.AccountId, a.AccountNumber, a.Class, AgingView.Of(a.Buckets))).ToList()));
            })
            .RequireAuthorization(ReportsCapability.ViewReports)
            .WithSummary("Aged receivables by days past due (current, 1-30, 31-60, 61-90, 90+) in total, by account class, and for the 500 accounts most past due.");
    }

    public static TrialBalanceResponse ToResponse(DateOnly? through, TrialBalance t) =>
        new(through, t.Rows.Select(r => new TrialBalanceRowResponse(r.GlAccount, r.Name, r.Debits.Cents, r.Credits.Cents, r.Balance.Cents)).ToList(),
            t.TotalDebits.Cents, t.TotalCredits.Cents, t.ReceivableControl.Cents, t.SubLedgerTotal.Cents, t.Balances, t.TiesToSubLedger);
}
