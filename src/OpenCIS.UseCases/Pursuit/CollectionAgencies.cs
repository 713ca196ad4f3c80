using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Pursuit;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Pursuit;

namespace OpenCIS.UseCases.Pursuit;

/// <summary>An agency as a Supervisor enters it from the contract: its code (what policies name), name, kind, commission and remittance basis.</summary>
public sealed record AgencyRequest(string Code, string Name, ReferralKind Kind, decimal CommissionPercent, RemittanceBasis Remittance, string? Contact, bool Active = true);

public sealed record AgencyView(
    string Code,
    string Name,
    [property: JsonConverter(typeof(JsonStringEnumConverter<ReferralKind>))] ReferralKind Kind,
    decimal CommissionPercent,
    [property: JsonConverter(typeof(JsonStringEnumConverter<RemittanceBasis>))] RemittanceBasis Remittance,
    string Contact,
    bool Active,
    int OpenReferrals,
    long OpenCents,
    long CollectedCents,
    long CommissionCents);

/// <summary>The collection agencies and the legal office: entered and changed by a Supervisor, each change audited.</summary>
public sealed class CollectionAgencies(OpenCisDbContext db, TimeProvider clock)
{
    /// <summary>Adds the agency, or changes the one with its code (the kind of an agency cannot change once it has referrals).</summary>
    public async Task<AgencyView> SaveAsync(AgencyRequest request, string user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var code = NormalizeCode(request.Code);
        var name = request.Name?.Trim() ?? "";
        if (name.Length is 0 or > CollectionAgencyRow.NameLengthMax)
        {
            throw new DomainException($"Give the agency's name, at most {CollectionAgencyRow.NameLengthMax} characters.", "name");
        }

        var contact = request.Contact?.Trim() ?? "";
        if (contact.Length > CollectionAgencyRow.ContactLengthMax)
        {
            throw new DomainException($"The contact can be at most {CollectionAgencyRow.ContactLengthMax} characters.", "contact");
        }

        if (request.CommissionPercent is < 0m or > 100m || decimal.Round(request.CommissionPercent, 2) != request.CommissionPercent)
        {
            throw new DomainException($"The commission is a percent from 0 to 100 with at most two decimals; {request.CommissionPercent} was given.", "commissionPercent");
        }

        var basisPoints = (int)(request.CommissionPercent * 100m);
        if (request.Kind == ReferralKind.Legal && basisPoints != 0)
        {
            throw new DomainException("The legal office takes no commission; give 0.", "commissionPercent");
        }

        var now = clock.GetUtcNow();
        var row = await db.CollectionAgencies.SingleOrDefaultAsync(a => a.Code == code, cancellationToken);
        object? before = row is null ? null : Snapshot(row);
        if (row is null)
        {
            row = new CollectionAgencyRow { Code = code, Kind = request.Kind, CreatedBy = user, CreatedAt = now };
            db.CollectionAgencies.Add(row);
        }
        else if (row.Kind != request.Kind)
        {
            throw new DomainException($"Agency {code} is {(row.Kind == ReferralKind.Legal ? "the legal office" : "a collection agency")}; its kind cannot change. Add another code instead.", "kind");
        }

        row.Name = name;
        row.CommissionBasisPoints = basisPoints;
        row.Remittance = request.Kind == ReferralKind.Legal ? RemittanceBasis.Gross : request.Remittance;
        row.Contact = contact;
        row.Active = request.Active;
        await db.SaveChangesAsync(cancellationToken);
        AuditLog.Record(db, now, user, "CollectionAgency", row.Id, null, before is null ? "Add collection agency" : "Change collection agency", before, Snapshot(row), null);
        await db.SaveChangesAsync(cancellationToken);
        return (await ViewsAsync(db.CollectionAgencies.Where(a => a.Id == row.Id), cancellationToken)).Single();
    }

    public async Task<IReadOnlyList<AgencyView>> ListAsync(CancellationToken cancellationToken = default) =>
        await ViewsAsync(db.CollectionAgencies, cancellationToken);

    public async Task<AgencyView> FindAsync(string code, CancellationToken cancellationToken = default)
    {
        var normalized = NormalizeCode(code);
        return (await ViewsAsync(db.CollectionAgencies.Where(a => a.Code == normalized), cancellationToken)).SingleOrDefault()
            ?? throw new DomainException($"There is no collection agency {normalized}.", "agency");
    }

    /// <summary>An agency's code as policies and files name it: letters, digits and dashes, upper case.</summary>
    public static string NormalizeCode(string? code)
    {
        var trimmed = code?.Trim().ToUpperInvariant() ?? "";
        return trimmed.Length is > 0 and <= CollectionAgencyRow.CodeLengthMax && trimmed.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            ? trimmed
            : throw new DomainException($"An agency code is 1 to {CollectionAgencyRow.CodeLengthMax} letters, digits or dashes; '{code}' is not.", "code");
    }

    internal static async Task<CollectionAgencyRow> RowAsync(OpenCisDbContext db, string code, CancellationToken cancellationToken)
    {
        var normalized = NormalizeCode(code);
        return await db.CollectionAgencies.AsNoTracking().SingleOrDefaultAsync(a => a.Code == normalized, cancellationToken)
            ?? throw new DomainException($"There is no collection agency {normalized}.", "agency");
    }

    private static object Snapshot(CollectionAgencyRow row) =>
        new { row.Name, row.Kind, Commission = row.CommissionBasisPoints / 100m, row.Remittance, row.Contact, row.Active };

    private async Task<IReadOnlyList<AgencyView>> ViewsAsync(IQueryable<CollectionAgencyRow> agencies, CancellationToken cancellationToken)
    {
        var rows = await agencies.AsNoTracking().OrderBy(a => a.Kind).ThenBy(a => a.Code).ToListAsync(cancellationToken);
        var ids = rows.Select(a => a.Id).ToList();
        var totals = (await db.Referrals.AsNoTracking().Where(r => ids.Contains(r.AgencyId))
            .GroupBy(r => r.AgencyId)
            .Select(g => new
            {
                AgencyId = g.Key,
                Open = g.Count(r => r.Status == ReferralStatus.Open),
                OpenCents = g.Where(r => r.Status == ReferralStatus.Open).Sum(r => r.ReferredCents - r.CollectedCents),
                Collected = g.Sum(r => r.CollectedCents),
                Commission = g.Sum(r => r.CommissionCents),
            })
            .ToListAsync(cancellationToken)).ToDictionary(t => t.AgencyId);
        return [.. rows.Select(a => totals.TryGetValue(a.Id, out var t)
            ? new AgencyView(a.Code, a.Name, a.Kind, a.CommissionBasisPoints / 100m, a.Remittance, a.Contact, a.Active, t.Open, t.OpenCents, t.Collected, t.Commission)
            : new AgencyView(a.Code, a.Name, a.Kind, a.CommissionBasisPoints / 100m, a.Remittance, a.Contact, a.Active, 0, 0, 0, 0))];
    }
}
