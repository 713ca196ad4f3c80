using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Billing;
using OpenCIS.UseCases.Billing;
using OpenCIS.Storage.Metering;
using OpenCIS.UseCases.Metering;
using OpenCIS.Web.Security;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Metering;

[Authorize(Policy = MeteringCapability.ReviewReads)]
public sealed class ReviewModel(ReviewReads review, BillingQueries billing) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Cycle { get; set; }

    public IReadOnlyList<ReviewItem> Queue { get; private set; } = [];
    public IReadOnlyList<BillingCycleView> Cycles { get; private set; } = [];
    public string? Message { get; private set; }
    public bool IsError { get; private set; }

    public async Task OnGetAsync(string? message, bool error, CancellationToken cancellationToken)
    {
        Message = message;
        IsError = error;
        Cycles = await billing.CyclesAsync(cancellationToken);
        Queue = await review.QueueAsync(string.IsNullOrWhiteSpace(Cycle) ? null : Cycle, cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(long[] readIds, ReviewDecision decision, string reason, long? correctedReading, CancellationToken cancellationToken)
    {
        try
        {
            var count = await review.DecideAsync(readIds, decision, reason, correctedReading, User.Identity!.Name!, cancellationToken);
            return RedirectToPage(new { Cycle, message = $"{Describe(decision)} {count} read{(count == 1 ? "" : "s")}." });
        }
        catch (DomainException exception)
        {
            return RedirectToPage(new { Cycle, message = exception.Message, error = true });
        }
    }

    private static string Describe(ReviewDecision decision) => decision switch
    {
        ReviewDecision.Accept => "Accepted",
        ReviewDecision.Correct => "Corrected",
        ReviewDecision.Estimate => "Estimated",
        _ => "Requested a re-read of",
    };
}
