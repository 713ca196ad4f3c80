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
}

public enum ServiceOrderStatus
{
    Open,
    Dispatched,
    Completed,
    Canceled,
}

/// <summary>
/// Work for field service. The metering review creates re-read orders; the service-orders work
/// adds dispatch, completion and the results that flow back.
/// </summary>
public sealed class ServiceOrder
{
    public long Id { get; init; }
    public ServiceOrderKind Kind { get; init; }
    public ServiceOrderStatus Status { get; private set; } = ServiceOrderStatus.Open;
    public long? AccountId { get; init; }
    public long? PremiseId { get; init; }
    public long? ServicePointId { get; init; }
    public long? MeterId { get; init; }
    public int Priority { get; init; } = 3;
    public DateOnly DueOn { get; init; }
    public string Notes { get; init; } = "";
    public string CreatedBy { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
}
