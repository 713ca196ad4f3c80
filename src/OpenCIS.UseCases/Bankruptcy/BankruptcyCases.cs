using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Bankruptcy;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Payments;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Bankruptcy;
using OpenCIS.Storage.Collections;
using OpenCIS.Storage.Customers;
using OpenCIS.Storage.Receivables;
using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.Ledger;

namespace OpenCIS.UseCases.Bankruptcy;

/// <summary>A case to enter: the court's facts and the accounts (utility or city receivables) it covers.</summary>
public sealed record BankruptcyFiling(string? CaseNumber, BankruptcyChapter Chapter, string? Court, DateOnly PetitionDate, string? DebtorName, string? Attorney, string? Trustee,
    IReadOnlyList<string> AccountNumbers, string? IdempotencyKey = null);

/// <summary>A trustee's payment on a case: the amount, the trustee's check or EFT number.</summary>
public sealed record TrusteePaymentRequest(string CaseNumber, Money Amount, Tender Tender, string? Reference, string? IdempotencyKey = null);

public sealed record BankruptcyAccountView(long AccountId, string AccountNumber, string Holder, Money PrePetition, Money Paid, Money Remaining, Money BalanceNow, bool StayInForce);

public sealed record TrusteePaymentLineView(string AccountNumber, Money Amount, long TransactionId);

public sealed record TrusteePaymentView(long Id, Money Amount, DateOnly ReceivedOn, string Reference, string PostedBy, DateTimeOffset PostedAt, IReadOnlyList<TrusteePaymentLineView> Lines);

public sealed record BankruptcyCaseView(long Id, string CaseNumber, BankruptcyChapter Chapter, string Court, DateOnly PetitionDate, string DebtorName, string Attorney, string Trustee,
    BankruptcyStatus Status, string Description, string FiledBy, DateTimeOffset FiledAt, DateOnly? ClosedOn, string? ClosedBy, string? CloseNote,
    Money PrePetition, Money Paid, Money Remaining, Money WrittenOff, Money Returned, IReadOnlyList<BankruptcyAccountView> Accounts, IReadOnlyList<TrusteePaymentView> Payments);

public sealed record BankruptcyOutcome(BankruptcyCaseView Case, bool AlreadyDone, string Message);

/// <summary>
/// Bankruptcy cases. Entering one, in one database transaction under the accounts' locks: the automatic stay on each
/// account it covers (a protection that holds every collection step, notice and late charge while it lasts), and each
/// account's pre-petition balance (its charges posted on or before the petition date and still open) moved off the
/// customer's receivables into the bankruptcy receivable (GL 1260), kept by service as the claim. What is billed after
/// the petition is billed and paid on the account as usual. A trustee's payment reduces the claim, oldest first; a
/// discharge writes off what is left of it (a write-off with reason BANKRUPTCY); a dismissal puts what is left back on
/// the accounts, due as it was, for collections to take up again. Either ends the stay. Every step is audited, and a
/// retry with the same Idempotency-Key posts nothing twice.
/// </summary>
public sealed class BankruptcyCases(OpenCisDbContext db, BusinessCalendar calendar, TimeProvider clock)
{
    public const int AccountsMax = 20;

    public async Task<BankruptcyOutcome> FileAsync(BankruptcyFiling filing, string user, CancellationToken cancellationToken = default) =>
        await FileOnAsync(filing, user, calendar.Today(), cancellationToken);

    /// <summary>The same entry on a given business date (the demo city enters its case on the day of its history it was filed).</summary>
    internal async Task<BankruptcyOutcome> FileOnAsync(BankruptcyFiling filing, string user, DateOnly today, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filing);
        var key = Idempotency.CheckKey(filing.IdempotencyKey, user);
        var caseNumber = Required(filing.CaseNumber, Bankruptcies.CaseNumberLengthMax, "caseNumber", "The case number");
        if (!Enum.IsDefined(filing.Chapter))
        {
            throw new DomainException($"'{filing.Chapter}' is not a chapter: 7, 11, 12 or 13.", "chapter");
        }

        var court = Required(filing.Court, Bankruptcies.CourtLengthMax, "court", "The court");
        var attorney = Optional(filing.Attorney, Bankruptcies.NameLengthMax, "attorney", "The debtor's attorney");
        var trustee = Optional(filing.Trustee, Bankruptcies.NameLengthMax, "trustee", "The trustee");
        if (filing.Chapter == BankruptcyChapter.Chapter13 && trustee.Length == 0)
        {
            throw new DomainException("A Chapter 13 case has a standing trustee who pays the plan; name the trustee.", "trustee");
        }

        Bankruptcies.CheckPetitionDate(filing.PetitionDate, today);
        var numbers = (filing.AccountNumbers ?? []).Select(n => n?.Trim() ?? "").Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (numbers.Count == 0)
        {
            throw new DomainException("Name the accounts the case covers: the debtor's utility accounts and city receivables accounts.", "accountNumbers");
        }

        if (numbers.Count > AccountsMax)
        {
            throw new DomainException($"A case covers at most {AccountsMax} accounts.", "accountNumbers");
        }

        var fingerprint = Idempotency.Fingerprint("bankruptcy", caseNumber, filing.Chapter, court, filing.PetitionDate, filing.DebtorName?.Trim(), attorney, trustee, string.Join(",", numbers));
        if (await EarlierFilingAsync(key, fingerprint, cancellationToken) is { } earlier)
        {
            return earlier;
        }

        if (await db.BankruptcyCases.AsNoTracking().AnyAsync(c => c.CaseNumber == caseNumber, cancellationToken))
        {
            throw new DomainException($"Case {caseNumber} is already entered.", "caseNumber");
        }

        var accounts = await db.Accounts.AsNoTracking().Where(a => numbers.Contains(a.AccountNumber)).ToListAsync(cancellationToken);
        if (numbers.FirstOrDefault(n => accounts.All(a => a.AccountNumber != n)) is { } missing)
        {
            throw new DomainException($"There is no account {missing}.", "accountNumbers");
        }

        accounts = [.. numbers.Select(n => accounts.Single(a => a.AccountNumber == n))];
        var ids = accounts.Select(a => a.Id).ToList();
        var debtor = Optional(filing.DebtorName, Bankruptcies.NameLengthMax, "debtorName", "The debtor's name");
        if (debtor.Length == 0)
        {
            debtor = await db.AccountCustomers.AsNoTracking().Where(ac => ac.AccountId == ids[0] && ac.Role == AccountRole.Main)
                .Join(db.Customers, ac => ac.CustomerId, c => c.Id, (ac, c) => c.DisplayName).FirstOrDefaultAsync(cancellationToken) ?? "";
        }

        var now = clock.GetUtcNow();
        var description = Bankruptcies.Describe(filing.Chapter, caseNumber, court, filing.PetitionDate);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await AccountLocks.LockAccountsAsync(db, ids, cancellationToken);
        if (await EarlierFilingAsync(key, fingerprint, cancellationToken) is { } raced)
        {
            await transaction.RollbackAsync(cancellationToken);
            return raced;
        }

        var inOpenCase = await db.BankruptcyAccounts.AsNoTracking().Where(a => ids.Contains(a.AccountId))
            .Join(db.BankruptcyCases.Where(c => c.Status == BankruptcyStatus.Open), a => a.CaseId, c => c.Id, (a, c) => new { a.AccountId, c.CaseNumber })
            .FirstOrDefaultAsync(cancellationToken);
        if (inOpenCase is not null)
        {
            throw new DomainException($"Account {accounts.Single(a => a.Id == inOpenCase.AccountId).AccountNumber} is already in open case {inOpenCase.CaseNumber}.", "accountNumbers");
        }

        var row = new BankruptcyCaseRow
        {
            CaseNumber = caseNumber,
            Chapter = filing.Chapter,
            Court = court,
            PetitionDate = filing.PetitionDate,
            DebtorName = debtor,
            Attorney = attorney,
            Trustee = trustee,
            FiledBy = user,
            FiledAt = now,
            IdempotencyKey = Idempotency.KeyFor(key, user),
            RequestFingerprint = fingerprint,
        };
        db.BankruptcyCases.Add(row);
        if (await Idempotency.SaveOrFindEarlierAsync(db, transaction, key, () => EarlierFilingAsync(key, fingerprint, cancellationToken), "bankruptcy case", cancellationToken) is { } collided)
        {
            return collided;
        }

        var ledgers = await AccountLedger.LoadManyAsync(db, ids, cancellationToken);
        var enter = new EnterProtection(db, calendar, clock);
        var total = Money.Zero;
        foreach (var account in accounts)
        {
            var ledger = ledgers[account.Id];
            var prePetition = ledger.OpenItems.Where(i => i.OpenCents > 0 && Bankruptcies.IsPrePetition(i.PostedOn, filing.PetitionDate)).ToList();
            var amount = Money.FromCents(prePetition.Sum(i => i.OpenCents));
            // Read before posting: the transfer settles these items to zero.
            var parts = prePetition.GroupBy(i => i.Service).OrderBy(g => g.Key).Select(g => (Service: g.Key, DueOn: g.Min(i => i.DueOn), Cents: g.Sum(i => i.OpenCents))).ToList();
            long? transferId = null;
            if (amount.IsPositive)
            {
                var posted = ledger.Post(db, PostingRules.ForBankruptcyTransfer(amount), today, today, null, user, $"Pre-petition balance to the claim in {description}", now,
                    settlesItemsFirst: prePetition.Select(i => i.Id).ToHashSet());
                await db.SaveChangesAsync(cancellationToken);
                transferId = posted.Id;
            }

            var (protection, _) = await enter.AddAsync(account, new ProtectionRequest(ProtectionKind.BankruptcyStay, filing.PetitionDate, Note: description), user, cancellationToken);
            var caseAccount = new BankruptcyAccountRow { CaseId = row.Id, AccountId = account.Id, PrePetitionCents = amount.Cents, TransferTransactionId = transferId, ProtectionId = protection.Id };
            db.BankruptcyAccounts.Add(caseAccount);
            await db.SaveChangesAsync(cancellationToken);
            foreach (var (service, dueOn, cents) in parts)
            {
                db.BankruptcyClaims.Add(new BankruptcyClaimRow
                {
                    CaseId = row.Id, CaseAccountId = caseAccount.Id, AccountId = account.Id, Service = service, DueOn = dueOn, AmountCents = cents, OpenCents = cents,
                });
            }

            AuditLog.Record(db, now, user, "BankruptcyCase", row.Id, account.Id, "Bankruptcy entered", null,
                new { Case = caseNumber, Chapter = (int)filing.Chapter, filing.PetitionDate, PrePetition = amount.ToPlainString(), TransactionId = transferId }, description);
            total += amount;
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return new BankruptcyOutcome(await FindAsync(caseNumber, cancellationToken), false,
            $"Entered {description}: the stay holds collections on {Plural(accounts.Count, "account")}; {total} owed on the petition date moved to the bankruptcy claim.");
    }

    /// <summary>A trustee's payment, spread over the claim oldest first, each account's part posted on that account (cash in, the bankruptcy receivable down).</summary>
    public async Task<BankruptcyOutcome> PayAsync(TrusteePaymentRequest request, string user, CancellationToken cancellationToken = default) =>
        await PayOnAsync(request, user, calendar.Today(), cancellationToken);

    internal async Task<BankruptcyOutcome> PayOnAsync(TrusteePaymentRequest request, string user, DateOnly today, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = Idempotency.CheckKey(request.IdempotencyKey, user);
        if (request.Tender is not (Tender.Check or Tender.Ach))
        {
            throw new DomainException("A trustee pays by check or by EFT (ACH).", "tender");
        }

        var reference = Required(request.Reference, 50, "reference", "The trustee's check or EFT number");
        var found = await FindRowAsync(request.CaseNumber, cancellationToken);
        var fingerprint = Idempotency.Fingerprint("trustee-payment", found.Id, request.Amount.Cents, request.Tender, reference);
        if (await EarlierPaymentAsync(key, fingerprint, found.CaseNumber, cancellationToken) is { } earlier)
        {
            return earlier;
        }

        var now = clock.GetUtcNow();
        var caseAccounts = await db.BankruptcyAccounts.AsNoTracking().Where(a => a.CaseId == found.Id).ToListAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await AccountLocks.LockAccountsAsync(db, [.. caseAccounts.Select(a => a.AccountId)], cancellationToken);
        if (await EarlierPaymentAsync(key, fingerprint, found.CaseNumber, cancellationToken) is { } raced)
        {
            await transaction.RollbackAsync(cancellationToken);
            return raced;
        }

        var row = await db.BankruptcyCases.AsNoTracking().SingleAsync(c => c.Id == found.Id, cancellationToken);
        if (row.Status != BankruptcyStatus.Open)
        {
            throw new DomainException($"Case {row.CaseNumber} was {row.Status.ToString().ToLowerInvariant()} on {row.ClosedOn:yyyy-MM-dd}; a trustee's payment after it goes back to the trustee.", "caseNumber");
        }

        var claims = await db.BankruptcyClaims.Where(c => c.CaseId == row.Id).OrderBy(c => c.Id).ToListAsync(cancellationToken);
        var applied = Bankruptcies.ApplyPayment(claims.Select(c => new ClaimPart(c.Id, c.Service, c.DueOn, Money.FromCents(c.OpenCents))), request.Amount);
        var payment = new BankruptcyPaymentRow
        {
            CaseId = row.Id,
            AmountCents = request.Amount.Cents,
            ReceivedOn = today,
            Tender = request.Tender,
            Reference = reference,
            PostedBy = user,
            PostedAt = now,
            IdempotencyKey = Idempotency.KeyFor(key, user),
            RequestFingerprint = fingerprint,
        };
        db.BankruptcyPayments.Add(payment);
        if (await Idempotency.SaveOrFindEarlierAsync(db, transaction, key, () => EarlierPaymentAsync(key, fingerprint, row.CaseNumber, cancellationToken), "trustee payment", cancellationToken) is { } collided)
        {
            return collided;
        }

        var byClaim = claims.ToDictionary(c => c.Id);
        foreach (var (caseAccountId, parts) in applied.GroupBy(a => byClaim[a.Key].CaseAccountId).Select(g => (g.Key, g.ToList())))
        {
            var accountId = caseAccounts.Single(a => a.Id == caseAccountId).AccountId;
            var amount = Money.Sum(parts.Select(p => p.Amount));
            var ledger = await AccountLedger.LoadAsync(db, accountId, cancellationToken);
            var posted = ledger.Post(db, PostingRules.ForTrusteePayment(amount), today, today, null, user,
                $"Trustee payment {payment.Id} ({reference}) on the pre-petition claim in case {row.CaseNumber}", now);
            await db.SaveChangesAsync(cancellationToken);
            foreach (var (claimId, part) in parts)
            {
                byClaim[claimId].OpenCents -= part.Cents;
            }

            db.BankruptcyPaymentLines.Add(new BankruptcyPaymentLineRow { PaymentId = payment.Id, CaseAccountId = caseAccountId, AccountId = accountId, AmountCents = amount.Cents, TransactionId = posted.Id });
            AuditLog.Record(db, now, user, "BankruptcyPayment", payment.Id, accountId, "Trustee payment", null,
                new { Case = row.CaseNumber, Amount = amount.ToPlainString(), TransactionId = posted.Id }, reference);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        var view = await FindAsync(row.CaseNumber, cancellationToken);
        return new BankruptcyOutcome(view, false, $"Trustee payment of {request.Amount} ({reference}) applied to case {row.CaseNumber}; {view.Remaining} of the claim is still owed.");
    }

    /// <summary>A discharge: what is left of each account's claim written off (reason BANKRUPTCY), the stay ended. Never twice.</summary>
    public Task<BankruptcyOutcome> DischargeAsync(string caseNumber, string? note, string user, CancellationToken cancellationToken = default) =>
        CloseAsync(caseNumber, BankruptcyStatus.Discharged, note, user, calendar.Today(), cancellationToken);

    /// <summary>A dismissal: what is left of each account's claim back on the account, due as it was, the stay ended. Never twice.</summary>
    public Task<BankruptcyOutcome> DismissAsync(string caseNumber, string? note, string user, CancellationToken cancellationToken = default) =>
        CloseAsync(caseNumber, BankruptcyStatus.Dismissed, note, user, calendar.Today(), cancellationToken);

    internal async Task<BankruptcyOutcome> CloseAsync(string caseNumber, BankruptcyStatus outcome, string? note, string user, DateOnly today, CancellationToken cancellationToken)
    {
        var checkedNote = Optional(note, Bankruptcies.NoteLengthMax, "note", "The note");
        var found = await FindRowAsync(caseNumber, cancellationToken);
        var caseAccounts = await db.BankruptcyAccounts.AsNoTracking().Where(a => a.CaseId == found.Id).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await AccountLocks.LockAccountsAsync(db, [.. caseAccounts.Select(a => a.AccountId)], cancellationToken);
        var row = await db.BankruptcyCases.SingleAsync(c => c.Id == found.Id, cancellationToken);
        if (row.Status == outcome && row.ClosedBy == user)
        {
            await transaction.RollbackAsync(cancellationToken);
            return new BankruptcyOutcome(await FindAsync(row.CaseNumber, cancellationToken), true, $"Case {row.CaseNumber} was already {Verb(outcome)}; nothing was posted again.");
        }

        row.Close(outcome, today, user, checkedNote.Length > 0 ? checkedNote : null);
        var claims = await db.BankruptcyClaims.Where(c => c.CaseId == row.Id && c.OpenCents > 0).OrderBy(c => c.Id).ToListAsync(cancellationToken);
        var total = Money.Zero;
        foreach (var caseAccount in caseAccounts)
        {
            var open = claims.Where(c => c.CaseAccountId == caseAccount.Id).ToList();
            var remaining = Money.FromCents(open.Sum(c => c.OpenCents));
            var tracked = await db.BankruptcyAccounts.SingleAsync(a => a.Id == caseAccount.Id, cancellationToken);
            if (remaining.IsPositive)
            {
                var ledger = await AccountLedger.LoadAsync(db, caseAccount.AccountId, cancellationToken);
                var text = $"{(outcome == BankruptcyStatus.Discharged ? "Discharged" : "Dismissed")} in case {row.CaseNumber}";
                var posted = outcome == BankruptcyStatus.Discharged
                    ? ledger.Post(db, PostingRules.ForBankruptcyDischarge(remaining), today, today, null, user, $"{text}: the pre-petition claim written off", now)
                    : ledger.Post(db, PostingRules.ForBankruptcyReturn(remaining), today, open.Min(c => c.DueOn),
                        [.. open.GroupBy(c => c.Service).OrderBy(g => g.Key).Select(g => new AccountLedger.ChargePart(g.Key, Money.FromCents(g.Sum(c => c.OpenCents))))],
                        user, $"{text}: the pre-petition balance back on the account", now);
                await db.SaveChangesAsync(cancellationToken);
                tracked.ClosingTransactionId = posted.Id;
                if (outcome == BankruptcyStatus.Discharged)
                {
                    db.WriteOffs.Add(new WriteOff
                    {
                        AccountId = caseAccount.AccountId,
                        AmountCents = remaining.Cents,
                        ReasonCode = "BANKRUPTCY",
                        Note = $"Discharged in case {row.CaseNumber}",
                        FinancialTransactionId = posted.Id,
                        WrittenOffBy = user,
                        WrittenOffAt = now,
                    });
                }

                foreach (var claim in open)
                {
                    claim.OpenCents = 0;
                }

                total += remaining;
            }

            var protection = await db.AccountProtections.SingleAsync(p => p.Id == caseAccount.ProtectionId, cancellationToken);
            if (protection.EndedOn is null)
            {
                EndProtection.Close(db, protection, today, now, user, $"Case {row.CaseNumber} {Verb(outcome)}");
            }

            AuditLog.Record(db, now, user, "BankruptcyCase", row.Id, caseAccount.AccountId, outcome == BankruptcyStatus.Discharged ? "Bankruptcy discharged" : "Bankruptcy dismissed",
                new { Status = BankruptcyStatus.Open }, new { Status = outcome, Remaining = remaining.ToPlainString(), TransactionId = tracked.ClosingTransactionId }, checkedNote.Length > 0 ? checkedNote : null);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        var message = outcome == BankruptcyStatus.Discharged
            ? $"Case {row.CaseNumber} discharged: {total} of the pre-petition claim written off; the stay has ended."
            : $"Case {row.CaseNumber} dismissed: {total} of the pre-petition claim is back on the accounts for collection; the stay has ended.";
        return new BankruptcyOutcome(await FindAsync(row.CaseNumber, cancellationToken), false, message);
    }

    /// <summary>Cases, newest petition first: open ones, closed ones of an outcome, or all.</summary>
    public async Task<IReadOnlyList<BankruptcyCaseView>> ListAsync(BankruptcyStatus? status = null, CancellationToken cancellationToken = default)
    {
        var rows = db.BankruptcyCases.AsNoTracking();
        if (status is { } wanted)
        {
            rows = rows.Where(c => c.Status == wanted);
        }

        return await ViewsAsync(await rows.OrderByDescending(c => c.PetitionDate).ThenByDescending(c => c.Id).Take(500).ToListAsync(cancellationToken), cancellationToken);
    }

    /// <summary>The open and closed cases covering an account, newest first.</summary>
    public async Task<IReadOnlyList<BankruptcyCaseView>> OfAccountAsync(long accountId, CancellationToken cancellationToken = default)
    {
        var caseIds = db.BankruptcyAccounts.Where(a => a.AccountId == accountId).Select(a => a.CaseId);
        return await ViewsAsync(await db.BankruptcyCases.AsNoTracking().Where(c => caseIds.Contains(c.Id)).OrderByDescending(c => c.Id).ToListAsync(cancellationToken), cancellationToken);
    }

    public async Task<BankruptcyCaseView?> FindOrNullAsync(string? caseNumber, CancellationToken cancellationToken = default)
    {
        var number = caseNumber?.Trim() ?? "";
        var row = await db.BankruptcyCases.AsNoTracking().SingleOrDefaultAsync(c => c.CaseNumber == number, cancellationToken);
        return row is null ? null : (await ViewsAsync([row], cancellationToken))[0];
    }

    /// <summary>The views of cases in the order given, each read once for all of them: a list of cases costs the same handful of queries as one.</summary>
    private async Task<IReadOnlyList<BankruptcyCaseView>> ViewsAsync(IReadOnlyList<BankruptcyCaseRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return [];
        }

        var caseIds = rows.Select(r => r.Id).ToList();
        var caseAccounts = (await db.BankruptcyAccounts.AsNoTracking().Where(a => caseIds.Contains(a.CaseId)).OrderBy(a => a.Id).ToListAsync(cancellationToken)).ToLookup(a => a.CaseId);
        var ids = caseAccounts.SelectMany(g => g).Select(a => a.AccountId).Distinct().ToList();
        var protectionIds = caseAccounts.SelectMany(g => g).Select(a => a.ProtectionId).ToList();
        var numbers = await db.Accounts.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.AccountNumber, cancellationToken);
        var holders = (await db.AccountCustomers.AsNoTracking().Where(ac => ids.Contains(ac.AccountId) && ac.Role == AccountRole.Main)
                .Join(db.Customers, ac => ac.CustomerId, c => c.Id, (ac, c) => new { ac.AccountId, c.DisplayName }).ToListAsync(cancellationToken))
            .GroupBy(x => x.AccountId).ToDictionary(g => g.Key, g => g.First().DisplayName);
        var balances = await AccountLedger.BalancesAsync(db, ids, cancellationToken);
        var openClaims = (await db.BankruptcyClaims.AsNoTracking().Where(c => caseIds.Contains(c.CaseId)).GroupBy(c => c.CaseAccountId)
                .Select(g => new { CaseAccountId = g.Key, Open = g.Sum(c => c.OpenCents) }).ToListAsync(cancellationToken))
            .ToDictionary(c => c.CaseAccountId, c => c.Open);
        var stays = await db.AccountProtections.AsNoTracking().Where(p => protectionIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        var payments = (await db.BankruptcyPayments.AsNoTracking().Where(p => caseIds.Contains(p.CaseId)).OrderBy(p => p.Id).ToListAsync(cancellationToken)).ToLookup(p => p.CaseId);
        var paymentIds = payments.SelectMany(g => g).Select(p => p.Id).ToList();
        var lines = (await db.BankruptcyPaymentLines.AsNoTracking().Where(l => paymentIds.Contains(l.PaymentId)).OrderBy(l => l.Id).ToListAsync(cancellationToken)).ToLookup(l => l.PaymentId);
        var paidBy = lines.SelectMany(l => l).GroupBy(l => l.CaseAccountId).ToDictionary(g => g.Key, g => g.Sum(l => l.AmountCents));
        var today = calendar.Today();

        return [.. rows.Select(row =>
        {
            var accounts = caseAccounts[row.Id].Select(a => new BankruptcyAccountView(a.AccountId, numbers[a.AccountId], holders.GetValueOrDefault(a.AccountId, ""),
                Money.FromCents(a.PrePetitionCents), Money.FromCents(paidBy.GetValueOrDefault(a.Id)), Money.FromCents(openClaims.GetValueOrDefault(a.Id)),
                Money.FromCents(balances.GetValueOrDefault(a.AccountId)), stays.TryGetValue(a.ProtectionId, out var stay) && stay.IsActiveOn(today))).ToList();
            var prePetition = Money.FromCents(caseAccounts[row.Id].Sum(a => a.PrePetitionCents));
            var paid = Money.FromCents(payments[row.Id].Sum(p => p.AmountCents));
            var remaining = Money.Sum(accounts.Select(a => a.Remaining));
            var closed = prePetition - paid - remaining;
            return new BankruptcyCaseView(row.Id, row.CaseNumber, row.Chapter, row.Court, row.PetitionDate, row.DebtorName, row.Attorney, row.Trustee, row.Status,
                Bankruptcies.Describe(row.Chapter, row.CaseNumber, row.Court, row.PetitionDate), row.FiledBy, row.FiledAt, row.ClosedOn, row.ClosedBy, row.CloseNote,
                prePetition, paid, remaining,
                row.Status == BankruptcyStatus.Discharged ? closed : Money.Zero, row.Status == BankruptcyStatus.Dismissed ? closed : Money.Zero, accounts,
                [.. payments[row.Id].Select(p => new TrusteePaymentView(p.Id, Money.FromCents(p.AmountCents), p.ReceivedOn, p.Reference, p.PostedBy, p.PostedAt,
                    [.. lines[p.Id].Select(l => new TrusteePaymentLineView(numbers[l.AccountId], Money.FromCents(l.AmountCents), l.TransactionId))]))]);
        })];
    }

    public async Task<BankruptcyCaseView> FindAsync(string caseNumber, CancellationToken cancellationToken = default) =>
        await FindOrNullAsync(caseNumber, cancellationToken) ?? throw new DomainException($"There is no bankruptcy case {caseNumber}.", "caseNumber");

    private async Task<BankruptcyCaseRow> FindRowAsync(string? caseNumber, CancellationToken cancellationToken)
    {
        var number = caseNumber?.Trim() ?? "";
        return await db.BankruptcyCases.AsNoTracking().SingleOrDefaultAsync(c => c.CaseNumber == number, cancellationToken)
            ?? throw new DomainException($"There is no bankruptcy case {caseNumber}.", "caseNumber");
    }

    private async Task<BankruptcyOutcome?> EarlierFilingAsync(RequestKey? key, string fingerprint, CancellationToken cancellationToken) =>
        await Idempotency.EarlierAsync(db.BankruptcyCases, BankruptcyCaseRow.RequestKey, key, c => new { c.Id, c.CaseNumber, c.RequestFingerprint }, c => c.RequestFingerprint == fingerprint,
                c => $"bankruptcy case {c.CaseNumber}", cancellationToken) is { } earlier
            ? new BankruptcyOutcome(await FindAsync(earlier.CaseNumber, cancellationToken), true, $"Case {earlier.CaseNumber} was already entered; nothing was posted again.")
            : null;

    private async Task<BankruptcyOutcome?> EarlierPaymentAsync(RequestKey? key, string fingerprint, string caseNumber, CancellationToken cancellationToken) =>
        await Idempotency.EarlierAsync(db.BankruptcyPayments, BankruptcyPaymentRow.RequestKey, key, p => new { p.Id, p.RequestFingerprint }, p => p.RequestFingerprint == fingerprint,
                p => $"trustee payment {p.Id}", cancellationToken) is { } earlier
            ? new BankruptcyOutcome(await FindAsync(caseNumber, cancellationToken), true, $"Trustee payment {earlier.Id} was already posted; nothing was posted again.")
            : null;

    private static string Verb(BankruptcyStatus status) => status.ToString().ToLowerInvariant();

    private static string Plural(int count, string noun) => $"{count} {noun}{(count == 1 ? "" : "s")}";

    private static string Required(string? text, int max, string field, string what)
    {
        var trimmed = Optional(text, max, field, what);
        return trimmed.Length > 0 ? trimmed : throw new DomainException($"{what} is required.", field);
    }

    private static string Optional(string? text, int max, string field, string what)
    {
        var trimmed = text?.Trim() ?? "";
        return trimmed.Length <= max ? trimmed : throw new DomainException($"{what} can be at most {max} characters.", field);
    }
}
