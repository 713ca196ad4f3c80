using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;

namespace OpenCIS.Storage.Payments.Drawers;

/// <summary>
/// One cashier's drawer from opening float to supervisor approval. Expected totals are frozen at
/// close, next to the counts, so a later correction to a payment cannot change a balanced drawer's history.
/// </summary>
public sealed class DrawerSession
{
    public long Id { get; init; }
    public string Cashier { get; init; } = "";
    public DateOnly BusinessDate { get; init; }
    public DateTimeOffset OpenedAt { get; init; }
    public long StartingFloatCents { get; init; }
    public DrawerStatus Status { get; internal set; }
    public DateTimeOffset? ClosedAt { get; internal set; }
    public long? CountedCashCents { get; internal set; }
    public long? CountedCheckCents { get; internal set; }
    public long? CountedMoneyOrderCents { get; internal set; }
    public long? CountedCardCents { get; internal set; }
    public long? CountedAchCents { get; internal set; }
    public long? ExpectedCashCents { get; internal set; }
    public long? ExpectedCheckCents { get; internal set; }
    public long? ExpectedMoneyOrderCents { get; internal set; }
    public long? ExpectedCardCents { get; internal set; }
    public long? ExpectedAchCents { get; internal set; }
    public long? OverShortCents { get; internal set; }
    public string? ApprovedBy { get; internal set; }
    public DateTimeOffset? ApprovedAt { get; internal set; }
    public string? ApprovalNote { get; internal set; }

    public Money StartingFloat => Money.FromCents(StartingFloatCents);

    public Dictionary<Tender, Money> Counted() => Totals(CountedCashCents, CountedCheckCents, CountedMoneyOrderCents, CountedCardCents, CountedAchCents);

    public Dictionary<Tender, Money> Expected() => Totals(ExpectedCashCents, ExpectedCheckCents, ExpectedMoneyOrderCents, ExpectedCardCents, ExpectedAchCents);

    internal void RecordClose(DateTimeOffset closedAt, IReadOnlyDictionary<Tender, Money> counted, IReadOnlyDictionary<Tender, Money> expected, DrawerBalance balance)
    {
        if (Status != DrawerStatus.Open)
        {
            throw new DomainException($"Drawer {Id} is {Status}; only an open drawer can be closed.", "drawer");
        }

        Status = DrawerStatus.Closed;
        ClosedAt = closedAt;
        (CountedCashCents, CountedCheckCents, CountedMoneyOrderCents, CountedCardCents, CountedAchCents) = Split(counted);
        (ExpectedCashCents, ExpectedCheckCents, ExpectedMoneyOrderCents, ExpectedCardCents, ExpectedAchCents) = Split(expected);
        OverShortCents = balance.Total.Cents;
    }

    internal void RecordApproval(string approver, DateTimeOffset approvedAt, string? note)
    {
        if (Status != DrawerStatus.Closed)
        {
            throw new DomainException($"Drawer {Id} is {Status}; only a closed drawer can be approved.", "drawer");
        }

        Status = DrawerStatus.Approved;
        ApprovedBy = approver;
        ApprovedAt = approvedAt;
        ApprovalNote = note;
    }

    private static (long, long, long, long, long) Split(IReadOnlyDictionary<Tender, Money> totals) =>
        (totals.GetValueOrDefault(Tender.Cash).Cents, totals.GetValueOrDefault(Tender.Check).Cents, totals.GetValueOrDefault(Tender.MoneyOrder).Cents,
         totals.GetValueOrDefault(Tender.Card).Cents, totals.GetValueOrDefault(Tender.Ach).Cents);

    private static Dictionary<Tender, Money> Totals(long? cash, long? check, long? moneyOrder, long? card, long? ach) => new()
    {
        [Tender.Cash] = Money.FromCents(cash ?? 0),
        [Tender.Check] = Money.FromCents(check ?? 0),
        [Tender.MoneyOrder] = Money.FromCents(moneyOrder ?? 0),
        [Tender.Card] = Money.FromCents(card ?? 0),
        [Tender.Ach] = Money.FromCents(ach ?? 0),
    };
}

/// <summary>One tender of a counter payment, as kept in the drawer (cash net of the change handed back).</summary>
public sealed class PaymentTender
{
    public long Id { get; init; }
    public long PaymentId { get; init; }
    public long DrawerSessionId { get; init; }
    public Tender Tender { get; init; }
    public long AmountCents { get; init; }
    public string? Reference { get; init; }
    public string? CardToken { get; init; }
    public string? CardLastFour { get; init; }
}
