using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;

namespace OpenCIS.Data.Billing;

/// <summary>Account + service point + service + rate schedule, from a start date to an optional stop date.</summary>
public sealed class ServiceAgreement
{
    public long Id { get; init; }
    public long AccountId { get; init; }
    public long ServicePointId { get; init; }
    public Service Service { get; init; }
    public string RateScheduleCode { get; init; } = "";
    public DateOnly StartedOn { get; init; }
    public DateOnly? EndedOn { get; init; }

    /// <summary>Counted units for flat charges (trash carts, dwelling units).</summary>
    public int Units { get; init; }

    /// <summary>Set when this service is billed on another service's usage, as sewer on water.</summary>
    public Service? UsageFromService { get; init; }
}

/// <summary>Accounts read and billed together, and the number of days from bill to due date.</summary>
public sealed class BillingCycle
{
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public int ReadDayOfMonth { get; init; }
    public int DueDays { get; init; }
    public int ReadWindowDays { get; init; } = 10;
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
}

/// <summary>A bill as issued. Its amounts never change; a cancellation is a new transaction linked to it.</summary>
public sealed class Bill
{
    public long Id { get; internal set; }
    public long AccountId { get; init; }
    public long? BillingRunId { get; init; }
    public DateOnly BillDate { get; init; }
    public DateOnly DueDate { get; init; }
    public DateOnly PeriodStart { get; init; }
    public DateOnly PeriodEnd { get; init; }
    public long PreviousBalanceCents { get; init; }
    public long PaymentsCents { get; init; }
    public long AdjustmentsCents { get; init; }
    public long CurrentChargesCents { get; init; }
    public long AmountDueCents { get; init; }
    public long? FinancialTransactionId { get; init; }
    public Ledger.FinancialTransaction? Transaction { get; init; }
    public BillStatus Status { get; init; }
    public List<BillSegment> Segments { get; init; } = [];
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
    public long AmountCents { get; init; }
    public List<BillLine> Lines { get; init; } = [];

    /// <summary>Meters taken out during the period (an exchange), with their last billed and final reads.</summary>
    public List<BillRemovedMeter> RemovedMeters { get; init; } = [];
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
