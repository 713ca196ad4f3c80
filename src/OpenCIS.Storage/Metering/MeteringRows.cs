using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Metering;

namespace OpenCIS.Storage.Metering;

/// <summary>Where one service is delivered at a premise. Metered points carry a meter history.</summary>
public sealed class ServicePoint
{
    public long Id { get; init; }
    public long PremiseId { get; init; }
    public Service Service { get; init; }
    public bool IsMetered { get; init; }
    public ServicePointState State { get; private set; } = ServicePointState.ActiveOccupied;

    public void ChangeState(ServicePointState state) => State = state;
}

/// <summary>
/// A meter from receipt to retirement. Its moves are methods that refuse an illegal transition;
/// each one is also written as a <see cref="MeterEvent"/> by the workflow that makes it.
/// </summary>
public sealed class Meter
{
    public long Id { get; init; }
    public string Serial { get; init; } = "";
    public Service Service { get; init; }
    public string Make { get; init; } = "";
    public string Model { get; init; } = "";
    public string Size { get; init; } = "";
    public int Dials { get; init; }
    public decimal Multiplier { get; init; } = 1m;
    public Unit Unit { get; init; }
    public MeterStatus Status { get; private set; }
    public long? ServicePointId { get; private set; }
    public DateOnly? SetOn { get; private set; }

    public MeterRegister Register => new(Serial, Dials, Multiplier, Unit);

    public static Meter Receive(string serial, Service service, string size, int dials, decimal multiplier, Unit unit, string make = "", string model = "")
    {
        if (dials is < MeterRegister.DialsMin or > MeterRegister.DialsMax)
        {
            throw new DomainException($"A meter has between {MeterRegister.DialsMin} and {MeterRegister.DialsMax} dials.", "dials");
        }

        if (multiplier <= 0m)
        {
            throw new DomainException("A meter's multiplier must be more than zero.", "multiplier");
        }

        return new() { Serial = serial, Service = service, Size = size, Dials = dials, Multiplier = multiplier, Unit = unit, Make = make, Model = model, Status = MeterStatus.Inventory };
    }

    public void SetAt(long servicePointId, DateOnly setOn)
    {
        if (Status != MeterStatus.Inventory)
        {
            throw new DomainException($"Meter {Serial} is {Status}; only a meter in inventory can be set.", "serial");
        }

        Status = MeterStatus.Installed;
        ServicePointId = servicePointId;
        SetOn = setOn;
    }

    public void Remove(DateOnly removedOn)
    {
        if (Status != MeterStatus.Installed)
        {
            throw new DomainException($"Meter {Serial} is {Status}; only an installed meter can be removed.", "serial");
        }

        if (SetOn is { } setOn && removedOn < setOn)
        {
            throw new DomainException($"Meter {Serial} cannot be removed on {removedOn:yyyy-MM-dd}, before it was set on {setOn:yyyy-MM-dd}.", "removedOn");
        }

        Status = MeterStatus.Removed;
        ServicePointId = null;
    }

    public void SendToTest()
    {
        if (Status is not (MeterStatus.Removed or MeterStatus.Inventory))
        {
            throw new DomainException($"Meter {Serial} is {Status}; remove it before testing it.", "serial");
        }

        Status = MeterStatus.InTest;
    }

    /// <summary>After a test a meter that passed goes back to inventory; one that failed is retired.</summary>
    public void CompleteTest(bool passed)
    {
        if (Status is not (MeterStatus.InTest or MeterStatus.Removed or MeterStatus.Inventory))
        {
            throw new DomainException($"Meter {Serial} is {Status}; only a meter out of service can be tested.", "serial");
        }

        Status = passed ? MeterStatus.Inventory : MeterStatus.Retired;
    }

    public void Retire()
    {
        if (Status == MeterStatus.Installed)
        {
            throw new DomainException($"Meter {Serial} is installed; remove it before retiring it.", "serial");
        }

        if (Status == MeterStatus.Retired)
        {
            throw new DomainException($"Meter {Serial} is already retired.", "serial");
        }

        Status = MeterStatus.Retired;
    }
}

public enum MeterEventKind
{
    Received,
    Set,
    Removed,
    Tested,
    Retired,
}

/// <summary>The history of a meter and of a service point: what happened, when, with which read.</summary>
public sealed class MeterEvent
{
    public long Id { get; init; }
    public long MeterId { get; init; }
    public long? ServicePointId { get; init; }
    public MeterEventKind Kind { get; init; }
    public DateOnly OccurredOn { get; init; }
    public long? Reading { get; init; }
    public string? Notes { get; init; }
    public string RecordedBy { get; init; } = "";
    public DateTimeOffset RecordedAt { get; init; }
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
    public ReadStatus Status { get; private set; }
    public DeviceFlags Flags { get; init; }

    /// <summary>Why validation or a reviewer set the status, in plain words.</summary>
    public string? Reasons { get; private set; }

    public string? EstimateMethod { get; init; }
    public DateTimeOffset RecordedAt { get; init; }
    public string RecordedBy { get; init; } = "";
    public string? ReviewedBy { get; private set; }
    public DateTimeOffset? ReviewedAt { get; private set; }
    public long? ImportedFileId { get; init; }

    public static MeterRead Record(long meterId, long servicePointId, DateOnly readOn, long reading, ReadSource source, ReadVerdict verdict, DeviceFlags flags, string user, DateTimeOffset at, long? importedFileId = null, string? estimateMethod = null) =>
        new()
        {
            MeterId = meterId,
            ServicePointId = servicePointId,
            ReadOn = readOn,
            Reading = reading,
            Source = source,
            Status = verdict.Status,
            Reasons = verdict.Reasons.IsDefaultOrEmpty ? null : verdict.ReasonText,
            Flags = flags,
            RecordedBy = user,
            RecordedAt = at,
            ImportedFileId = importedFileId,
            EstimateMethod = estimateMethod,
        };

    public bool AwaitsReview => Status is ReadStatus.Suspect or ReadStatus.Rejected && ReviewedBy is null;

    /// <summary>Validation run again (new thresholds, a corrected earlier read): only reads no one has reviewed change.</summary>
    public bool Revalidate(ReadVerdict verdict)
    {
        if (ReviewedBy is not null || Source == ReadSource.Estimate || Status is ReadStatus.Estimated or ReadStatus.Overridden)
        {
            return false;
        }

        var reasons = verdict.Reasons.IsDefaultOrEmpty ? null : verdict.ReasonText;
        if (Status == verdict.Status && Reasons == reasons)
        {
            return false;
        }

        Status = verdict.Status;
        Reasons = reasons;
        return true;
    }

    /// <summary>
    /// A billed read found wrong after the bill (a cancel and rebill with a corrected read): it is set
    /// aside as Rejected, with who and why, and the corrected read is recorded beside it.
    /// </summary>
    public void SetAsideAsCorrected(string reason, string user, DateTimeOffset at)
    {
        if (!ReadStatuses.IsBillable(Status))
        {
            throw new DomainException($"The read of {ReadOn:yyyy-MM-dd} is {Status}; only a billable read can be corrected after billing.", "correctedReadings");
        }

        Status = ReadStatus.Rejected;
        Reasons = string.IsNullOrEmpty(Reasons) ? reason : $"{Reasons} Corrected: {reason}";
        ReviewedBy = user;
        ReviewedAt = at;
    }

    /// <summary>A clerk's decision on a suspect or rejected read: accepted as read, or set aside.</summary>
    public void Review(ReadStatus decision, string reason, string user, DateTimeOffset at)
    {
        if (!AwaitsReview)
        {
            throw new DomainException($"The read of {ReadOn:yyyy-MM-dd} is {Status}{(ReviewedBy is null ? "" : $", reviewed by {ReviewedBy}")}; only a suspect or rejected read awaiting review can be decided.", "readId");
        }

        if (decision is not (ReadStatus.Overridden or ReadStatus.Rejected))
        {
            throw new DomainException("A review either accepts the read (Overridden) or sets it aside (Rejected).", "decision");
        }

        Status = decision;
        Reasons = string.IsNullOrEmpty(Reasons) ? reason : $"{Reasons} Reviewed: {reason}";
        ReviewedBy = user;
        ReviewedAt = at;
    }
}

public static class ReadVerdicts
{
    /// <summary>For reads taken by the utility's own people or systems and accepted as they are (meter sets, demo data).</summary>
    public static readonly ReadVerdict Valid = new(ReadStatus.Valid, [], null);
}

/// <summary>
/// A meter's interval reads of one local day, summed by clock hour (24 values, separated by spaces, in the meter's unit,
/// or in kvarh for the reactive energy an electric meter measures beside it), with the day's highest interval demand and
/// the minute it began. Time-of-use registers and demand are billed from the real energy, the power factor from both; a
/// later file's intervals for the same day and unit replace them.
/// </summary>
public sealed class IntervalDayRow
{
    public long MeterId { get; init; }
    public DateOnly Day { get; init; }
    public Unit Unit { get; internal set; }
    public string Hours { get; internal set; } = "";
    public decimal PeakDemand { get; internal set; }
    public int PeakMinute { get; internal set; }
    public int IntervalMinutes { get; internal set; }
    public long? ImportedFileId { get; internal set; }

    /// <summary>Keeps the day's hours and peak as summed from the intervals of a file (none: entered by other means).</summary>
    public void Record(IntervalDay day, int intervalMinutes, long? importedFileId)
    {
        ArgumentNullException.ThrowIfNull(day);
        Unit = day.Unit;
        Hours = FormatHours(day.Hours);
        PeakDemand = decimal.Round(day.PeakDemand, 6);
        PeakMinute = day.PeakMinute;
        IntervalMinutes = intervalMinutes;
        ImportedFileId = importedFileId;
    }

    public IntervalDay ToDay() => new(Day, Unit, ParseHours(Hours), PeakDemand, PeakMinute);

    public static string FormatHours(IEnumerable<decimal> hours) =>
        string.Join(' ', hours.Select(h => h.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>The hours as written by <see cref="FormatHours"/>, read without a string per value (a billing run reads a month of them per meter).</summary>
    public static System.Collections.Immutable.ImmutableArray<decimal> ParseHours(string hours)
    {
        ArgumentNullException.ThrowIfNull(hours);
        var values = new decimal[IntervalDay.HoursInDay];
        var count = 0;
        var text = hours.AsSpan();
        foreach (var range in text.Split(' '))
        {
            var part = text[range];
            if (part.IsEmpty)
            {
                continue;
            }

            if (count == values.Length)
            {
                Array.Resize(ref values, values.Length + IntervalDay.HoursInDay);
            }

            values[count++] = ParseHour(part);
        }

        return System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(count == values.Length ? values : values[..count]);
    }

    /// <summary>
    /// One hour's value as <see cref="FormatHours"/> writes it: digits with at most one point and a sign, read straight
    /// into a decimal's mantissa and scale; anything else (an exponent, over 18 digits) goes to <see cref="decimal.Parse(ReadOnlySpan{char}, System.Globalization.NumberStyles, IFormatProvider?)"/>.
    /// </summary>
    private static decimal ParseHour(ReadOnlySpan<char> text)
    {
        var negative = text[0] == '-';
        var digits = negative ? text[1..] : text;
        ulong mantissa = 0;
        var (count, scale, point) = (0, 0, false);
        foreach (var c in digits)
        {
            if (c == '.' && !point)
            {
                point = true;
            }
            else if (char.IsAsciiDigit(c) && count < 18)
            {
                mantissa = (mantissa * 10) + (ulong)(c - '0');
                count++;
                scale += point ? 1 : 0;
            }
            else
            {
                return decimal.Parse(text, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return count == 0
            ? decimal.Parse(text, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture)
            : new decimal(unchecked((int)(uint)mantissa), unchecked((int)(uint)(mantissa >> 32)), 0, negative, (byte)scale);
    }
}
