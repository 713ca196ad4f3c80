using OpenCIS.Core.Common;
using OpenCIS.Core.Customers;
using OpenCIS.Core.Ledger;

namespace OpenCIS.Tests.Core.Customers;

public sealed class AccountAlertsTests
{
    private static readonly DateOnly Today = new(2026, 12, 4);

    private static AccountAlertFacts Quiet() => new(Today, false, [], null, null, [], null, [], [], [], null);

    private static Money D(decimal dollars) => Money.FromCents((long)(dollars * 100));

    [Fact]
    public void Past_due_names_its_amount_and_the_days_since_the_oldest_unpaid_due_date_and_is_loud_after_thirty_days()
    {
        var facts = Quiet() with
        {
            OpenItems = [new PastDueItem(Today.AddDays(-97), D(7_000m)), new PastDueItem(Today.AddDays(-12), D(395m)), new PastDueItem(Today.AddDays(9), D(80m))],
            Standing = new CollectionStandingFact("FinalNotice", false, null),
        };
        var alert = Assert.Single(AccountAlerts.For(facts), a => a.Kind == AccountAlerts.PastDue);
        Assert.Equal("Past due $7,395.00 for 97 days; shut-off notice sent", alert.Text);
        Assert.Equal(AlertLevel.Danger, alert.Level);

        var recent = AccountAlerts.For(Quiet() with { OpenItems = [new PastDueItem(Today.AddDays(-3), D(42.10m))] });
        Assert.Equal(new AccountAlert(AccountAlerts.PastDue, AlertLevel.Warning, "Past due $42.10 for 3 days"), recent[0]);
    }

    [Fact]
    public void A_credit_larger_than_what_is_past_due_leaves_nothing_past_due_and_a_bill_not_yet_due_is_not_past_due()
    {
        Assert.DoesNotContain(AccountAlerts.For(Quiet() with { OpenItems = [new PastDueItem(Today.AddDays(-40), D(50m)), new PastDueItem(Today.AddDays(-5), D(-60m))] }),
            a => a.Kind == AccountAlerts.PastDue);
        Assert.DoesNotContain(AccountAlerts.For(Quiet() with { OpenItems = [new PastDueItem(Today, D(50m))] }), a => a.Kind == AccountAlerts.PastDue);
    }

    [Fact]
    public void Protections_show_while_in_force_each_naming_itself_and_an_ended_certificate_does_not()
    {
        var facts = Quiet() with
        {
            Protections =
            [
                new ProtectionFact(ProtectionAlert.MedicalCertificate, Today.AddDays(-10), Today.AddDays(11), "Dr. Maya Chen", null, ""),
                new ProtectionFact(ProtectionAlert.MedicalCertificate, Today.AddDays(-60), Today.AddDays(-1), "Dr. Old", null, ""),
                new ProtectionFact(ProtectionAlert.Dispute, new DateOnly(2026, 10, 1), null, null, D(2_000m), "readings"),
                new ProtectionFact(ProtectionAlert.LifeSupport, Today.AddDays(30), null, null, null, "starts later"),
            ],
        };
        var alerts = AccountAlerts.For(facts);
        Assert.Equal(["Medical certificate until Dec 15, 2026 (Dr. Maya Chen)", "Open dispute: $2,000.00 held out of collections since Oct 1, 2026", "No payment on record"],
            alerts.Select(a => a.Text));
    }

    [Fact]
    public void The_loudest_come_first_and_each_speaks_in_words()
    {
        var facts = Quiet() with
        {
            CashOnly = true,
            LastPayment = new LastPaymentFact(Today.AddDays(-20), D(120m), "Check", Returned: true),
            Arrangement = new ArrangementFact(Today.AddDays(-30), D(600m), D(200m), Today.AddDays(11), D(100m)),
            DepositsDue = [new DepositDueFact(D(150m), Today.AddDays(10))],
            OpenOrders = [new OrderFact(7, "DisconnectForNonPayment", "Dispatched", Today.AddDays(-1)), new OrderFact(8, "ReRead", "Open", Today.AddDays(2))],
            OpenCases = [new CaseFact(3, "HighBillInvestigation", "WaitingOnField", Today.AddDays(5))],
            LatestNote = new NoteFact("Customer asked\nfor a call back " + new string('x', 200), "clerk1", new DateTimeOffset(2026, 12, 1, 15, 0, 0, TimeSpan.Zero)),
        };
        var alerts = AccountAlerts.For(facts);
        Assert.Equal(
            [
                (AlertLevel.Danger, "Cash only: no checks or ACH"),
                (AlertLevel.Warning, "Deposit due: $150.00 by Dec 14, 2026"),
                (AlertLevel.Warning, "2 open orders: Disconnect for non payment (dispatched, due Dec 3, 2026), Re read (open, due Dec 6, 2026); 1 overdue"),
                (AlertLevel.Warning, "Last payment $120.00 on Nov 14, 2026 (check), returned"),
                (AlertLevel.Info, "Payment arrangement of $600.00 made Nov 4, 2026, $200.00 paid; next $100.00 due Dec 15, 2026"),
                (AlertLevel.Info, "1 open case: High bill investigation (waiting on field, due Dec 9, 2026)"),
            ],
            alerts.Take(6).Select(a => (a.Level, a.Text)));
        var note = Assert.Single(alerts, a => a.Kind == AccountAlerts.Note);
        Assert.StartsWith("Note by clerk1 on Dec 1, 2026: Customer asked for a call back xxx", note.Text);
        Assert.EndsWith("…", note.Text);
        Assert.Equal("Note by clerk1 on Dec 1, 2026: ".Length + AccountAlerts.NoteLength, note.Text.Length);
    }

    [Fact]
    public void A_disconnected_account_says_so_instead_of_the_list()
    {
        var alerts = AccountAlerts.For(Quiet() with { Standing = new CollectionStandingFact("Disconnected", true, "listed") });
        Assert.Contains(alerts, a => a.Kind == AccountAlerts.Disconnected && a.Level == AlertLevel.Danger);
        Assert.DoesNotContain(alerts, a => a.Kind == AccountAlerts.DisconnectList);
    }
}
