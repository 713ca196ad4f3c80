using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.Customers;
using OpenCIS.UseCases.ServiceOrders;
using OpenCIS.Web.Api;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Accounts;

/// <summary>
/// The account in collections: its standing as the daily run left it (status, past due, on the list or held
/// and why, the explanation, the history of steps and notices), and the collector's records on it
/// (protections, contacts, promises, notes) with the forms to add to them, through the workflows the API calls.
/// The forms post with htmx and swap in the page's work area; without JavaScript they post the whole page.
/// </summary>
[Authorize(Policy = CollectionsCapability.ViewCollections)]
public sealed class CollectionsModel(AccountQueries accounts, CollectionQueries collections, AccountCollectionRecords records, ArrangementQueries arrangements, WaiverQueries waivers, ServiceOrderQueries orders, NoticeQueries notices, OpenCIS.UseCases.Bankruptcy.BankruptcyCases bankruptcies,
    OpenCIS.UseCases.Pursuit.Referrals referrals, OpenCIS.UseCases.Pursuit.PursueFinalBills pursuit, OpenCIS.UseCases.Liens.LienRegister liens, IAuthorizationService authorization) : ActionPageModel
{
    public AccountOverview Account { get; private set; } = null!;
    public AccountCollectionView Standing { get; private set; } = null!;
    public CollectionRecordsView Records { get; private set; } = null!;
    public bool CanWork { get; private set; }
    public bool CanProtect { get; private set; }
    public bool CanApprove { get; private set; }
    public bool CanWaive { get; private set; }
    public AccountWaiversView Waivers { get; private set; } = null!;
    public IReadOnlyList<ArrangementView> Arrangements { get; private set; } = [];
    public long PastDueCents { get; private set; }
    public IReadOnlyList<ServiceOrderView> Orders { get; private set; } = [];
    public bool CanRequestReconnect { get; private set; }

    /// <summary>Every notice written for the account, newest first.</summary>
    public IReadOnlyList<NoticeListing> Notices { get; private set; } = [];

    /// <summary>The bankruptcy cases covering the account, newest first.</summary>
    public IReadOnlyList<OpenCIS.UseCases.Bankruptcy.BankruptcyCaseView> Bankruptcies { get; private set; } = [];

    /// <summary>The account's referrals to agencies and the legal office, newest first, and the final-bill pursuit's latest decision on it.</summary>
    public IReadOnlyList<OpenCIS.UseCases.Pursuit.ReferralView> Referrals { get; private set; } = [];

    public OpenCIS.Storage.Pursuit.PursuitStandingRow? Pursuit { get; private set; }

    /// <summary>The liens noticed or filed on the account, newest first.</summary>
    public IReadOnlyList<OpenCIS.UseCases.Liens.LienView> Liens { get; private set; } = [];

    /// <summary>Which form the last action came from, so its message shows beside it.</summary>
    public string? Form { get; private set; }

    public async Task<IActionResult> OnGetAsync(string accountNumber, CancellationToken cancellationToken) =>
        await LoadAsync(accountNumber, cancellationToken) ? Page() : NotFound();

    public Task<IActionResult> OnPostProtectAsync(string accountNumber, string? kind, string? startsOn, string? endsOn, string? physician, string? amount,
        string? recipientName, string? recipientAddress, string? note, [FromServices] EnterProtection workflow, CancellationToken cancellationToken) =>
        RunAsync(accountNumber, "protect", CollectionsCapability.ManageProtections, cancellationToken, async id =>
            (await workflow.ExecuteAsync(id, CollectionWorkApi.ReadProtection(new ProtectionBody(kind ?? "", startsOn ?? "", endsOn, physician, amount, recipientName, recipientAddress, note)),
                User.Identity!.Name!, cancellationToken)).Message);

    public Task<IActionResult> OnPostEndAsync(string accountNumber, long protectionId, string? reason, [FromServices] EndProtection workflow, CancellationToken cancellationToken) =>
        RunAsync(accountNumber, "protections", CollectionsCapability.ManageProtections, cancellationToken, async id =>
            (await workflow.ExecuteAsync(id, protectionId, reason, User.Identity!.Name!, cancellationToken)).Message);

    public Task<IActionResult> OnPostContactAsync(string accountNumber, string? kind, string? outcome, string? note, string? promisedOn, string? promiseAmount,
        [FromServices] LogContact workflow, CancellationToken cancellationToken) =>
        RunAsync(accountNumber, "contact", CollectionsCapability.WorkCollections, cancellationToken, async id =>
            (await workflow.ExecuteAsync(id, CollectionWorkApi.ReadContact(new ContactBody(kind ?? "", outcome ?? "", note, promisedOn, promiseAmount)), User.Identity!.Name!, cancellationToken)).Message);

    public Task<IActionResult> OnPostPromiseAsync(string accountNumber, string? promisedOn, string? amount, [FromServices] TakePromise workflow, CancellationToken cancellationToken) =>
        RunAsync(accountNumber, "promise", CollectionsCapability.WorkCollections, cancellationToken, async id =>
        {
            var terms = CollectionWorkApi.ReadPromise(promisedOn, amount, "promisedOn", "amount")
                        ?? throw new Core.Common.DomainException("Enter the date and the amount the customer promised.", "promisedOn");
            var promise = await workflow.ExecuteAsync(id, terms, User.Identity!.Name!, cancellationToken);
            return $"Took the promise to pay {Core.Common.Money.FromCents(promise.AmountCents)} by {promise.PromisedOn:yyyy-MM-dd}.";
        });

    public Task<IActionResult> OnPostNoteAsync(string accountNumber, string? text, [FromServices] WriteNote workflow, CancellationToken cancellationToken) =>
        RunAsync(accountNumber, "note", CollectionsCapability.WorkCollections, cancellationToken, async id =>
        {
            await workflow.ExecuteAsync(id, text, User.Identity!.Name!, cancellationToken);
            return "Wrote the note.";
        });

    public Task<IActionResult> OnPostArrangeAsync(string accountNumber, string? amount, string? downPayment, int? installments, string? firstDueOn,
        bool approveOutsidePolicy, string? approvalReason, [FromServices] CreateArrangement workflow, CancellationToken cancellationToken) =>
        RunAsync(accountNumber, "arrange", CollectionsCapability.WorkCollections, cancellationToken, async id =>
        {
            var body = new ArrangementBody(amount, downPayment ?? "", installments ?? 0, firstDueOn ?? "", 1, approveOutsidePolicy, approvalReason);
            var request = await CollectionArrangementsApi.ReadAsync(body, authorization, HttpContext);
            return (await workflow.ExecuteAsync(id, request, User.Identity!.Name!, cancellationToken)).Message;
        });

    public Task<IActionResult> OnPostCancelArrangementAsync(string accountNumber, long arrangementId, string? reason, [FromServices] CancelArrangement workflow, CancellationToken cancellationToken) =>
        RunAsync(accountNumber, "arrangements", CollectionsCapability.WorkCollections, cancellationToken, async id =>
            (await workflow.ExecuteAsync(id, arrangementId, reason, User.Identity!.Name!, cancellationToken)).Message);

    public Task<IActionResult> OnPostWaiveAsync(string accountNumber, long transactionId, string? reason, [FromServices] WaiveCharge workflow, CancellationToken cancellationToken) =>
        RunAsync(accountNumber, "waive", CollectionsCapability.WaiveCharges, cancellationToken, async id =>
            (await workflow.ExecuteAsync(id, transactionId, reason, User.Identity!.Name!, approve: false, cancellationToken)).Message);

    public Task<IActionResult> OnPostDecideWaiverAsync(string accountNumber, long waiverId, bool approve, string? note, [FromServices] WaiveCharge workflow, CancellationToken cancellationToken) =>
        RunAsync(accountNumber, "waive", CollectionsCapability.ApproveCollections, cancellationToken, async _ =>
            (await workflow.DecideAsync(waiverId, approve, note, User.Identity!.Name!, cancellationToken)).Message);
    public Task<IActionResult> OnPostReconnectAsync(string accountNumber, string? timing, [FromServices] RequestReconnect workflow, CancellationToken cancellationToken) =>
        RunAsync(accountNumber, "reconnect", CollectionsCapability.RequestReconnects, cancellationToken, async id =>
            (await workflow.ExecuteAsync(id, CollectionFieldApi.ReadTiming(timing), User.Identity!.Name!, cancellationToken)).Message);

    private async Task<IActionResult> RunAsync(string accountNumber, string form, string permission, CancellationToken cancellationToken, Func<long, Task<string>> work)
    {
        Form = form;
        var id = await accounts.FindAccountIdAsync(accountNumber, cancellationToken);
        if (id is null)
        {
            return NotFound();
        }

        return await ActAsync(authorization, permission, () => work(id.Value), () => LoadAsync(accountNumber, cancellationToken));
    }

    private async Task<bool> LoadAsync(string accountNumber, CancellationToken cancellationToken)
    {
        var id = await accounts.FindAccountIdAsync(accountNumber, cancellationToken);
        var overview = id is null ? null : await accounts.OverviewAsync(id.Value, cancellationToken);
        var standing = id is null ? null : await collections.AccountAsync(id.Value, cancellationToken);
        var recorded = id is null ? null : await records.ForAccountAsync(id.Value, cancellationToken);
        if (overview is null || standing is null || recorded is null)
        {
            return false;
        }

        Account = overview;
        Standing = standing;
        Records = recorded;
        CanWork = (await authorization.AuthorizeAsync(User, CollectionsCapability.WorkCollections)).Succeeded;
        CanProtect = (await authorization.AuthorizeAsync(User, CollectionsCapability.ManageProtections)).Succeeded;
        CanApprove = (await authorization.AuthorizeAsync(User, CollectionsCapability.ApproveCollections)).Succeeded;
        CanWaive = (await authorization.AuthorizeAsync(User, CollectionsCapability.WaiveCharges)).Succeeded;
        Waivers = (await waivers.ForAccountAsync(id!.Value, cancellationToken))!;
        Arrangements = await arrangements.ForAccountAsync(id.Value, cancellationToken);
        PastDueCents = await arrangements.PastDueCentsAsync(id.Value, cancellationToken);
        Orders = await orders.ForAccountAsync(id.Value, cancellationToken);
        CanRequestReconnect = (await authorization.AuthorizeAsync(User, CollectionsCapability.RequestReconnects)).Succeeded;
        Notices = await notices.ForAccountAsync(id.Value, cancellationToken);
        Bankruptcies = await bankruptcies.OfAccountAsync(id.Value, cancellationToken);
        Referrals = await referrals.OfAccountAsync(id.Value, cancellationToken);
        Pursuit = await pursuit.StandingAsync(id.Value, cancellationToken);
        Liens = await liens.OfAccountAsync(id.Value, cancellationToken);
        return true;
    }
}
