using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Billing.Corrections;
using OpenCIS.UseCases.Billing.Corrections;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Customers;
using OpenCIS.Web.Security;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Accounts;

/// <summary>
/// The account's corrections: cancel and rebill a bill (with corrected reads), adjust with a reason
/// code, a leak allowance on a bill, stop service with a final bill, and an average bill. Each form
/// posts to the same workflow the API calls; each needs its own permission.
/// </summary>
[Authorize(Policy = CustomersCapability.ViewAccounts)]
public sealed class CorrectionsModel(AccountQueries queries, AdjustmentQueries adjustments, IAuthorizationService authorization, RebillOptions rebillOptions) : ActionPageModel
{
    public AccountOverview Account { get; private set; } = null!;
    public IReadOnlyList<AdjustmentView> Adjustments { get; private set; } = [];
    public long? SelectedBillId { get; private set; }

    /// <summary>The bill the cancel-and-rebill form corrects (<c>?rebill=</c>): one of the last <see cref="BillsBack"/>, the latest by default.</summary>
    public long? RebillBillId { get; private set; }

    public int BillsBack => rebillOptions.BillsBack;
    public RebillResult? Rebill { get; private set; }
    public RebillPreview? RebillPreview { get; private set; }
    public string? PreviewReason { get; private set; }
    public IReadOnlyList<CorrectedReading> PreviewReadings { get; private set; } = [];
    public LeakAllowanceQuote? LeakQuote { get; private set; }
    public bool CanCorrectBills { get; private set; }

    /// <summary>Whether this user transfers service (a move within the city).</summary>
    public bool CanTransfer { get; private set; }
    public bool CanAdjust { get; private set; }

    public async Task<IActionResult> OnGetAsync(string accountNumber, long? billId, long? rebill, CancellationToken cancellationToken)
    {
        SelectedBillId = billId;
        RebillBillId = rebill;
        return await LoadAsync(accountNumber, cancellationToken) ? Page() : NotFound();
    }

    /// <summary>The rebill as it would post, shown first; nothing posts until the clerk confirms it.</summary>
    public async Task<IActionResult> OnPostRebillPreviewAsync(string accountNumber, long billId, string reason, [FromForm] Dictionary<string, string>? corrected,
        [FromForm] Dictionary<string, string>? confirmed, [FromServices] CancelRebill workflow, CancellationToken cancellationToken)
    {
        return await RunAsync(accountNumber, billId, BillingCapability.CorrectBills, cancellationToken, async () =>
        {
            var readings = Readings(corrected, confirmed);
            RebillBillId = billId;
            RebillPreview = await workflow.PreviewAsync(billId, readings, cancellationToken);
            PreviewReason = reason;
            PreviewReadings = readings;
            return RebillPreview.Message;
        });
    }

    public async Task<IActionResult> OnPostRebillAsync(string accountNumber, long billId, string reason, string? idempotencyKey, [FromForm] Dictionary<string, string>? corrected,
        [FromForm] Dictionary<string, string>? confirmed, [FromServices] CancelRebill workflow, CancellationToken cancellationToken)
    {
        return await RunAsync(accountNumber, billId, BillingCapability.CorrectBills, cancellationToken, async () =>
        {
            Rebill = await workflow.ExecuteAsync(new CancelRebillRequest(billId, reason, Readings(corrected, confirmed), string.IsNullOrWhiteSpace(idempotencyKey) ? null : idempotencyKey), User.Identity!.Name!, cancellationToken);
            SelectedBillId = Rebill.NewBillId;
            return Rebill.Message;
        });
    }

    private static List<CorrectedReading> Readings(Dictionary<string, string>? corrected, Dictionary<string, string>? confirmed)
    {
        var readings = new List<CorrectedReading>();
        foreach (var (serial, text) in corrected ?? [])
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            if (!long.TryParse(text.Replace(",", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var reading))
            {
                throw new DomainException($"'{text}' is not a whole meter reading for {serial}.", "corrected");
            }

            readings.Add(new CorrectedReading(serial, reading, confirmed?.GetValueOrDefault(serial) is "true" or "on"));
        }

        return readings;
    }

    public async Task<IActionResult> OnPostAdjustAsync(string accountNumber, string reasonCode, string direction, string amount, string note, long? billId, string? idempotencyKey,
        [FromServices] RequestAdjustment workflow, CancellationToken cancellationToken)
    {
        return await RunAsync(accountNumber, billId, BillingCapability.AdjustAccounts, cancellationToken, async () =>
        {
            if (!Money.TryParse(amount, out var money) || !money.IsPositive)
            {
                throw new DomainException($"'{amount}' is not an amount in dollars and cents above zero.", "amount");
            }

            var signed = direction == "debit" ? money : -money;
            var outcome = await workflow.ExecuteAsync(new AdjustmentRequest(accountNumber, reasonCode, signed, note, billId, string.IsNullOrWhiteSpace(idempotencyKey) ? null : idempotencyKey), User.Identity!.Name!, null, cancellationToken);
            return outcome.Message;
        });
    }

    public async Task<IActionResult> OnPostLeakQuoteAsync(string accountNumber, long billId, [FromServices] LeakAllowanceWorkflow workflow, CancellationToken cancellationToken)
    {
        return await RunAsync(accountNumber, billId, BillingCapability.AdjustAccounts, cancellationToken, async () =>
        {
            LeakQuote = await workflow.QuoteAsync(billId, cancellationToken);
            return $"Leak allowance for bill {billId}: credit {Money.FromCents(LeakQuote.CreditCents)}.";
        });
    }

    public async Task<IActionResult> OnPostLeakAsync(string accountNumber, long billId, string note, string? idempotencyKey, [FromServices] LeakAllowanceWorkflow workflow, CancellationToken cancellationToken)
    {
        return await RunAsync(accountNumber, billId, BillingCapability.AdjustAccounts, cancellationToken, async () =>
            (await workflow.RequestAsync(billId, note, string.IsNullOrWhiteSpace(idempotencyKey) ? null : idempotencyKey, User.Identity!.Name!, cancellationToken)).Message);
    }

    public async Task<IActionResult> OnPostStopAsync(string accountNumber, string stopDate, string reason, [FromForm] Dictionary<string, string>? final, [FromServices] StopService workflow, CancellationToken cancellationToken)
    {
        return await RunAsync(accountNumber, null, BillingCapability.CorrectBills, cancellationToken, async () =>
        {
            if (!IsoDate.TryParse(stopDate, out var date))
            {
                throw new DomainException($"'{stopDate}' is not a date.", "stopDate");
            }

            var readings = FinalReads(final);
            return (await workflow.ExecuteAsync(new StopServiceRequest(accountNumber, date, readings, reason), User.Identity!.Name!, cancellationToken)).Message;
        });
    }

    /// <summary>Transfer of service: the stop here with the final reads, and the start at the premise named (by parcel or address), with a read order there.</summary>
    public async Task<IActionResult> OnPostTransferAsync(string accountNumber, string stopDate, string? newPremise, string? startDate, [FromForm] Dictionary<string, string>? final,
        [FromServices] TransferService workflow, [FromServices] PremiseQueries premises, CancellationToken cancellationToken)
    {
        return await RunAsync(accountNumber, null, CustomersCapability.StartStopService, cancellationToken, async () =>
        {
            var stop = Date(stopDate, "stopDate") ?? throw new DomainException("Enter the stop date.", "stopDate");
            var found = await premises.FindAsync(newPremise ?? "", cancellationToken);
            var premise = found.Count switch
            {
                0 => throw new DomainException($"No premise starts with '{newPremise}' or has that parcel.", "premiseId"),
                1 => found[0],
                _ => found.FirstOrDefault(p => string.Equals(p.ParcelId, newPremise?.Trim(), StringComparison.OrdinalIgnoreCase))
                    ?? throw new DomainException($"'{newPremise}' matches {found.Count} premises ({string.Join("; ", found.Take(3).Select(p => p.Address))}...); give the parcel or the whole address.", "premiseId"),
            };
            var outcome = await workflow.ExecuteAsync(new TransferServiceRequest(accountNumber, stop, FinalReads(final), premise.PremiseId, Date(startDate, "startDate"), ReadOrder: true),
                User.Identity!.Name!, cancellationToken);
            return outcome.Message;
        });
    }

    private static DateOnly? Date(string? text, string field) =>
        string.IsNullOrWhiteSpace(text) ? null
        : IsoDate.TryParse(text, out var date) ? date
        : throw new DomainException($"'{text}' is not a date.", field);

    private static List<FinalReading> FinalReads(Dictionary<string, string>? final)
    {
        var readings = new List<FinalReading>();
        foreach (var (serial, text) in final ?? [])
        {
            if (!long.TryParse(text?.Replace(",", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var reading))
            {
                throw new DomainException($"Enter the final read of meter {serial} as a whole number.", "final");
            }

            readings.Add(new FinalReading(serial, reading));
        }

        return readings;
    }

    public async Task<IActionResult> OnPostAverageAsync(string accountNumber, string? readOn, string reason, [FromServices] AverageBill workflow, CancellationToken cancellationToken)
    {
        return await RunAsync(accountNumber, null, BillingCapability.CorrectBills, cancellationToken, async () =>
        {
            DateOnly? date = null;
            if (!string.IsNullOrWhiteSpace(readOn))
            {
                date = IsoDate.TryParse(readOn, out var parsed)
                    ? parsed
                    : throw new DomainException($"'{readOn}' is not a date.", "readOn");
            }

            return (await workflow.ExecuteAsync(new AverageBillRequest(accountNumber, date, reason), User.Identity!.Name!, cancellationToken)).Message;
        });
    }

    /// <summary>Checks the permission, runs the workflow, and shows its message (or the clerk's error) on the page again.</summary>
    private Task<IActionResult> RunAsync(string accountNumber, long? billId, string permission, CancellationToken cancellationToken, Func<Task<string>> work)
    {
        SelectedBillId ??= billId;
        return ActAsync(authorization, permission, work, () => LoadAsync(accountNumber, cancellationToken));
    }

    private async Task<bool> LoadAsync(string accountNumber, CancellationToken cancellationToken)
    {
        var id = await queries.FindAccountIdAsync(accountNumber, cancellationToken);
        var overview = id is null ? null : await queries.OverviewAsync(id.Value, cancellationToken);
        if (overview is null)
        {
            return false;
        }

        Account = overview;
        Adjustments = await adjustments.ForAccountAsync(overview.AccountId, cancellationToken);
        CanCorrectBills = (await authorization.AuthorizeAsync(User, BillingCapability.CorrectBills)).Succeeded;
        CanAdjust = (await authorization.AuthorizeAsync(User, BillingCapability.AdjustAccounts)).Succeeded;
        CanTransfer = (await authorization.AuthorizeAsync(User, CustomersCapability.StartStopService)).Succeeded;
        return true;
    }
}
