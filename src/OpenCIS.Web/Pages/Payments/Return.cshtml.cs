using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;
using OpenCIS.Storage.Payments.Returns;
using OpenCIS.UseCases.Payments.Returns;
using OpenCIS.Web.Security;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Payments;

/// <summary>
/// A returned check or card charge back: find the payment by its receipt number, check it is the one
/// the bank's notice names, choose the reason and confirm. The form carries an idempotency key made when
/// it was shown, so pressing the button twice returns the payment once.
/// </summary>
[Authorize(Policy = PaymentsCapability.ReturnPayments)]
public sealed class ReturnModel(ReturnPayment workflow) : PageModel
{
    public static readonly IReadOnlyList<PaymentReturnReason> Reasons = Enum.GetValues<PaymentReturnReason>();

    [BindProperty(SupportsGet = true)]
    public string? Receipt { get; set; }

    public ReturnablePaymentView? Payment { get; private set; }
    public PaymentReturnOutcome? Outcome { get; private set; }
    public string? Error { get; private set; }
    public string IdempotencyKey { get; private set; } = Guid.NewGuid().ToString();

    public async Task OnGetAsync(CancellationToken cancellationToken) => await FindAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(string? reason, string? bankReference, string? idempotencyKey, CancellationToken cancellationToken)
    {
        try
        {
            if (!PaymentReturnReasons.TryParse(reason, out var parsed))
            {
                throw new DomainException("Choose why the bank returned the payment.", "reason");
            }

            Outcome = await workflow.ExecuteAsync(new ReturnPaymentRequest(Receipt ?? "", parsed, bankReference, string.IsNullOrWhiteSpace(idempotencyKey) ? null : idempotencyKey),
                User.Identity!.Name!, cancellationToken);
        }
        catch (DomainException e)
        {
            Error = e.Message;
        }

        await FindAsync(cancellationToken);
        return Page();
    }

    public static string Describe(PaymentReturnReason reason) => PaymentReturnReasons.Describe(reason);

    private async Task FindAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Receipt))
        {
            return;
        }

        try
        {
            Payment = await workflow.FindAsync(Receipt, cancellationToken);
        }
        catch (DomainException e)
        {
            Error ??= e.Message;
        }
    }
}
