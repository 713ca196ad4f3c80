using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Invoices;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Customers;
using OpenCIS.Storage.Invoices;

namespace OpenCIS.UseCases.Invoices;

/// <summary>A hold as the city's systems and staff see it, with what is owed behind it today.</summary>
public sealed record HoldView(long Id, long? CustomerId, string? PartyName, string? ParcelId, string Reason, DateOnly PlacedOn, DateOnly? EndsOn, bool ReleaseWhenPaid,
    string PlacedBy, HoldState State, Money Owed, string? ReleasedBy, DateTimeOffset? ReleasedAt, string? ReleaseNote)
{
    public bool Blocks => State == HoldState.Active;
}

/// <summary>
/// Holds on a party or a parcel: placed with a reason (until a day, or open-ended; optionally released by itself once
/// nothing is owed), released by hand, and listed for the city's permit and licensing systems. A hold found expired or
/// satisfied when it is read is released then, by "system", so the record says when it stopped blocking. Audited.
/// </summary>
public sealed class HoldBook(OpenCisDbContext db, BusinessCalendar calendar, TimeProvider clock)
{
    public const string SystemUser = "system";

    public async Task<HoldView> PlaceAsync(long? customerId, string? parcelId, string? reason, DateOnly? endsOn, bool releaseWhenPaid, string user, CancellationToken cancellationToken = default)
    {
        var today = calendar.Today();
        var (why, parcel) = Holds.Check(customerId, parcelId, reason, endsOn, today);
        if (customerId is { } id && !await db.Customers.AnyAsync(c => c.Id == id, cancellationToken))
        {
            throw new DomainException($"There is no customer {id}.", "customerId");
        }

        if (parcel is not null && !await db.Premises.AnyAsync(p => p.ParcelId == parcel, cancellationToken) && !await db.Invoices.AnyAsync(i => i.ParcelId == parcel, cancellationToken))
        {
            throw new DomainException($"No premise or invoice is on parcel '{parcel}'.", "parcelId");
        }

        var now = clock.GetUtcNow();
        var hold = new HoldRow { CustomerId = customerId, ParcelId = parcel, Reason = why, PlacedOn = today, EndsOn = endsOn, ReleaseWhenPaid = releaseWhenPaid, PlacedBy = user, PlacedAt = now };
        db.Holds.Add(hold);
        await db.SaveChangesAsync(cancellationToken);
        AuditLog.Record(db, now, user, "Hold", hold.Id, null, "Place hold", null, new { hold.CustomerId, hold.ParcelId, hold.Reason, hold.EndsOn, hold.ReleaseWhenPaid }, why);
        await db.SaveChangesAsync(cancellationToken);
        return (await ViewsAsync([hold], cancellationToken)).Single();
    }

    public async Task<HoldView> ReleaseAsync(long holdId, string? note, string user, CancellationToken cancellationToken = default)
    {
        var trimmed = note?.Trim() ?? "";
        if (trimmed.Length is 0 or > 200)
        {
            throw new DomainException("Say why the hold is released (at most 200 characters).", "note");
        }

        var hold = await db.Holds.SingleOrDefaultAsync(h => h.Id == holdId, cancellationToken) ?? throw new DomainException($"There is no hold {holdId}.", "holdId");
        var now = clock.GetUtcNow();
        hold.Release(user, now, trimmed);
        AuditLog.Record(db, now, user, "Hold", hold.Id, null, "Release hold", new { hold.Reason }, new { ReleasedBy = user }, trimmed);
        await db.SaveChangesAsync(cancellationToken);
        return (await ViewsAsync([hold], cancellationToken)).Single();
    }

    /// <summary>The holds on these parties and parcels (all of them, or only those that block today).</summary>
    public async Task<IReadOnlyList<HoldView>> ForAsync(IReadOnlyCollection<long> customerIds, IReadOnlyCollection<string> parcels, bool blockingOnly, CancellationToken cancellationToken = default)
    {
        var upper = parcels.Select(p => p.Trim().ToUpperInvariant()).ToList();
        var holds = await db.Holds.Where(h => (h.CustomerId != null && customerIds.Contains(h.CustomerId.Value)) || (h.ParcelId != null && upper.Contains(h.ParcelId)))
            .OrderBy(h => h.Id).ToListAsync(cancellationToken);
        var views = await ViewsAsync(holds, cancellationToken);
        return blockingOnly ? [.. views.Where(v => v.Blocks)] : views;
    }

    /// <summary>Every hold still on the books (not released), newest first, for the holds screen.</summary>
    public async Task<IReadOnlyList<HoldView>> OpenAsync(CancellationToken cancellationToken = default) =>
        [.. (await ViewsAsync(await db.Holds.Where(h => h.ReleasedAt == null).OrderByDescending(h => h.Id).Take(500).ToListAsync(cancellationToken), cancellationToken))
            .Where(v => v.State == HoldState.Active)];

    /// <summary>The views of tracked holds; one that has expired or been satisfied is released now, by the system, and audited.</summary>
    private async Task<List<HoldView>> ViewsAsync(List<HoldRow> holds, CancellationToken cancellationToken)
    {
        if (holds.Count == 0)
        {
            return [];
        }

        var today = calendar.Today();
        var customerIds = holds.Where(h => h.CustomerId != null).Select(h => h.CustomerId!.Value).Distinct().ToList();
        var parcels = holds.Where(h => h.ParcelId != null).Select(h => h.ParcelId!).Distinct().ToList();
        var names = await db.Customers.Where(c => customerIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.DisplayName, cancellationToken);
        var owedByParty = await OwedByPartyAsync(customerIds, cancellationToken);
        var owedByParcel = await OwedByParcelAsync(parcels, cancellationToken);
        var now = clock.GetUtcNow();
        var views = new List<HoldView>();
        var released = false;
        foreach (var hold in holds)
        {
            var owed = hold.CustomerId is { } id ? Money.FromCents(owedByParty.GetValueOrDefault(id)) : Money.FromCents(owedByParcel.GetValueOrDefault(hold.ParcelId!));
            var state = Holds.State(hold.ReleasedAt is not null, hold.EndsOn, hold.ReleaseWhenPaid, owed, today);
            if (hold.ReleasedAt is null && state is HoldState.Expired or HoldState.Satisfied)
            {
                var note = state == HoldState.Expired ? $"Ended on {hold.EndsOn:yyyy-MM-dd}." : "Released itself: nothing is owed.";
                hold.Release(SystemUser, now, note);
                AuditLog.Record(db, now, SystemUser, "Hold", hold.Id, null, "Release hold", new { hold.Reason }, new { ReleasedBy = SystemUser }, note);
                released = true;
            }

            views.Add(new HoldView(hold.Id, hold.CustomerId, hold.CustomerId is { } c ? names.GetValueOrDefault(c) : null, hold.ParcelId, hold.Reason, hold.PlacedOn, hold.EndsOn,
                hold.ReleaseWhenPaid, hold.PlacedBy, state, owed, hold.ReleasedBy, hold.ReleasedAt, hold.ReleaseNote));
        }

        if (released)
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        return views;
    }

    /// <summary>What each party owes on the accounts it is the main customer of (charges open, less nothing: credits do not offset another account's debt).</summary>
    private async Task<Dictionary<long, long>> OwedByPartyAsync(List<long> customerIds, CancellationToken cancellationToken) =>
        customerIds.Count == 0 ? []
        : (await db.AccountCustomers.Where(ac => customerIds.Contains(ac.CustomerId) && ac.Role == AccountRole.Main)
                .Join(db.OpenItems.Where(o => o.OpenCents > 0), ac => ac.AccountId, o => o.AccountId, (ac, o) => new { ac.CustomerId, o.OpenCents })
                .ToListAsync(cancellationToken))
            .GroupBy(x => x.CustomerId).ToDictionary(g => g.Key, g => g.Sum(x => x.OpenCents));

    /// <summary>What is owed on each parcel: the open charges of the accounts at its premises and of the invoices for it.</summary>
    private async Task<Dictionary<string, long>> OwedByParcelAsync(List<string> parcels, CancellationToken cancellationToken)
    {
        if (parcels.Count == 0)
        {
            return [];
        }

        var served = await db.Premises.Where(p => parcels.Contains(p.ParcelId))
            .Join(db.Accounts, p => (long?)p.Id, a => a.PremiseId, (p, a) => new { p.ParcelId, AccountId = a.Id })
            .Join(db.OpenItems.Where(o => o.OpenCents > 0), x => x.AccountId, o => o.AccountId, (x, o) => new { x.ParcelId, o.OpenCents })
            .ToListAsync(cancellationToken);
        var invoiced = await db.Invoices.Where(i => i.ParcelId != null && parcels.Contains(i.ParcelId))
            .Join(db.OpenItems.Where(o => o.OpenCents > 0), i => i.FinancialTransactionId, o => o.FinancialTransactionId, (i, o) => new { ParcelId = i.ParcelId!, o.OpenCents })
            .ToListAsync(cancellationToken);
        return served.Concat(invoiced).GroupBy(x => x.ParcelId).ToDictionary(g => g.Key, g => g.Sum(x => x.OpenCents));
    }
}
