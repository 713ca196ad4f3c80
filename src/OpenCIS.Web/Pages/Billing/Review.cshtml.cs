using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Billing;
using OpenCIS.Web.Api;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Billing;

/// <summary>
/// Billing > Pre-bill review: every held bill across runs, a page at a time, released or canceled by a user with
/// ReviewBills; and the review's rules by class of account, changed by a user with ManageBillReview.
/// </summary>
[Authorize(Policy = BillingCapability.ViewBilling)]
public sealed class ReviewModel(ReviewHeldBills review, IAuthorizationService authorization) : ActionPageModel
{
    /// <summary>Held bills shown a page at a time.</summary>
    public const int PageSize = 50;

    public HeldBillsSection Held { get; private set; } = null!;
    public IReadOnlyList<ReviewRulesView> Rules { get; private set; } = [];
    public bool CanManage { get; private set; }

    /// <summary>The class whose rules the last change was about, so its message shows by its form.</summary>
    public AccountClass? ChangedClass { get; private set; }

    [BindProperty(SupportsGet = true, Name = "page")] public int PageNumber { get; set; } = 1;

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public Task<IActionResult> OnPostReleaseAsync(long billId, CancellationToken cancellationToken) =>
        ActAsync(authorization, BillingCapability.ReviewBills, async () => (await review.ReleaseAsync(billId, User.Identity!.Name!, cancellationToken)).Message, () => LoadAsync(cancellationToken));

    public Task<IActionResult> OnPostCancelAsync(long billId, string? reason, CancellationToken cancellationToken) =>
        ActAsync(authorization, BillingCapability.ReviewBills, async () => (await review.CancelAsync(billId, reason ?? "", User.Identity!.Name!, cancellationToken)).Message, () => LoadAsync(cancellationToken));

    /// <summary>Saves a class's rules from its form (no rule filled in: the class's rules are removed), or removes them.</summary>
    public Task<IActionResult> OnPostRulesAsync(AccountClass accountClass, string? highPercent, string? highAmount, string? lowPercent, string? lowAmount,
        bool zeroUse, string? veryLarge, bool negative, bool firstBill, bool remove, CancellationToken cancellationToken)
    {
        ChangedClass = accountClass;
        return ActAsync(authorization, BillingCapability.ManageBillReview, async () =>
        {
            var rules = remove ? null : BillReviewApi.ReadRules(new ReviewRulesBody(Percent(highPercent, "highPercent"), highAmount, Percent(lowPercent, "lowPercent"), lowAmount, zeroUse, veryLarge, negative, firstBill));
            var saved = await review.SetRulesAsync(accountClass, rules is { IsEmpty: false } ? rules : null, User.Identity!.Name!, cancellationToken);
            var words = Words.Of(accountClass).ToLowerInvariant();
            return saved.Rules is null ? $"The {words} accounts' bills are no longer reviewed: no rule is set." : $"The review's rules for {words} accounts are saved; the next run holds the bills that fail them.";
        }, () => LoadAsync(cancellationToken));
    }

    /// <summary>What a rule's percent field holds, as shown in it.</summary>
    public static string Shown(decimal? percent) => percent?.ToString("0.##", CultureInfo.InvariantCulture) ?? "";

    /// <summary>What a rule's amount field holds, as shown in it.</summary>
    public static string Shown(Money? amount) => amount?.ToPlainString() ?? "";

    private static decimal? Percent(string? text, string field) =>
        string.IsNullOrWhiteSpace(text) ? null
        : decimal.TryParse(text.Trim().TrimEnd('%'), NumberStyles.Number, CultureInfo.InvariantCulture, out var percent) ? percent
        : throw new DomainException($"'{text}' is not a percent.", field);

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        var held = await review.HeldAsync(null, Math.Max(1, PageNumber), PageSize, cancellationToken);
        if (held.Total > 0 && held.Bills.Count == 0)
        {
            // The last page emptied by a release or cancel: show the one before it.
            held = await review.HeldAsync(null, (held.Total + PageSize - 1) / PageSize, PageSize, cancellationToken);
        }

        PageNumber = held.Page;
        Held = new HeldBillsSection(held, (await authorization.AuthorizeAsync(User, BillingCapability.ReviewBills)).Succeeded, true,
            p => $"/Billing/Review?page={p}", new Dictionary<string, string> { ["page"] = PageNumber.ToString(CultureInfo.InvariantCulture) });
        Rules = await review.RulesAsync(cancellationToken);
        CanManage = (await authorization.AuthorizeAsync(User, BillingCapability.ManageBillReview)).Succeeded;
        return true;
    }
}
