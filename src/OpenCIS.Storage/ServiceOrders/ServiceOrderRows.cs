using OpenCIS.Core.Common;

namespace OpenCIS.Storage.ServiceOrders;

public enum ServiceOrderKind
{
    Connect,
    DisconnectForNonPayment,
    Reconnect,
    MeterSet,
    MeterRemove,
    MeterExchange,
    ReRead,
    Inspect,
    TamperInvestigation,
    DoorHanger,

    /// <summary>The meter tested where it stands (a customer asked, or a high bill): passed or failed.</summary>
    MeterTest,

    /// <summary>A look for a leak on the customer's side of the meter: found or not.</summary>
    LeakCheck,

    /// <summary>The field's part of a high-bill investigation: a check read, the meter and the premise looked at.</summary>
    HighBillInvestigation,
}

public enum ServiceOrderStatus
{
    Open,
    Dispatched,
    Completed,
    Canceled,
}

/// <summary>What the field found or did when it completed an order.</summary>
public enum ServiceOrderResult
{
    /// <summary>The work was done (any order whose kind has no result of its own).</summary>
    Done,

    /// <summary>Service cut at the meter, with the read taken.</summary>
    Disconnected,

    /// <summary>The customer paid the field worker at the door; service was not cut.</summary>
    PaidAtDoor,

    /// <summary>The worker could not reach the meter or the premise.</summary>
    NoAccess,

    /// <summary>The worker found a protection (life support, a medical certificate) and entered it on the account; service was not cut.</summary>
    ProtectionFound,

    /// <summary>Service restored at the meter, with the read taken.</summary>
    Reconnected,

    /// <summary>A meter test: the meter registers within its accuracy limits.</summary>
    Passed,

    /// <summary>A meter test: the meter registers outside its limits; it is to be exchanged.</summary>
    Failed,

    /// <summary>A leak check found a leak on the customer's side.</summary>
    LeakFound,

    /// <summary>A leak check found no leak.</summary>
    NoLeakFound,
}

/// <summary>How an order was completed: its result, the read taken, an amount collected at the door, a note.</summary>
public sealed record ServiceOrderCompletion(ServiceOrderResult Result, DateOnly CompletedOn, long? Reading = null, long? AmountCollectedCents = null, string? Note = null);

/// <summary>
/// Work for field service: created by a workflow (the disconnect list's approval, a reconnect, the metering
/// review's re-reads), dispatched to a worker, and completed with a result, or canceled with a reason. Each move
/// refuses an illegal transition naming the order's status, and is written to <see cref="Changes"/>: the
/// order's history of who did what when. Completing twice is refused, so a result never flows back twice.
/// </summary>
public sealed class ServiceOrder
{
    public const int NoteLengthMax = 1000;
    public const int UserLengthMax = 100;
    public const int QueueLengthMax = 40;
    public const string DefaultQueue = "Field service";

    public long Id { get; init; }
    public ServiceOrderKind Kind { get; init; }
    public ServiceOrderStatus Status { get; private set; } = ServiceOrderStatus.Open;
    public long? AccountId { get; init; }
    public long? PremiseId { get; init; }
    public long? ServicePointId { get; init; }
    public long? MeterId { get; init; }
    public int Priority { get; init; } = 3;
    public DateOnly DueOn { get; init; }

    /// <summary>The department queue that works the order ("Field service", "Meter shop").</summary>
    public string Queue { get; init; } = DefaultQueue;

    /// <summary>The appointment window agreed with the customer on the due day, when there is one.</summary>
    public TimeOnly? WindowStart { get; init; }

    public TimeOnly? WindowEnd { get; init; }

    /// <summary>The meter the order set (a meter set or exchange), linked on completion.</summary>
    public long? NewMeterId { get; private set; }
    public string Notes { get; init; } = "";
    public string CreatedBy { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The field worker the order is dispatched to.</summary>
    public string? AssignedTo { get; private set; }

    public DateTimeOffset? DispatchedAt { get; private set; }
    public ServiceOrderResult? Result { get; private set; }
    public DateOnly? CompletedOn { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }
    public string? CompletedBy { get; private set; }

    /// <summary>The meter read the worker took on completing the order.</summary>
    public long? Reading { get; private set; }

    /// <summary>What the customer paid the worker at the door, recorded on the order (not a payment posting).</summary>
    public long? AmountCollectedCents { get; private set; }

    public string? CompletionNote { get; private set; }
    public DateTimeOffset? CanceledAt { get; private set; }
    public string? CanceledBy { get; private set; }
    public string? CancelReason { get; private set; }

    /// <summary>The fee the order posted (a disconnect fee on completion, a reconnect fee on request), so it is never posted twice.</summary>
    public long? FeeTransactionId { get; private set; }

    /// <summary>The meter read the field took on a disconnect or reconnect, stored as the meter's read of that day.</summary>
    public long? ReadId { get; private set; }

    /// <summary>The payment posted for money paid at the door.</summary>
    public long? PaymentId { get; private set; }

    public List<ServiceOrderChange> Changes { get; private set; } = [];

    public bool IsOpen => Status is ServiceOrderStatus.Open or ServiceOrderStatus.Dispatched;

    public static ServiceOrder Create(ServiceOrderKind kind, long? accountId, long? premiseId, long? servicePointId, long? meterId, int priority, DateOnly dueOn,
        string notes, string createdBy, DateTimeOffset now, string? queue = null, TimeOnly? windowStart = null, TimeOnly? windowEnd = null)
    {
        if (windowStart is { } from && windowEnd is { } to && to <= from)
        {
            throw new DomainException($"The appointment window ends ({to:HH:mm}) before it starts ({from:HH:mm}).", "windowEnd");
        }

        if ((windowStart is null) != (windowEnd is null))
        {
            throw new DomainException("An appointment window has a start and an end.", windowStart is null ? "windowStart" : "windowEnd");
        }

        var order = new ServiceOrder
        {
            Queue = string.IsNullOrWhiteSpace(queue) ? DefaultQueue : Limit(queue.Trim(), QueueLengthMax),
            WindowStart = windowStart,
            WindowEnd = windowEnd,
            Kind = kind,
            AccountId = accountId,
            PremiseId = premiseId,
            ServicePointId = servicePointId,
            MeterId = meterId,
            Priority = priority,
            DueOn = dueOn,
            Notes = Limit(notes.Trim(), NoteLengthMax),
            CreatedBy = createdBy,
            CreatedAt = now,
        };
        order.Changes.Add(ServiceOrderChange.Of(null, ServiceOrderStatus.Open, "created", order.Notes, createdBy, now));
        return order;
    }

    /// <summary>Dispatches the order to a field worker, or moves it to another while it is still open.</summary>
    public void Dispatch(string assignedTo, string by, DateTimeOffset now)
    {
        RefuseUnlessOpen("dispatch");
        var worker = assignedTo.Trim();
        if (worker.Length is 0 or > UserLengthMax)
        {
            throw new DomainException($"Name the field worker to dispatch order {Id} to (at most {UserLengthMax} characters).", "assignedTo");
        }

        var before = Status;
        Status = ServiceOrderStatus.Dispatched;
        AssignedTo = worker;
        DispatchedAt = now;
        Changes.Add(ServiceOrderChange.Of(before, Status, $"dispatched to {worker}", null, by, now));
    }

    /// <summary>Completes the order with a result its kind allows; a disconnect or reconnect needs the read.</summary>
    public void Complete(ServiceOrderCompletion completion, string by, DateTimeOffset now)
    {
        RefuseUnlessOpen("complete");
        if (!ResultsFor(Kind).Contains(completion.Result))
        {
            throw new DomainException(
                $"A {Describe(Kind)} order is completed as {string.Join(", ", ResultsFor(Kind))}; not {completion.Result}.", "result");
        }

        if (completion.Result is ServiceOrderResult.Disconnected or ServiceOrderResult.Reconnected && completion.Reading is not { } reading)
        {
            throw new DomainException("Enter the meter read taken at the premise.", "reading");
        }

        if (completion.Reading is < 0)
        {
            throw new DomainException("A meter read is zero or more.", "reading");
        }

        if (completion.Result == ServiceOrderResult.PaidAtDoor && completion.AmountCollectedCents is not > 0)
        {
            throw new DomainException("Enter the amount the customer paid at the door, above zero.", "amount");
        }

        var note = completion.Note?.Trim();
        if (note is { Length: > NoteLengthMax })
        {
            throw new DomainException($"The note is {note.Length} characters; at most {NoteLengthMax} are kept.", "note");
        }

        var before = Status;
        Status = ServiceOrderStatus.Completed;
        Result = completion.Result;
        CompletedOn = completion.CompletedOn;
        CompletedAt = now;
        CompletedBy = by;
        Reading = completion.Reading;
        AmountCollectedCents = completion.Result == ServiceOrderResult.PaidAtDoor ? completion.AmountCollectedCents : null;
        CompletionNote = string.IsNullOrEmpty(note) ? null : note;
        Changes.Add(ServiceOrderChange.Of(before, Status, $"completed: {completion.Result}", CompletionNote, by, now));
    }

    /// <summary>Cancels the order, with the reason (required).</summary>
    public void Cancel(string reason, string by, DateTimeOffset now)
    {
        RefuseUnlessOpen("cancel");
        var trimmed = reason.Trim();
        if (trimmed.Length is 0 or > NoteLengthMax)
        {
            throw new DomainException($"Give the reason order {Id} is canceled (at most {NoteLengthMax} characters).", "reason");
        }

        var before = Status;
        Status = ServiceOrderStatus.Canceled;
        CanceledAt = now;
        CanceledBy = by;
        CancelReason = trimmed;
        Changes.Add(ServiceOrderChange.Of(before, Status, "canceled", trimmed, by, now));
    }

    /// <summary>Links the fee the order posted; an order posts one fee.</summary>
    public void AttachFee(long financialTransactionId)
    {
        if (FeeTransactionId is { } posted)
        {
            throw new DomainException($"Order {Id} already posted its fee (transaction {posted}).", "fee");
        }

        FeeTransactionId = financialTransactionId;
    }

    /// <summary>Links the meter read the order took; an order takes one read.</summary>
    public void AttachRead(long readId)
    {
        if (ReadId is { } taken)
        {
            throw new DomainException($"Order {Id} already stored its read (read {taken}).", "reading");
        }

        ReadId = readId;
    }

    /// <summary>A note on the order's history (what the customer said, what the crew should know), in any status.</summary>
    public void AddNote(string note, string by, DateTimeOffset now)
    {
        var trimmed = note.Trim();
        if (trimmed.Length is 0 or > NoteLengthMax)
        {
            throw new DomainException($"Write the note (at most {NoteLengthMax} characters).", "note");
        }

        Changes.Add(ServiceOrderChange.Of(Status, Status, "note", trimmed, by, now));
    }

    /// <summary>Links the meter the order set.</summary>
    public void AttachNewMeter(long meterId) => NewMeterId ??= meterId;

    /// <summary>Links the payment collected at the door; an order posts one payment.</summary>
    public void AttachPayment(long paymentId)
    {
        if (PaymentId is { } posted)
        {
            throw new DomainException($"Order {Id} already posted its payment (payment {posted}).", "amount");
        }

        PaymentId = paymentId;
    }

    /// <summary>The results an order of a kind may be completed with.</summary>
    public static IReadOnlyList<ServiceOrderResult> ResultsFor(ServiceOrderKind kind) => kind switch
    {
        ServiceOrderKind.DisconnectForNonPayment => [ServiceOrderResult.Disconnected, ServiceOrderResult.PaidAtDoor, ServiceOrderResult.NoAccess, ServiceOrderResult.ProtectionFound],
        ServiceOrderKind.Reconnect => [ServiceOrderResult.Reconnected, ServiceOrderResult.NoAccess],
        ServiceOrderKind.MeterTest => [ServiceOrderResult.Passed, ServiceOrderResult.Failed, ServiceOrderResult.NoAccess],
        ServiceOrderKind.LeakCheck => [ServiceOrderResult.LeakFound, ServiceOrderResult.NoLeakFound, ServiceOrderResult.NoAccess],
        _ => [ServiceOrderResult.Done, ServiceOrderResult.NoAccess],
    };

    public static string Describe(ServiceOrderKind kind) => kind switch
    {
        ServiceOrderKind.DisconnectForNonPayment => "disconnect for non-payment",
        ServiceOrderKind.Reconnect => "reconnect",
        ServiceOrderKind.ReRead => "re-read",
        ServiceOrderKind.MeterSet => "meter set",
        ServiceOrderKind.MeterRemove => "meter remove",
        ServiceOrderKind.MeterExchange => "meter exchange",
        ServiceOrderKind.TamperInvestigation => "tamper investigation",
        ServiceOrderKind.DoorHanger => "door hanger",
        ServiceOrderKind.MeterTest => "meter test",
        ServiceOrderKind.LeakCheck => "leak check",
        ServiceOrderKind.HighBillInvestigation => "high-bill investigation",
        ServiceOrderKind.Inspect => "inspection",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private void RefuseUnlessOpen(string move)
    {
        if (!IsOpen)
        {
            throw new DomainException(
                $"Order {Id} ({Describe(Kind)}) is {Status.ToString().ToLowerInvariant()}"
                + (Status == ServiceOrderStatus.Completed ? $" ({Result} on {CompletedOn:yyyy-MM-dd} by {CompletedBy})" : "")
                + $"; a {Status.ToString().ToLowerInvariant()} order cannot be {(move == "dispatch" ? "dispatched" : move == "complete" ? "completed" : "canceled")}.",
                "status");
        }
    }

    private static string Limit(string text, int lengthMax) => text.Length <= lengthMax ? text : text[..lengthMax];
}

/// <summary>One change of an order: its status before and after, what happened, a note, who and when. Append-only.</summary>
public sealed class ServiceOrderChange
{
    public long Id { get; init; }
    public long ServiceOrderId { get; init; }
    public ServiceOrderStatus? FromStatus { get; init; }
    public ServiceOrderStatus ToStatus { get; init; }
    public string What { get; init; } = "";
    public string? Note { get; init; }
    public string ChangedBy { get; init; } = "";
    public DateTimeOffset ChangedAt { get; init; }

    internal static ServiceOrderChange Of(ServiceOrderStatus? from, ServiceOrderStatus to, string what, string? note, string by, DateTimeOffset at) =>
        new() { FromStatus = from, ToStatus = to, What = what, Note = string.IsNullOrEmpty(note) ? null : note, ChangedBy = by, ChangedAt = at };
}
