using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Cases;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Cases;
using OpenCIS.Storage.Collections;
using OpenCIS.UseCases.Collections;

namespace OpenCIS.UseCases.Cases;

/// <summary>A case to open: its type, what it is about, the disputed amount (a billing dispute), and whom to give it to.</summary>
public sealed record CaseRequest(CaseKind Kind, string? Subject, string? Description = null, Money? Amount = null, string? AssignTo = null);

public sealed record CaseChangeView(CaseStatus? From, CaseStatus To, string What, string? Note, string ChangedBy, DateTimeOffset ChangedAt);

public sealed record CaseView(
    long Id,
    long AccountId,
    string AccountNumber,
    string Kind,
    string TypeName,
    string Status,
    string Subject,
    string Description,
    long? AmountCents,
    long? ProtectionId,
    string Queue,
    string? AssignedTo,
    DateOnly OpenedOn,
    DateOnly DueOn,
    bool Overdue,
    string OpenedBy,
    DateOnly? ResolvedOn,
    string? Resolution,
    string? ResolvedBy,
    IReadOnlyList<string> Resolutions,
    IReadOnlyList<CaseChangeView> Changes)
{
    public static CaseView Of(AccountCase c, string accountNumber, DateOnly today) => new(
        c.Id, c.AccountId, accountNumber, CaseTypes.Key(c.Kind), CaseTypes.For(c.Kind).Name, c.Status.ToString(), c.Subject, c.Description, c.AmountCents, c.ProtectionId,
        c.Queue, c.AssignedTo, c.OpenedOn, c.DueOn, c.IsOpen && c.DueOn < today, c.OpenedBy, c.ResolvedOn, c.Resolution, c.ResolvedBy,
        CaseTypes.For(c.Kind).Resolutions, [.. c.Changes.OrderBy(h => h.Id).Select(h => new CaseChangeView(h.FromStatus, h.ToStatus, h.What, h.Note, h.ChangedBy, h.ChangedAt))]);
}

public sealed record CaseOutcome(CaseView Case, string Message);

/// <summary>
/// Opens and works cases on an account, each change audited and kept in the case's history. A billing dispute
/// names the amount in dispute and enters a dispute protection for it in the same transaction (so the daily
/// collections run holds that amount out); resolving the case ends that protection.
/// </summary>
public sealed class CaseWork(OpenCisDbContext db, BusinessCalendar calendar, TimeProvider clock, EnterProtection protections, Letters.SendLetter letters)
{
    public async Task<CaseOutcome> OpenAsync(long accountId, CaseRequest request, string user, CancellationToken cancellationToken = default)
    {
        var account = await CollectionWorkRules.FindAccountAsync(db, accountId, cancellationToken);
        if (!Enum.IsDefined(request.Kind))
        {
            throw new DomainException($"'{request.Kind}' is not a case type.", "kind");
        }

        var type = CaseTypes.For(request.Kind);
        var subject = CollectionWorkRules.Required(request.Subject, "subject", "subject", CaseTypes.SubjectLengthMax);
        var description = CollectionWorkRules.Text(request.Description, "description", "description", CaseTypes.TextLengthMax, required: false) ?? "";
        var assignTo = string.IsNullOrWhiteSpace(request.AssignTo) ? null : CollectionWorkRules.Required(request.AssignTo, "assignTo", "person to assign it to", AccountCase.UserLengthMax);
        long? amount = null;
        if (type.TakesAmount)
        {
            if (request.Amount is not { IsPositive: true } disputed)
            {
                throw new DomainException($"A {type.Name.ToLowerInvariant()} names the amount in dispute, more than $0.00.", "amount");
            }

            var balance = await Ledger.AccountLedger.BalancesAsync(db, [accountId], cancellationToken);
            if (disputed.Cents > balance.GetValueOrDefault(accountId))
            {
                throw new DomainException($"The amount in dispute, {disputed}, is more than account {account.AccountNumber} owes ({Money.FromCents(balance.GetValueOrDefault(accountId))}).", "amount");
            }

            amount = disputed.Cents;
        }
        else if (request.Amount is not null)
        {
            throw new DomainException($"A {type.Name.ToLowerInvariant()} names no amount; only a billing dispute does.", "amount");
        }

        var today = calendar.Today();
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var @case = AccountCase.Open(accountId, request.Kind, subject, description, amount, assignTo, today, user, now);
        db.AccountCases.Add(@case);
        await db.SaveChangesAsync(cancellationToken);
        if (amount is { } cents)
        {
            var (protection, _) = await protections.AddAsync(account, new ProtectionRequest(ProtectionKind.Dispute, today, Amount: Money.FromCents(cents), Note: $"Case {@case.Id}: {subject}"), user, cancellationToken);
            @case.LinkProtection(protection.Id);
        }

        AuditLog.Record(db, now, user, "AccountCase", @case.Id, accountId, "Open case", null,
            new { Kind = @case.Kind.ToString(), @case.Subject, @case.AmountCents, @case.Queue, @case.AssignedTo, @case.DueOn }, subject);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var view = CaseView.Of(@case, account.AccountNumber, today);
        return new CaseOutcome(view, $"Opened {type.Name.ToLowerInvariant()} {@case.Id} on account {account.AccountNumber}, due {@case.DueOn:yyyy-MM-dd}{(assignTo is null ? $", in the {@case.Queue} queue" : $", assigned to {assignTo}")}{(amount is { } a ? $"; {Money.FromCents(a)} held out of collections" : "")}.");
    }

    public Task<CaseOutcome> AssignAsync(long caseId, string? assignTo, string? queue, string? note, string user, CancellationToken cancellationToken = default) =>
        ChangeAsync(caseId, user, "Assign case", cancellationToken, (c, now) =>
        {
            c.Assign(assignTo ?? "", queue, note, user, now);
            return $"Assigned case {c.Id} to {c.AssignedTo}.";
        });

    public Task<CaseOutcome> WaitAsync(long caseId, CaseStatus waitingOn, string? note, string user, CancellationToken cancellationToken = default) =>
        ChangeAsync(caseId, user, "Case waits", cancellationToken, (c, now) =>
        {
            c.WaitOn(waitingOn, note, user, now);
            return $"Case {c.Id} is waiting on the {(waitingOn == CaseStatus.WaitingOnCustomer ? "customer" : "field")}.";
        });

    public Task<CaseOutcome> NoteAsync(long caseId, string? note, string user, CancellationToken cancellationToken = default) =>
        ChangeAsync(caseId, user, "Case note", cancellationToken, (c, now) =>
        {
            c.AddNote(CollectionWorkRules.Required(note, "note", "note", CaseTypes.TextLengthMax), user, now);
            return $"Added a note to case {c.Id}.";
        });

    public Task<CaseOutcome> ResolveAsync(long caseId, string? resolution, string? note, string user, CancellationToken cancellationToken = default) =>
        ChangeAsync(caseId, user, "Resolve case", cancellationToken, async (c, now) =>
        {
            var today = calendar.Today();
            c.Resolve(resolution ?? "", note, today, user, now);
            if (c.ProtectionId is { } protectionId
                && await db.AccountProtections.SingleOrDefaultAsync(p => p.Id == protectionId, cancellationToken) is { EndedOn: null } protection)
            {
                EndProtection.Close(db, protection, today, now, user, $"Case {c.Id} resolved: {c.Resolution}");
            }

            var letter = await DecisionLetterAsync(c, note, today, user, now, cancellationToken);
            return $"Resolved case {c.Id}: {c.Resolution}{(c.ProtectionId is null ? "" : "; the disputed amount is back in collections")}"
                + (letter is null ? "." : $"; {(c.Kind == CaseKind.BillingDispute ? "decision" : "result")} letter {letter.Id} {(letter.Delivery == Storage.Collections.NoticeDelivery.Email ? "e-mailed" : "to mail")}.");
        });

    /// <summary>A high-bill investigation's result or a billing dispute's decision goes to the customer as a letter (when its template is in the store).</summary>
    private async Task<Storage.Letters.Letter?> DecisionLetterAsync(AccountCase c, string? note, DateOnly today, string user, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var kind = c.Kind switch
        {
            CaseKind.HighBillInvestigation => NoticeTemplates.HighBillResult,
            CaseKind.BillingDispute => NoticeTemplates.DisputeDecision,
            _ => null,
        };
        if (kind is null)
        {
            return null;
        }

        await db.SaveChangesAsync(cancellationToken);
        return await letters.AddAsync(new Letters.LetterToSend(c.AccountId, kind, $"case:{c.Id}",
            language => new Dictionary<string, string>
            {
                ["case.number"] = c.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["case.subject"] = c.Subject,
                ["case.resolution"] = Billing.BillText.Get(language, $"Resolution_{c.Resolution}"),
                ["case.note"] = note?.Trim() ?? "",
                ["case.amount"] = c.AmountCents is { } cents ? Money.FromCents(cents).ToString() : "",
            }), today, user, now, cancellationToken);
    }

    private Task<CaseOutcome> ChangeAsync(long caseId, string user, string action, CancellationToken cancellationToken, Func<AccountCase, DateTimeOffset, string> change) =>
        ChangeAsync(caseId, user, action, cancellationToken, (c, now) => Task.FromResult(change(c, now)));

    private async Task<CaseOutcome> ChangeAsync(long caseId, string user, string action, CancellationToken cancellationToken, Func<AccountCase, DateTimeOffset, Task<string>> change)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var @case = await db.AccountCases.Include(c => c.Changes).SingleOrDefaultAsync(c => c.Id == caseId, cancellationToken)
                    ?? throw new DomainException($"There is no case {caseId}.", "caseId");
        var before = new { Status = @case.Status.ToString(), @case.AssignedTo, @case.Queue };
        var now = clock.GetUtcNow();
        var message = await change(@case, now);
        AuditLog.Record(db, now, user, "AccountCase", @case.Id, @case.AccountId, action, before,
            new { Status = @case.Status.ToString(), @case.AssignedTo, @case.Queue, @case.Resolution }, @case.Changes[^1].Note ?? @case.Changes[^1].What);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var number = await db.Accounts.Where(a => a.Id == @case.AccountId).Select(a => a.AccountNumber).SingleAsync(cancellationToken);
        return new CaseOutcome(CaseView.Of(@case, number, calendar.Today()), message);
    }
}
