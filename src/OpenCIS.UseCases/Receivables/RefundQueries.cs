using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Receivables;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Billing.Corrections;
using OpenCIS.UseCases.Billing.Corrections;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Customers;
using OpenCIS.Storage.Ledger;
using OpenCIS.UseCases.Ledger;
using OpenCIS.Storage.Payments.Ach;
using OpenCIS.UseCases.Payments.Ach;
using OpenCIS.Storage;
using OpenCIS.Storage.Receivables;

namespace OpenCIS.UseCases.Receivables;

/// <summary>Refunds for the approval queue, the account's page, the API and the refund register.</summary>
public sealed class RefundQueries(OpenCisDbContext db)
{
    public const int ListLimit = 500;

    public Task<List<RefundView>> ListAsync(RefundStatus? status, CancellationToken cancellationToken = default) =>
        ViewsAsync(db, (status is { } s ? db.Refunds.Where(r => r.Status == s) : db.Refunds).OrderBy(r => r.Id).Take(ListLimit), cancellationToken);

    public Task<List<RefundView>> ForAccountAsync(long accountId, CancellationToken cancellationToken = default) =>
        ViewsAsync(db, db.Refunds.Where(r => r.AccountId == accountId).OrderByDescending(r => r.Id).Take(100), cancellationToken);

    /// <summary>The refunds approved on business dates from <paramref name="from"/> through <paramref name="through"/>, in approval order.</summary>
    public async Task<RefundRegister> RegisterAsync(DateOnly from, DateOnly through, CancellationToken cancellationToken = default)
    {
        if (through < from)
        {
            throw new DomainException($"The register ends ({through:yyyy-MM-dd}) before it starts ({from:yyyy-MM-dd}).", "through");
        }

        var rows = await db.Refunds.AsNoTracking()
            .Where(r => r.Status == RefundStatus.Approved && r.DecidedOn >= from && r.DecidedOn <= through)
            .Join(db.Accounts, r => r.AccountId, a => a.Id, (r, a) => new { r, a.AccountNumber })
            .GroupJoin(db.AchEnrollments, x => x.r.AchEnrollmentId, e => e.Id, (x, e) => new { x.r, x.AccountNumber, e })
            .SelectMany(x => x.e.DefaultIfEmpty(), (x, e) => new { x.r, x.AccountNumber, Routing = e == null ? null : e.RoutingNumber, Dfi = e == null ? null : e.DfiAccountLastFour })
            .OrderBy(x => x.r.DecidedOn).ThenBy(x => x.r.Id)
            .ToListAsync(cancellationToken);
        return new RefundRegister(from, through, rows.Select(x => new RefundRegisterLine(x.r.Id, x.r.DecidedOn!.Value, x.AccountNumber, x.r.Method.ToString(), x.r.PayeeName,
            x.r.MailingLine1, x.r.MailingCity, x.r.MailingState, x.r.MailingZip, x.Routing, x.Routing is null ? null : AchEnrollment.Mask(x.Dfi), x.r.AmountCents, x.r.DecidedBy ?? "",
            x.r.ReturnedOn is { } back ? $"ACH file {x.r.SentOn:yyyy-MM-dd}, returned {back:yyyy-MM-dd}"
                : x.r.SentOn is { } sent ? $"ACH file {sent:yyyy-MM-dd}"
                : x.r.Method == RefundMethod.Ach ? "next ACH file" : RefundRegisterLine.AccountsPayable)).ToList());
    }

    /// <summary>
    /// The register as CSV for accounts payable. <c>paid_by</c> says who pays each refund: AP cuts the
    /// checks; an ACH refund goes out in the utility's own ACH file (to the enrollment on file, so the
    /// full bank account number never leaves in a spreadsheet), and the register shows which.
    /// </summary>
    public static string ToCsv(RefundRegister register)
    {
        var text = new StringBuilder();
        text.Append("refund_id,approved_on,account_number,method,payee,address_line1,city,state,zip,routing_number,bank_account,amount,approved_by,paid_by\r\n");
        foreach (var l in register.Lines)
        {
            text.AppendJoin(',', [
                l.RefundId.ToString(CultureInfo.InvariantCulture), l.ApprovedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Csv.Field(l.AccountNumber), l.Method, Csv.Field(l.PayeeName),
                Csv.Field(l.MailingLine1), Csv.Field(l.MailingCity), Csv.Field(l.MailingState), Csv.Field(l.MailingZip), Csv.Field(l.RoutingNumber), Csv.Field(l.BankAccount),
                Money.FromCents(l.AmountCents).ToPlainString(), Csv.Field(l.ApprovedBy), Csv.Field(l.PaidBy),
            ]).Append("\r\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"TOTAL,,,,,,,,,,,{Money.FromCents(register.TotalCents).ToPlainString()},,\r\n");
        return text.ToString();
    }


    internal static async Task<RefundOutcome> OutcomeAsync(OpenCisDbContext db, long refundId, bool alreadyDone, string message, CancellationToken cancellationToken)
    {
        var view = (await ViewsAsync(db, db.Refunds.Where(r => r.Id == refundId), cancellationToken)).Single();
        var accountId = await db.Refunds.Where(r => r.Id == refundId).Select(r => r.AccountId).SingleAsync(cancellationToken);
        var balance = await Ledger.AccountLedger.BalanceAsync(db, accountId, cancellationToken);
        return new RefundOutcome(view, balance, alreadyDone, message);
    }

    private static async Task<List<RefundView>> ViewsAsync(OpenCisDbContext db, IQueryable<Refund> query, CancellationToken cancellationToken)
    {
        var rows = await query.AsNoTracking().Join(db.Accounts, r => r.AccountId, a => a.Id, (r, a) => new { r, a.AccountNumber }).ToListAsync(cancellationToken);
        var enrollmentIds = rows.Where(x => x.r.AchEnrollmentId is not null).Select(x => x.r.AchEnrollmentId!.Value).Distinct().ToList();
        var banks = enrollmentIds.Count == 0
            ? []
            : await db.AchEnrollments.AsNoTracking().Where(e => enrollmentIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, e => $"{e.RoutingNumber} {AchEnrollment.Mask(e.DfiAccountLastFour)}", cancellationToken);
        return rows.Select(x => new RefundView(x.r.Id, x.AccountNumber, x.r.AmountCents, x.r.Method.ToString(), x.r.PayeeName,
            x.r.MailingLine1 is null ? null : $"{x.r.MailingLine1}, {x.r.MailingCity}, {x.r.MailingState} {x.r.MailingZip}",
            x.r.AchEnrollmentId is { } id ? banks.GetValueOrDefault(id) : null, x.r.Note, x.r.Status.ToString(), x.r.RequestedBy, x.r.RequestedAt,
            x.r.DecidedBy, x.r.DecidedAt, x.r.DecidedOn, x.r.DecisionNote, x.r.FinancialTransactionId)).ToList();
    }
}
