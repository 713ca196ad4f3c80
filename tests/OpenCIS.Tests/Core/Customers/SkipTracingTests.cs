using FsCheck;
using FsCheck.Fluent;
using OpenCIS.Core.Customers;
using OpenCIS.Tests.Properties;

namespace OpenCIS.Tests.Core.Customers;

/// <summary>How a document reaches a customer once a channel has failed, what a logged contact says about its channel, and the alert strip's words.</summary>
public sealed class SkipTracingTests
{
    private static readonly DateOnly Today = new(2026, 11, 22);

    [Theory]
    [InlineData(false, "pat@example.com", false, false, ReachBy.Mail)]
    [InlineData(true, "pat@example.com", false, false, ReachBy.Email)]
    [InlineData(true, "pat@example.com", true, false, ReachBy.Mail)]
    [InlineData(true, null, false, false, ReachBy.Mail)]
    [InlineData(false, "pat@example.com", false, true, ReachBy.Email)]
    [InlineData(false, "pat@example.com", true, true, ReachBy.Held)]
    [InlineData(false, "  ", false, true, ReachBy.Held)]
    [InlineData(true, null, false, true, ReachBy.Held)]
    public void A_document_goes_by_email_when_chosen_and_working_by_mail_unless_returned_and_is_held_with_neither(bool prefersEmail, string? email, bool emailFailed, bool mailReturned, ReachBy expected) =>
        Assert.Equal(expected, SkipTracing.Route(prefersEmail, email, emailFailed, mailReturned));

    [Fact]
    public void Nothing_goes_to_a_failed_channel_and_nothing_is_held_while_one_channel_works()
    {
        var cases =
            from prefersEmail in Gen.Elements(true, false)
            from email in Gen.Elements<string?>(null, "", "pat@example.com")
            from emailFailed in Gen.Elements(true, false)
            from mailReturned in Gen.Elements(true, false)
            select (prefersEmail, email, emailFailed, mailReturned);
        var property = Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var emailWorks = !string.IsNullOrWhiteSpace(c.email) && !c.emailFailed;
            var reach = SkipTracing.Route(c.prefersEmail, c.email, c.emailFailed, c.mailReturned);
            return (reach != ReachBy.Email || emailWorks)
                && (reach != ReachBy.Mail || !c.mailReturned)
                && (reach == ReachBy.Held) == (c.mailReturned && !emailWorks);
        });
        Check.One(Generators.Config, property);
    }

    [Theory]
    [InlineData("Call", "wrong-number", true)]
    [InlineData("call", "WRONG-NUMBER", true)]
    [InlineData("Call", "no-answer", false)]
    [InlineData("Visit", "wrong-number", false)]
    public void Only_a_call_that_reached_a_wrong_number_marks_the_phone(string kind, string outcome, bool marks) =>
        Assert.Equal(marks ? ContactChannel.Phone : null, SkipTracing.FailedBy(kind, outcome));

    [Theory]
    [InlineData(550, true, true)]
    [InlineData(553, true, true)]
    [InlineData(450, true, false)]
    [InlineData(550, false, false)]
    public void Only_a_permanent_refusal_of_the_recipient_marks_the_address(int status, bool refusedRecipient, bool permanent) =>
        Assert.Equal(permanent, SkipTracing.IsPermanentRecipientFailure(status, refusedRecipient));

    [Fact]
    public void The_alert_strip_names_each_failed_channel_with_its_date_and_reason()
    {
        var facts = new AccountAlertFacts(Today, false, [], null, null, [], null, [], [], [], null)
        {
            ContactFailures =
            [
                new ContactFailure(ContactChannel.Email, Today.AddDays(-1), "mail refused by the server (550)"),
                new ContactFailure(ContactChannel.Address, new DateOnly(2026, 11, 3), "Moved, left no address"),
            ],
        };
        var alerts = AccountAlerts.For(facts);
        var mail = Assert.Single(alerts, a => a.Kind == AccountAlerts.MailReturned);
        Assert.Equal((AlertLevel.Warning, "Mail returned on Nov 3, 2026: Moved, left no address: mail to the address is stopped; confirm the address"), (mail.Level, mail.Text));
        Assert.Equal(AlertLevel.Info, Assert.Single(alerts, a => a.Kind == AccountAlerts.EmailFailed).Level);
        Assert.DoesNotContain(alerts, a => a.Kind == AccountAlerts.PhoneFailed);
        Assert.NotNull(SkipTracing.CheckReason(" "));
        Assert.Null(SkipTracing.CheckReason("Moved"));
        Assert.NotNull(SkipTracing.CheckReason(new string('x', SkipTracing.ReasonLengthMax + 1)));
    }
}
