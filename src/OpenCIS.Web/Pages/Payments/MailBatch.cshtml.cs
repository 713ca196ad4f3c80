using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Payments.Mail;
using OpenCIS.UseCases.Payments.Mail;
using OpenCIS.Web.Security;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Payments;

/// <summary>
/// Mailed checks keyed in batches: open a batch with the tape's control count and total, then scan or key
/// each stub's line (Enter adds it; the scan-line box has the focus again after each item), and post when
/// the running count and total match the controls. With htmx only the batch panel is redrawn.
/// </summary>
[Authorize(Policy = PaymentsCapability.KeyMailPayments)]
public sealed class MailBatchModel(KeyMailBatch keying, PostMailBatch posting) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long? Id { get; set; }

    public MailBatchView? Batch { get; private set; }
    public IReadOnlyList<MailBatch> OpenBatches { get; private set; } = [];
    public string? Message { get; private set; }
    public string? Error { get; private set; }

    /// <summary>What the clerk typed, shown again when a stub is refused so it can be corrected.</summary>
    public string? ScanLine { get; private set; }
    public string? Amount { get; private set; }
    public string? CheckNumber { get; private set; }

    private bool FromHtmx => Request.Headers.ContainsKey("HX-Request");

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        if (Id is not null && Batch is null)
        {
            Error = $"There is no mail batch {Id}.";
        }

        return Page();
    }

    public async Task<IActionResult> OnPostOpenAsync(int controlCount, string? controlTotal, CancellationToken cancellationToken)
    {
        try
        {
            if (!Money.TryParse(controlTotal, out var total))
            {
                throw new DomainException($"'{controlTotal}' is not an amount in dollars and cents.", "controlTotal");
            }

            var batch = await keying.OpenAsync(controlCount, total, User.Identity!.Name!, cancellationToken);
            return RedirectToPage("/Payments/MailBatch", new { id = batch.Id });
        }
        catch (DomainException e)
        {
            Error = e.Message;
            Id = null;
            await LoadAsync(cancellationToken);
            return Page();
        }
    }

    public async Task<IActionResult> OnPostAddAsync(string? scanLine, string? amount, string? checkNumber, CancellationToken cancellationToken)
    {
        try
        {
            Money? received = null;
            if (!string.IsNullOrWhiteSpace(amount))
            {
                received = Money.TryParse(amount, out var parsed) ? parsed : throw new DomainException($"'{amount}' is not an amount in dollars and cents.", "amount");
            }

            var batch = await keying.AddItemAsync(Id ?? 0, scanLine, received, checkNumber, User.Identity!.Name!, cancellationToken);
            var item = batch.Items[^1];
            Message = $"Item {item.Number}: account {item.AccountNumber}, {item.Amount}{(item.CheckNumber is null ? "" : $", check {item.CheckNumber}")}.";
        }
        catch (DomainException e)
        {
            Error = e.Message;
            (ScanLine, Amount, CheckNumber) = (scanLine, amount, checkNumber);
        }

        return await AnswerAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostRemoveAsync(long itemId, CancellationToken cancellationToken)
    {
        try
        {
            await keying.RemoveItemAsync(Id ?? 0, itemId, User.Identity!.Name!, cancellationToken);
            Message = "Item removed.";
        }
        catch (DomainException e)
        {
            Error = e.Message;
        }

        return await AnswerAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostPostAsync(CancellationToken cancellationToken)
    {
        try
        {
            Message = (await posting.ExecuteAsync(Id ?? 0, User.Identity!.Name!, cancellationToken)).Message;
        }
        catch (DomainException e)
        {
            Error = e.Message;
        }

        return await AnswerAsync(cancellationToken);
    }

    private async Task<IActionResult> AnswerAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return FromHtmx && Batch is not null ? Partial("_MailBatch", this) : Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Batch = Id is { } id ? await keying.FindAsync(id, cancellationToken) : null;
        if (Batch is null)
        {
            OpenBatches = await keying.OpenBatchesAsync(cancellationToken);
        }
    }
}
