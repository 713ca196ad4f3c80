using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Liens;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Liens;
using OpenCIS.UseCases.Billing.Corrections;
using OpenCIS.UseCases.Pursuit;

namespace OpenCIS.UseCases.Liens;

/// <summary>One charge a lien secures: when it was billed and due, what it was, what the lien took of it and what is open of it now.</summary>
public sealed record LienItemView(DateOnly PostedOn, DateOnly DueOn, string Description, Money Amount, Money Open, bool IsFee, Money WrittenOff = default);

/// <summary>A lien as the register shows it, with what it secures and what of that is unpaid today.</summary>
public sealed record LienView(
    long Id,
    string Number,
    string AccountNumber,
    string CustomerName,
    string ParcelId,
    string OwnerOfRecord,
    string OwnerAddress,
    string PremiseAddress,
    LienStatus Status,
    Money Principal,
    DateOnly NoticedOn,
    DateOnly NoticeEndsOn,
    DateOnly? FiledOn,
    Money? FiledPrincipal,
    Money FilingFee,
    DateOnly? SatisfiedOn,
    DateOnly? ReleasedOn,
    string? ReleasedBy,
    string? ReleaseReason,
    int? CertifiedTaxYear,
    Money? Certified,
    IReadOnlyList<LienItemView> Items)
{
    /// <summary>What the lien secures: the principal noticed, or once filed the principal unpaid on the filing day and the fee.</summary>
    public Money Secured => FiledPrincipal is { } filed ? filed + FilingFee : Principal;

    /// <summary>What of it is unpaid now: the open amounts of the charges it secures.</summary>
    public Money Outstanding => Money.Sum(Items.Select(i => i.Open));

    /// <summary>What of it was written off to bad debt rather than paid: closed, but not by the owner's money.</summary>
    public Money WrittenOff => Money.Sum(Items.Select(i => i.WrittenOff));

    public Money Paid => Money.Max(Money.Zero, Secured - Outstanding - WrittenOff);

    /// <summary>The release's reason when none is given: how what it secured came to be settled.</summary>
    public string SettledWords => WrittenOff.IsPositive ? Paid.IsPositive ? "Paid in part, the rest written off" : "Written off" : "Paid in full";

    public string StatusWords => PremiseLiens.Words(Status);

    /// <summary>Whether its release can be recorded now: paid, after it was filed.</summary>
    public bool CanRelease => Status == LienStatus.Satisfied && FiledOn is not null;
}

public sealed record LienFilter(LienStatus? Status = null, string? AccountNumber = null, string? Parcel = null, int Take = 500);

/// <summary>How many liens stand in each status, and what the open ones leave unpaid.</summary>
public sealed record LienCounts(IReadOnlyDictionary<LienStatus, int> ByStatus, Money Outstanding);

/// <summary>A certification to the county tax roll as kept: its year, day, count and total.</summary>
public sealed record LienCertificationView(long Id, int TaxYear, DateOnly CertifiedOn, int Liens, Money Total, string CreatedBy, string FileName);

/// <summary>
/// The lien register: each lien with what it secures and what is unpaid; releases recorded once a filed lien is paid; and the yearly
/// certification of unpaid filed liens to the county tax roll as special assessments (docs/liens.md).
/// </summary>
public sealed class LienRegister(OpenCisDbContext db, BusinessCalendar calendar, TimeProvider clock)
{
    public const int ReasonLengthMax = LienRow.ReasonLengthMax;

    public async Task<IReadOnlyList<LienView>> ListAsync(LienFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var query = db.Liens.AsNoTracking();
        if (filter.Status is { } status)
        {
            query = query.Where(l => l.Status == status);
        }

        if (!string.IsNullOrWhiteSpace(filter.AccountNumber))
        {
            var number = filter.AccountNumber.Trim();
            query = query.Where(l => db.Accounts.Any(a => a.Id == l.AccountId && a.AccountNumber == number));
        }

        if (!string.IsNullOrWhiteSpace(filter.Parcel))
        {
            var parcel = filter.Parcel.Trim().ToUpperInvariant();
            query = query.Where(l => l.ParcelId == parcel);
        }

        return await ViewsAsync(query.OrderByDescending(l => l.Id).Take(Math.Clamp(filter.Take, 1, 5000)), cancellationToken);
    }

    public async Task<LienView> FindAsync(string number, CancellationToken cancellationToken = default)
    {
        var id = IdOf(number);
        return (await ViewsAsync(db.Liens.AsNoTracking().Where(l => l.Id == id), cancellationToken)).SingleOrDefault()
            ?? throw new DomainException($"There is no lien {number.Trim()} in the register.", "number");
    }

    public async Task<IReadOnlyList<LienView>> OfAccountAsync(long accountId, CancellationToken cancellationToken = default) =>
        await ViewsAsync(db.Liens.AsNoTracking().Where(l => l.AccountId == accountId).OrderByDescending(l => l.Id), cancellationToken);

    public async Task<LienCounts> CountsAsync(CancellationToken cancellationToken = default)
    {
        var counts = (await db.Liens.AsNoTracking().GroupBy(l => l.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken))
            .ToDictionary(g => g.Key, g => g.Count);
        var open = await db.Liens.AsNoTracking().Where(l => l.Status == LienStatus.Noticed || l.Status == LienStatus.Filed || l.Status == LienStatus.PartlyPaid).Select(l => l.Id).ToListAsync(cancellationToken);
        var outstanding = (await OutstandingAsync(db, open, cancellationToken)).Values.Sum();
        return new LienCounts(Enum.GetValues<LienStatus>().ToDictionary(s => s, s => counts.GetValueOrDefault(s)), Money.FromCents(outstanding));
    }

    /// <summary>
    /// Records the release of a filed lien that is paid in full, under the account's lock; the release document prints from it.
    /// Releasing one already released changes nothing.
    /// </summary>
    public async Task<LienView> ReleaseAsync(string number, string? reason, string user, CancellationToken cancellationToken = default, DateOnly? on = null)
    {
        var id = IdOf(number);
        var accountId = await db.Liens.AsNoTracking().Where(l => l.Id == id).Select(l => (long?)l.AccountId).SingleOrDefaultAsync(cancellationToken)
            ?? throw new DomainException($"There is no lien {number.Trim()} in the register.", "number");
        var why = string.IsNullOrWhiteSpace(reason) ? (await FindAsync(number, cancellationToken)).SettledWords : reason.Trim();
        if (why.Length > ReasonLengthMax)
        {
            throw new DomainException($"The reason can be at most {ReasonLengthMax} characters.", "reason");
        }

        await using (var transaction = await CorrectionBilling.BeginForAccountAsync(db, accountId, cancellationToken))
        {
            var row = await db.Liens.SingleAsync(l => l.Id == id, cancellationToken);
            if (row.Status != LienStatus.Released)
            {
                var outstanding = (await OutstandingAsync(db, [row.Id], cancellationToken)).GetValueOrDefault(row.Id);
                if (row.FiledOn is null)
                {
                    throw new DomainException($"Lien {row.Number} was never filed, so there is nothing recorded to release; it is {PremiseLiens.Words(row.Status)}.", "number");
                }

                if (outstanding > 0 || row.Status != LienStatus.Satisfied)
                {
                    throw new DomainException($"Lien {row.Number} still secures {Money.FromCents(outstanding)} unpaid; it can be released once that is paid.", "number");
                }

                var today = on ?? calendar.Today();
                row.Status = LienStatus.Released;
                row.ReleasedOn = today;
                row.ReleasedBy = user;
                row.ReleaseReason = why;
                AuditLog.Record(db, clock.GetUtcNow(), user, "Lien", row.Id, row.AccountId, "Release lien", new { Status = LienStatus.Satisfied }, new { Status = LienStatus.Released, ReleasedOn = today }, why);
                await db.SaveChangesAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        db.ChangeTracker.Clear();
        return await FindAsync(number, cancellationToken);
    }

    public async Task<IReadOnlyList<LienCertificationView>> CertificationsAsync(CancellationToken cancellationToken = default) =>
        [.. (await db.LienCertifications.AsNoTracking().OrderByDescending(c => c.Id).ToListAsync(cancellationToken)).Select(View)];

    /// <summary>A certification's file as it was sent to the county.</summary>
    public async Task<(string FileName, string Content)> CertificationFileAsync(long id, CancellationToken cancellationToken = default)
    {
        var row = await db.LienCertifications.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken)
            ?? throw new DomainException($"There is no lien certification {id}.", "id");
        return (View(row).FileName, row.Content);
    }

    /// <summary>
    /// Certifies to the county tax roll, for <paramref name="taxYear"/>, every filed lien that is still unpaid and not yet certified: one
    /// CSV line each (docs/liens.md), the lien marked with the certification and the amount certified. A lien is certified once; a second
    /// certification in the year takes only liens filed since.
    /// </summary>
    public async Task<LienCertificationView> CertifyAsync(int taxYear, string user, CancellationToken cancellationToken = default)
    {
        var today = calendar.Today();
        if (taxYear < today.Year || taxYear > today.Year + 1)
        {
            throw new DomainException($"Liens are certified for this year's or next year's tax roll ({today.Year} or {today.Year + 1}); {taxYear} was given.", "taxYear");
        }

        var candidates = await db.Liens.Where(l => (l.Status == LienStatus.Filed || l.Status == LienStatus.PartlyPaid) && l.CertificationId == null)
            .OrderBy(l => l.ParcelId).ThenBy(l => l.Id).ToListAsync(cancellationToken);
        var outstanding = await OutstandingAsync(db, [.. candidates.Select(l => l.Id)], cancellationToken);
        var certified = candidates.Where(l => outstanding.GetValueOrDefault(l.Id) > 0).ToList();
        if (certified.Count == 0)
        {
            throw new DomainException("No filed lien is unpaid and not yet certified: there is nothing to certify.", "taxYear");
        }

        var accounts = await db.Accounts.AsNoTracking().Where(a => certified.Select(l => l.AccountId).Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.AccountNumber, cancellationToken);
        var csv = new System.Text.StringBuilder(CertificationHeader).Append("\r\n");
        foreach (var lien in certified)
        {
            var amount = outstanding[lien.Id];
            var fee = Math.Min(lien.FilingFeeCents, amount);
            csv.Append(string.Join(',',
                taxYear.ToString(CultureInfo.InvariantCulture), Csv.Field(lien.ParcelId), Csv.Field(lien.OwnerOfRecord), Csv.Field(lien.PremiseAddress), lien.Number,
                accounts[lien.AccountId], lien.FiledOn!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Money.FromCents(amount - fee).ToPlainString(), Money.FromCents(fee).ToPlainString(), Money.FromCents(amount).ToPlainString())).Append("\r\n");
        }

        var now = clock.GetUtcNow();
        var row = new LienCertificationRow
        {
            TaxYear = taxYear, CertifiedOn = today, Liens = certified.Count, TotalCents = certified.Sum(l => outstanding[l.Id]), Content = csv.ToString(), CreatedBy = user, CreatedAt = now,
        };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.LienCertifications.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        foreach (var lien in certified)
        {
            lien.CertificationId = row.Id;
            lien.CertifiedCents = outstanding[lien.Id];
        }

        AuditLog.Record(db, now, user, "LienCertification", row.Id, null, "Certify liens to the tax roll", null, new { taxYear, row.Liens, Total = Money.FromCents(row.TotalCents).ToPlainString() }, null);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return View(row);
    }

    /// <summary>The certification file's header: its columns, in order.</summary>
    public const string CertificationHeader = "tax_year,parcel_id,owner_of_record,situs_address,lien_number,account_number,filed_on,principal,fees,amount";

    /// <summary>What each lien leaves unpaid: the open amounts of the charges it secures, each no more than the lien took of it.</summary>
    internal static async Task<Dictionary<long, long>> OutstandingAsync(OpenCisDbContext db, List<long> lienIds, CancellationToken cancellationToken)
    {
        if (lienIds.Count == 0)
        {
            return [];
        }

        var rows = await (from i in db.LienItems.AsNoTracking()
                          join o in db.OpenItems.AsNoTracking() on i.OpenItemId equals o.Id
                          where lienIds.Contains(i.LienId)
                          select new { i.LienId, i.AmountCents, o.OpenCents }).ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.LienId).ToDictionary(g => g.Key, g => g.Sum(r => Math.Clamp(r.OpenCents, 0, r.AmountCents)));
    }

    /// <summary>
    /// What write-offs closed of each lien's charges, by lien item: the charges' allocations from a write-off's credit, each
    /// no more than the lien took of its charge. A balance written off is no longer owed, but it was not paid.
    /// </summary>
    internal static async Task<Dictionary<long, (long LienId, long Cents)>> WrittenOffAsync(OpenCisDbContext db, List<long> lienIds, CancellationToken cancellationToken)
    {
        if (lienIds.Count == 0)
        {
            return [];
        }

        var rows = await (from i in db.LienItems.AsNoTracking()
                          join a in db.ItemAllocations.AsNoTracking() on i.OpenItemId equals a.ChargeItemId
                          join c in db.OpenItems.AsNoTracking() on a.CreditItemId equals c.Id
                          join t in db.FinancialTransactions.AsNoTracking() on c.FinancialTransactionId equals t.Id
                          where lienIds.Contains(i.LienId) && t.Type == FinancialTransactionType.WriteOff
                          select new { i.Id, i.LienId, i.AmountCents, Allocated = a.AmountCents }).ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.Id).ToDictionary(g => g.Key, g => (g.First().LienId, Math.Min(g.Sum(r => r.Allocated), g.First().AmountCents)));
    }

    /// <summary>The row id in a register number (LN-000012, or just 12).</summary>
    public static long IdOf(string? number)
    {
        var text = number?.Trim() ?? "";
        var digits = text.StartsWith("LN-", StringComparison.OrdinalIgnoreCase) ? text[3..] : text;
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : throw new DomainException($"'{text}' is not a lien number: they are written LN-000123.", "number");
    }

    private async Task<IReadOnlyList<LienView>> ViewsAsync(IQueryable<LienRow> query, CancellationToken cancellationToken)
    {
        var rows = await query.ToListAsync(cancellationToken);
        if (rows.Count == 0)
        {
            return [];
        }

        var ids = rows.Select(r => r.Id).ToList();
        var accountIds = rows.Select(r => r.AccountId).Distinct().ToList();
        var accounts = await db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.AccountNumber, cancellationToken);
        var names = await AccountNames.MainAsync(db, accountIds, cancellationToken);
        var items = (await (from i in db.LienItems.AsNoTracking()
                            join o in db.OpenItems.AsNoTracking() on i.OpenItemId equals o.Id
                            join t in db.FinancialTransactions.AsNoTracking() on o.FinancialTransactionId equals t.Id
                            where ids.Contains(i.LienId)
                            select new { i.Id, i.LienId, i.PostedOn, i.DueOn, i.AmountCents, i.IsFee, o.OpenCents, o.Service, t.Type }).ToListAsync(cancellationToken))
            .OrderBy(i => i.IsFee).ThenBy(i => i.DueOn).ThenBy(i => i.Id).ToLookup(i => i.LienId);
        var writtenOff = await WrittenOffAsync(db, ids, cancellationToken);
        var years = await db.LienCertifications.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.TaxYear, cancellationToken);
        return [.. rows.Select(r => new LienView(r.Id, r.Number, accounts.GetValueOrDefault(r.AccountId, ""), names.GetValueOrDefault(r.AccountId, ""), r.ParcelId, r.OwnerOfRecord,
            r.OwnerAddress, r.PremiseAddress, r.Status, Money.FromCents(r.PrincipalCents), r.NoticedOn, r.NoticeEndsOn, r.FiledOn,
            r.FiledPrincipalCents is { } filed ? Money.FromCents(filed) : null, Money.FromCents(r.FilingFeeCents), r.SatisfiedOn, r.ReleasedOn, r.ReleasedBy, r.ReleaseReason,
            r.CertificationId is { } c ? years.GetValueOrDefault(c) : null, r.CertifiedCents is { } certified ? Money.FromCents(certified) : null,
            [.. items[r.Id].Select(i => new LienItemView(i.PostedOn, i.DueOn, Describe(i.Type, i.Service), Money.FromCents(i.AmountCents),
                Money.FromCents(Math.Clamp(i.OpenCents, 0, i.AmountCents)), i.IsFee,
                Money.FromCents(Math.Min(writtenOff.TryGetValue(i.Id, out var off) ? off.Cents : 0, i.AmountCents - Math.Clamp(i.OpenCents, 0, i.AmountCents)))))]))];
    }

    private static string Describe(FinancialTransactionType type, Core.Billing.Service? service) =>
        type == FinancialTransactionType.Bill ? (service is { } s ? $"{s} charges" : "Bill") : Billing.BillDocuments.TypeInWords(type);

    private static LienCertificationView View(LienCertificationRow row) =>
        new(row.Id, row.TaxYear, row.CertifiedOn, row.Liens, Money.FromCents(row.TotalCents), row.CreatedBy, $"lien-certification-{row.TaxYear}-{row.Id}.csv");
}
