using System.Globalization;
using System.Text;
using OpenCIS.Core.Common;
using OpenCIS.UseCases.Reports;

namespace OpenCIS.UseCases.Campaigns;

/// <summary>A campaign exported: its file name and bytes.</summary>
public sealed record CampaignFile(string FileName, string ContentType, byte[] Content);

/// <summary>
/// A campaign for the spreadsheets finance keeps: its list (each account, who owes, how to reach them, what was owed and how late,
/// whose list, how the calls went, the balance now) as CSV, and the same list with each collector's results as an XLSX workbook.
/// </summary>
public sealed class CampaignExport(CallingCampaignBook campaigns)
{
    public static readonly IReadOnlyList<string> TargetHeader =
        ["account_number", "customer", "phone", "email", "mailing_address", "collector", "balance", "days_past_due", "status", "attempts", "last_outcome", "balance_now",
         "phone_failed", "mail_returned", "alternate_phones"];

    public static readonly IReadOnlyList<string> ResultHeader = ["collector", "targets", "calls", "right_party_contacts", "promises", "promised", "collected"];

    public async Task<CampaignFile> CsvAsync(long id, CancellationToken cancellationToken = default)
    {
        var campaign = await campaigns.FindAsync(id, cancellationToken: cancellationToken);
        var csv = new StringBuilder(string.Join(',', TargetHeader)).Append("\r\n");
        foreach (var row in Rows(campaign))
        {
            csv.Append(string.Join(',', row.Select(cell => cell switch
            {
                Money money => money.ToPlainString(),
                int number => number.ToString(CultureInfo.InvariantCulture),
                _ => Csv.Field(cell.ToString()),
            }))).Append("\r\n");
        }

        return new CampaignFile($"campaign-{id}.csv", "text/csv", Encoding.UTF8.GetBytes(csv.ToString()));
    }

    public async Task<CampaignFile> XlsxAsync(long id, CancellationToken cancellationToken = default)
    {
        var campaign = await campaigns.FindAsync(id, cancellationToken: cancellationToken);
        var workbook = ReportWorkbook.Write(
        [
            new ReportSheet("Targets", TargetHeader, Rows(campaign)),
            new ReportSheet("Results by collector", ResultHeader,
                [.. campaign.Results.Select(r => (IReadOnlyList<object>)[r.Collector, r.Targets, r.Calls, r.RightPartyContacts, r.Promises, r.Promised, r.Collected])]),
        ]);
        return new CampaignFile($"campaign-{id}.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", workbook);
    }

    private static List<IReadOnlyList<object>> Rows(CampaignView campaign) =>
        [.. campaign.Targets.Select(t => (IReadOnlyList<object>)[t.AccountNumber, t.CustomerName, t.Phone ?? "", t.Email ?? "", t.MailingAddress, t.Collector, t.Balance, t.DaysPastDue,
            t.Status == Core.Campaigns.TargetStatus.Done ? "done" : "open", t.Attempts, t.LastOutcome ?? "", t.BalanceNow,
            t.PhoneFailed ? "yes" : "no", t.MailReturned ? "yes" : "no", string.Join("; ", t.AlternatePhones)])];
}
