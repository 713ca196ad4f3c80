using Microsoft.AspNetCore.Mvc;
using OpenCIS.Core.Collections;
using OpenCIS.Core.Common;
using OpenCIS.UseCases.Portal;

namespace OpenCIS.Web.Pages.Portal;

/// <summary>
/// A customer behind on an account spreads the past-due amount over monthly payments, within the city's collections policy,
/// or sees the arrangement they have and which of its payments are made.
/// </summary>
public sealed class ArrangementModel(PortalArrangements arrangements) : PortalPageModel
{
    public PortalArrangementOffer Offer { get; private set; } = null!;

    public bool JustMade { get; private set; }

    public Task<IActionResult> OnGetAsync(string number) => TryAsync(async () =>
    {
        Offer = await arrangements.OfferAsync(UserId, number, HttpContext.RequestAborted);
        return Page();
    });

    public Task<IActionResult> OnPostAsync(string number, int installments) => TryAsync(async () =>
    {
        try
        {
            await arrangements.ArrangeAsync(UserId, number, installments, HttpContext.RequestAborted);
            Notice = T("ArrangementDone");
            JustMade = true;
        }
        finally
        {
            Offer = await arrangements.OfferAsync(UserId, number, HttpContext.RequestAborted);
        }

        return Page();
    });

    /// <summary>What <paramref name="installments"/> monthly payments each come to, to the cent (the first ones take the odd cents).</summary>
    public string Option(int installments)
    {
        var schedule = PaymentArrangements.Schedule(Offer.PastDue, Offer.DownPayment, installments, Offer.FirstDueOn);
        var (most, least) = (schedule[0].Amount, schedule[^1].Amount);
        return most == least ? T("ArrangementOption", installments, most) : T("ArrangementOptionUneven", installments, most, least);
    }

    public string State(PortalArrangement arrangement) => T("ArrangementState" + arrangement.Status);
}
