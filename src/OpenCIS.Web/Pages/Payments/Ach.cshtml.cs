using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments.Ach;
using OpenCIS.Storage.Payments.Ach;
using OpenCIS.UseCases.Payments.Ach;
using OpenCIS.Web.Security;
using OpenCIS.Web.Capabilities;
using OpenCIS.Web.Jobs;
using OpenCIS.UseCases.Jobs;

namespace OpenCIS.Web.Pages.Payments;

/// <summary>Payments &gt; ACH: enroll an account, list enrollments (masked), generate a day's debit file, post a return file.</summary>
[Authorize(Policy = PaymentsCapability.ManageAch)]
public sealed class AchModel(AchQueries queries, IAuthorizationService authorization) : PageModel
{
    public const long MaximumFileBytes = 20 * 1024 * 1024;

    [BindProperty(SupportsGet = true)]
    public string? Account { get; set; }

    public IReadOnlyList<AchEnrollmentView> Enrollments { get; private set; } = [];
    public IReadOnlyList<AchFileSummary> Files { get; private set; } = [];
    public IReadOnlyList<AchReturnSummary> Returns { get; private set; } = [];
    public bool CanPostFiles { get; private set; }
    public string? Message { get; private set; }
    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostEnrollAsync(string accountNumber, string routingNumber, string bankAccountNumber, AchAccountType accountType, AchEntryClass entryClass, string holderName,
        [FromServices] EnrollAch workflow, CancellationToken cancellationToken)
    {
        // Kept for the form and the list, so a refused enrollment is corrected rather than typed again.
        Account = accountNumber;
        try
        {
            var enrolled = await workflow.ExecuteAsync(new AchEnrollmentRequest(accountNumber, routingNumber, bankAccountNumber, accountType, entryClass, holderName), User.Identity!.Name!, cancellationToken);
            Message = $"Account {enrolled.AccountNumber} enrolled ({enrolled.RoutingNumber} {enrolled.MaskedAccountNumber}); a prenote goes out with the next file.";
            Account = enrolled.AccountNumber;
        }
        catch (DomainException exception)
        {
            Error = exception.Message;
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostCancelAsync(long id, string reason, [FromServices] CancelAch workflow, CancellationToken cancellationToken)
    {
        try
        {
            var cancelled = await workflow.ExecuteAsync(id, reason, User.Identity!.Name!, cancellationToken);
            Message = $"Enrollment {cancelled.Id} of account {cancelled.AccountNumber} is cancelled.";
        }
        catch (DomainException exception)
        {
            Error = exception.Message;
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    /// <summary>The day's debit file is made by a job; the page goes to the job, which links to the file once made.</summary>
    public async Task<IActionResult> OnPostGenerateAsync(DateOnly date, [FromServices] StartJob start, CancellationToken cancellationToken)
    {
        if (!await CanAsync())
        {
            return Forbid();
        }

        return Redirect(await JobStarts.FollowAsync(start, GenerateAchFileJob.Request(date), User.Identity!.Name!, cancellationToken));
    }

    /// <summary>The bank's return file is posted by a job; the page goes to the job, which shows how it ended.</summary>
    public async Task<IActionResult> OnPostReturnsAsync(IFormFile? file, [FromServices] StartJob start, CancellationToken cancellationToken)
    {
        if (!await CanAsync())
        {
            return Forbid();
        }

        if (file is null || file.Length == 0 || file.Length > MaximumFileBytes)
        {
            Error = file is null || file.Length == 0 ? "Choose the bank's ACH return file." : $"{file.FileName} is larger than {MaximumFileBytes / 1024 / 1024} MB.";
            await LoadAsync(cancellationToken);
            return Page();
        }

        var request = ProcessAchReturnsJob.Request(await JobStarts.ReadAsync(file, cancellationToken));
        return Redirect(await JobStarts.FollowAsync(start, request, User.Identity!.Name!, cancellationToken));
    }

    public async Task<IActionResult> OnGetDownloadAsync(long id, CancellationToken cancellationToken)
    {
        if (!await CanAsync())
        {
            return Forbid();
        }

        var content = await queries.FileContentAsync(id, cancellationToken);
        return content is null ? NotFound() : File(Encoding.ASCII.GetBytes(content), "text/plain", $"ach-file-{id}.txt");
    }

    private async Task<bool> CanAsync() => (await authorization.AuthorizeAsync(User, PaymentsCapability.PostPaymentFiles)).Succeeded;

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        CanPostFiles = await CanAsync();
        Enrollments = await queries.EnrollmentsAsync(string.IsNullOrWhiteSpace(Account) ? null : Account.Trim(), 100, cancellationToken);
        Files = await queries.FilesAsync(20, cancellationToken);
        Returns = await queries.ReturnsAsync(50, cancellationToken);
    }
}
