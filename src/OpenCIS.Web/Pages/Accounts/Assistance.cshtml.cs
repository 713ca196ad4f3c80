using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.Core.Assistance;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;
using OpenCIS.UseCases.Assistance;
using OpenCIS.UseCases.Customers;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Accounts;

/// <summary>
/// The account's assistance: its program enrollments (enroll, record a verification, end) and agencies' energy-assistance
/// pledges (record, post the agency's payment or link one already posted, cancel), through the workflows the API calls.
/// </summary>
[Authorize(Policy = CustomersCapability.ViewAccounts)]
public sealed class AssistanceModel(AccountQueries accounts, ProgramEnrollmentWork enrollments, AssistancePledgeWork pledgeWork, PledgeQueries pledges,
    AssistancePrograms programs, IAuthorizationService authorization) : ActionPageModel
{
    public AccountOverview Account { get; private set; } = null!;
    public IReadOnlyList<EnrollmentView> Enrollments { get; private set; } = [];
    public IReadOnlyList<PledgeView> Pledges { get; private set; } = [];
    public IReadOnlyList<ProgramListing> Programs { get; private set; } = [];
    public bool CanEnroll { get; private set; }
    public bool CanRecordPledges { get; private set; }
    public bool CanTakePayments { get; private set; }

    public async Task<IActionResult> OnGetAsync(string accountNumber, CancellationToken cancellationToken) =>
        await LoadAsync(accountNumber, cancellationToken) ? Page() : NotFound();

    public Task<IActionResult> OnPostEnrollAsync(string accountNumber, string programCode, DateOnly? enrolledOn, DateOnly? verifiedOn, DateOnly? expiresOn, string? note, CancellationToken cancellationToken) =>
        ActAsync(authorization, AssistanceCapability.EnrollPrograms, async () =>
        {
            var e = await enrollments.EnrollAsync(new EnrollRequest(accountNumber, programCode, enrolledOn, verifiedOn, expiresOn, note), UserName, cancellationToken);
            return $"Enrolled in {e.ProgramName} from {e.EnrolledOn:yyyy-MM-dd}.";
        }, () => LoadAsync(accountNumber, cancellationToken));

    public Task<IActionResult> OnPostVerifyAsync(string accountNumber, long enrollmentId, DateOnly? verifiedOn, DateOnly? expiresOn, CancellationToken cancellationToken) =>
        ActAsync(authorization, AssistanceCapability.EnrollPrograms, async () =>
        {
            var e = await enrollments.VerifyAsync(enrollmentId, verifiedOn, expiresOn, UserName, cancellationToken);
            return $"{e.ProgramName} verified on {e.VerifiedOn:yyyy-MM-dd}" + (e.CountsThrough is { } through ? $"; it counts through {through:yyyy-MM-dd}." : ".");
        }, () => LoadAsync(accountNumber, cancellationToken));

    public Task<IActionResult> OnPostEndAsync(string accountNumber, long enrollmentId, DateOnly? endedOn, string? note, CancellationToken cancellationToken) =>
        ActAsync(authorization, AssistanceCapability.EnrollPrograms, async () =>
        {
            var e = await enrollments.EndAsync(enrollmentId, endedOn, note, UserName, cancellationToken);
            return $"{e.ProgramName} ended on {e.EndedOn:yyyy-MM-dd}.";
        }, () => LoadAsync(accountNumber, cancellationToken));

    public Task<IActionResult> OnPostPledgeAsync(string accountNumber, string agency, string amount, DateOnly? pledgedOn, DateOnly expectedBy, string? note, CancellationToken cancellationToken) =>
        ActAsync(authorization, AssistanceCapability.RecordPledges, async () =>
        {
            var money = Money.TryParse(amount, out var parsed) ? parsed : throw new DomainException($"'{amount}' is not an amount in dollars and cents.", "amount");
            var p = await pledgeWork.RecordAsync(new RecordPledgeRequest(accountNumber, agency, money, pledgedOn, expectedBy, note), UserName, cancellationToken);
            return $"Pledge {p.Id} of {Money.FromCents(p.AmountCents)} from {p.Agency} recorded, expected by {p.ExpectedBy:yyyy-MM-dd}.";
        }, () => LoadAsync(accountNumber, cancellationToken));

    public Task<IActionResult> OnPostPayAsync(string accountNumber, long pledgeId, string tender, string? reference, string? idempotencyKey, CancellationToken cancellationToken) =>
        ActAsync(authorization, PaymentsCapability.TakePayments, async () =>
        {
            var kind = Tenders.TryParse(tender, out var parsed) ? parsed : throw new DomainException($"'{tender}' is not a tender.", "tender");
            var paid = await pledgeWork.PayAsync(new PayPledgeRequest(pledgeId, kind, string.IsNullOrWhiteSpace(reference) ? null : reference.Trim(), string.IsNullOrWhiteSpace(idempotencyKey) ? null : idempotencyKey), UserName, cancellationToken);
            return $"Pledge {pledgeId} paid: receipt {paid.ReceiptNumber}.";
        }, () => LoadAsync(accountNumber, cancellationToken));

    public Task<IActionResult> OnPostLinkAsync(string accountNumber, long pledgeId, long paymentId, CancellationToken cancellationToken) =>
        ActAsync(authorization, AssistanceCapability.RecordPledges, async () =>
        {
            var p = await pledgeWork.LinkPaymentAsync(pledgeId, paymentId, UserName, cancellationToken);
            return $"Pledge {p.Id} paid by receipt {p.ReceiptNumber}.";
        }, () => LoadAsync(accountNumber, cancellationToken));

    public Task<IActionResult> OnPostCancelAsync(string accountNumber, long pledgeId, string? note, CancellationToken cancellationToken) =>
        ActAsync(authorization, AssistanceCapability.RecordPledges, async () =>
        {
            var p = await pledgeWork.CloseAsync(pledgeId, PledgeStatus.Cancelled, note, UserName, cancellationToken);
            return $"Pledge {p.Id} cancelled.";
        }, () => LoadAsync(accountNumber, cancellationToken));

    private string UserName => User.Identity!.Name!;

    private async Task<bool> LoadAsync(string accountNumber, CancellationToken cancellationToken)
    {
        var overview = await accounts.OverviewAsync(accountNumber, cancellationToken);
        if (overview is null)
        {
            return false;
        }

        Account = overview;
        Enrollments = await enrollments.OfAccountAsync(overview.AccountNumber, cancellationToken);
        Pledges = await pledges.OfAccountAsync(overview.AccountNumber, cancellationToken);
        Programs = [.. (await programs.ListAsync(cancellationToken)).Where(p => p.Active)];
        CanEnroll = (await authorization.AuthorizeAsync(User, AssistanceCapability.EnrollPrograms)).Succeeded;
        CanRecordPledges = (await authorization.AuthorizeAsync(User, AssistanceCapability.RecordPledges)).Succeeded;
        CanTakePayments = (await authorization.AuthorizeAsync(User, PaymentsCapability.TakePayments)).Succeeded;
        return true;
    }
}
