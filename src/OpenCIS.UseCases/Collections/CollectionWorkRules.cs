using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.Storage.Customers;

namespace OpenCIS.UseCases.Collections;

/// <summary>
/// What the collector's workflows (protections, contacts, promises, notes) check the same way: the account
/// exists, and a text a person typed is present when required and within its column.
/// </summary>
internal static class CollectionWorkRules
{
    public static async Task<Account> FindAccountAsync(OpenCisDbContext db, long accountId, CancellationToken cancellationToken) =>
        await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == accountId, cancellationToken)
        ?? throw new DomainException($"There is no account with id {accountId}.", "accountId");

    /// <summary>The text trimmed, or null when empty and not required; refused when required and empty, or longer than <paramref name="lengthMax"/>.</summary>
    public static string? Text(string? text, string field, string what, int lengthMax, bool required)
    {
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return required ? throw new DomainException($"Enter the {what}.", field) : null;
        }

        return trimmed.Length > lengthMax
            ? throw new DomainException($"The {what} is {trimmed.Length} characters; at most {lengthMax} are kept.", field)
            : trimmed;
    }

    public static string Required(string? text, string field, string what, int lengthMax) => Text(text, field, what, lengthMax, required: true)!;
}
