using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Billing.Corrections;
using OpenCIS.UseCases.Billing.Corrections;
using OpenCIS.Web.Security;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Billing;

/// <summary>Billing > Adjustments: the approval queue. A Supervisor approves (it posts) or rejects (with a reason) what a clerk requested above the threshold.</summary>
[Authorize(Policy = BillingCapability.ApproveAdjustments)]
public sealed class AdjustmentsModel(AdjustmentQueries queries, AdjustmentOptions options) : ActionPageModel
{
    public IReadOnlyList<AdjustmentView> Pending { get; private set; } = [];
    public Money Threshold => options.ApprovalThreshold;

    public async Task OnGetAsync(CancellationToken cancellationToken) => Pending = await queries.PendingAsync(cancellationToken);

    public Task<IActionResult> OnPostApproveAsync(long adjustmentId, string? note, [FromServices] DecideAdjustment workflow, CancellationToken cancellationToken) =>
        DecideAsync(async () => (await workflow.ApproveAsync(adjustmentId, User.Identity!.Name!, note, cancellationToken)).Message, cancellationToken);

    public Task<IActionResult> OnPostRejectAsync(long adjustmentId, string reason, [FromServices] DecideAdjustment workflow, CancellationToken cancellationToken) =>
        DecideAsync(async () => (await workflow.RejectAsync(adjustmentId, User.Identity!.Name!, reason, cancellationToken)).Message, cancellationToken);

    private Task<IActionResult> DecideAsync(Func<Task<string>> decide, CancellationToken cancellationToken) =>
        ActAsync(decide, async () =>
        {
            await OnGetAsync(cancellationToken);
            return true;
        });
}
