using OpenCIS.Core.Common;

namespace OpenCIS.Core.Collections;

/// <summary>When the customer wants service back: in the normal course, the same day, or after hours (each with the policy's fee).</summary>
public enum ReconnectTiming
{
    Standard,
    SameDay,
    AfterHours,
}

/// <summary>An active arrangement as reconnection reads it: its down payment, and what has been paid toward it.</summary>
public sealed record ReconnectArrangement(DateOnly MadeOn, Money DownPayment, Money DownPaymentPaid);

/// <summary>Whether a disconnected account may be reconnected, why in words, and the fee the policy charges for the timing asked.</summary>
public sealed record ReconnectDecision(bool Allowed, Money Fee, string Reason);

/// <summary>
/// Decides a reconnection: a disconnected account is reconnected once nothing is past due (paid in full), or
/// once the down payment of an active arrangement is paid (the policy set that down payment when the
/// arrangement was made). The fee is the policy's reconnect fee for the timing: standard, same-day or after-hours.
/// </summary>
public static class Reconnection
{
    public static ReconnectDecision Decide(Money pastDue, ReconnectArrangement? arrangement, CollectionFees fees, ReconnectTiming timing)
    {
        var fee = Fee(fees, timing);
        if (!pastDue.IsPositive)
        {
            return new(true, fee, "paid in full: nothing is past due");
        }

        if (arrangement is { } made && made.DownPaymentPaid >= made.DownPayment)
        {
            return new(true, fee, $"down payment of {made.DownPayment} paid on the arrangement made {CollectionText.Date(made.MadeOn)}");
        }

        return arrangement is { } waiting
            ? new(false, fee, $"the arrangement made {CollectionText.Date(waiting.MadeOn)} needs its down payment of {waiting.DownPayment}; {waiting.DownPaymentPaid} is paid")
            : new(false, fee, $"{pastDue} is still past due; reconnection needs payment in full or an arrangement's down payment");
    }

    public static Money Fee(CollectionFees fees, ReconnectTiming timing) => timing switch
    {
        ReconnectTiming.SameDay => fees.SameDayReconnect,
        ReconnectTiming.AfterHours => fees.AfterHoursReconnect,
        _ => fees.Reconnect,
    };

    public static string Describe(ReconnectTiming timing) => timing switch
    {
        ReconnectTiming.SameDay => "same-day reconnect",
        ReconnectTiming.AfterHours => "after-hours reconnect",
        _ => "reconnect",
    };
}
