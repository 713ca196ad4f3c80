using OpenCIS.Core.Common;
using OpenCIS.Storage.ServiceOrders;

namespace OpenCIS.Tests.ServiceOrders;

/// <summary>
/// The shared order lifecycle: open to dispatched to completed, or canceled; every move from a completed or
/// canceled order refused naming its status; a result the kind does not allow refused; each move in the history.
/// </summary>
public sealed class ServiceOrderLifecycleTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 15, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2026, 3, 2);

    private static ServiceOrder Disconnect() => ServiceOrder.Create(ServiceOrderKind.DisconnectForNonPayment, 7, 3, null, null, 2, Today, "listed: 45 days past due", "supervisor", Now);

    [Fact]
    public void An_order_is_dispatched_then_completed_once_with_each_move_in_its_history()
    {
        var order = Disconnect();
        order.Dispatch("field1", "dispatcher", Now);
        order.Dispatch("field2", "dispatcher", Now.AddMinutes(5));
        order.Complete(new ServiceOrderCompletion(ServiceOrderResult.Disconnected, Today, Reading: 4821, Note: "locked at the curb stop"), "field2", Now.AddHours(2));

        Assert.Equal(ServiceOrderStatus.Completed, order.Status);
        Assert.Equal(4821, order.Reading);
        Assert.Equal("field2", order.CompletedBy);
        Assert.Equal([null, ServiceOrderStatus.Open, ServiceOrderStatus.Dispatched, ServiceOrderStatus.Dispatched], order.Changes.Select(c => c.FromStatus));
        Assert.Equal(["created", "dispatched to field1", "dispatched to field2", "completed: Disconnected"], order.Changes.Select(c => c.What));

        var twice = Assert.Throws<DomainException>(() => order.Complete(new ServiceOrderCompletion(ServiceOrderResult.NoAccess, Today), "field2", Now));
        Assert.Contains("is completed (Disconnected on 2026-03-02 by field2)", twice.Message, StringComparison.Ordinal);
        Assert.Throws<DomainException>(() => order.Cancel("customer paid", "clerk", Now));
        Assert.Throws<DomainException>(() => order.Dispatch("field3", "dispatcher", Now));
        Assert.Equal(4, order.Changes.Count);
    }

    [Fact]
    public void A_canceled_order_cannot_be_completed_and_a_cancel_needs_its_reason()
    {
        var order = Disconnect();
        var noReason = Assert.Throws<DomainException>(() => order.Cancel("  ", "clerk", Now));
        Assert.Equal("reason", noReason.Field);
        order.Cancel("paid in full at the counter", "clerk", Now);
        var refused = Assert.Throws<DomainException>(() => order.Complete(new ServiceOrderCompletion(ServiceOrderResult.Disconnected, Today, 10), "field", Now));
        Assert.Contains("is canceled", refused.Message, StringComparison.Ordinal);
        Assert.Equal(ServiceOrderStatus.Canceled, order.Status);
    }

    [Theory]
    [InlineData(ServiceOrderKind.DisconnectForNonPayment, ServiceOrderResult.Reconnected, "result")]
    [InlineData(ServiceOrderKind.Reconnect, ServiceOrderResult.Disconnected, "result")]
    [InlineData(ServiceOrderKind.DisconnectForNonPayment, ServiceOrderResult.Disconnected, "reading")]
    [InlineData(ServiceOrderKind.Reconnect, ServiceOrderResult.Reconnected, "reading")]
    [InlineData(ServiceOrderKind.DisconnectForNonPayment, ServiceOrderResult.PaidAtDoor, "amount")]
    public void A_result_the_kind_does_not_allow_or_without_what_it_needs_is_refused_and_changes_nothing(ServiceOrderKind kind, ServiceOrderResult result, string field)
    {
        var order = ServiceOrder.Create(kind, 7, 3, null, null, 2, Today, "", "supervisor", Now);
        var refused = Assert.Throws<DomainException>(() => order.Complete(new ServiceOrderCompletion(result, Today), "field", Now));
        Assert.Equal(field, refused.Field);
        Assert.Equal(ServiceOrderStatus.Open, order.Status);
        Assert.Single(order.Changes);
    }

    [Fact]
    public void An_order_posts_one_fee()
    {
        var order = Disconnect();
        order.AttachFee(41);
        Assert.Throws<DomainException>(() => order.AttachFee(42));
        Assert.Equal(41, order.FeeTransactionId);
    }
}
