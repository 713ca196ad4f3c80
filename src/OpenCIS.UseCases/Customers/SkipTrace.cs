using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Customers;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Customers;

namespace OpenCIS.UseCases.Customers;

/// <summary>One channel on file: its value (null when there is none) and its failure, if it failed.</summary>
public sealed record ChannelOnFile([property: JsonConverter(typeof(JsonStringEnumConverter<ContactChannel>))] ContactChannel Channel, string? Value, ContactFailure? Failure);

public sealed record AlternateContactView(
    long Id,
    [property: JsonConverter(typeof(JsonStringEnumConverter<ContactChannel>))] ContactChannel Channel,
    string Value,
    string? City,
    string? State,
    string? Zip,
    string Display,
    string Source,
    string? Note,
    [property: JsonConverter(typeof(JsonStringEnumConverter<AlternateContactStatus>))] AlternateContactStatus Status,
    DateOnly AddedOn,
    string AddedBy,
    DateOnly? FailedOn,
    string? FailedReason)
{
    public static AlternateContactView From(AlternateContact a) =>
        new(a.Id, a.Channel, a.Value, a.City, a.State, a.Zip, a.Display, a.Source, a.Note, a.Status, a.AddedOn, a.AddedBy, a.FailedOn, a.FailedReason);
}

/// <summary>A piece of mail that came back, from the returned-mail file that said so.</summary>
public sealed record ReturnedMailView(DateOnly ReturnedOn, string Address, string Reason, string FileName, int Line);

/// <summary>
/// What a collector tracing a customer sees: the account holder's address, phone and e-mail with the failures on
/// them, how notices and letters reach them now, the alternate contacts found, and the mail that came back.
/// </summary>
public sealed record SkipTraceView(
    string AccountNumber,
    long CustomerId,
    string CustomerName,
    IReadOnlyList<ChannelOnFile> OnFile,
    [property: JsonConverter(typeof(JsonStringEnumConverter<ReachBy>))] ReachBy NoticesGoBy,
    string NoticesGoByText,
    IReadOnlyList<AlternateContactView> Alternates,
    IReadOnlyList<ReturnedMailView> ReturnedMail);

/// <summary>An account whose holder's mail is stopped: mail came back from the address on file.</summary>
public sealed record MailStoppedView(string AccountNumber, string CustomerName, string Address, DateOnly ReturnedOn, string Reason,
    [property: JsonConverter(typeof(JsonStringEnumConverter<ReachBy>))] ReachBy NoticesGoBy);

/// <summary>An alternate contact to record: a phone, an e-mail address, or an address with its city, state and ZIP.</summary>
public sealed record AlternateContactRequest(ContactChannel Channel, string? Value, string? City, string? State, string? Zip, string? Source, string? Note);

/// <summary>
/// Skip tracing on an account's holder: the failures on the address, phone and e-mail on file (marked by a clerk, a
/// wrong-number call, a bounced e-mail or a returned-mail import), the alternate contacts a collector finds, and the
/// promotion of one to the contact on file, which clears that channel's failure. Every change is audited.
/// </summary>
public sealed class SkipTrace(OpenCisDbContext db, BusinessCalendar calendar, TimeProvider clock)
{
    public async Task<SkipTraceView> ForAccountAsync(string accountNumber, CancellationToken cancellationToken = default)
    {
        var (account, customer) = await HolderAsync(accountNumber, tracked: false, cancellationToken);
        var alternates = await db.AlternateContacts.AsNoTracking().Where(a => a.CustomerId == customer.Id).OrderBy(a => a.Id).ToListAsync(cancellationToken);
        var returned = await db.ReturnedMail.AsNoTracking().Where(r => r.AccountId == account.Id)
            .Join(db.ReturnedMailFiles, r => r.FileId, f => f.Id, (r, f) => new { r.Id, r.ReturnedOn, r.Address, r.Reason, f.FileName, r.LineNumber })
            .OrderByDescending(r => r.Id).ToListAsync(cancellationToken);
        var failures = customer.Failures.ToDictionary(f => f.Channel);
        var reach = customer.Reach(account.BillDelivery == BillDelivery.Email || customer.NoticesByEmail);
        return new SkipTraceView(
            account.AccountNumber,
            customer.Id,
            customer.DisplayName,
            [
                new ChannelOnFile(ContactChannel.Address, customer.MailingAddress, failures.GetValueOrDefault(ContactChannel.Address)),
                new ChannelOnFile(ContactChannel.Phone, customer.Phone, failures.GetValueOrDefault(ContactChannel.Phone)),
                new ChannelOnFile(ContactChannel.Email, customer.Email, failures.GetValueOrDefault(ContactChannel.Email)),
            ],
            reach,
            ReachText(reach, customer),
            [.. alternates.Select(AlternateContactView.From)],
            [.. returned.Select(r => new ReturnedMailView(r.ReturnedOn, r.Address, r.Reason, r.FileName, r.LineNumber))]);
    }

    /// <summary>
    /// The accounts whose holder's mail is stopped (mail came back from the address), oldest first: the list a
    /// collector traces from. An account closed for good has nobody left to reach and is left off.
    /// </summary>
    public async Task<IReadOnlyList<MailStoppedView>> MailStoppedAsync(int take = 500, CancellationToken cancellationToken = default)
    {
        var rows = await db.Customers.AsNoTracking().Where(c => c.MailReturnedOn != null)
            .Join(db.AccountCustomers.Where(ac => ac.Role == AccountRole.Main && ac.EndedOn == null), c => c.Id, ac => ac.CustomerId, (c, ac) => new { Customer = c, ac.AccountId })
            .Join(db.Accounts.Where(a => a.Status != AccountStatus.Closed), x => x.AccountId, a => a.Id, (x, a) => new { x.Customer, a.AccountNumber, a.BillDelivery })
            .OrderBy(x => x.Customer.MailReturnedOn).ThenBy(x => x.AccountNumber).Take(take).ToListAsync(cancellationToken);
        return [.. rows.Select(x => new MailStoppedView(x.AccountNumber, x.Customer.DisplayName, x.Customer.MailingAddress, x.Customer.MailReturnedOn!.Value, x.Customer.MailReturnedReason ?? "",
            x.Customer.Reach(x.BillDelivery == BillDelivery.Email || x.Customer.NoticesByEmail)))];
    }

    /// <summary>Marks the address, phone or e-mail on file as failed, with the reason.</summary>
    public async Task<SkipTraceView> MarkFailedAsync(string accountNumber, ContactChannel channel, string? reason, string user, CancellationToken cancellationToken = default)
    {
        var why = Reason(reason);
        var (account, customer) = await HolderAsync(accountNumber, tracked: true, cancellationToken);
        if (customer.Failures.FirstOrDefault(f => f.Channel == channel) is { } earlier)
        {
            throw new DomainException($"{ContactFailure.What(channel)} already: {earlier.Describe()}.", "channel");
        }

        if (!customer.MarkFailed(channel, calendar.Today(), why))
        {
            throw new DomainException($"{customer.DisplayName} has no {Words(channel)} on file to mark.", "channel");
        }

        AuditLog.Record(db, clock.GetUtcNow(), user, "Customer", customer.Id, account.Id, $"Mark {Words(channel)} failed", null, new { Channel = channel.ToString(), Reason = why }, why);
        await db.SaveChangesAsync(cancellationToken);
        return await ForAccountAsync(accountNumber, cancellationToken);
    }

    /// <summary>Clears a failure on file: the customer confirmed the address, phone or e-mail works after all.</summary>
    public async Task<SkipTraceView> ClearFailureAsync(string accountNumber, ContactChannel channel, string? reason, string user, CancellationToken cancellationToken = default)
    {
        var why = Reason(reason);
        var (account, customer) = await HolderAsync(accountNumber, tracked: true, cancellationToken);
        var failure = customer.Failures.FirstOrDefault(f => f.Channel == channel)
            ?? throw new DomainException($"The {Words(channel)} on file is not marked failed.", "channel");
        customer.ClearFailure(channel);
        AuditLog.Record(db, clock.GetUtcNow(), user, "Customer", customer.Id, account.Id, $"Clear {Words(channel)} failure", failure, null, why);
        await db.SaveChangesAsync(cancellationToken);
        return await ForAccountAsync(accountNumber, cancellationToken);
    }

    public async Task<AlternateContactView> AddAlternateAsync(string accountNumber, AlternateContactRequest request, string user, CancellationToken cancellationToken = default)
    {
        if (!Enum.IsDefined(request.Channel))
        {
            throw new DomainException($"'{request.Channel}' is not an address, phone or e-mail.", "channel");
        }

        var value = Text(request.Value, "value", request.Channel switch { ContactChannel.Address => "The address", ContactChannel.Phone => "The phone number", _ => "The e-mail address" },
            AlternateContact.ValueLengthMax)!;
        string? city = null, state = null, zip = null;
        switch (request.Channel)
        {
            case ContactChannel.Phone when (SearchKeys.PhoneDigits(value) ?? "").Length < 7:
                throw new DomainException($"'{value}' is not a phone number: it needs at least seven digits.", "value");
            case ContactChannel.Email when !value.Contains('@', StringComparison.Ordinal) || value.StartsWith('@') || value.EndsWith('@'):
                throw new DomainException($"'{value}' is not an e-mail address.", "value");
            case ContactChannel.Address:
                city = Text(request.City, "city", "The city", 100);
                state = Text(request.State, "state", "The state (two letters)", 2)!.ToUpperInvariant();
                zip = Text(request.Zip, "zip", "The ZIP code", 10);
                break;
        }

        var source = Text(request.Source, "source", "Where it came from", SkipTracing.SourceLengthMax)!;
        var note = Text(request.Note, "note", "The note", AlternateContact.NoteLengthMax, required: false);
        var (account, customer) = await HolderAsync(accountNumber, tracked: false, cancellationToken);
        var known = await db.AlternateContacts.AsNoTracking().Where(a => a.CustomerId == customer.Id && a.Channel == request.Channel).ToListAsync(cancellationToken);
        var key = Key(request.Channel, value, city, zip);
        if (known.FirstOrDefault(a => Key(a.Channel, a.Value, a.City, a.Zip) == key) is { } same)
        {
            throw new DomainException($"{same.Display} is already on file (added {same.AddedOn:yyyy-MM-dd} by {same.AddedBy}).", "value");
        }

        var now = clock.GetUtcNow();
        var alternate = AlternateContact.Add(customer.Id, request.Channel, value, city, state, zip, source, note, calendar.Today(), user, now);
        db.AlternateContacts.Add(alternate);
        AuditLog.Record(db, now, user, "Customer", customer.Id, account.Id, $"Add alternate {Words(request.Channel)}", null, new { alternate.Display, Source = source }, note);
        await db.SaveChangesAsync(cancellationToken);
        return AlternateContactView.From(alternate);
    }

    /// <summary>Marks an alternate contact as tried and failed.</summary>
    public async Task<AlternateContactView> MarkAlternateFailedAsync(string accountNumber, long alternateId, string? reason, string user, CancellationToken cancellationToken = default)
    {
        var why = Reason(reason);
        var (account, customer) = await HolderAsync(accountNumber, tracked: false, cancellationToken);
        var alternate = await AlternateAsync(customer.Id, alternateId, cancellationToken);
        if (alternate.Status != AlternateContactStatus.Active)
        {
            throw new DomainException($"{alternate.Display} is {(alternate.Status == AlternateContactStatus.Failed ? "already marked failed" : "the contact on file now")}.", "alternateId");
        }

        alternate.MarkFailed(calendar.Today(), why);
        AuditLog.Record(db, clock.GetUtcNow(), user, "Customer", customer.Id, account.Id, $"Mark alternate {Words(alternate.Channel)} failed", new { alternate.Display }, null, why);
        await db.SaveChangesAsync(cancellationToken);
        return AlternateContactView.From(alternate);
    }

    /// <summary>
    /// Makes an alternate contact the one on file: the address becomes the mailing address (mail starts again), the
    /// phone or e-mail the one on file. The one it replaces is kept as an alternate, failed if it had failed.
    /// </summary>
    public async Task<SkipTraceView> PromoteAsync(string accountNumber, long alternateId, string user, CancellationToken cancellationToken = default)
    {
        var (account, customer) = await HolderAsync(accountNumber, tracked: true, cancellationToken);
        var alternate = await AlternateAsync(customer.Id, alternateId, cancellationToken);
        if (alternate.Status != AlternateContactStatus.Active)
        {
            throw new DomainException($"{alternate.Display} is {(alternate.Status == AlternateContactStatus.Failed ? "marked failed; it cannot become the contact on file" : "the contact on file already")}.", "alternateId");
        }

        var today = calendar.Today();
        var now = clock.GetUtcNow();
        var failure = customer.Failures.FirstOrDefault(f => f.Channel == alternate.Channel);
        var before = new { customer.MailingAddress, customer.Phone, customer.Email };
        AlternateContact? previous = alternate.Channel switch
        {
            ContactChannel.Address => AlternateContact.Add(customer.Id, ContactChannel.Address, customer.MailingLine1, customer.MailingCity, customer.MailingState, customer.MailingZip,
                "Previous mailing address", null, today, user, now),
            ContactChannel.Phone when customer.Phone is { } phone => AlternateContact.Add(customer.Id, ContactChannel.Phone, phone, null, null, null, "Previous phone", null, today, user, now),
            ContactChannel.Email when customer.Email is { } email => AlternateContact.Add(customer.Id, ContactChannel.Email, email, null, null, null, "Previous e-mail", null, today, user, now),
            _ => null,
        };
        if (previous is not null && failure is not null)
        {
            previous.MarkFailed(failure.On, failure.Reason);
        }

        switch (alternate.Channel)
        {
            case ContactChannel.Address:
                customer.UpdateContact(customer.DisplayName, customer.Email, customer.Phone, alternate.Value, alternate.City!, alternate.State!, alternate.Zip!);
                break;
            case ContactChannel.Phone:
                customer.UpdateContact(customer.DisplayName, customer.Email, alternate.Value, customer.MailingLine1, customer.MailingCity, customer.MailingState, customer.MailingZip);
                break;
            case ContactChannel.Email:
                customer.UpdateContact(customer.DisplayName, alternate.Value, customer.Phone, customer.MailingLine1, customer.MailingCity, customer.MailingState, customer.MailingZip);
                break;
        }

        // The same value promoted (an address spelled the same) still means it was confirmed: its failure ends.
        customer.ClearFailure(alternate.Channel);
        alternate.MarkPromoted(today, user);
        if (previous is not null)
        {
            db.AlternateContacts.Add(previous);
        }

        AuditLog.Record(db, now, user, "Customer", customer.Id, account.Id, $"Make alternate {Words(alternate.Channel)} the one on file", before,
            new { customer.MailingAddress, customer.Phone, customer.Email }, $"Found by skip tracing ({alternate.Source})");
        await db.SaveChangesAsync(cancellationToken);
        return await ForAccountAsync(accountNumber, cancellationToken);
    }

    /// <summary>
    /// Marks a channel on file of an account's holder as failed from within another workflow (a wrong-number call)
    /// in that workflow's unit of work; false when there was nothing to mark or it was marked already.
    /// </summary>
    internal static async Task<bool> MarkHolderAsync(OpenCisDbContext db, long accountId, ContactChannel channel, DateOnly on, string reason, string user, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        await HolderOfAsync(db, accountId, cancellationToken) is { } holder && Mark(db, holder, accountId, channel, on, reason, user, now);

    /// <summary>Marks the channel of a holder already loaded (tracked), with its audit entry; false when it was marked already or there is none.</summary>
    internal static bool Mark(OpenCisDbContext db, Customer holder, long accountId, ContactChannel channel, DateOnly on, string reason, string user, DateTimeOffset now)
    {
        if (!holder.MarkFailed(channel, on, reason))
        {
            return false;
        }

        AuditLog.Record(db, now, user, "Customer", holder.Id, accountId, $"Mark {Words(channel)} failed", null, new { Channel = channel.ToString(), Reason = reason }, reason);
        return true;
    }

    /// <summary>The account's holder now: its current main customer (the latest one when the account has closed), picked as <see cref="HoldersOfAsync"/> picks.</summary>
    internal static async Task<Customer?> HolderOfAsync(OpenCisDbContext db, long accountId, CancellationToken cancellationToken) =>
        (await HoldersOfAsync(db, [accountId], cancellationToken)).GetValueOrDefault(accountId);

    /// <summary>"address", "phone", "email" (or "e-mail"), in any case; anything else names the channel field.</summary>
    public static ContactChannel ParseChannel(string? channel) =>
        Enum.TryParse<ContactChannel>(channel?.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(channel, out _)
            ? parsed
            : string.Equals(channel?.Trim(), "e-mail", StringComparison.OrdinalIgnoreCase) ? ContactChannel.Email
            : throw new DomainException($"'{channel}' is not a channel: use address, phone or email.", "channel");

    /// <summary>
    /// The holders of many accounts (tracked), a thousand accounts a query: each account's current main customer, or the
    /// latest one when the account has closed.
    /// </summary>
    internal static async Task<Dictionary<long, Customer>> HoldersOfAsync(OpenCisDbContext db, IReadOnlyCollection<long> accountIds, CancellationToken cancellationToken)
    {
        var holders = new Dictionary<long, Customer>(accountIds.Count);
        foreach (var chunk in accountIds.Chunk(1_000))
        {
            var links = await db.AccountCustomers.AsNoTracking().Where(ac => chunk.Contains(ac.AccountId) && ac.Role == AccountRole.Main)
                .Select(ac => new { ac.AccountId, ac.CustomerId, ac.EndedOn, ac.StartedOn, ac.Id }).ToListAsync(cancellationToken);
            var chosen = links.GroupBy(l => l.AccountId)
                .ToDictionary(g => g.Key, g => g.OrderByDescending(l => l.EndedOn == null).ThenByDescending(l => l.StartedOn).ThenByDescending(l => l.Id).First().CustomerId);
            var customerIds = chosen.Values.Distinct().ToList();
            var customers = await db.Customers.Where(c => customerIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
            foreach (var (accountId, customerId) in chosen)
            {
                holders[accountId] = customers[customerId];
            }
        }

        return holders;
    }

    public static string Words(ContactChannel channel) => channel switch
    {
        ContactChannel.Address => "address",
        ContactChannel.Phone => "phone",
        _ => "e-mail",
    };

    public static string ReachText(ReachBy reach, Customer customer) => reach switch
    {
        ReachBy.Email when customer.MailReturnedOn is not null => $"By e-mail to {customer.Email}: mail came back from the address",
        ReachBy.Email => $"By e-mail to {customer.Email}",
        ReachBy.Held => "Held: mail came back from the address and there is no working e-mail",
        _ => "By mail",
    };

    private async Task<(Account Account, Customer Customer)> HolderAsync(string accountNumber, bool tracked, CancellationToken cancellationToken)
    {
        var number = (accountNumber ?? "").Trim();
        var account = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.AccountNumber == number, cancellationToken)
            ?? throw new DomainException($"There is no account {number}.", "accountNumber");
        var holder = await HolderOfAsync(db, account.Id, cancellationToken)
            ?? throw new DomainException($"Account {number} has no account holder to trace.", "accountNumber");
        if (!tracked)
        {
            db.Entry(holder).State = EntityState.Detached;
        }

        return (account, holder);
    }

    private async Task<AlternateContact> AlternateAsync(long customerId, long alternateId, CancellationToken cancellationToken) =>
        await db.AlternateContacts.SingleOrDefaultAsync(a => a.Id == alternateId && a.CustomerId == customerId, cancellationToken)
            ?? throw new DomainException($"The account holder has no alternate contact {alternateId}.", "alternateId");

    private static string Reason(string? reason) =>
        SkipTracing.CheckReason(reason) is { } problem ? throw new DomainException(problem, "reason") : reason!.Trim();

    private static string Key(ContactChannel channel, string value, string? city, string? zip) => channel switch
    {
        ContactChannel.Phone => SearchKeys.PhoneDigits(value) ?? value,
        ContactChannel.Email => value.Trim().ToLowerInvariant(),
        _ => $"{value.Trim().ToLowerInvariant()}|{city?.Trim().ToLowerInvariant()}|{zip?.Trim()}",
    };

    private static string? Text(string? value, string field, string what, int maximumLength, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return required ? throw new DomainException($"{what} is required.", field) : null;
        }

        var trimmed = value.Trim();
        return trimmed.Length > maximumLength ? throw new DomainException($"{what} can be at most {maximumLength} characters.", field) : trimmed;
    }
}
