using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.UseCases;
using OpenCIS.Storage.Deposits;
using OpenCIS.UseCases.Deposits;
using OpenCIS.Web.Security;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Reports;

/// <summary>The deposit report: deposits held and billed-unpaid on a date, applied and refunded in a period, tied to GL 2200.</summary>
[Authorize(Policy = ReportsCapability.ViewReports)]
public sealed class DepositsModel(DepositQueries queries, BusinessCalendar calendar) : PageModel
{
    public DepositReport Report { get; private set; } = null!;
    public string? Error { get; private set; }

    public async Task OnGetAsync(string? asOf, string? from, CancellationToken cancellationToken)
    {
        var date = calendar.Today();
        DateOnly? start = null;
        try
        {
            if (!string.IsNullOrWhiteSpace(asOf))
            {
                date = Parse(asOf, "asOf");
            }

            if (!string.IsNullOrWhiteSpace(from))
            {
                start = Parse(from, "from");
            }

            Report = await queries.ReportAsync(date, start, cancellationToken);
        }
        catch (DomainException exception)
        {
            Error = exception.Message;
            Report = await queries.ReportAsync(calendar.Today(), null, cancellationToken);
        }
    }

    private static DateOnly Parse(string text, string field) =>
        IsoDate.TryParse(text, out var date)
            ? date
            : throw new DomainException($"'{text}' is not a date in the form YYYY-MM-DD.", field);
}
