using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Customers;

namespace OpenCIS.Web.Pages;

public sealed record SearchResultsView(IReadOnlyList<AccountSearchResult> Rows, string? Message);

public sealed class IndexModel(AccountQueries queries) : PageModel
{
    public string? Query { get; private set; }
    public SearchResultsView Results { get; private set; } = new([], null);

    public async Task<IActionResult> OnGetAsync(string? q, CancellationToken cancellationToken)
    {
        Query = q;
        Results = await SearchAsync(q, cancellationToken);
        // One exact hit on an account number goes straight to the account, as a clerk expects.
        return Results.Rows.Count == 1 && Results.Rows[0].AccountNumber == q?.Trim() ? Redirect($"/Accounts/{Results.Rows[0].AccountNumber}") : Page();
    }

    public async Task<IActionResult> OnGetResultsAsync(string? q, CancellationToken cancellationToken) =>
        Partial("_SearchResults", await SearchAsync(q, cancellationToken));

    private async Task<SearchResultsView> SearchAsync(string? q, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(q))
        {
            return new([], null);
        }

        try
        {
            var rows = await queries.SearchAsync(q, cancellationToken);
            return new(rows, rows.Count == 0 ? $"No account matches \"{q}\"." : null);
        }
        catch (DomainException exception)
        {
            return new([], exception.Message);
        }
    }
}
