using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;

namespace OpenCIS.Storage.Billing;

/// <summary>Account + service point + service + rate schedule, from a start date to an optional stop date.</summary>
public sealed class ServiceAgreement
{
    public long Id { get; init; }
    public long AccountId { get; init; }
    public long ServicePointId { get; init; }
    public Service Service { get; init; }
    public string RateScheduleCode { get; init; } = "";
    public DateOnly StartedOn { get; init; }
    public DateOnly? EndedOn { get => endedOn; init => endedOn = value; }

    private DateOnly? endedOn;

    /// <summary>Counted units for flat charges (trash carts, dwelling units).</summary>
    public decimal Units { get; init; }

    /// <summary>Set when this service is billed on another service's usage, as sewer on water.</summary>
    public Service? UsageFromService { get; init; }

    /// <summary>The attributes that choose its prices, as <see cref="ServiceAttributes"/> writes them (cart_size=96gal;pickups=2); null for none.</summary>
    public string? Attributes { get; internal set; }

    /// <summary>Stops the service on its last day of service; an agreement ends once.</summary>
    public void End(DateOnly lastDay)
    {
        if (endedOn is not null)
        {
            throw new DomainException($"The {Service} service agreement {Id} already ended on {endedOn:yyyy-MM-dd}.", "stopDate");
        }

        if (lastDay < StartedOn)
        {
            throw new DomainException($"The {Service} service started on {StartedOn:yyyy-MM-dd}; it cannot stop before that.", "stopDate");
        }

        endedOn = lastDay;
    }
}

/// <summary>Accounts read and billed together, and the rules of their schedule (see <see cref="BillingSchedule"/>).</summary>
public sealed class BillingCycle
{
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public int ReadDayOfMonth { get; init; }
    public int DueDays { get => dueDays; init => dueDays = value; }
    public int ReadWindowDays { get => readWindowDays; init => readWindowDays = value; }

    /// <summary>Bills go out this many business days after the read date.</summary>
    public int BillDaysAfterRead { get => billDaysAfterRead; init => billDaysAfterRead = value; }

    /// <summary>The named holiday rule set (<c>US-Federal</c>, <c>None</c>) whose days, with the utility's own holidays of that name, no date of this cycle falls on.</summary>
    public string HolidayCalendar { get => holidayCalendar; init => holidayCalendar = value; }

    private int dueDays;
    private int readWindowDays = 10;
    private int billDaysAfterRead = 1;
    private string holidayCalendar = Core.Billing.HolidayCalendar.UsFederalName;

    public CycleRules Rules => new(ReadDayOfMonth, BillDaysAfterRead, DueDays, ReadWindowDays);

    /// <summary>Changes the schedule rules; the read day stays, since accounts and routes are read on it.</summary>
    public void ChangeRules(int billDaysAfterRead, int dueDays, int readWindowDays, string holidayCalendar)
    {
        new CycleRules(ReadDayOfMonth, billDaysAfterRead, dueDays, readWindowDays).Validated();
        if (!Core.Billing.HolidayCalendar.RuleSets.Contains(holidayCalendar))
        {
            throw new DomainException($"'{holidayCalendar}' is not a holiday calendar; use one of {string.Join(", ", Core.Billing.HolidayCalendar.RuleSets)}.", "holidayCalendar");
        }

        this.billDaysAfterRead = billDaysAfterRead;
        this.dueDays = dueDays;
        this.readWindowDays = readWindowDays;
        this.holidayCalendar = holidayCalendar;
    }
}

/// <summary>A day a utility declares closed, added to the named holiday calendar its cycles keep.</summary>
public sealed class Holiday
{
    public string Calendar { get; init; } = "";
    public DateOnly Date { get; init; }
    public string Name { get; init; } = "";
}

public enum BillingRunStatus
{
    Running,
    Completed,
}

/// <summary>
/// A recorded batch: one cycle on one business date. The pair is unique, so asking for the same
/// run again finds this record instead of billing twice; a run left Running by a crash resumes.
/// </summary>
public sealed class BillingRun
{
    public long Id { get; init; }
    public string CycleCode { get; init; } = "";
    public DateOnly BusinessDate { get; init; }
    public BillingRunStatus Status { get; private set; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; private set; }
    public string StartedBy { get; init; } = "";
    public int AccountsSelected { get; private set; }
    public int BillsCreated { get; private set; }
    public int ExceptionCount { get; private set; }
    public long TotalBilledCents { get; private set; }

    public static BillingRun Start(string cycleCode, DateOnly businessDate, DateTimeOffset startedAt, string startedBy) =>
        new() { CycleCode = cycleCode, BusinessDate = businessDate, StartedAt = startedAt, StartedBy = startedBy, Status = BillingRunStatus.Running };

    /// <summary>The accounts chosen when the run started; the chunks share them out.</summary>
    public void Select(int accountsSelected) => AccountsSelected = accountsSelected;

    /// <summary>Every chunk is done: the run records their totals.</summary>
    public void Complete(int accountsSelected, int bills, int exceptions, Money billed, DateTimeOffset completedAt)
    {
        if (Status != BillingRunStatus.Running)
        {
            throw new DomainException($"Billing run {Id} is already completed.");
        }

        AccountsSelected = accountsSelected;
        BillsCreated = bills;
        ExceptionCount = exceptions;
        TotalBilledCents = billed.Cents;
        Status = BillingRunStatus.Completed;
        CompletedAt = completedAt;
    }
}

public enum BillingChunkStatus
{
    Pending,
    Done,
}

/// <summary>
/// A run's accounts are cut into chunks of consecutive account ids when the run starts. A chunk is
/// billed and marked done in one database transaction, so a crash loses at most the chunks in
/// flight and a restart carries on with the pending ones. On PostgreSQL several workers share a
/// run by claiming pending chunks (a row lock held until the chunk commits, skipped by the others).
/// </summary>
public sealed class BillingRunChunk
{
    public long BillingRunId { get; init; }
    public int Sequence { get; init; }
    public long FirstAccountId { get; init; }
    public long LastAccountId { get; init; }
    public int AccountCount { get; init; }
    public BillingChunkStatus Status { get; init; }
    public int BillsCreated { get; init; }
    public int ExceptionCount { get; init; }
    public long BilledCents { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Which worker billed it: machine, process and lane, for a run shared by several workers.</summary>
    public string? Worker { get; init; }
}

/// <summary>An account a billing run could not bill, and why, in words a clerk can act on.</summary>
public sealed class BillingException
{
    public long Id { get; init; }
    public long BillingRunId { get; init; }
    public long AccountId { get; init; }
    public string Reason { get; init; } = "";
}

public enum BillStatus
{
    Issued,
    Canceled,

    /// <summary>Held by the pre-bill review: not printed, not posted to receivables, until a clerk releases or cancels it.</summary>
    Held,
}

/// <summary>How a bill came about: a billing run, a rebill of a canceled bill, a final bill on stopping service, or an average (estimated) bill.</summary>
public enum BillKind
{
    Regular,
    Rebill,
    Final,
    Estimated,
}

/// <summary>A bill as issued. Its amounts never change; a cancellation is a new transaction linked to it.</summary>
public sealed class Bill
{
    public long Id { get; internal set; }
    public long AccountId { get; init; }
    public long? BillingRunId { get; init; }
    public DateOnly BillDate { get => billDate; init => billDate = value; }
    public DateOnly DueDate { get => dueDate; init => dueDate = value; }
    public DateOnly PeriodStart { get; init; }
    public DateOnly PeriodEnd { get; init; }
    public long PreviousBalanceCents { get; init; }
    public long PaymentsCents { get => paymentsCents; init => paymentsCents = value; }
    public long AdjustmentsCents { get => adjustmentsCents; init => adjustmentsCents = value; }
    public long CurrentChargesCents { get; init; }
    public long AmountDueCents { get => amountDueCents; init => amountDueCents = value; }
    public long? FinancialTransactionId { get => financialTransactionId; init => financialTransactionId = value; }
    public Ledger.FinancialTransaction? Transaction { get => transaction; init => transaction = value; }
    public BillStatus Status { get => status; init => status = value; }
    public List<BillSegment> Segments { get; init; } = [];

    private BillStatus status;
    private DateOnly billDate;
    private DateOnly dueDate;
    private long paymentsCents;
    private long adjustmentsCents;
    private long amountDueCents;
    private long? financialTransactionId;
    private Ledger.FinancialTransaction? transaction;

    /// <summary>Why the pre-bill review held the bill, each reason on its own line; none for a bill it passed.</summary>
    public string? HoldReasons { get; init; }

    /// <summary>
    /// The bill messages it printed, each text on its own line (<see cref="Core.Billing.BillMessages.Printed"/>), as they
    /// read when it was issued; none for a bill without messages.
    /// </summary>
    public string? Messages { get; init; }

    /// <summary>The most a bill's messages take: <see cref="Core.Billing.BillMessages.PerBillMax"/> messages of the longest text, each on its line.</summary>
    public const int MessagesLengthMax = Core.Billing.BillMessages.PerBillMax * (Core.Billing.BillMessages.TextLengthMax + 1);

    /// <summary>Set when a clerk released a held bill: who and when.</summary>
    public DateTimeOffset? ReleasedAt { get; private set; }

    public string? ReleasedBy { get; private set; }

    /// <summary>
    /// Issues a held bill as of its release: dated that day, due by the cycle's terms from it, its charges posted by
    /// <paramref name="posted"/> (none for a bill of nothing), its summary counting the payments and adjustments since the
    /// last bill up to now.
    /// </summary>
    public void Release(DateOnly on, DateOnly due, long payments, long adjustments, long amountDue, Ledger.FinancialTransaction? posted, string user, DateTimeOffset at)
    {
        if (status != BillStatus.Held)
        {
            throw new DomainException($"Bill {Id} is {status.ToString().ToLowerInvariant()}, not held: only a held bill is released.", "billId");
        }

        status = BillStatus.Issued;
        (billDate, dueDate, paymentsCents, adjustmentsCents, amountDueCents, transaction) = (on, due, payments, adjustments, amountDue, posted);
        financialTransactionId = posted?.Id;
        ReleasedAt = at;
        ReleasedBy = user;
    }

    /// <summary>Budget billing: the month's budget amount on a bill of an account on an equal payment plan; null otherwise.</summary>
    public long? BudgetAmountCents { get; private set; }

    /// <summary>Budget billing: the actual charges less what the bill added to the balance, moved into the deferred balance (negative: out of it).</summary>
    public long? BudgetDeferredCents { get; private set; }

    /// <summary>Budget billing: the account's deferred balance after the bill.</summary>
    public long? BudgetBalanceCents { get; private set; }

    /// <summary>Budget billing: the bill settled the deferred balance (the plan's true-up, or its end on a final bill).</summary>
    public bool BudgetTrueUp { get; private set; }

    /// <summary>Records what budget billing decided for the bill (a held bill learns it when it is released).</summary>
    public void SetBudget(long amountCents, long deferredCents, long balanceCents, bool trueUp) =>
        (BudgetAmountCents, BudgetDeferredCents, BudgetBalanceCents, BudgetTrueUp) = (amountCents, deferredCents, balanceCents, trueUp);

    public BillKind Kind { get; init; }

    /// <summary>The canceled bill this one replaces (a rebill).</summary>
    public long? ReplacesBillId { get; init; }

    /// <summary>Set once, when the bill is canceled: who, when, why, the reversing transaction and the bill that replaced it.</summary>
    public DateTimeOffset? CanceledAt { get; private set; }

    public string? CanceledBy { get; private set; }
    public string? CancelReason { get; private set; }
    public long? CancellationTransactionId { get; private set; }
    public long? ReplacedByBillId { get; private set; }

    /// <summary>The idempotency key of the cancel-and-rebill request, so a retry finds this cancellation instead of failing.</summary>
    public string? CancelIdempotencyKey { get; private set; }

    /// <summary>The key of the cancel-and-rebill request, its canceler's own.</summary>
    public static KeyColumns<Bill> CancelKey { get; } = new(b => b.CanceledBy, b => b.CancelIdempotencyKey);

    /// <summary>
    /// Records the cancellation. The amounts stay as issued; the money is undone by the reversing
    /// transaction. A bill is canceled once: a second attempt is an error, never a silent no-op.
    /// </summary>
    public void Cancel(DateTimeOffset at, string user, string reason, long? reversalTransactionId, RequestKey? key)
    {
        if (status == BillStatus.Canceled)
        {
            throw new DomainException($"Bill {Id} was already canceled on {CanceledAt:yyyy-MM-dd} by {CanceledBy}" + (ReplacedByBillId is { } by ? $"; bill {by} replaced it." : "."), "billId");
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainException("A reason is required to cancel a bill.", "reason");
        }

        status = BillStatus.Canceled;
        CanceledAt = at;
        CanceledBy = user;
        CancelReason = reason.Trim();
        CancellationTransactionId = reversalTransactionId;
        CancelIdempotencyKey = Idempotency.KeyFor(key, user);
    }

    public void LinkReplacement(long replacementBillId)
    {
        if (status != BillStatus.Canceled || ReplacedByBillId is not null)
        {
            throw new InvalidOperationException($"Bill {Id} is not a canceled bill awaiting its replacement.");
        }

        ReplacedByBillId = replacementBillId;
    }
}

/// <summary>One service on a bill: its reads, usage and lines.</summary>
public sealed class BillSegment
{
    public long Id { get; internal set; }
    public long BillId { get; init; }
    public long ServiceAgreementId { get; init; }
    public Service Service { get; init; }
    public string TariffCode { get; init; } = "";
    public string? MeterSerial { get; init; }
    public long? PreviousReading { get; init; }
    public DateOnly? PreviousReadOn { get; init; }
    public long? PresentReading { get; init; }
    public DateOnly? PresentReadOn { get; init; }

    /// <summary>The present read is an estimate: the bill says "Estimated", and the next actual read trues it up.</summary>
    public bool PresentReadEstimated { get; init; }

    public decimal? Multiplier { get; init; }
    public decimal? UsageQuantity { get; init; }
    public Unit? UsageUnit { get; init; }

    /// <summary>The billing demand a demand charge billed (kW or kVA): what a later bill's ratchet looks back on.</summary>
    public decimal? BillingDemand { get; init; }

    public long AmountCents { get; init; }
    public List<BillLine> Lines { get; init; } = [];

    /// <summary>Meters taken out during the period (an exchange), with their last billed and final reads.</summary>
    public List<BillRemovedMeter> RemovedMeters { get; init; } = [];

    /// <summary>The row of a rated segment: its reads, usage and lines with their traces, as issued.</summary>
    public static BillSegment From(Core.Billing.BillSegment segment) => new()
    {
        ServiceAgreementId = segment.AgreementId.Value,
        Service = segment.Service,
        TariffCode = segment.TariffCode,
        MeterSerial = segment.Reads?.Meter.Serial,
        PreviousReading = segment.Reads?.PreviousReading,
        PreviousReadOn = segment.Reads?.PreviousReadDate,
        PresentReading = segment.Reads?.PresentReading,
        PresentReadOn = segment.Reads?.PresentReadDate,
        PresentReadEstimated = segment.Reads?.PresentReadEstimated ?? false,
        Multiplier = segment.Reads?.Meter.Multiplier,
        UsageQuantity = segment.Usage?.Value,
        UsageUnit = segment.Usage?.Unit,
        BillingDemand = segment.BillingDemand is { } demand ? decimal.Round(demand, 6) : null,
        AmountCents = segment.Total.Cents,
        Lines = segment.Lines.Select((line, index) => new BillLine
        {
            Sequence = index + 1,
            Code = line.Code,
            Description = line.Description,
            AmountCents = line.Amount.Cents,
            Trace = line.Trace,
        }).ToList(),
        RemovedMeters = segment.RemovedMeters.IsDefaultOrEmpty ? [] : segment.RemovedMeters.Select(m => new BillRemovedMeter
        {
            MeterSerial = m.Meter.Serial,
            PreviousReading = m.PreviousReading,
            PreviousReadOn = m.PreviousReadDate,
            FinalReading = m.PresentReading,
            RemovedOn = m.PresentReadDate,
            Multiplier = m.Meter.Multiplier,
        }).ToList(),
    };
}

/// <summary>A meter removed during a bill's period and the use it measured until then.</summary>
public sealed class BillRemovedMeter
{
    public long Id { get; internal set; }
    public long BillSegmentId { get; init; }
    public string MeterSerial { get; init; } = "";
    public long PreviousReading { get; init; }
    public DateOnly PreviousReadOn { get; init; }
    public long FinalReading { get; init; }
    public DateOnly RemovedOn { get; init; }
    public decimal Multiplier { get; init; }
}

/// <summary>A priced line with its calculation trace in plain words.</summary>
public sealed class BillLine
{
    public long Id { get; internal set; }
    public long BillSegmentId { get; init; }
    public int Sequence { get; init; }
    public string Code { get; init; } = "";
    public string Description { get; init; } = "";
    public long AmountCents { get; init; }
    public string Trace { get; init; } = "";
}

/// <summary>
/// The pre-bill review's rules for one class of account (<see cref="Core.Billing.BillReviewRules"/>): amounts in cents,
/// percents as numbers (50 is 50%). A class without a row has no review: its bills are never held.
/// </summary>
public sealed class BillReviewRuleRow
{
    public Customers.AccountClass AccountClass { get; init; }
    public decimal? HighPercent { get; internal set; }
    public long? HighCents { get; internal set; }
    public decimal? LowPercent { get; internal set; }
    public long? LowCents { get; internal set; }
    public bool ZeroUse { get; internal set; }
    public long? VeryLargeCents { get; internal set; }
    public bool Negative { get; internal set; }
    public bool FirstBill { get; internal set; }
    public string UpdatedBy { get; internal set; } = "";
    public DateTimeOffset UpdatedAt { get; internal set; }

    public Core.Billing.BillReviewRules ToRules() => new()
    {
        HighPercent = HighPercent,
        HighAmount = HighCents is { } high ? Money.FromCents(high) : null,
        LowPercent = LowPercent,
        LowAmount = LowCents is { } low ? Money.FromCents(low) : null,
        ZeroUse = ZeroUse,
        VeryLarge = VeryLargeCents is { } large ? Money.FromCents(large) : null,
        Negative = Negative,
        FirstBill = FirstBill,
    };

    internal void Set(Core.Billing.BillReviewRules rules, string user, DateTimeOffset at)
    {
        HighPercent = rules.HighPercent;
        HighCents = rules.HighAmount?.Cents;
        LowPercent = rules.LowPercent;
        LowCents = rules.LowAmount?.Cents;
        ZeroUse = rules.ZeroUse;
        VeryLargeCents = rules.VeryLarge?.Cents;
        Negative = rules.Negative;
        FirstBill = rules.FirstBill;
        UpdatedBy = user;
        UpdatedAt = at;
    }
}
