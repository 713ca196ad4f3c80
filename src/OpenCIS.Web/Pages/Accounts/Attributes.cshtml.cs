using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.Core.Common;
using OpenCIS.UseCases.Billing;
using OpenCIS.UseCases.Customers;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Accounts;

/// <summary>
/// One service agreement's attributes: what chooses its prices (cart_size=96gal, pickups=2, fire_line_size=6in) or keeps
/// its meter's use out of sewer (usage_shared=no). A clerk who starts and stops service changes them, one name=value a
/// line; the change is audited and the next bill prices by it.
/// </summary>
[Authorize(Policy = CustomersCapability.ViewAccounts)]
public sealed class AttributesModel(AccountQueries accounts, AgreementAttributes attributes, IAuthorizationService authorization) : ActionPageModel
{
    public AccountOverview Account { get; private set; } = null!;
    public AgreementAttributesView Agreement { get; private set; } = null!;
    public bool CanChange { get; private set; }

    /// <summary>The attributes as the form shows them, one name=value a line (or as the clerk typed them, after an error).</summary>
    public string Text { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string accountNumber, long agreementId, CancellationToken cancellationToken) =>
        await LoadAsync(accountNumber, agreementId, null, cancellationToken) ? Page() : NotFound();

    public Task<IActionResult> OnPostAsync(string accountNumber, long agreementId, string? text, CancellationToken cancellationToken) =>
        ActAsync(authorization, CustomersCapability.StartStopService, async () =>
        {
            if (!await LoadAsync(accountNumber, agreementId, text, cancellationToken))
            {
                throw new DomainException($"Agreement {agreementId} is not a service of account {accountNumber}.", "agreementId");
            }

            var saved = await attributes.SetAsync(agreementId, Read(text), User.Identity!.Name!, cancellationToken);
            Text = Write(saved.Attributes);
            return saved.Attributes.Count == 0 ? "The agreement has no attributes now." : $"Saved: {string.Join("; ", Lines(saved.Attributes))}.";
        }, () => LoadAsync(accountNumber, agreementId, IsError ? text : null, cancellationToken));

    /// <summary>One name=value a line; a blank line is skipped, a line without '=' is refused naming it.</summary>
    private static Dictionary<string, string> Read(string? text)
    {
        var read = new Dictionary<string, string>(StringComparer.Ordinal);
        var number = 0;
        foreach (var line in (text ?? "").Split('\n'))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var at = line.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0)
            {
                throw new DomainException($"Line {number}, '{line.Trim()}': write name=value, e.g. cart_size=96gal.", "attributes");
            }

            read[line[..at].Trim()] = line[(at + 1)..].Trim();
        }

        return read;
    }

    private static IEnumerable<string> Lines(IReadOnlyDictionary<string, string> attributes) =>
        attributes.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value}");

    private static string Write(IReadOnlyDictionary<string, string> attributes) => string.Join("\n", Lines(attributes));

    private async Task<bool> LoadAsync(string accountNumber, long agreementId, string? typed, CancellationToken cancellationToken)
    {
        var id = await accounts.FindAccountIdAsync(accountNumber, cancellationToken);
        var overview = id is null ? null : await accounts.OverviewAsync(id.Value, cancellationToken);
        if (overview is null || overview.Services.All(s => s.AgreementId != agreementId))
        {
            return false;
        }

        Account = overview;
        Agreement = await attributes.GetAsync(agreementId, cancellationToken);
        Text = typed ?? Write(Agreement.Attributes);
        CanChange = (await authorization.AuthorizeAsync(User, CustomersCapability.StartStopService)).Succeeded;
        return true;
    }
}
