using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.Core.Common;
using OpenCIS.UseCases.Customers;
using OpenCIS.Web.Api;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Accounts;

/// <summary>
/// Skip tracing an account's holder: the address, phone and e-mail on file with what has failed and how notices go
/// now, the alternate contacts found with the forms to add one, mark it failed or make it the one on file, and the mail
/// that came back. Anyone who sees accounts reads it; TraceContacts changes it.
/// </summary>
[Authorize(Policy = CustomersCapability.ViewAccounts)]
public sealed class SkipTraceModel(SkipTrace skipTrace, IAuthorizationService authorization) : ActionPageModel
{
    public SkipTraceView View { get; private set; } = null!;

    public bool CanTrace { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string AccountNumber { get; set; } = "";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? Page() : NotFound();

    public Task<IActionResult> OnPostFailAsync(string? channel, string? reason, CancellationToken cancellationToken) =>
        TraceAsync(async () =>
        {
            var parsed = SkipTrace.ParseChannel(channel);
            await skipTrace.MarkFailedAsync(AccountNumber, parsed, reason, User.Identity!.Name!, cancellationToken);
            return $"The {SkipTrace.Words(parsed)} on file is marked failed.";
        }, cancellationToken);

    public Task<IActionResult> OnPostClearAsync(string? channel, string? reason, CancellationToken cancellationToken) =>
        TraceAsync(async () =>
        {
            var parsed = SkipTrace.ParseChannel(channel);
            await skipTrace.ClearFailureAsync(AccountNumber, parsed, reason, User.Identity!.Name!, cancellationToken);
            return $"The {SkipTrace.Words(parsed)} on file works again.";
        }, cancellationToken);

    public Task<IActionResult> OnPostAddAsync(string? channel, string? value, string? city, string? state, string? zip, string? source, string? note, CancellationToken cancellationToken) =>
        TraceAsync(async () =>
        {
            var added = await skipTrace.AddAlternateAsync(AccountNumber, new AlternateContactRequest(SkipTrace.ParseChannel(channel), value, city, state, zip, source, note),
                User.Identity!.Name!, cancellationToken);
            return $"Added {added.Display} ({added.Source}).";
        }, cancellationToken);

    public Task<IActionResult> OnPostAlternateFailedAsync(long alternateId, string? reason, CancellationToken cancellationToken) =>
        TraceAsync(async () =>
        {
            var failed = await skipTrace.MarkAlternateFailedAsync(AccountNumber, alternateId, reason, User.Identity!.Name!, cancellationToken);
            return $"{failed.Display} is marked failed.";
        }, cancellationToken);

    public Task<IActionResult> OnPostPromoteAsync(long alternateId, CancellationToken cancellationToken) =>
        TraceAsync(async () =>
        {
            var view = await skipTrace.PromoteAsync(AccountNumber, alternateId, User.Identity!.Name!, cancellationToken);
            return $"The contact on file is changed. Notices: {view.NoticesGoByText.ToLowerInvariant()}.";
        }, cancellationToken);

    private Task<IActionResult> TraceAsync(Func<Task<string>> work, CancellationToken cancellationToken) =>
        ActAsync(authorization, CustomersCapability.TraceContacts, work, () => LoadAsync(cancellationToken));

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            View = await skipTrace.ForAccountAsync(AccountNumber, cancellationToken);
        }
        catch (DomainException)
        {
            return false;
        }

        CanTrace = (await authorization.AuthorizeAsync(User, CustomersCapability.TraceContacts)).Succeeded;
        return true;
    }
}
