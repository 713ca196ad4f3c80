using OpenCIS.Core.Collections;
using OpenCIS.Core.Common;

namespace OpenCIS.Tests.Core.Collections;

/// <summary>Reconnection: paid in full, or an active arrangement's down payment paid; the fee by the timing asked.</summary>
public sealed class ReconnectionTests
{
    private static readonly CollectionFees Fees = new(Money.FromCents(15_00), Money.FromCents(25_00), Money.FromCents(30_00), Money.FromCents(60_00), Money.FromCents(90_00));
    private static readonly DateOnly MadeOn = new(2026, 11, 20);

    [Theory]
    [InlineData(0, null, null, true, "paid in full")]
    [InlineData(182_40, null, null, false, "$182.40 is still past due")]
    [InlineData(182_40, 50_00L, 50_00L, true, "down payment of $50.00 paid on the arrangement made Nov 20, 2026")]
    [InlineData(182_40, 50_00L, 49_99L, false, "needs its down payment of $50.00; $49.99 is paid")]
    public void A_disconnected_account_is_reconnected_once_paid_in_full_or_its_arrangements_down_payment_is_paid(long pastDueCents, long? downCents, long? paidCents, bool allowed, string reason)
    {
        var arrangement = downCents is { } down ? new ReconnectArrangement(MadeOn, Money.FromCents(down), Money.FromCents(paidCents ?? 0)) : null;
        var decision = Reconnection.Decide(Money.FromCents(pastDueCents), arrangement, Fees, ReconnectTiming.Standard);
        Assert.Equal(allowed, decision.Allowed);
        Assert.Contains(reason, decision.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ReconnectTiming.Standard, 30_00)]
    [InlineData(ReconnectTiming.SameDay, 60_00)]
    [InlineData(ReconnectTiming.AfterHours, 90_00)]
    public void The_fee_is_the_policys_for_the_timing(ReconnectTiming timing, long feeCents) =>
        Assert.Equal(feeCents, Reconnection.Decide(Money.Zero, null, Fees, timing).Fee.Cents);
}
