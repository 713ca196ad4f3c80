using OpenCIS.Storage;
using OpenCIS.Storage.Collections;

namespace OpenCIS.UseCases.Collections;

public sealed record NoteView(long Id, string Text, DateTimeOffset WrittenAt, string WrittenBy)
{
    public static NoteView From(AccountNote n) => new(n.Id, n.Text, n.WrittenAt, n.WrittenBy);
}

/// <summary>Writes a note on an account. Notes are never edited; a correction is another note.</summary>
public sealed class WriteNote(OpenCisDbContext db, TimeProvider clock)
{
    public async Task<NoteView> ExecuteAsync(long accountId, string? text, string user, CancellationToken cancellationToken = default)
    {
        var checkedText = CollectionWorkRules.Required(text, "text", "note", AccountNote.TextLengthMax);
        await CollectionWorkRules.FindAccountAsync(db, accountId, cancellationToken);
        var note = AccountNote.Write(accountId, checkedText, user, clock.GetUtcNow());
        db.AccountNotes.Add(note);
        await db.SaveChangesAsync(cancellationToken);
        return NoteView.From(note);
    }
}
