using Microsoft.AspNetCore.Mvc;
using OpenCIS.UseCases.Billing;
using OpenCIS.UseCases.Portal;

namespace OpenCIS.Web.Pages.Portal;

/// <summary>
/// A bill explained line by line, as the clerk's account screen explains it: each service's reads and use, each charge with the
/// arithmetic that made it (the same words the bill prints), and how the amount due follows from the balance before.
/// </summary>
public sealed class ExplainModel(PortalQueries queries) : PortalPageModel
{
    public BillDocument Bill { get; private set; } = null!;

    public Task<IActionResult> OnGetAsync(string number, long bill) => TryAsync(async () =>
    {
        Bill = await queries.BillAsync(UserId, number, bill, HttpContext.RequestAborted);
        return Page();
    });

    public static string Amount(long cents) => OpenCIS.Core.Common.Money.FromCents(cents).ToString();
}
