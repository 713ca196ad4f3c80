using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.UseCases;
using OpenCIS.Storage.Receivables;
using OpenCIS.UseCases.Receivables;
using OpenCIS.Web.Security;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Billing;

/// <summary>Billing > Refunds: the approval queue. A Supervisor other than the requester approves (the refund posts and goes on the register) or rejects (with a reason).</summary>
[Authorize(Policy = ReceivablesCapability.ApproveRefunds)]
public sealed class RefundsModel(RefundQueries queries, BusinessCalendar calendar) : ActionPageModel
{
    public IReadOnlyList<RefundView> Pending { get; private set; } = [];
    public DateOnly Today { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public Task<IActionResult> OnPostApproveAsync(long refundId, string? note, string? idempotencyKey, [FromServices] DecideRefund workflow, CancellationToken cancellationToken) =>
        DecideAsync(async () => (await workflow.ApproveAsync(refundId, User.Identity!.Name!, note, string.IsNullOrWhiteSpace(idempotencyKey) ? null : idempotencyKey, cancellationToken)).Message, cancellationToken);

    public Task<IActionResult> OnPostRejectAsync(long refundId, string reason, [FromServices] DecideRefund workflow, CancellationToken cancellationToken) =>
        DecideAsync(async () => (await workflow.RejectAsync(refundId, User.Identity!.Name!, reason, null, cancellationToken)).Message, cancellationToken);

    private Task<IActionResult> DecideAsync(Func<Task<string>> decide, CancellationToken cancellationToken) =>
        ActAsync(decide, async () =>
        {
            await LoadAsync(cancellationToken);
            return true;
        });

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Today = calendar.Today();
        Pending = await queries.ListAsync(RefundStatus.Pending, cancellationToken);
    }
}
