using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Pursuit;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Customers;
using OpenCIS.Storage.Pursuit;

namespace OpenCIS.UseCases.Pursuit;

public sealed record PlacementFileView(long Id, string AgencyCode, DateOnly CreatedOn, string CreatedBy, int Placements, int Recalls, long PlacedCents, string FileName);

public sealed record PlacementFileOutcome(PlacementFileView? File, string Content, string Message);

/// <summary>
/// The placement file an agency receives (documented in docs/agency-files.md): every referral to it not yet sent (PLACE) and every
/// recall of one it was sent (RECALL), one CSV record each, marked sent in the same transaction so no referral goes out twice.
/// A file with nothing to send is not made. Each file is kept as sent and can be downloaded again.
/// </summary>
public sealed class PlacementFiles(OpenCisDbContext db, BusinessCalendar calendar, TimeProvider clock)
{
    public static readonly string[] Columns =
        ["record_type", "referral_id", "account_number", "debtor_name", "mailing_line1", "mailing_city", "mailing_state", "mailing_zip", "phone", "email",
            "service_address", "final_bill_on", "referred_on", "amount", "last_payment_on", "recall_reason"];

    public async Task<PlacementFileOutcome> CreateAsync(string agencyCode, string user, CancellationToken cancellationToken = default)
    {
        var agency = await CollectionAgencies.RowAsync(db, agencyCode, cancellationToken);
        var today = calendar.Today();
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var placements = await db.Referrals.Where(r => r.AgencyId == agency.Id && r.PlacementFileId == null && r.Status == ReferralStatus.Open).OrderBy(r => r.Id).ToListAsync(cancellationToken);
        var recalls = await db.Referrals.Where(r => r.AgencyId == agency.Id && r.PlacementFileId != null && r.RecallFileId == null && r.Status == ReferralStatus.Recalled)
            .OrderBy(r => r.Id).ToListAsync(cancellationToken);
        if (placements.Count == 0 && recalls.Count == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return new PlacementFileOutcome(null, "", $"{agency.Name} has no new placements or recalls to send; no file was made.");
        }

        var content = await WriteAsync(placements, recalls, cancellationToken);
        var file = new PlacementFileRow
        {
            AgencyId = agency.Id,
            CreatedOn = today,
            CreatedBy = user,
            CreatedAt = now,
            Placements = placements.Count,
            Recalls = recalls.Count,
            PlacedCents = placements.Sum(p => p.ReferredCents),
            Content = content,
        };
        db.PlacementFiles.Add(file);
        await db.SaveChangesAsync(cancellationToken);
        placements.ForEach(p => p.PlacementFileId = file.Id);
        recalls.ForEach(r => r.RecallFileId = file.Id);
        AuditLog.Record(db, now, user, "PlacementFile", file.Id, null, "Make placement file", null,
            new { Agency = agency.Code, file.Placements, file.Recalls, Placed = Money.FromCents(file.PlacedCents).ToPlainString() }, null);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        var view = View(file, agency.Code);
        return new PlacementFileOutcome(view, content,
            $"Placement file {file.Id} for {agency.Name}: {file.Placements} placement{(file.Placements == 1 ? "" : "s")} ({Money.FromCents(file.PlacedCents)}), {file.Recalls} recall{(file.Recalls == 1 ? "" : "s")}.");
    }

    public async Task<IReadOnlyList<PlacementFileView>> ListAsync(string? agencyCode, CancellationToken cancellationToken = default)
    {
        var agencies = await db.CollectionAgencies.AsNoTracking().ToDictionaryAsync(a => a.Id, a => a.Code, cancellationToken);
        var rows = db.PlacementFiles.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(agencyCode))
        {
            var id = (await CollectionAgencies.RowAsync(db, agencyCode, cancellationToken)).Id;
            rows = rows.Where(f => f.AgencyId == id);
        }

        return [.. (await rows.OrderByDescending(f => f.Id).Take(200).Select(f => new { f.Id, f.AgencyId, f.CreatedOn, f.CreatedBy, f.CreatedAt, f.Placements, f.Recalls, f.PlacedCents })
                .ToListAsync(cancellationToken))
            .Select(f => new PlacementFileView(f.Id, agencies[f.AgencyId], f.CreatedOn, f.CreatedBy, f.Placements, f.Recalls, f.PlacedCents, FileName(agencies[f.AgencyId], f.Id, f.CreatedOn)))];
    }

    /// <summary>A placement file as it was sent.</summary>
    public async Task<PlacementFileOutcome> FindAsync(long id, CancellationToken cancellationToken = default)
    {
        var file = await db.PlacementFiles.AsNoTracking().SingleOrDefaultAsync(f => f.Id == id, cancellationToken)
            ?? throw new DomainException($"There is no placement file {id}.", "id");
        var code = await db.CollectionAgencies.Where(a => a.Id == file.AgencyId).Select(a => a.Code).SingleAsync(cancellationToken);
        return new PlacementFileOutcome(View(file, code), file.Content, $"Placement file {file.Id}.");
    }

    private static PlacementFileView View(PlacementFileRow file, string code) =>
        new(file.Id, code, file.CreatedOn, file.CreatedBy, file.Placements, file.Recalls, file.PlacedCents, FileName(code, file.Id, file.CreatedOn));

    public static string FileName(string agencyCode, long id, DateOnly createdOn) =>
        $"placement-{agencyCode.ToLowerInvariant()}-{createdOn:yyyyMMdd}-{id}.csv";

    private async Task<string> WriteAsync(List<ReferralRow> placements, List<ReferralRow> recalls, CancellationToken cancellationToken)
    {
        var all = placements.Concat(recalls).ToList();
        var accountIds = all.Select(r => r.AccountId).Distinct().ToList();
        var accounts = await db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, cancellationToken);
        var premiseIds = accounts.Values.Where(a => a.PremiseId is not null).Select(a => a.PremiseId!.Value).Distinct().ToList();
        var premises = await db.Premises.AsNoTracking().Where(p => premiseIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        var customers = (await (from ac in db.AccountCustomers.AsNoTracking()
                                join c in db.Customers.AsNoTracking() on ac.CustomerId equals c.Id
                                where accountIds.Contains(ac.AccountId) && ac.Role == AccountRole.Main
                                orderby ac.Id
                                select new { ac.AccountId, Customer = c }).ToListAsync(cancellationToken))
            .GroupBy(x => x.AccountId).ToDictionary(g => g.Key, g => g.Last().Customer);
        var lastPayments = await db.FinancialTransactions.AsNoTracking().Where(t => accountIds.Contains(t.AccountId) && t.Type == FinancialTransactionType.Payment)
            .GroupBy(t => t.AccountId).Select(g => new { g.Key, On = g.Max(t => t.EffectiveOn) }).ToDictionaryAsync(p => p.Key, p => p.On, cancellationToken);

        var csv = new StringBuilder();
        csv.AppendJoin(',', Columns).Append("\r\n");
        foreach (var (referral, type) in placements.Select(p => (p, "PLACE")).Concat(recalls.Select(r => (r, "RECALL"))))
        {
            var account = accounts[referral.AccountId];
            customers.TryGetValue(referral.AccountId, out var customer);
            var premise = account.PremiseId is { } premiseId ? premises.GetValueOrDefault(premiseId) : null;
            string[] fields =
            [
                type, referral.Id.ToString(CultureInfo.InvariantCulture), account.AccountNumber, customer?.DisplayName ?? "",
                customer?.MailingLine1 ?? "", customer?.MailingCity ?? "", customer?.MailingState ?? "", customer?.MailingZip ?? "", customer?.Phone ?? "", customer?.Email ?? "",
                premise is null ? "" : $"{premise.AddressLine1}, {premise.City}, {premise.State} {premise.Zip}",
                account.ClosedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
                referral.ReferredOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Money.FromCents(referral.ReferredCents).ToPlainString(),
                lastPayments.TryGetValue(referral.AccountId, out var paid) ? paid.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "",
                type == "RECALL" ? referral.CloseReason ?? "" : "",
            ];
            csv.AppendJoin(',', fields.Select(Csv.Field)).Append("\r\n");
        }

        return csv.ToString();
    }
}
