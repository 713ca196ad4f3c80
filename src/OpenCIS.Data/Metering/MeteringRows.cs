using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Metering;

namespace OpenCIS.Data.Metering;

/// <summary>Where one service is delivered at a premise. Metered points carry a meter history.</summary>
public sealed class ServicePoint
{
    public long Id { get; init; }
    public long PremiseId { get; init; }
    public Service Service { get; init; }
    public bool IsMetered { get; init; }
}

public sealed class Meter
{
    public long Id { get; init; }
    public string Serial { get; init; } = "";
    public Service Service { get; init; }
    public string Size { get; init; } = "";
    public int Dials { get; init; }
    public decimal Multiplier { get; init; } = 1m;
    public Unit Unit { get; init; }
    public MeterStatus Status { get; private set; }
    public long? ServicePointId { get; private set; }
    public DateOnly? SetOn { get; private set; }

    public static Meter Receive(string serial, Service service, string size, int dials, decimal multiplier, Unit unit) =>
        new() { Serial = serial, Service = service, Size = size, Dials = dials, Multiplier = multiplier, Unit = unit, Status = MeterStatus.Inventory };

    public void SetAt(long servicePointId, DateOnly setOn)
    {
        if (Status != MeterStatus.Inventory)
        {
            throw new DomainException($"Meter {Serial} is {Status}; only a meter in inventory can be set.");
        }

        Status = MeterStatus.Installed;
        ServicePointId = servicePointId;
        SetOn = setOn;
    }
}

/// <summary>A register reading of a meter on a day, with where it came from and whether it may bill.</summary>
public sealed class MeterRead
{
    public long Id { get; init; }
    public long MeterId { get; init; }
    public long ServicePointId { get; init; }
    public DateOnly ReadOn { get; init; }
    public long Reading { get; init; }
    public ReadSource Source { get; init; }
    public ReadStatus Status { get; init; }
    public DateTimeOffset RecordedAt { get; init; }
    public string RecordedBy { get; init; } = "";
}
