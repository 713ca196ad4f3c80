using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Collections;

namespace OpenCIS.Storage.Collections;

/// <summary>
/// One version of a collection policy, kept as the YAML it was imported from (the text is the policy;
/// the columns beside it are for listing and choosing). A new import of the same code adds a version;
/// versions are never changed, so a past run can always be explained by the policy it used.
/// </summary>
public sealed class CollectionPolicyVersion
{
    public const int CodeLengthMax = 40;
    public const int NameLengthMax = 200;

    /// <summary>The account classes and debt types, comma-joined, fit in this many characters.</summary>
    public const int ListLengthMax = 400;

    public long Id { get; private set; }
    public string Code { get; private set; } = "";
    public int Version { get; private set; }
    public string Name { get; private set; } = "";
    public DateOnly EffectiveFrom { get; private set; }

    /// <summary>The account classes the policy applies to, comma-separated; empty for all.</summary>
    public string AccountClasses { get; private set; } = "";

    /// <summary>The debt types the policy applies to, comma-separated; empty for all.</summary>
    public string DebtTypes { get; private set; } = "";

    public string Yaml { get; private set; } = "";

    /// <summary>SHA-256 of the YAML, hex: importing the same text again adds no version.</summary>
    public string Fingerprint { get; private set; } = "";

    public DateTimeOffset ImportedAt { get; private set; }
    public string ImportedBy { get; private set; } = "";

    public static CollectionPolicyVersion Create(CollectionPolicy policy, int version, string yaml, string fingerprint, string importedBy, DateTimeOffset now) => new()
    {
        Code = policy.Code,
        Version = version,
        Name = policy.Name,
        EffectiveFrom = policy.EffectiveFrom,
        AccountClasses = string.Join(",", policy.AccountClasses.IsDefault ? [] : policy.AccountClasses),
        DebtTypes = string.Join(",", policy.DebtTypes.IsDefault ? [] : policy.DebtTypes),
        Yaml = yaml,
        Fingerprint = fingerprint,
        ImportedAt = now,
        ImportedBy = importedBy,
    };
}

/// <summary>Where an account stands in collections, by the last step taken.</summary>
public enum CollectionStatus
{
    /// <summary>Nothing past due.</summary>
    Current,

    /// <summary>Past due, no notice yet.</summary>
    PastDue,
    Reminded,
    FinalNotice,
    DoorHanger,
    DisconnectEligible,
    Disconnected,
}

/// <summary>
/// An account's standing in collections, kept by the daily run: its status (the last step taken), how far
/// past due it is, whether it is on the disconnect list, what protects it, and the explanation of the last
/// day the run looked at it. The steps themselves are <see cref="CollectionEventRecord"/>s.
/// </summary>
public sealed class AccountCollection
{
    public const int ExplanationLengthMax = 2000;

    public long AccountId { get; private set; }
    public string PolicyCode { get; private set; } = "";
    public CollectionStatus Status { get; private set; }
    public int DaysPastDue { get; private set; }
    public long PastDueCents { get; private set; }

    /// <summary>On the disconnect list, since <see cref="ListedOn"/>, for <see cref="ListReason"/>.</summary>
    public bool Listed { get; private set; }

    public DateOnly? ListedOn { get; private set; }
    public string? ListReason { get; private set; }

    /// <summary>The protection holding the next step or keeping the account off the list, in words.</summary>
    public string? ProtectedBy { get; private set; }

    /// <summary>The final (shut-off) notice pending, and the earliest disconnect date it printed.</summary>
    public DateOnly? FinalNoticeOn { get; private set; }

    public DateOnly? EarliestDisconnectOn { get; private set; }
    public string Explanation { get; private set; } = "";
    public DateOnly LastRunOn { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public static AccountCollection For(long accountId) => new() { AccountId = accountId, Status = CollectionStatus.Current };

    /// <summary>The standing the run decided for <paramref name="date"/>.</summary>
    public void Update(string policyCode, CollectionStatus status, int daysPastDue, long pastDueCents, bool listed, DateOnly? listedOn, string? listReason,
        string? protectedBy, DateOnly? finalNoticeOn, DateOnly? earliestDisconnectOn, string explanation, DateOnly date, DateTimeOffset now)
    {
        PolicyCode = policyCode;
        Status = status;
        DaysPastDue = daysPastDue;
        PastDueCents = pastDueCents;
        Listed = listed;
        ListedOn = listedOn;
        ListReason = Trim(listReason);
        ProtectedBy = Trim(protectedBy);
        FinalNoticeOn = finalNoticeOn;
        EarliestDisconnectOn = earliestDisconnectOn;
        Explanation = Trim(explanation) ?? "";
        LastRunOn = date;
        UpdatedAt = now;
    }

    /// <summary>A disconnect order completed: the account is off the list and disconnected.</summary>
    public void MarkDisconnected(DateOnly date, DateTimeOffset now)
    {
        Status = CollectionStatus.Disconnected;
        Listed = false;
        Explanation = $"disconnected on {date:yyyy-MM-dd}";
        UpdatedAt = now;
        LastRunOn = LastRunOn < date ? LastRunOn : date;
    }

    /// <summary>A reconnect order completed: service is back, and the account starts again as current (the next run decides anew).</summary>
    public void MarkReconnected(DateOnly date, DateTimeOffset now)
    {
        if (Status != CollectionStatus.Disconnected)
        {
            throw new Core.Common.DomainException($"Account {AccountId} is {Status}, not disconnected; there is nothing to reconnect.", "status");
        }

        Status = CollectionStatus.Current;
        Listed = false;
        ListedOn = null;
        ListReason = null;
        Explanation = $"reconnected on {date:yyyy-MM-dd}";
        UpdatedAt = now;
    }

    private static string? Trim(string? text) => text is null || text.Length <= ExplanationLengthMax ? text : text[..ExplanationLengthMax];
}

/// <summary>
/// One thing collections did on an account on a business date (a late charge with its calculation, a notice,
/// a step held by a protection), in the core's words. Append-only: the account's history of steps, and the
/// history the next day's run starts from.
/// </summary>
public sealed class CollectionEventRecord
{
    public const int ReasonLengthMax = 2000;

    public long Id { get; set; }
    public long AccountId { get; init; }
    public DateOnly BusinessDate { get; init; }
    public long? CollectionRunId { get; init; }
    public CollectionAction Action { get; init; }
    public StepKind? Step { get; init; }
    public long? AmountCents { get; init; }
    public string? BillReference { get; init; }
    public string Reason { get; init; } = "";

    /// <summary>The posting of a late charge or fee.</summary>
    public long? FinancialTransactionId { get; set; }

    /// <summary>
    /// The posting of the bill a late charge decision (charged or not) was about: the next days' runs know that
    /// open item for this bill from the account's history without reading the ledger again.
    /// </summary>
    public long? BillTransactionId { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public CollectionEvent ToCore() => new(BusinessDate, Action, AmountCents is { } cents ? Core.Common.Money.FromCents(cents) : null, Reason, Step, BillReference);

    public static CollectionEventRecord From(long accountId, long? runId, CollectionEvent e, DateTimeOffset now) => new()
    {
        AccountId = accountId,
        BusinessDate = e.Date,
        CollectionRunId = runId,
        Action = e.Action,
        Step = e.Step,
        AmountCents = e.Amount?.Cents,
        BillReference = e.Bill,
        Reason = e.Reason.Length <= ReasonLengthMax ? e.Reason : e.Reason[..ReasonLengthMax],
        CreatedAt = now,
    };
}

public enum CollectionRunStatus
{
    Running,
    Completed,
}

/// <summary>The daily collections run for one business date: unique per date, so a second run of a date does nothing.</summary>
public sealed class CollectionRun
{
    public long Id { get; private set; }
    public DateOnly BusinessDate { get; private set; }
    public CollectionRunStatus Status { get; private set; }
    public DateTimeOffset StartedAt { get; private set; }
    public string StartedBy { get; private set; } = "";
    public DateTimeOffset? CompletedAt { get; private set; }
    public int AccountsSelected { get; private set; }
    public int LateCharges { get; private set; }
    public long LateChargeCents { get; private set; }
    public int Notices { get; private set; }
    public int Listed { get; private set; }
    public int Protected { get; private set; }

    public static CollectionRun Start(DateOnly businessDate, string user, DateTimeOffset now) =>
        new() { BusinessDate = businessDate, Status = CollectionRunStatus.Running, StartedAt = now, StartedBy = user };

    internal void Select(int accounts) => AccountsSelected = accounts;

    internal void Complete(int lateCharges, long lateChargeCents, int notices, int listed, int @protected, DateTimeOffset now)
    {
        Status = CollectionRunStatus.Completed;
        LateCharges = lateCharges;
        LateChargeCents = lateChargeCents;
        Notices = notices;
        Listed = listed;
        Protected = @protected;
        CompletedAt = now;
    }
}

/// <summary>A run's accounts by consecutive ids: one transaction each, so a killed run resumes with the pending ones.</summary>
public sealed class CollectionRunChunk
{
    public long CollectionRunId { get; init; }
    public int Sequence { get; init; }
    public long FirstAccountId { get; init; }
    public long LastAccountId { get; init; }
    public int AccountCount { get; init; }
    public Billing.BillingChunkStatus Status { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public string? Worker { get; init; }
}

/// <summary>The protections a person records on an account.</summary>
public enum ProtectionKind
{
    /// <summary>A physician's certificate, from and to its dates.</summary>
    MedicalCertificate,

    /// <summary>Life-support equipment in the home.</summary>
    LifeSupport,

    /// <summary>A dispute over an amount: only that amount is protected.</summary>
    Dispute,

    /// <summary>A bankruptcy stay (the recovery work sets it).</summary>
    BankruptcyStay,

    /// <summary>The premise is tenant-occupied: the owner or third-party recipient must be noticed first.</summary>
    TenantOccupied,
}

/// <summary>
/// A protection entered on an account, from a date, to a date or until ended. Entering and ending are
/// audited; a protection is never deleted, only ended.
/// </summary>
public sealed class AccountProtection
{
    public const int NoteLengthMax = 1000;

    public long Id { get; private set; }
    public long AccountId { get; private set; }
    public ProtectionKind Kind { get; private set; }
    public DateOnly StartsOn { get; private set; }
    public DateOnly? EndsOn { get; private set; }
    public string? Physician { get; private set; }

    /// <summary>The disputed amount.</summary>
    public long? AmountCents { get; private set; }

    /// <summary>The owner or third-party recipient of a tenant-occupied premise.</summary>
    public string? RecipientName { get; private set; }

    public string? RecipientAddress { get; private set; }
    public string Note { get; private set; } = "";
    public string EnteredBy { get; private set; } = "";
    public DateTimeOffset EnteredAt { get; private set; }
    public DateOnly? EndedOn { get; private set; }
    public string? EndedBy { get; private set; }
    public string? EndReason { get; private set; }

    public static AccountProtection Enter(long accountId, ProtectionKind kind, DateOnly startsOn, DateOnly? endsOn, string? physician, long? amountCents,
        string? recipientName, string? recipientAddress, string note, string enteredBy, DateTimeOffset now) => new()
    {
        AccountId = accountId,
        Kind = kind,
        StartsOn = startsOn,
        EndsOn = endsOn,
        Physician = physician,
        AmountCents = amountCents,
        RecipientName = recipientName,
        RecipientAddress = recipientAddress,
        Note = note,
        EnteredBy = enteredBy,
        EnteredAt = now,
    };

    /// <summary>Whether it stands on <paramref name="date"/>: started, not past its end date, not ended.</summary>
    public bool IsActiveOn(DateOnly date) => StartsOn <= date && (EndsOn is not { } ends || date <= ends) && (EndedOn is not { } ended || date < ended);

    internal void End(DateOnly on, string by, string reason)
    {
        EndedOn = on;
        EndedBy = by;
        EndReason = reason;
    }
}

public enum ArrangementStage
{
    Active,
    Completed,
    Broken,
    Cancelled,
}

/// <summary>A payment arrangement on an account: the arranged amount, the down payment and the installments.</summary>
public sealed class Arrangement
{
    public long Id { get; private set; }
    public long AccountId { get; private set; }
    public DateOnly CreatedOn { get; private set; }
    public long AmountCents { get; private set; }
    public long DownPaymentCents { get; private set; }
    public ArrangementStage Status { get; private set; }
    public DateOnly StatusOn { get; private set; }
    public string StatusReason { get; private set; } = "";

    /// <summary>The policy limit the terms exceed, when a Supervisor approved them anyway.</summary>
    public string? OutsidePolicy { get; private set; }

    public string? ApprovedBy { get; private set; }
    public string CreatedBy { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public List<ArrangementInstallment> Installments { get; private set; } = [];

    public static Arrangement Create(long accountId, PaymentArrangement terms, string? outsidePolicy, string? approvedBy, string createdBy, DateTimeOffset now)
    {
        var arrangement = new Arrangement
        {
            AccountId = accountId,
            CreatedOn = terms.CreatedOn,
            AmountCents = terms.Amount.Cents,
            DownPaymentCents = terms.DownPayment.Cents,
            Status = ArrangementStage.Active,
            StatusOn = terms.CreatedOn,
            StatusReason = "made",
            OutsidePolicy = outsidePolicy,
            ApprovedBy = approvedBy,
            CreatedBy = createdBy,
            CreatedAt = now,
        };
        var number = 0;
        foreach (var installment in terms.Installments)
        {
            arrangement.Installments.Add(new ArrangementInstallment { Number = ++number, DueOn = installment.DueOn, AmountCents = installment.Amount.Cents });
        }

        return arrangement;
    }

    public PaymentArrangement ToCore() => new(CreatedOn, Core.Common.Money.FromCents(AmountCents), Core.Common.Money.FromCents(DownPaymentCents),
        [.. Installments.OrderBy(i => i.Number).Select(i => new Installment(i.DueOn, Core.Common.Money.FromCents(i.AmountCents)))]);

    internal void Decide(ArrangementStage status, DateOnly on, string reason)
    {
        Status = status;
        StatusOn = on;
        StatusReason = reason.Length <= 500 ? reason : reason[..500];
    }
}

public sealed class ArrangementInstallment
{
    public long Id { get; init; }
    public long ArrangementId { get; init; }
    public int Number { get; init; }
    public DateOnly DueOn { get; init; }
    public long AmountCents { get; init; }
}

public enum PromiseStatus
{
    Open,
    Kept,
    Broken,
}

/// <summary>A promise to pay an amount by a date, taken on a contact with the customer.</summary>
public sealed class Promise
{
    public long Id { get; private set; }
    public long AccountId { get; private set; }
    public DateOnly MadeOn { get; private set; }
    public DateOnly PromisedOn { get; private set; }
    public long AmountCents { get; private set; }
    public PromiseStatus Status { get; private set; }
    public DateOnly? DecidedOn { get; private set; }
    public long? ContactId { get; private set; }
    public string TakenBy { get; private set; } = "";
    public DateTimeOffset TakenAt { get; private set; }

    public static Promise Take(long accountId, DateOnly madeOn, DateOnly promisedOn, long amountCents, long? contactId, string takenBy, DateTimeOffset now) => new()
    {
        AccountId = accountId,
        MadeOn = madeOn,
        PromisedOn = promisedOn,
        AmountCents = amountCents,
        Status = PromiseStatus.Open,
        ContactId = contactId,
        TakenBy = takenBy,
        TakenAt = now,
    };

    public PromiseToPay ToCore() => new(MadeOn, PromisedOn, Core.Common.Money.FromCents(AmountCents));

    internal void Decide(PromiseStatus status, DateOnly on)
    {
        Status = status;
        DecidedOn = on;
    }
}

public enum ContactKind
{
    Call,
    Letter,
    Visit,
    Email,

    /// <summary>The customer came to the counter.</summary>
    WalkIn,

    /// <summary>A message through the customer portal.</summary>
    Portal,
}

/// <summary>
/// A contact with the customer about the account (a call, letter, visit, e-mail, walk-in or portal message) with what
/// it was about (its category) and its outcome code.
/// </summary>
public sealed class CollectionContact
{
    public const int OutcomeLengthMax = 40;
    public const int NoteLengthMax = 2000;
    public const int CategoryLengthMax = 20;

    public long Id { get; private set; }
    public long AccountId { get; private set; }
    public ContactKind Kind { get; private set; }
    public string Outcome { get; private set; } = "";

    /// <summary>What the contact was about: billing, payment, service, collections, complaint, moving or other.</summary>
    public string Category { get; private set; } = "collections";

    public string Note { get; private set; } = "";
    public DateTimeOffset ContactedAt { get; private set; }
    public string ContactedBy { get; private set; } = "";

    public static CollectionContact Log(long accountId, ContactKind kind, string category, string outcome, string note, string by, DateTimeOffset at) =>
        new() { AccountId = accountId, Kind = kind, Category = category, Outcome = outcome, Note = note, ContactedBy = by, ContactedAt = at };
}

/// <summary>A note on an account, written by a person. Notes are never edited; a correction is another note.</summary>
public sealed class AccountNote
{
    public const int TextLengthMax = 4000;

    public long Id { get; private set; }
    public long AccountId { get; private set; }
    public string Text { get; private set; } = "";
    public DateTimeOffset WrittenAt { get; private set; }
    public string WrittenBy { get; private set; } = "";

    public static AccountNote Write(long accountId, string text, string by, DateTimeOffset at) => new() { AccountId = accountId, Text = text, WrittenBy = by, WrittenAt = at };
}

public enum WaiverStatus
{
    /// <summary>Beyond the courtesy limit: waits for a Supervisor, posting nothing.</summary>
    Pending,
    Posted,
    Rejected,
}

/// <summary>
/// A waiver of one late charge or collection fee: posted at once as a courtesy within the policy's limit, or
/// waiting for a Supervisor's approval beyond it. Posted, it links the reversing posting.
/// </summary>
public sealed class ChargeWaiver
{
    public const int ReasonLengthMax = 400;

    public long Id { get; private set; }
    public long AccountId { get; private set; }
    public long ChargeTransactionId { get; private set; }
    public long AmountCents { get; private set; }

    /// <summary>Counted against the policy's courtesy waivers (posted without approval).</summary>
    public bool Courtesy { get; private set; }

    public WaiverStatus Status { get; private set; }

    /// <summary>Why the waiver posted or waits, in words ("courtesy waiver 1 of 1 in 12 months").</summary>
    public string Decision { get; private set; } = "";

    public string Reason { get; private set; } = "";
    public DateOnly RequestedOn { get; private set; }
    public string RequestedBy { get; private set; } = "";
    public DateTimeOffset RequestedAt { get; private set; }
    public string? DecidedBy { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public string? DecisionNote { get; private set; }
    public long? WaiverTransactionId { get; private set; }

    public static ChargeWaiver Request(long accountId, long chargeTransactionId, long amountCents, bool courtesy, string decision, string reason, DateOnly on, string by, DateTimeOffset at) => new()
    {
        AccountId = accountId,
        ChargeTransactionId = chargeTransactionId,
        AmountCents = amountCents,
        Courtesy = courtesy,
        Status = WaiverStatus.Pending,
        Decision = decision,
        Reason = reason,
        RequestedOn = on,
        RequestedBy = by,
        RequestedAt = at,
    };

    public void MarkPosted(long waiverTransactionId, string by, DateTimeOffset at, string? note)
    {
        EnsurePending();
        Status = WaiverStatus.Posted;
        WaiverTransactionId = waiverTransactionId;
        DecidedBy = by;
        DecidedAt = at;
        DecisionNote = note;
    }

    public void Reject(string by, DateTimeOffset at, string note)
    {
        EnsurePending();
        Status = WaiverStatus.Rejected;
        DecidedBy = by;
        DecidedAt = at;
        DecisionNote = note;
    }

    private void EnsurePending()
    {
        if (Status != WaiverStatus.Pending)
        {
            throw new Core.Common.DomainException($"Waiver {Id} is already {Status.ToString().ToLowerInvariant()}.", "waiverId");
        }
    }
}

/// <summary>The day's forecast the utility posts, which a temperature moratorium reads.</summary>
public sealed class PostedTemperature
{
    public DateOnly Date { get; private set; }
    public int LowF { get; private set; }
    public int HighF { get; private set; }
    public string PostedBy { get; private set; } = "";
    public DateTimeOffset PostedAt { get; private set; }

    public static PostedTemperature Post(DateOnly date, int lowF, int highF, string by, DateTimeOffset at) => new() { Date = date, LowF = lowF, HighF = highF, PostedBy = by, PostedAt = at };

    internal void Change(int lowF, int highF, string by, DateTimeOffset at)
    {
        LowF = lowF;
        HighF = highF;
        PostedBy = by;
        PostedAt = at;
    }

    public DailyTemperature ToCore() => new(Date, LowF, HighF);
}

internal static class CollectionsModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<CollectionPolicyVersion>(e =>
        {
            e.ToTable("collection_policies");
            e.Property(x => x.Code).HasMaxLength(CollectionPolicyVersion.CodeLengthMax);
            e.Property(x => x.Name).HasMaxLength(CollectionPolicyVersion.NameLengthMax);
            e.Property(x => x.AccountClasses).HasMaxLength(400);
            e.Property(x => x.DebtTypes).HasMaxLength(400);
            e.Property(x => x.Fingerprint).HasMaxLength(64);
            e.Property(x => x.ImportedBy).HasMaxLength(100);
            e.HasIndex(x => new { x.Code, x.Version }).IsUnique();
        });
        builder.Entity<AccountCollection>(e =>
        {
            e.ToTable("account_collections");
            e.HasKey(x => x.AccountId);
            e.Property(x => x.AccountId).ValueGeneratedNever();
            e.Property(x => x.PolicyCode).HasMaxLength(CollectionPolicyVersion.CodeLengthMax);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.ListReason).HasMaxLength(AccountCollection.ExplanationLengthMax);
            e.Property(x => x.ProtectedBy).HasMaxLength(AccountCollection.ExplanationLengthMax);
            e.Property(x => x.Explanation).HasMaxLength(AccountCollection.ExplanationLengthMax);
            e.HasIndex(x => x.Listed);
            e.HasIndex(x => x.Status);
        });
        builder.Entity<CollectionEventRecord>(e =>
        {
            e.ToTable("collection_events");
            e.Property(x => x.Action).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.Step).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.BillReference).HasMaxLength(40);
            e.Property(x => x.Reason).HasMaxLength(CollectionEventRecord.ReasonLengthMax);
            e.HasIndex(x => new { x.AccountId, x.BusinessDate });
            e.HasIndex(x => new { x.BusinessDate, x.Action });
        });
        builder.Entity<CollectionRun>(e =>
        {
            e.ToTable("collection_runs");
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.StartedBy).HasMaxLength(100);
            e.HasIndex(x => x.BusinessDate).IsUnique();
        });
        builder.Entity<CollectionRunChunk>(e =>
        {
            e.ToTable("collection_run_chunks");
            e.HasKey(x => new { x.CollectionRunId, x.Sequence });
            e.Property(x => x.Worker).HasMaxLength(200);
        });
        builder.Entity<AccountProtection>(e =>
        {
            e.ToTable("account_protections");
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.Physician).HasMaxLength(200);
            e.Property(x => x.RecipientName).HasMaxLength(200);
            e.Property(x => x.RecipientAddress).HasMaxLength(400);
            e.Property(x => x.Note).HasMaxLength(AccountProtection.NoteLengthMax);
            e.Property(x => x.EnteredBy).HasMaxLength(100);
            e.Property(x => x.EndedBy).HasMaxLength(100);
            e.Property(x => x.EndReason).HasMaxLength(500);
            e.HasIndex(x => x.AccountId);
        });
        builder.Entity<Arrangement>(e =>
        {
            e.ToTable("payment_arrangements");
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.StatusReason).HasMaxLength(500);
            e.Property(x => x.OutsidePolicy).HasMaxLength(500);
            e.Property(x => x.ApprovedBy).HasMaxLength(100);
            e.Property(x => x.CreatedBy).HasMaxLength(100);
            e.HasIndex(x => new { x.AccountId, x.Status });
            e.HasMany(x => x.Installments).WithOne().HasForeignKey(i => i.ArrangementId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<ArrangementInstallment>(e =>
        {
            e.ToTable("arrangement_installments");
            e.HasIndex(x => x.ArrangementId);
        });
        builder.Entity<Promise>(e =>
        {
            e.ToTable("promises_to_pay");
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.TakenBy).HasMaxLength(100);
            e.HasIndex(x => new { x.AccountId, x.Status });
        });
        builder.Entity<CollectionContact>(e =>
        {
            e.ToTable("collection_contacts");
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Outcome).HasMaxLength(CollectionContact.OutcomeLengthMax);
            e.Property(x => x.Category).HasMaxLength(CollectionContact.CategoryLengthMax);
            e.Property(x => x.Note).HasMaxLength(CollectionContact.NoteLengthMax);
            e.Property(x => x.ContactedBy).HasMaxLength(100);
            e.HasIndex(x => x.AccountId);
        });
        builder.Entity<AccountNote>(e =>
        {
            e.ToTable("account_notes");
            e.Property(x => x.Text).HasMaxLength(AccountNote.TextLengthMax);
            e.Property(x => x.WrittenBy).HasMaxLength(100);
            e.HasIndex(x => x.AccountId);
        });
        builder.Entity<ChargeWaiver>(e =>
        {
            e.ToTable("charge_waivers");
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Decision).HasMaxLength(400);
            e.Property(x => x.Reason).HasMaxLength(ChargeWaiver.ReasonLengthMax);
            e.Property(x => x.RequestedBy).HasMaxLength(100);
            e.Property(x => x.DecidedBy).HasMaxLength(100);
            e.Property(x => x.DecisionNote).HasMaxLength(ChargeWaiver.ReasonLengthMax);
            e.HasIndex(x => x.AccountId);
            e.HasIndex(x => x.ChargeTransactionId);
            e.HasIndex(x => x.Status);
        });
        builder.Entity<PostedTemperature>(e =>
        {
            e.ToTable("daily_temperatures");
            e.HasKey(x => x.Date);
            e.Property(x => x.PostedBy).HasMaxLength(100);
        });
    }
}
