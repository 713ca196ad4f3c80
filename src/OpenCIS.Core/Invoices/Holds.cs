using OpenCIS.Core.Common;

namespace OpenCIS.Core.Invoices;

/// <summary>Where a hold stands on a day.</summary>
public enum HoldState
{
    Active,

    /// <summary>Its end date has passed.</summary>
    Expired,

    /// <summary>It was to release itself once the debt was paid, and nothing is owed.</summary>
    Satisfied,

    /// <summary>Released by hand.</summary>
    Released,
}

/// <summary>
/// A hold blocks the city's other systems from issuing a permit or licence to a party or on a parcel until the debt
/// behind it is settled: placed with a reason, until a date or open-ended, and optionally released by itself once
/// nothing is owed. <see cref="State"/> says where one stands on a day.
/// </summary>
public static class Holds
{
    public const int ReasonLengthMax = 200;

    /// <summary>The hold as asked for: on a party or a parcel (one of them), with a reason, ending no earlier than today.</summary>
    public static (string Reason, string? Parcel) Check(long? customerId, string? parcelId, string? reason, DateOnly? until, DateOnly today)
    {
        var parcel = string.IsNullOrWhiteSpace(parcelId) ? null : parcelId.Trim().ToUpperInvariant();
        if ((customerId is null) == (parcel is null))
        {
            throw new DomainException("A hold is placed on a party or on a parcel: name one of them.", "customerId");
        }

        var trimmed = reason?.Trim() ?? "";
        if (trimmed.Length is 0 or > ReasonLengthMax)
        {
            throw new DomainException($"Say why the hold is placed (at most {ReasonLengthMax} characters).", "reason");
        }

        if (until is { } end && end < today)
        {
            throw new DomainException($"A hold until {end:yyyy-MM-dd} would already have ended; give today or a later day, or none.", "until");
        }

        return (trimmed, parcel);
    }

    /// <summary>Released by hand, past its end, satisfied (it releases itself when paid and nothing is owed), or active.</summary>
    public static HoldState State(bool released, DateOnly? until, bool releaseWhenPaid, Money owed, DateOnly today) =>
        released ? HoldState.Released
        : until is { } end && end < today ? HoldState.Expired
        : releaseWhenPaid && !owed.IsPositive ? HoldState.Satisfied
        : HoldState.Active;
}
