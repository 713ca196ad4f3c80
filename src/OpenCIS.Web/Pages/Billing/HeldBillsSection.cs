using OpenCIS.UseCases.Billing;

namespace OpenCIS.Web.Pages.Billing;

/// <summary>
/// What the held-bills table shows (the run page and the review page share it): a page of held bills, whether the user may
/// release and cancel them, whether to name each bill's run, how to reach another page, and the fields each action's
/// form carries back so the page reopens where it was.
/// </summary>
public sealed record HeldBillsSection(HeldBillsPage Held, bool CanReview, bool ShowRun, Func<int, string> PageLink, IReadOnlyDictionary<string, string> Keep)
{
    public int PageCount => Math.Max(1, (Held.Total + Held.PageSize - 1) / Held.PageSize);
}
