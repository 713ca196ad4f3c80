using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Collections;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Collections;
using OpenCIS.Storage.Customers;

namespace OpenCIS.UseCases.Collections;

/// <summary>
/// A protection to enter. Each kind reads its own fields: a medical certificate its physician and end date,
/// a dispute its amount, a tenant-occupied premise its owner or third-party recipient; the others none.
/// </summary>
public sealed record ProtectionRequest(
    ProtectionKind Kind,
    DateOnly StartsOn,
    DateOnly? EndsOn = null,
    string? Physician = null,
    Money? Amount = null,
    string? RecipientName = null,
    string? RecipientAddress = null,
    string? Note = null);

public sealed record ProtectionView(
    long Id,
    [property: JsonConverter(typeof(JsonStringEnumConverter<ProtectionKind>))] ProtectionKind Kind,
    string Description,
    DateOnly StartsOn,
    DateOnly? EndsOn,
    string? Physician,
    long? AmountCents,
    string? RecipientName,
    string? RecipientAddress,
    string Note,
    bool Active,
    string EnteredBy,
    DateTimeOffset EnteredAt,
    DateOnly? EndedOn,
    string? EndedBy,
    string? EndReason)
{
    public static ProtectionView From(AccountProtection p, DateOnly today) => new(p.Id, p.Kind, Describe(p), p.StartsOn, p.EndsOn, p.Physician, p.AmountCents,
        p.RecipientName, p.RecipientAddress, p.Note, p.IsActiveOn(today), p.EnteredBy, p.EnteredAt, p.EndedOn, p.EndedBy, p.EndReason);

    /// <summary>The protection in words, as a collector reads it.</summary>
    public static string Describe(AccountProtection p) => p.Kind switch
    {
        ProtectionKind.MedicalCertificate => $"medical certificate{(p.EndsOn is { } ends ? $" until {ends.ToString("MMM d, yyyy", System.Globalization.CultureInfo.InvariantCulture)}" : "")} ({p.Physician})",
        ProtectionKind.LifeSupport => "life-support equipment at the premise",
        ProtectionKind.Dispute => $"open dispute over {Money.FromCents(p.AmountCents ?? 0)}",
        ProtectionKind.BankruptcyStay => "bankruptcy stay",
        ProtectionKind.TenantOccupied => $"tenant-occupied premise; notice {p.RecipientName}, {p.RecipientAddress}",
        _ => p.Kind.ToString(),
    };
}

public sealed record ProtectionOutcome(ProtectionView Protection, string Message);

/// <summary>
/// Enters a protection on an account, audited. A medical certificate beyond the renewals a year that the
/// account's collection policy allows is refused, naming the limit: the daily run would not honour it.
/// </summary>
public sealed class EnterProtection(OpenCisDbContext db, BusinessCalendar calendar, TimeProvider clock)
{
    /// <summary>The longest a medical certificate may run: a physician certifies for months, not years.</summary>
    public const int CertificateDaysMax = 366;

    public async Task<ProtectionOutcome> ExecuteAsync(long accountId, ProtectionRequest request, string user, CancellationToken cancellationToken = default)
    {
        var account = await CollectionWorkRules.FindAccountAsync(db, accountId, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (protection, view) = await AddAsync(account, request, user, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ProtectionOutcome(view, $"Entered {view.Description} from {protection.StartsOn:yyyy-MM-dd} on account {account.AccountNumber}.");
    }

    /// <summary>
    /// Checks and adds the protection with its audit entry in the caller's transaction (the field's completion
    /// enters the protection it found together with the order's result); the caller saves and commits.
    /// </summary>
    internal async Task<(AccountProtection Protection, ProtectionView View)> AddAsync(Account account, ProtectionRequest request, string user, CancellationToken cancellationToken)
    {
        if (!Enum.IsDefined(request.Kind))
        {
            throw new DomainException($"'{request.Kind}' is not a protection kind.", "kind");
        }

        var checkedRequest = Check(request);
        var today = calendar.Today();
        if (checkedRequest.Kind == ProtectionKind.MedicalCertificate)
        {
            await CheckRenewalsAsync(account, checkedRequest.StartsOn, today, cancellationToken);
        }

        var now = clock.GetUtcNow();
        var protection = AccountProtection.Enter(account.Id, checkedRequest.Kind, checkedRequest.StartsOn, checkedRequest.EndsOn, checkedRequest.Physician,
            checkedRequest.Amount?.Cents, checkedRequest.RecipientName, checkedRequest.RecipientAddress, checkedRequest.Note ?? "", user, now);
        db.AccountProtections.Add(protection);
        await db.SaveChangesAsync(cancellationToken);
        var view = ProtectionView.From(protection, today);
        AuditLog.Record(db, now, user, "AccountProtection", protection.Id, account.Id, "Enter protection", null,
            new { Kind = protection.Kind.ToString(), protection.StartsOn, protection.EndsOn, protection.Physician, protection.AmountCents, protection.RecipientName, protection.RecipientAddress },
            string.IsNullOrEmpty(protection.Note) ? view.Description : protection.Note);
        return (protection, view);
    }

    /// <summary>The request with each kind's fields checked and trimmed, and the fields the kind does not read left out.</summary>
    private static ProtectionRequest Check(ProtectionRequest request)
    {
        if (request.EndsOn is { } ends && ends < request.StartsOn)
        {
            throw new DomainException($"The end date {ends:yyyy-MM-dd} is before the start date {request.StartsOn:yyyy-MM-dd}.", "endsOn");
        }

        var note = CollectionWorkRules.Text(request.Note, "note", "note", AccountProtection.NoteLengthMax, required: false);
        var none = new ProtectionRequest(request.Kind, request.StartsOn, request.EndsOn, Note: note);
        switch (request.Kind)
        {
            case ProtectionKind.MedicalCertificate:
                var physician = CollectionWorkRules.Required(request.Physician, "physician", "physician who signed the certificate", 200);
                if (request.EndsOn is not { } until)
                {
                    throw new DomainException("A medical certificate runs to the end date the physician wrote; enter it.", "endsOn");
                }

                if (until.DayNumber - request.StartsOn.DayNumber >= CertificateDaysMax)
                {
                    throw new DomainException($"A medical certificate runs at most {CertificateDaysMax} days; enter a renewal after that.", "endsOn");
                }

                return none with { Physician = physician };
            case ProtectionKind.Dispute:
                if (request.Amount is not { IsPositive: true } amount)
                {
                    throw new DomainException("Enter the disputed amount, above zero: only that amount is protected.", "amount");
                }

                return none with { Amount = amount };
            case ProtectionKind.TenantOccupied:
                return none with
                {
                    RecipientName = CollectionWorkRules.Required(request.RecipientName, "recipientName", "owner or third-party recipient's name", 200),
                    RecipientAddress = CollectionWorkRules.Required(request.RecipientAddress, "recipientAddress", "owner or third-party recipient's address", 400),
                };
            default:
                return none;
        }
    }

    /// <summary>Refuses a certificate the account's policy would not honour: more renewals in the 365 days before it than the policy allows.</summary>
    private async Task CheckRenewalsAsync(Account account, DateOnly startsOn, DateOnly today, CancellationToken cancellationToken)
    {
        var catalog = await CollectionPolicyCatalog.LoadAsync(db, cancellationToken);
        var date = startsOn > today ? startsOn : today;
        if (catalog.ForAccount(account.Class, account.Status, date) is not { } stored)
        {
            return;
        }

        var certificates = (await db.AccountProtections.AsNoTracking()
                .Where(p => p.AccountId == account.Id && p.Kind == ProtectionKind.MedicalCertificate)
                .Select(p => new { p.Physician, p.StartsOn, p.EndsOn })
                .ToListAsync(cancellationToken))
            .Select(p => new MedicalCertificate(p.Physician ?? "", p.StartsOn, p.EndsOn ?? p.StartsOn))
            .ToList();
        var rules = stored.Policy.Protections;
        if (!CollectionProtections.WithinRenewals(rules, certificates, startsOn))
        {
            var earlier = CollectionProtections.EarlierCertificates(certificates, startsOn);
            throw new DomainException(
                $"Policy {stored.Policy.Code} allows {rules.MedicalRenewalsPerYear} renewal{(rules.MedicalRenewalsPerYear == 1 ? "" : "s")} of a medical certificate in 12 months "
                + $"(medical_renewals_per_year); this account already has {earlier} certificate{(earlier == 1 ? "" : "s")} started since {startsOn.AddDays(-364):yyyy-MM-dd}, so this one would not be honoured.",
                "startsOn");
        }
    }
}
