using System.Collections.Immutable;
using System.Text.Json.Serialization;
using OpenCIS.Core.Common;
using OpenCIS.Core.Customers;
using OpenCIS.Storage;
using OpenCIS.Storage.Collections;

namespace OpenCIS.UseCases.Collections;

/// <summary>A contact to log; <paramref name="Promise"/> when the customer promised to pay on it.</summary>
public sealed record ContactRequest(ContactKind Kind, string Outcome, string? Note, PromiseTerms? Promise = null, string? Category = null);

public sealed record ContactView(long Id, [property: JsonConverter(typeof(JsonStringEnumConverter<ContactKind>))] ContactKind Kind, string Outcome, string Note, DateTimeOffset ContactedAt, string ContactedBy)
{
    /// <summary>What it was about: one of <see cref="LogContact.Categories"/>.</summary>
    public string Category { get; init; } = "collections";

    public static ContactView From(CollectionContact c) => new(c.Id, c.Kind, c.Outcome, c.Note, c.ContactedAt, c.ContactedBy) { Category = c.Category };
}

public sealed record ContactOutcome(ContactView Contact, PromiseView? Promise, string Message);

/// <summary>
/// Logs a call, letter, visit or e-mail with its outcome code, and the promise to pay taken on it in the same
/// step: both are saved in one transaction, the promise linked to the contact.
/// </summary>
public sealed class LogContact(OpenCisDbContext db, BusinessCalendar calendar, TimeProvider clock)
{
    /// <summary>The outcome codes a contact is logged with.</summary>
    public static readonly ImmutableArray<string> Outcomes =
        ["answered", "resolved", "callback-requested", "transferred", "case-opened", "order-created",
         "promise-to-pay", "paid", "no-answer", "left-message", "wrong-number", "refused", "disputed", "arrangement-requested", "other"];

    /// <summary>What a contact is about; a collector's contacts are about collections unless they say otherwise.</summary>
    public static readonly ImmutableArray<string> Categories = ["billing", "payment", "service", "collections", "complaint", "moving", "other"];

    public async Task<ContactOutcome> ExecuteAsync(long accountId, ContactRequest request, string user, CancellationToken cancellationToken = default)
    {
        if (!Enum.IsDefined(request.Kind))
        {
            throw new DomainException($"'{request.Kind}' is not a call, letter, visit, e-mail, walk-in or portal message.", "kind");
        }

        var outcome = CollectionWorkRules.Required(request.Outcome, "outcome", "outcome code", CollectionContact.OutcomeLengthMax).ToLowerInvariant();
        if (!Outcomes.Contains(outcome))
        {
            throw new DomainException($"'{outcome}' is not an outcome code; use one of {string.Join(", ", Outcomes)}.", "outcome");
        }

        var category = string.IsNullOrWhiteSpace(request.Category) ? "collections" : request.Category.Trim().ToLowerInvariant();
        if (!Categories.Contains(category))
        {
            throw new DomainException($"'{request.Category}' is not a contact category; use one of {string.Join(", ", Categories)}.", "category");
        }

        var note = CollectionWorkRules.Text(request.Note, "note", "note", CollectionContact.NoteLengthMax, required: false) ?? "";
        await CollectionWorkRules.FindAccountAsync(db, accountId, cancellationToken);
        var now = clock.GetUtcNow();
        var today = calendar.Today();
        if (request.Promise is { } promised)
        {
            // Checked before anything is saved: a promise refused logs no contact either.
            TakePromise.Check(promised, today);
        }

        // Within the caller's transaction when there is one (a campaign's call saves its own row with the contact).
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        var contact = CollectionContact.Log(accountId, request.Kind, category, outcome, note, user, now);
        db.CollectionContacts.Add(contact);
        await db.SaveChangesAsync(cancellationToken);
        Promise? promise = null;
        if (request.Promise is { } terms)
        {
            promise = TakePromise.Add(db, accountId, terms, contact.Id, today, user, now);
            await db.SaveChangesAsync(cancellationToken);
        }

        // A wrong number marks the phone on file failed, so the next collector looks for another.
        var phoneFailed = SkipTracing.FailedBy(request.Kind.ToString(), outcome) is { } channel
            && await Customers.SkipTrace.MarkHolderAsync(db, accountId, channel, today, $"{SkipTracing.WrongNumberReason} (call by {user})", user, now, cancellationToken);
        if (phoneFailed)
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        var message = (promise is null
            ? $"Logged the {Kind(request.Kind)} ({outcome})."
            : $"Logged the {Kind(request.Kind)} ({outcome}) and the promise to pay {Money.FromCents(promise.AmountCents)} by {promise.PromisedOn:yyyy-MM-dd}.")
            + (phoneFailed ? " The phone on file is marked failed: look for another (skip tracing)." : "");
        return new ContactOutcome(ContactView.From(contact), promise is null ? null : PromiseView.From(promise), message);
    }

    public static string Kind(ContactKind kind) => kind switch
    {
        ContactKind.Call => "call",
        ContactKind.Letter => "letter",
        ContactKind.Visit => "visit",
        ContactKind.Email => "e-mail",
        _ => kind.ToString(),
    };
}
