using OpenCIS.Core.Common;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage.Billing;
using OpenCIS.UseCases.Billing;
using OpenCIS.Storage;

namespace OpenCIS.UseCases.Reports;

public sealed record ServiceTotal(Service Service, int Bills, long AmountCents);

public sealed record GlTotal(string GlAccount, string Name, long DebitCents, long CreditCents);

public sealed record RegisterBill(long BillId, string AccountNumber, DateOnly PeriodStart, DateOnly PeriodEnd, long CurrentChargesCents, long AmountDueCents, DateOnly DueDate);

/// <summary>A page of a run's bills, with how many the run has.</summary>
public sealed record RegisterBillsPage(IReadOnlyList<RegisterBill> Bills, int Total, int Page, int PageSize);

/// <summary>A billing run's register: its bills, what they billed by service, and what they posted by GL account.</summary>
public sealed record BillingRegister(BillingRunView Run, IReadOnlyList<ServiceTotal> ByService, IReadOnlyList<GlTotal> ByGlAccount, IReadOnlyList<RegisterBill> Bills)
{
    public long TotalCents => ByService.Sum(s => s.AmountCents);
}

/// <summary>Everything billed on one business date, run by run and by service.</summary>
public sealed record DailyBilling(DateOnly Date, IReadOnlyList<BillingRunView> Runs, IReadOnlyList<ServiceTotal> ByService)
{
    public int Bills => Runs.Sum(r => r.BillsCreated);
    public int Exceptions => Runs.Sum(r => r.ExceptionCount);
    public long TotalCents => Runs.Sum(r => r.TotalBilledCents);
}

/// <summary>
/// The billing reports a billing clerk balances a run with: the register per run (which ties to the
/// run's totals and to the GL), the exceptions, and the day's billing across cycles; each as CSV too.
/// </summary>
public sealed class BillingReports(OpenCisDbContext db, BillingQueries queries)
{
    public async Task<BillingRegister?> RegisterAsync(long runId, CancellationToken cancellationToken = default) =>
        await RegisterAsync(runId, withBills: true, cancellationToken);

    /// <summary>The register's sums by service and GL account without its list of bills (the run page reads those a page at a time).</summary>
    public async Task<BillingRegister?> RegisterTotalsAsync(long runId, CancellationToken cancellationToken = default) =>
        await RegisterAsync(runId, withBills: false, cancellationToken);

    /// <summary>A page of a run's bills in account order, with how many the run has; counted and read in the database.</summary>
    public async Task<RegisterBillsPage> BillsPageAsync(long runId, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        page = Math.Max(1, page);
        pageSize = Math.Max(1, pageSize);
        var bills = db.Bills.AsNoTracking().Where(b => b.BillingRunId == runId && b.Status != BillStatus.Held);
        var total = await bills.CountAsync(cancellationToken);
        var list = await bills.Join(db.Accounts, b => b.AccountId, a => a.Id, (b, a) => new { Bill = b, a.AccountNumber })
            .OrderBy(x => x.AccountNumber).Skip((page - 1) * pageSize).Take(pageSize)
            .Select(x => new RegisterBill(x.Bill.Id, x.AccountNumber, x.Bill.PeriodStart, x.Bill.PeriodEnd, x.Bill.CurrentChargesCents, x.Bill.AmountDueCents, x.Bill.DueDate))
            .ToListAsync(cancellationToken);
        return new RegisterBillsPage(list, total, page, pageSize);
    }

    private async Task<BillingRegister?> RegisterAsync(long runId, bool withBills, CancellationToken cancellationToken)
    {
        if (await queries.RunAsync(runId, cancellationToken) is not { } run)
        {
            return null;
        }

        var bills = db.Bills.AsNoTracking().Where(b => b.BillingRunId == runId && b.Status != BillStatus.Held);
        var byService = (await bills.SelectMany(b => b.Segments).GroupBy(s => s.Service)
                .Select(g => new { Service = g.Key, Bills = g.Select(s => s.BillId).Distinct().Count(), Amount = g.Sum(s => s.AmountCents) })
                .ToListAsync(cancellationToken))
            .OrderBy(s => s.Service).Select(s => new ServiceTotal(s.Service, s.Bills, s.Amount)).ToList();
        var chart = await Ledger.LedgerConfiguration.LoadChartAsync(db, cancellationToken);
        var byGl = (await bills.Where(b => b.FinancialTransactionId != null)
                .Join(db.GlEntries, b => b.FinancialTransactionId, e => e.FinancialTransactionId, (b, e) => e)
                .GroupBy(e => e.GlAccount).Select(g => new { g.Key, Debit = g.Sum(e => e.DebitCents), Credit = g.Sum(e => e.CreditCents) })
                .ToListAsync(cancellationToken))
            .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new GlTotal(g.Key, chart.NameOf(g.Key), g.Debit, g.Credit)).ToList();
        if (!withBills)
        {
            return new BillingRegister(run, byService, byGl, []);
        }

        var list = await bills.Join(db.Accounts, b => b.AccountId, a => a.Id, (b, a) => new { Bill = b, a.AccountNumber })
            .OrderBy(x => x.AccountNumber)
            .Select(x => new RegisterBill(x.Bill.Id, x.AccountNumber, x.Bill.PeriodStart, x.Bill.PeriodEnd, x.Bill.CurrentChargesCents, x.Bill.AmountDueCents, x.Bill.DueDate))
            .ToListAsync(cancellationToken);
        return new BillingRegister(run, byService, byGl, list);
    }

    public async Task<DailyBilling> DailyAsync(DateOnly date, CancellationToken cancellationToken = default)
    {
        var runIds = await db.BillingRuns.AsNoTracking().Where(r => r.BusinessDate == date).OrderBy(r => r.Id).Select(r => r.Id).ToListAsync(cancellationToken);
        var runs = new List<BillingRunView>();
        foreach (var id in runIds)
        {
            runs.Add((await queries.RunAsync(id, cancellationToken))!);
        }

        var byService = (await db.Bills.AsNoTracking().Where(b => b.BillingRunId != null && runIds.Contains(b.BillingRunId.Value) && b.Status != BillStatus.Held).SelectMany(b => b.Segments)
                .GroupBy(s => s.Service).Select(g => new { Service = g.Key, Bills = g.Select(s => s.BillId).Distinct().Count(), Amount = g.Sum(s => s.AmountCents) })
                .ToListAsync(cancellationToken))
            .OrderBy(s => s.Service).Select(s => new ServiceTotal(s.Service, s.Bills, s.Amount)).ToList();
        return new DailyBilling(date, runs, byService);
    }

    private static string Dollars(long cents) => (cents / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    public static string RegisterCsv(BillingRegister register)
    {
        var csv = new StringBuilder();
        csv.AppendLine("bill,account,period_start,period_end,current_charges,amount_due,due_date");
        foreach (var bill in register.Bills)
        {
            csv.AppendLine(string.Join(",", bill.BillId.ToString(CultureInfo.InvariantCulture), bill.AccountNumber, bill.PeriodStart.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                bill.PeriodEnd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Dollars(bill.CurrentChargesCents), Dollars(bill.AmountDueCents), bill.DueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        }

        return csv.ToString();
    }

    public static string ExceptionsCsv(IReadOnlyList<BillingExceptionView> exceptions)
    {
        var csv = new StringBuilder();
        csv.AppendLine("account,reason");
        foreach (var exception in exceptions)
        {
            csv.Append(Csv.Field(exception.AccountNumber)).Append(',').AppendLine(Csv.Field(exception.Reason));
        }

        return csv.ToString();
    }

    public static string DailyCsv(DailyBilling daily)
    {
        var csv = new StringBuilder();
        csv.AppendLine("run,cycle,business_date,status,accounts,bills,exceptions,billed");
        foreach (var run in daily.Runs)
        {
            csv.AppendLine(string.Join(",", run.RunId.ToString(CultureInfo.InvariantCulture), Csv.Field(run.CycleCode), run.BusinessDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), run.Status,
                run.AccountsSelected.ToString(CultureInfo.InvariantCulture), run.BillsCreated.ToString(CultureInfo.InvariantCulture), run.ExceptionCount.ToString(CultureInfo.InvariantCulture), Dollars(run.TotalBilledCents)));
        }

        return csv.ToString();
    }
}
