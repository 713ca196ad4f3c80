using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.Core.Pursuit;
using OpenCIS.UseCases;
using OpenCIS.UseCases.Pursuit;
using OpenCIS.UseCases.Receivables;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Pursuit;

/// <summary>
/// Final-bill pursuit: the referrals to agencies and the legal office (recalled from here), the final accounts ready to write off (a
/// Supervisor writes each off from here), a referral by hand, and the day's pursuit run by hand.
/// </summary>
[Authorize(Policy = PursuitCapability.ViewPursuit)]
public sealed class IndexModel(Referrals referrals, PursueFinalBills pursuit, CollectionAgencies agencies, WriteOffBalance writeOffs, BusinessCalendar calendar,
    IAuthorizationService authorization) : ActionPageModel
{
    public IReadOnlyList<ReferralView> Referrals { get; private set; } = [];

    public IReadOnlyList<WriteOffCandidate> ReadyToWriteOff { get; private set; } = [];

    public IReadOnlyList<AgencyView> Agencies { get; private set; } = [];

    public IReadOnlyList<PursuitStep> Steps { get; private set; } = [];

    public bool CanRefer { get; private set; }

    public bool CanRun { get; private set; }

    public bool CanWriteOff { get; private set; }

    public DateOnly Today { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? Agency { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; } = "Open";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostReferAsync(string? accountNumber, string? agencyCode, string? reason, CancellationToken cancellationToken) =>
        await ActAsync(authorization, PursuitCapability.ReferAccounts,
            async () => (await referrals.ReferAsync(accountNumber ?? "", agencyCode ?? "", reason, User.Identity!.Name!, cancellationToken)).Message,
            () => LoadAsync(cancellationToken));

    public async Task<IActionResult> OnPostRecallAsync(long referralId, string? reason, CancellationToken cancellationToken) =>
        await ActAsync(authorization, PursuitCapability.ReferAccounts,
            async () => (await referrals.RecallAsync(referralId, reason, User.Identity!.Name!, cancellationToken)).Message,
            () => LoadAsync(cancellationToken));

    public async Task<IActionResult> OnPostRunAsync(CancellationToken cancellationToken) =>
        await ActAsync(authorization, PursuitCapability.RunPursuit,
            async () =>
            {
                var outcome = await pursuit.ExecuteAsync(calendar.Today(), User.Identity!.Name!, cancellationToken);
                Steps = outcome.Steps;
                return outcome.Message;
            },
            () => LoadAsync(cancellationToken));

    public async Task<IActionResult> OnPostWriteOffAsync(string? accountNumber, string? note, CancellationToken cancellationToken) =>
        await ActAsync(authorization, ReceivablesCapability.WriteOffAccounts,
            async () =>
            {
                var number = accountNumber?.Trim() ?? "";
                var referred = (await referrals.ListAsync(new ReferralFilter(AccountNumber: number), cancellationToken)).Count > 0;
                var outcome = await writeOffs.ExecuteAsync(new WriteOffRequest(number, null, referred ? "AGENCY" : "UNCOLLECTIBLE",
                    string.IsNullOrWhiteSpace(note) ? "Final-bill pursuit: ready to write off" : note, null), User.Identity!.Name!, cancellationToken);
                return outcome.Message;
            },
            () => LoadAsync(cancellationToken));

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        ReferralStatus? wanted = Enum.TryParse<ReferralStatus>(Status, true, out var parsed) && Enum.IsDefined(parsed) ? parsed : null;
        Referrals = await referrals.ListAsync(new ReferralFilter(string.IsNullOrWhiteSpace(Agency) ? null : Agency, wanted), cancellationToken);
        ReadyToWriteOff = await pursuit.ReadyToWriteOffAsync(cancellationToken);
        Agencies = await agencies.ListAsync(cancellationToken);
        CanRefer = (await authorization.AuthorizeAsync(User, PursuitCapability.ReferAccounts)).Succeeded;
        CanRun = (await authorization.AuthorizeAsync(User, PursuitCapability.RunPursuit)).Succeeded;
        CanWriteOff = (await authorization.AuthorizeAsync(User, ReceivablesCapability.WriteOffAccounts)).Succeeded;
        Today = calendar.Today();
        return true;
    }
}
