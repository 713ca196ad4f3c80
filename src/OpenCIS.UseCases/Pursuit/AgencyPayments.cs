using System.Globalization;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Payments;
using OpenCIS.Core.Pursuit;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Pursuit;
using OpenCIS.UseCases.Ledger;
using OpenCIS.UseCases.Payments;

namespace OpenCIS.UseCases.Pursuit;

public sealed record AgencyPaymentFileOutcome(
    bool Posted,
    bool AlreadyImported,
    long? RemittanceId,
    int Lines,
    long CollectedCents,
    long CommissionCents,
    long RemittedCents,
    long RecoveredCents,
    IReadOnlyList<FileError> Errors,
    string Message);

public sealed record AgencyRemittanceView(long Id, string AgencyCode, string FileName, int Lines, long CollectedCents, long CommissionCents, long RemittedCents, long RecoveredCents,
    string ImportedBy, DateTimeOffset ImportedAt);

/// <summary>
/// An agency's payment file (documented in docs/agency-files.md): each line a debtor's payment to the agency on a referral, which posts as
/// a payment on the account (source Agency: a recovery where the debt was written off) and the agency's commission at its contract rate,
/// kept from the cash on a net remittance or owed to it on a gross one. The file is checked whole first; a file with any problem posts
/// nothing and names each problem's line and field. The same file again (by its SHA-256) posts nothing.
/// </summary>
public sealed class AgencyPayments(OpenCisDbContext db, PaymentBatchPoster poster, BusinessCalendar calendar, TimeProvider clock)
{
    public const int MaximumLines = 10_000;

    public static readonly string[] Columns = ["referral_id", "account_number", "paid_on", "amount", "reference"];

    private sealed record Line(int Number, ReferralRow Referral, DateOnly PaidOn, Money Amount, string? Reference);

    public async Task<AgencyPaymentFileOutcome> ImportAsync(string agencyCode, string fileName, byte[] content, string user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var agency = await CollectionAgencies.RowAsync(db, agencyCode, cancellationToken);
        var hash = Convert.ToHexString(SHA256.HashData(content));
        if (await db.AgencyRemittances.AsNoTracking().SingleOrDefaultAsync(r => r.FileHash == hash, cancellationToken) is { } earlier)
        {
            return new AgencyPaymentFileOutcome(false, true, earlier.Id, earlier.Lines, earlier.CollectedCents, earlier.CommissionCents, earlier.RemittedCents, earlier.RecoveredCents, [],
                $"{fileName} was already imported as {earlier.FileName} by {earlier.ImportedBy} on {earlier.ImportedAt:yyyy-MM-dd} (remittance {earlier.Id}); nothing was posted again.");
        }

        var today = calendar.Today();
        var (lines, errors) = await ParseAsync(agency, fileName, content, today, cancellationToken);
        if (errors.Count > 0 || lines.Count == 0)
        {
            if (errors.Count == 0)
            {
                errors.Add(new FileError(fileName, 1, "file", "the file has no payments"));
            }

            var ordered = errors.OrderBy(e => e.Line).ToList();
            return new AgencyPaymentFileOutcome(false, false, null, 0, 0, 0, 0, 0, ordered, $"{fileName} has {ordered.Count} problem{(ordered.Count == 1 ? "" : "s")}; nothing was posted.");
        }

        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await AccountLocks.LockAccountsAsync(db, [.. lines.Select(l => l.Referral.AccountId).Distinct()], cancellationToken);
        var payments = await poster.AddAsync(
            [.. lines.Select(l => new PaymentInstruction(l.Referral.AccountId, l.Amount, l.PaidOn, Tender.Ach, PaymentSource.Agency, Reference(agency.Code, l)))], user, null, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);

        var rows = new List<(Line Line, long PaymentId, long Commission, long Recovered, long? CommissionTransactionId)>();
        var referralIds = lines.Select(l => l.Referral.Id).Distinct().ToList();
        var referrals = await db.Referrals.Where(r => referralIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, cancellationToken);
        var ledgers = await AccountLedger.LoadManyAsync(db, [.. lines.Select(l => l.Referral.AccountId).Distinct()], cancellationToken);
        var commissionPostings = new Dictionary<int, Storage.Ledger.FinancialTransaction>();
        long collected = 0, commissionTotal = 0, recoveredTotal = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var payment = payments[i];
            var recovered = payment.Transaction!.GlEntries.Where(g => g.GlAccount == GlAccounts.AllowanceForUncollectibles).Sum(g => g.CreditCents);
            var commission = FinalBillPursuit.Commission(line.Amount, agency.CommissionBasisPoints);
            if (commission.IsPositive)
            {
                commissionPostings[i] = ledgers[line.Referral.AccountId].Post(db, PostingRules.ForAgencyCommission(commission, agency.Remittance), line.PaidOn, line.PaidOn, null, user,
                    $"{agency.Name} commission, {agency.CommissionBasisPoints / 100m}% of {line.Amount} ({(agency.Remittance == RemittanceBasis.Net ? "kept from its remittance" : "billed")})", now);
            }

            var referral = referrals[line.Referral.Id];
            referral.CollectedCents += line.Amount.Cents;
            referral.CommissionCents += commission.Cents;
            rows.Add((line, payment.Id, commission.Cents, recovered, null));
            collected += line.Amount.Cents;
            commissionTotal += commission.Cents;
            recoveredTotal += recovered;
        }

        await db.SaveChangesAsync(cancellationToken);
        rows = [.. rows.Select((row, i) => row with { CommissionTransactionId = commissionPostings.TryGetValue(i, out var posted) ? posted.Id : null })];
        var remitted = agency.Remittance == RemittanceBasis.Net ? collected - commissionTotal : collected;
        var remittance = new AgencyRemittanceRow
        {
            AgencyId = agency.Id,
            FileName = fileName.Length <= 260 ? fileName : fileName[..260],
            FileHash = hash,
            Lines = lines.Count,
            CollectedCents = collected,
            CommissionCents = commissionTotal,
            RemittedCents = remitted,
            RecoveredCents = recoveredTotal,
            ImportedBy = user,
            ImportedAt = now,
        };
        db.AgencyRemittances.Add(remittance);
        await db.SaveChangesAsync(cancellationToken);
        var remittanceId = remittance.Id;

        // A referral whose account owes nothing now is paid in full.
        var accountIds = referrals.Values.Select(r => r.AccountId).Distinct().ToList();
        var balances = await AccountLedger.BalancesAsync(db, accountIds, cancellationToken);
        foreach (var referral in referrals.Values.Where(r => r.Status == ReferralStatus.Open && balances.GetValueOrDefault(r.AccountId) <= 0))
        {
            Referrals.Close(db, referral, ReferralStatus.PaidInFull, today, user, $"paid in full through {agency.Name}", now);
        }

        db.AgencyPayments.AddRange(rows.Select(row => new AgencyPaymentRow
        {
            RemittanceId = remittanceId,
            Line = row.Line.Number,
            ReferralId = row.Line.Referral.Id,
            AccountId = row.Line.Referral.AccountId,
            PaidOn = row.Line.PaidOn,
            CollectedCents = row.Line.Amount.Cents,
            CommissionCents = row.Commission,
            RecoveredCents = row.Recovered,
            PaymentId = row.PaymentId,
            CommissionTransactionId = row.CommissionTransactionId,
        }));

        AuditLog.Record(db, now, user, "AgencyRemittance", remittanceId, null, "Import agency payment file", null,
            new
            {
                Agency = agency.Code,
                Lines = lines.Count,
                Collected = Money.FromCents(collected).ToPlainString(),
                Commission = Money.FromCents(commissionTotal).ToPlainString(),
                Remitted = Money.FromCents(remitted).ToPlainString(),
                Recovered = Money.FromCents(recoveredTotal).ToPlainString(),
            }, fileName);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return new AgencyPaymentFileOutcome(true, false, remittanceId, lines.Count, collected, commissionTotal, remitted, recoveredTotal, [],
            $"{fileName}: {lines.Count} payment{(lines.Count == 1 ? "" : "s")} from {agency.Name} posted, {Money.FromCents(collected)} collected, commission {Money.FromCents(commissionTotal)}, "
            + $"{Money.FromCents(remitted)} remitted{(recoveredTotal > 0 ? $", {Money.FromCents(recoveredTotal)} of it recovering written-off debt" : "")}.");
    }

    public async Task<IReadOnlyList<AgencyRemittanceView>> ListAsync(CancellationToken cancellationToken = default)
    {
        var agencies = await db.CollectionAgencies.AsNoTracking().ToDictionaryAsync(a => a.Id, a => a.Code, cancellationToken);
        return [.. (await db.AgencyRemittances.AsNoTracking().OrderByDescending(r => r.Id).Take(200).ToListAsync(cancellationToken))
            .Select(r => new AgencyRemittanceView(r.Id, agencies[r.AgencyId], r.FileName, r.Lines, r.CollectedCents, r.CommissionCents, r.RemittedCents, r.RecoveredCents, r.ImportedBy, r.ImportedAt))];
    }

    private static string Reference(string agencyCode, Line line)
    {
        var reference = $"{agencyCode} referral {line.Referral.Id}{(line.Reference is null ? "" : $" {line.Reference}")}";
        return reference.Length <= 50 ? reference : reference[..50];
    }

    private async Task<(List<Line> Lines, List<FileError> Errors)> ParseAsync(CollectionAgencyRow agency, string fileName, byte[] content, DateOnly today, CancellationToken cancellationToken)
    {
        var errors = new List<FileError>();
        var raw = new List<(int Line, string ReferralId, string Account, string PaidOn, string Amount, string Reference)>();
        using (var csv = CsvInput.Open(new MemoryStream(content, writable: false)))
        {
            if (CsvInput.ReadHeader(csv, fileName, errors) is not { } header)
            {
                return ([], errors);
            }

            var missing = Columns[..4].Where(c => !header.Contains(c)).ToList();
            var unknown = header.Where(h => !Columns.Contains(h)).ToList();
            if (missing.Count > 0 || unknown.Count > 0)
            {
                errors.Add(new FileError(fileName, 1, "header", $"{(missing.Count > 0 ? $"missing {string.Join(", ", missing)}" : $"unknown {string.Join(", ", unknown)}")}; the columns are {string.Join(',', Columns)}"));
                return ([], errors);
            }

            var index = header.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i);
            while (CsvInput.Next(csv, fileName, errors))
            {
                var line = (int)csv.LineNumber;
                if (raw.Count >= MaximumLines)
                {
                    errors.Add(new FileError(fileName, line, "file", $"an agency payment file can hold at most {MaximumLines:N0} lines"));
                    break;
                }

                string Field(string name) => index.TryGetValue(name, out var at) && csv.FieldCount > at ? csv.GetString(at).Trim() : "";
                raw.Add((line, Field("referral_id"), Field("account_number"), Field("paid_on"), Field("amount"), Field("reference")));
            }
        }

        var ids = raw.Select(r => long.TryParse(r.ReferralId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0).Where(id => id > 0).Distinct().ToList();
        var referrals = await db.Referrals.AsNoTracking().Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, cancellationToken);
        var accountIds = referrals.Values.Select(r => r.AccountId).Distinct().ToList();
        var numbers = await db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.AccountNumber, cancellationToken);
        var lines = new List<Line>();
        foreach (var r in raw)
        {
            var before = errors.Count;
            ReferralRow? referral = null;
            if (!long.TryParse(r.ReferralId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || !referrals.TryGetValue(id, out referral))
            {
                errors.Add(new FileError(fileName, r.Line, "referral_id", $"'{r.ReferralId}' is not one of the city's referrals"));
            }
            else if (referral.AgencyId != agency.Id)
            {
                errors.Add(new FileError(fileName, r.Line, "referral_id", $"referral {id} was not placed with {agency.Code}"));
            }
            else if (!string.Equals(numbers[referral.AccountId], r.Account, StringComparison.Ordinal))
            {
                errors.Add(new FileError(fileName, r.Line, "account_number", $"referral {id} is account {numbers[referral.AccountId]}, not '{r.Account}'"));
            }

            if (!DateOnly.TryParseExact(r.PaidOn, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var paidOn))
            {
                errors.Add(new FileError(fileName, r.Line, "paid_on", $"'{r.PaidOn}' is not a date (yyyy-mm-dd)"));
            }
            else if (paidOn > today)
            {
                errors.Add(new FileError(fileName, r.Line, "paid_on", $"{paidOn:yyyy-MM-dd} is after today ({today:yyyy-MM-dd})"));
            }
            else if (referral is not null && paidOn < referral.ReferredOn)
            {
                errors.Add(new FileError(fileName, r.Line, "paid_on", $"{paidOn:yyyy-MM-dd} is before the referral was made ({referral.ReferredOn:yyyy-MM-dd})"));
            }

            if (!Money.TryParse(r.Amount, out var amount) || !amount.IsPositive)
            {
                errors.Add(new FileError(fileName, r.Line, "amount", $"'{r.Amount}' is not an amount more than zero"));
            }

            if (r.Reference.Length > 30)
            {
                errors.Add(new FileError(fileName, r.Line, "reference", "the agency's reference can be at most 30 characters"));
            }

            if (errors.Count == before)
            {
                lines.Add(new Line(r.Line, referral!, paidOn, amount, r.Reference.Length == 0 ? null : r.Reference));
            }
        }

        return (lines, errors);
    }
}
