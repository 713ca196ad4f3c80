using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.Core.Common;
using OpenCIS.Core.Invoices;
using OpenCIS.Core.Payments;
using OpenCIS.UseCases.Invoices;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Invoices;

/// <summary>
/// One invoice as the party reads it: the lines with their calculations, what is open, the stub's scan line, and its
/// PDF; what has paid it down (payments, payers' adjustments, waivers), its statements; and, for those allowed, a
/// payer's remittance to post and a hardship waiver to ask for.
/// </summary>
[Authorize(Policy = InvoicesCapability.ViewInvoices)]
public sealed class DetailModel(InvoiceQueries queries, PostRemittance remittances, InvoiceWaivers waivers, InvoiceStatements statements, IAuthorizationService authorization)
    : ActionPageModel
{
    public InvoiceView Invoice { get; private set; } = null!;

    public IReadOnlyList<InvoiceActivity> Activity { get; private set; } = [];

    public IReadOnlyList<RemittanceView> Remittances { get; private set; } = [];

    public IReadOnlyList<WaiverView> Waivers { get; private set; } = [];

    public IReadOnlyList<StatementView> Statements { get; private set; } = [];

    /// <summary>Whether the type has an allowance account: without one it takes no contractual adjustment or waiver.</summary>
    public bool TakesAllowances { get; private set; }

    /// <summary>The last day the invoice is collectible by suit (the statute of limitations); null once paid.</summary>
    public DateOnly? CollectibleUntil { get; private set; }

    public bool CanPostRemittances { get; private set; }

    public bool CanRequestWaivers { get; private set; }

    public bool CanApproveWaivers { get; private set; }

    public async Task<IActionResult> OnGetAsync(long number, CancellationToken cancellationToken) =>
        await LoadAsync(number, cancellationToken) ? Page() : NotFound();

    public Task<IActionResult> OnPostRemittanceAsync(long number, string payerKind, string? payerName, string? claimNumber, string? paid, string? contractualAdjustment,
        string tender, string? reference, string? idempotencyKey, CancellationToken cancellationToken) =>
        ActAsync(authorization, InvoicesCapability.PostRemittances, async () =>
        {
            var payer = Enum.TryParse<PayerKind>(payerKind, out var kind) && Enum.IsDefined(kind) ? kind : throw new DomainException("Choose who paid: an insurer, Medicare or Medicaid.", "payerKind");
            var paidAmount = string.IsNullOrWhiteSpace(paid) ? Money.Zero : Money.ParseField(paid, "paid");
            var adjustment = string.IsNullOrWhiteSpace(contractualAdjustment) ? (Money?)null : Money.ParseField(contractualAdjustment, "contractualAdjustment");
            var outcome = await remittances.ExecuteAsync(new RemittanceRequest(number, payer, payerName, claimNumber, paidAmount, adjustment,
                tender == "ach" ? Tender.Ach : Tender.Check, reference, idempotencyKey), User.Identity!.Name!, cancellationToken);
            return outcome.Message;
        }, () => LoadAsync(number, cancellationToken));

    public Task<IActionResult> OnPostWaiverAsync(long number, string? amount, string? reason, CancellationToken cancellationToken) =>
        ActAsync(authorization, InvoicesCapability.RequestWaivers, async () =>
            (await waivers.RequestAsync(number, string.IsNullOrWhiteSpace(amount) ? null : Money.ParseField(amount, "amount"), reason, User.Identity!.Name!, cancellationToken)).Message,
            () => LoadAsync(number, cancellationToken));

    private async Task<bool> LoadAsync(long number, CancellationToken cancellationToken)
    {
        if (await queries.FindAsync(number, cancellationToken) is not { } found)
        {
            return false;
        }

        Invoice = found;
        Activity = await queries.ActivityAsync(number, cancellationToken);
        Remittances = await remittances.OfInvoiceAsync(number, cancellationToken);
        Waivers = await waivers.ListAsync(invoiceNumber: number, cancellationToken: cancellationToken);
        Statements = await statements.ListAsync(null, number, cancellationToken);
        TakesAllowances = await queries.TakesAllowancesAsync(found.TypeCode, cancellationToken);
        CollectibleUntil = await queries.CollectibleUntilAsync(found, cancellationToken);
        CanPostRemittances = (await authorization.AuthorizeAsync(User, InvoicesCapability.PostRemittances)).Succeeded;
        CanRequestWaivers = (await authorization.AuthorizeAsync(User, InvoicesCapability.RequestWaivers)).Succeeded;
        CanApproveWaivers = (await authorization.AuthorizeAsync(User, InvoicesCapability.ApproveWaivers)).Succeeded;
        return true;
    }
}
