using System.Text.Json.Serialization;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.Storage.Collections;

namespace OpenCIS.UseCases.Collections;

/// <summary>A promise to pay <paramref name="Amount"/> by <paramref name="PromisedOn"/>.</summary>
public sealed record PromiseTerms(DateOnly PromisedOn, Money Amount);

public sealed record PromiseView(long Id, DateOnly MadeOn, DateOnly PromisedOn, long AmountCents, [property: JsonConverter(typeof(JsonStringEnumConverter<PromiseStatus>))] PromiseStatus Status, DateOnly? DecidedOn, long? ContactId, string TakenBy, DateTimeOffset TakenAt)
{
    public static PromiseView From(Promise p) => new(p.Id, p.MadeOn, p.PromisedOn, p.AmountCents, p.Status, p.DecidedOn, p.ContactId, p.TakenBy, p.TakenAt);
}

/// <summary>
/// Takes a promise to pay: an amount above zero by a date after today and at most <see cref="DaysAheadMax"/>
/// days out. The daily run keeps or breaks it by what comes in by that date.
/// </summary>
public sealed class TakePromise(OpenCisDbContext db, BusinessCalendar calendar, TimeProvider clock)
{
    /// <summary>How far ahead a promise may be dated: further out is an arrangement, not a promise.</summary>
    public const int DaysAheadMax = 90;

    public async Task<PromiseView> ExecuteAsync(long accountId, PromiseTerms terms, string user, CancellationToken cancellationToken = default)
    {
        await CollectionWorkRules.FindAccountAsync(db, accountId, cancellationToken);
        var promise = Add(db, accountId, terms, null, calendar.Today(), user, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return PromiseView.From(promise);
    }

    /// <summary>Checks the terms and adds the promise to the unit of work (the contact it was taken on, if any).</summary>
    internal static Promise Add(OpenCisDbContext db, long accountId, PromiseTerms terms, long? contactId, DateOnly today, string user, DateTimeOffset now)
    {
        Check(terms, today);
        var promise = Promise.Take(accountId, today, terms.PromisedOn, terms.Amount.Cents, contactId, user, now);
        db.Promises.Add(promise);
        return promise;
    }

    /// <summary>Refuses terms that are not a promise: a date today or earlier, or too far out; an amount of zero or less.</summary>
    internal static void Check(PromiseTerms terms, DateOnly today)
    {
        if (terms.PromisedOn <= today)
        {
            throw new DomainException($"A promise is to pay by a date after today ({today:yyyy-MM-dd}); {terms.PromisedOn:yyyy-MM-dd} is not.", "promisedOn");
        }

        if (terms.PromisedOn > today.AddDays(DaysAheadMax))
        {
            throw new DomainException($"A promise is at most {DaysAheadMax} days out (by {today.AddDays(DaysAheadMax):yyyy-MM-dd}); set up a payment arrangement for longer.", "promisedOn");
        }

        if (!terms.Amount.IsPositive)
        {
            throw new DomainException($"The promised amount must be above zero; {terms.Amount} is not.", "amount");
        }
    }
}
