using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using OpenCIS.Core.Customers;
using OpenCIS.Storage;
using OpenCIS.Storage.Mail;
using OpenCIS.Tests.Persistence;
using OpenCIS.UseCases.Customers;
using OpenCIS.UseCases.Mail;

namespace OpenCIS.Tests.Mail;

/// <summary>
/// A real SMTP server that has no mailbox for an address refuses it for good (550): the mail fails at once instead of being
/// tried four more times, the account holder's e-mail address is marked failed so notices go by mail again, and the next
/// mail on the same connection is still sent.
/// </summary>
public sealed class MailBounceTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_refused_address_fails_its_mail_at_once_and_marks_the_holders_email_failed(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "mail bounces");
        await database.MigrateAsync();
        var clock = new MovableClock();
        await using var smtp = TestSmtpServer.Start("gone@example.com");
        await using var services = MailSendingTests.Services(database, clock, smtp.Port, Path.GetTempPath());
        string accountNumber;
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
            var tiny = await TinyCity.BuildAsync(db, 2);
            accountNumber = tiny[0].AccountNumber;
            foreach (var (account, email) in tiny.Zip(["Gone@Example.com", "here@example.com"]))
            {
                var customer = await db.Customers.SingleAsync(c => c.Id == account.CustomerId);
                customer.UpdateContact(customer.DisplayName, email, null, customer.MailingLine1, customer.MailingCity, customer.MailingState, customer.MailingZip);
                customer.ChooseNoticeDelivery(true);
                await QueueMail.AddAsync(db, new MailToQueue("Notice", $"notice:{account.AccountId}", account.AccountId, email, customer.DisplayName, "Past-due reminder", "Please pay.", []),
                    "collections run", clock.GetUtcNow(), default);
            }

            await db.SaveChangesAsync();
            Assert.Equal(ReachBy.Email, (await scope.ServiceProvider.GetRequiredService<SkipTrace>().ForAccountAsync(accountNumber)).NoticesGoBy);
        }

        await using (var scope = services.CreateAsyncScope())
        {
            var outcome = await scope.ServiceProvider.GetRequiredService<SendQueuedMail>().ExecuteAsync();
            Assert.Equal((1, 0, 1), (outcome.Sent, outcome.Retrying, outcome.Failed));
        }

        Assert.Equal("here@example.com", ((MailboxAddress)Assert.Single(smtp.Received).To.Single()).Address);
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
            var bounced = await db.OutgoingMail.AsNoTracking().SingleAsync(m => m.ToAddress == "Gone@Example.com");
            Assert.Equal((MailStatus.Failed, 1), (bounced.Status, bounced.Attempts));
            Assert.False(string.IsNullOrEmpty(bounced.LastError), bounced.LastError);
            var view = await scope.ServiceProvider.GetRequiredService<SkipTrace>().ForAccountAsync(accountNumber);
            var email = view.OnFile.Single(c => c.Channel == ContactChannel.Email);
            Assert.Equal("mail refused by the server (550)", email.Failure!.Reason);
            Assert.Equal(ReachBy.Mail, view.NoticesGoBy);
            Assert.Null((await db.Customers.AsNoTracking().SingleAsync(c => c.EmailKey == "here@example.com")).EmailFailedOn);
        }
    }
}
