using System.Collections.Immutable;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Billing;
using OpenCIS.Storage.Customers;

namespace OpenCIS.UseCases.Billing;

/// <summary>Where a message stands on the business date: printing on today's bills, still to start, or ended.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<BillMessageStanding>))]
public enum BillMessageStanding
{
    Current,
    Upcoming,
    Past,
}

/// <summary>A message as the screens, the API and the CLI list it.</summary>
public sealed record BillMessageListing(
    long Id,
    string Text,
    DateOnly StartsOn,
    DateOnly EndsOn,
    string? CycleCode,
    string? AccountClass,
    string? RouteCode,
    string? ProgramCode,
    string Audience,
    BillMessageStanding Standing,
    string UpdatedBy,
    DateTimeOffset UpdatedAt);

/// <summary>A message to add or the new text, dates and audience of one: a blank code is no targeting by it.</summary>
public sealed record BillMessageRequest(string? Text, DateOnly? StartsOn, DateOnly? EndsOn, string? CycleCode = null, string? AccountClass = null, string? RouteCode = null, string? ProgramCode = null);

/// <summary>
/// The bill messages: targeted by cycle, class, route or program for a date range (the rules in the core's
/// <see cref="BillMessages"/>). A supervisor adds one, edits one not yet past, ends one early (its last day today), or
/// deletes one that has not started; one that has started has printed on bills and stays as history. Every change is
/// audited. Bills keep the text they printed, so no change here alters an issued bill. A billing run loads the messages in
/// force once (<see cref="InForceAsync"/>) and picks each bill's in memory.
/// </summary>
public sealed class BillMessageBook(OpenCisDbContext db, BusinessCalendar calendar, TimeProvider clock)
{
    /// <summary>Every message that could be listed at once: a few a month over years.</summary>
    public const int ListMax = 1000;

    /// <summary>The messages, the current first (by start, then id), then upcoming, then past (latest ended first); of one standing when given.</summary>
    public async Task<IReadOnlyList<BillMessageListing>> ListAsync(BillMessageStanding? standing = null, CancellationToken cancellationToken = default)
    {
        var today = calendar.Today();
        var rows = db.BillMessages.AsNoTracking();
        rows = standing switch
        {
            BillMessageStanding.Current => rows.Where(m => m.StartsOn <= today && m.EndsOn >= today),
            BillMessageStanding.Upcoming => rows.Where(m => m.StartsOn > today),
            BillMessageStanding.Past => rows.Where(m => m.EndsOn < today),
            _ => rows,
        };
        var listed = await rows.OrderByDescending(m => m.EndsOn).ThenByDescending(m => m.Id).Take(ListMax).ToListAsync(cancellationToken);
        return [.. listed.Select(m => Listing(m, today)).OrderBy(m => m.Standing)
            .ThenBy(m => m.Standing == BillMessageStanding.Past ? -m.EndsOn.DayNumber : m.StartsOn.DayNumber).ThenBy(m => m.Id)];
    }

    public async Task<BillMessageListing?> FindAsync(long id, CancellationToken cancellationToken = default) =>
        await db.BillMessages.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, cancellationToken) is { } row ? Listing(row, calendar.Today()) : null;

    /// <summary>Adds a message; a problem is refused naming the field. A message may start in the past (a bill already issued keeps what it printed).</summary>
    public async Task<BillMessageListing> AddAsync(BillMessageRequest request, string user, CancellationToken cancellationToken = default)
    {
        var (message, accountClass) = await ValidatedAsync(0, request, cancellationToken);
        var now = clock.GetUtcNow();
        var row = new BillMessageRow { CreatedBy = user, CreatedAt = now };
        row.Set(message, accountClass, user, now);
        db.BillMessages.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        AuditLog.Record(db, now, user, "BillMessage", row.Id, null, "Add bill message", null, Audited(row), null);
        await db.SaveChangesAsync(cancellationToken);
        return Listing(row, calendar.Today());
    }

    /// <summary>Changes a message's text, dates or audience; a past message is history and is refused naming <c>id</c>.</summary>
    public async Task<BillMessageListing> UpdateAsync(long id, BillMessageRequest request, string user, CancellationToken cancellationToken = default)
    {
        var row = await FindRowAsync(id, cancellationToken);
        var today = calendar.Today();
        if (row.EndsOn < today)
        {
            throw new DomainException($"Message {id} ended on {row.EndsOn:yyyy-MM-dd}: a past message is history. Add a new one.", "id");
        }

        var (message, accountClass) = await ValidatedAsync(id, request, cancellationToken);
        var before = Audited(row);
        row.Set(message, accountClass, user, clock.GetUtcNow());
        AuditLog.Record(db, row.UpdatedAt, user, "BillMessage", id, null, "Change bill message", before, Audited(row), null);
        await db.SaveChangesAsync(cancellationToken);
        return Listing(row, today);
    }

    /// <summary>
    /// Ends a current message early: today is its last day. One that has not started is deleted instead, and one already
    /// ended stays as it was; both are refused naming <c>id</c>.
    /// </summary>
    public async Task<BillMessageListing> EndAsync(long id, string user, CancellationToken cancellationToken = default)
    {
        var row = await FindRowAsync(id, cancellationToken);
        var today = calendar.Today();
        if (row.StartsOn > today)
        {
            throw new DomainException($"Message {id} starts on {row.StartsOn:yyyy-MM-dd} and has printed on no bill: delete it instead.", "id");
        }

        if (row.EndsOn <= today)
        {
            throw new DomainException($"Message {id} already ends on {row.EndsOn:yyyy-MM-dd}.", "id");
        }

        var before = Audited(row);
        row.Set(row.ToMessage() with { EndsOn = today }, row.AccountClass, user, clock.GetUtcNow());
        AuditLog.Record(db, row.UpdatedAt, user, "BillMessage", id, null, "End bill message", before, Audited(row), null);
        await db.SaveChangesAsync(cancellationToken);
        return Listing(row, today);
    }

    /// <summary>Deletes a message that has not started; one that has started may have printed, and is ended instead (refused naming <c>id</c>).</summary>
    public async Task DeleteAsync(long id, string user, CancellationToken cancellationToken = default)
    {
        var row = await FindRowAsync(id, cancellationToken);
        if (row.StartsOn <= calendar.Today())
        {
            throw new DomainException($"Message {id} started on {row.StartsOn:yyyy-MM-dd} and may be on bills: end it instead.", "id");
        }

        db.BillMessages.Remove(row);
        AuditLog.Record(db, clock.GetUtcNow(), user, "BillMessage", id, null, "Delete bill message", Audited(row), null, null);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The messages in force on any day from <paramref name="from"/> through <paramref name="through"/>: few, loaded once by a run.</summary>
    public static async Task<ImmutableArray<BillMessage>> InForceAsync(OpenCisDbContext context, DateOnly from, DateOnly through, CancellationToken cancellationToken) =>
        [.. (await context.BillMessages.AsNoTracking().Where(m => m.EndsOn >= from && m.StartsOn <= through).ToListAsync(cancellationToken)).Select(m => m.ToMessage())];

    /// <summary>What one account's bill of this date prints (a final, average or corrected bill), as the bill keeps it.</summary>
    public static async Task<string?> PrintedForAsync(OpenCisDbContext context, long accountId, DateOnly billDate, CancellationToken cancellationToken)
    {
        var messages = await InForceAsync(context, billDate, billDate, cancellationToken);
        if (messages.IsEmpty)
        {
            return null;
        }

        var account = await context.Accounts.AsNoTracking().Where(a => a.Id == accountId)
            .Select(a => new { a.CycleCode, a.Class, a.RouteCode }).SingleAsync(cancellationToken);
        var programs = messages.Any(m => m.Target.ProgramCode is not null)
            ? (await Assistance.EnrolledSpans.ProgramsOfAccountsAsync(context, [accountId], billDate, cancellationToken)).GetValueOrDefault(accountId)
            : null;
        var recipient = new BillRecipient(account.CycleCode, account.Class.ToString(), account.RouteCode, programs ?? ImmutableHashSet<string>.Empty);
        return BillMessages.Printed(BillMessages.For(messages, billDate, recipient));
    }

    private async Task<BillMessageRow> FindRowAsync(long id, CancellationToken cancellationToken) =>
        await db.BillMessages.SingleOrDefaultAsync(m => m.Id == id, cancellationToken)
        ?? throw new DomainException($"There is no bill message {id}.", "id");

    private async Task<(BillMessage Message, AccountClass? Class)> ValidatedAsync(long id, BillMessageRequest request, CancellationToken cancellationToken)
    {
        var startsOn = request.StartsOn ?? throw new DomainException("Give the first bill date the message prints on, YYYY-MM-DD.", "startsOn");
        var endsOn = request.EndsOn ?? throw new DomainException("Give the last bill date the message prints on, YYYY-MM-DD.", "endsOn");
        AccountClass? accountClass = null;
        if (!string.IsNullOrWhiteSpace(request.AccountClass))
        {
            accountClass = Enum.TryParse<AccountClass>(request.AccountClass.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
                ? parsed
                : throw new DomainException($"'{request.AccountClass.Trim()}' is not an account class; use one of {string.Join(", ", Enum.GetNames<AccountClass>())}.", "accountClass");
        }

        var message = BillMessages.Validated(id, request.Text, startsOn, endsOn,
            new BillMessageTarget(request.CycleCode, accountClass?.ToString(), request.RouteCode, request.ProgramCode));
        if (message.Target.CycleCode is { } cycle && !await db.BillingCycles.AnyAsync(c => c.Code == cycle, cancellationToken))
        {
            throw new DomainException($"There is no billing cycle '{cycle}'.", "cycleCode");
        }

        return (message, accountClass);
    }

    private static object Audited(BillMessageRow row) =>
        new { row.Text, row.StartsOn, row.EndsOn, row.CycleCode, AccountClass = row.AccountClass?.ToString(), row.RouteCode, row.ProgramCode };

    private static BillMessageListing Listing(BillMessageRow row, DateOnly today)
    {
        var message = row.ToMessage();
        var standing = row.StartsOn > today ? BillMessageStanding.Upcoming : row.EndsOn < today ? BillMessageStanding.Past : BillMessageStanding.Current;
        return new BillMessageListing(row.Id, row.Text, row.StartsOn, row.EndsOn, row.CycleCode, message.Target.AccountClass, row.RouteCode, row.ProgramCode,
            message.Target.InWords(), standing, row.UpdatedBy, row.UpdatedAt);
    }
}
