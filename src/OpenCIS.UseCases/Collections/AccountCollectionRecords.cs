using Microsoft.EntityFrameworkCore;
using OpenCIS.Storage;

namespace OpenCIS.UseCases.Collections;

/// <summary>What collectors recorded on an account, newest first: protections (active and ended), contacts, promises with their status, notes.</summary>
public sealed record CollectionRecordsView(
    long AccountId,
    string AccountNumber,
    IReadOnlyList<ProtectionView> Protections,
    IReadOnlyList<ContactView> Contacts,
    IReadOnlyList<PromiseView> Promises,
    IReadOnlyList<NoteView> Notes);

/// <summary>The account's collection records, each list newest first and at most <see cref="ListMax"/> long.</summary>
public sealed class AccountCollectionRecords(OpenCisDbContext db, BusinessCalendar calendar)
{
    public const int ListMax = 200;

    public async Task<CollectionRecordsView?> ForAccountAsync(long accountId, CancellationToken cancellationToken = default)
    {
        var number = await db.Accounts.AsNoTracking().Where(a => a.Id == accountId).Select(a => a.AccountNumber).SingleOrDefaultAsync(cancellationToken);
        if (number is null)
        {
            return null;
        }

        var today = calendar.Today();
        var protections = await db.AccountProtections.AsNoTracking().Where(p => p.AccountId == accountId).OrderByDescending(p => p.Id).Take(ListMax).ToListAsync(cancellationToken);
        var contacts = await db.CollectionContacts.AsNoTracking().Where(c => c.AccountId == accountId).OrderByDescending(c => c.Id).Take(ListMax).ToListAsync(cancellationToken);
        var promises = await db.Promises.AsNoTracking().Where(p => p.AccountId == accountId).OrderByDescending(p => p.Id).Take(ListMax).ToListAsync(cancellationToken);
        var notes = await db.AccountNotes.AsNoTracking().Where(n => n.AccountId == accountId).OrderByDescending(n => n.Id).Take(ListMax).ToListAsync(cancellationToken);
        return new CollectionRecordsView(accountId, number,
            [.. protections.Select(p => ProtectionView.From(p, today))],
            [.. contacts.Select(ContactView.From)],
            [.. promises.Select(PromiseView.From)],
            [.. notes.Select(NoteView.From)]);
    }
}
