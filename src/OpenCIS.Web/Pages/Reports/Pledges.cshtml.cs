using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.Core.Common;
using OpenCIS.UseCases;
using OpenCIS.UseCases.Assistance;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Reports;

/// <summary>The pledges report: agencies' energy-assistance pledges made in a range of dates, open, overdue, paid and closed by agency.</summary>
[Authorize(Policy = ReportsCapability.ViewReports)]
public sealed class PledgesModel(PledgeQueries queries, BusinessCalendar calendar) : PageModel
{
    public PledgeReport Report { get; private set; } = null!;
    public string? Error { get; private set; }

    public async Task OnGetAsync(string? from, string? to, string? agency, CancellationToken cancellationToken)
    {
        var today = calendar.Today();
        var (start, end) = (today.AddDays(1 - today.DayOfYear), today);
        try
        {
            start = string.IsNullOrWhiteSpace(from) ? start : Parse(from, "from");
            end = string.IsNullOrWhiteSpace(to) ? end : Parse(to, "to");
            Report = await queries.ReportAsync(start, end, agency, cancellationToken);
        }
        catch (DomainException exception)
        {
            Error = exception.Message;
            Report = await queries.ReportAsync(today.AddDays(1 - today.DayOfYear), today, null, cancellationToken);
        }
    }

    private static DateOnly Parse(string text, string field) =>
        IsoDate.TryParse(text, out var date) ? date : throw new DomainException($"'{text}' is not a date in the form YYYY-MM-DD.", field);
}
