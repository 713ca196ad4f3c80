using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.Storage.Mail;
using OpenCIS.Tests.Persistence;
using OpenCIS.UseCases;
using OpenCIS.UseCases.Mail;

namespace OpenCIS.Tests.Mail;

/// <summary>
/// Customer e-mail on either database, sent to a real SMTP server started in the test: queued once per
/// dedupe key, sent with its attachment, retried with a growing wait while the server is down, failed after
/// the last attempt with the server's words, and sent again by a person.
/// </summary>
public sealed class MailSendingTests
{
    private static readonly byte[] Pdf = "%PDF-1.4\n% a notice\n"u8.ToArray();

    private static MailToQueue Notice(string key, string to = "pat.customer@example.com") =>
        new("Notice", key, null, to, "Pat Customer", "Shut-off notice for account 00000018", "Your account is past due.\nPay $312.50 by Dec 14.",
            [new MailAttachment("notice-42.pdf", "application/pdf", Pdf)]);

    internal static ServiceProvider Services(TestDatabase database, MovableClock clock, int port, string outbox) =>
        new ServiceCollection()
            .AddSingleton<TimeProvider>(clock)
            .AddOpenCisUseCases(new ConfigurationBuilder().AddConfiguration(database.Configuration()).AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["OPENCIS_SMTP_HOST"] = "127.0.0.1",
                ["OPENCIS_SMTP_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["OPENCIS_SMTP_SECURITY"] = "none",
                ["OPENCIS_SMTP_FROM"] = "billing@riverbend.example",
                ["OPENCIS_MAIL_OUTBOX"] = outbox,
            }).Build())
            .BuildServiceProvider();

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Mail_is_queued_once_sent_with_its_attachment_and_retried_while_the_server_is_down(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "mail sending");
        await database.MigrateAsync();
        var clock = new MovableClock();
        await using var smtp = TestSmtpServer.Start();

        // Queued with the work that produced it; the same notice again queues nothing.
        await using (var services = Services(database, clock, smtp.Port, Path.GetTempPath()))
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
            Assert.True(await QueueMail.AddAsync(db, Notice("notice:42"), "collections run", clock.GetUtcNow(), default));
            Assert.False(await QueueMail.AddAsync(db, Notice("notice:42"), "collections run", clock.GetUtcNow(), default));
            await db.SaveChangesAsync();
            Assert.False(await QueueMail.AddAsync(db, Notice("notice:42"), "collections run", clock.GetUtcNow(), default));
            await Assert.ThrowsAsync<DomainException>(() => QueueMail.AddAsync(db, Notice("notice:43", "not an address"), "x", clock.GetUtcNow(), default));

            var outcome = await scope.ServiceProvider.GetRequiredService<SendQueuedMail>().ExecuteAsync();
            Assert.Equal((1, 0, 0), (outcome.Sent, outcome.Retrying, outcome.Failed));
        }

        var received = Assert.Single(smtp.Received);
        Assert.Equal("Shut-off notice for account 00000018", received.Subject);
        Assert.Equal("pat.customer@example.com", ((MailboxAddress)received.To.Single()).Address);
        Assert.Equal("billing@riverbend.example", ((MailboxAddress)received.From.Single()).Address);
        Assert.Contains("Pay $312.50 by Dec 14.", received.TextBody ?? "", StringComparison.Ordinal);
        var attachment = Assert.IsType<MimePart>(Assert.Single(received.Attachments));
        Assert.Equal("notice-42.pdf", attachment.FileName);
        using (var content = new MemoryStream())
        {
            await attachment.Content!.DecodeToAsync(content);
            Assert.Equal(Pdf, content.ToArray());
        }

        await using (var check = database.Context())
        {
            var sent = await check.OutgoingMail.SingleAsync();
            Assert.Equal((MailStatus.Sent, 1), (sent.Status, sent.Attempts));
            Assert.Equal(received.MessageId, sent.MessageId);
        }

        // The server is down: each attempt fails, waits longer, and the fifth marks the mail failed.
        await using (var services = Services(database, clock, TestSmtpServer.FreePort(), Path.GetTempPath()))
        {
            await using (var scope = services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
                await QueueMail.AddAsync(db, Notice("notice:44", "lee.owner@example.com"), "collections run", clock.GetUtcNow(), default);
                await db.SaveChangesAsync();
            }

            foreach (var (attempt, wait) in new[] { (1, 1), (2, 5), (3, 15), (4, 60) })
            {
                await using var scope = services.CreateAsyncScope();
                var outcome = await scope.ServiceProvider.GetRequiredService<SendQueuedMail>().ExecuteAsync();
                Assert.Equal((0, 1, 0), (outcome.Sent, outcome.Retrying, outcome.Failed));
                var mail = await scope.ServiceProvider.GetRequiredService<OpenCisDbContext>().OutgoingMail.AsNoTracking().SingleAsync(m => m.DedupeKey == "notice:44");
                Assert.Equal((MailStatus.Queued, attempt, clock.GetUtcNow().AddMinutes(wait)), (mail.Status, mail.Attempts, mail.NextAttemptAt));
                Assert.False(string.IsNullOrEmpty(mail.LastError));

                // Not due yet: nothing is tried.
                Assert.Equal("No mail was due.", (await scope.ServiceProvider.GetRequiredService<SendQueuedMail>().ExecuteAsync()).Message);
                clock.Now = clock.Now.AddMinutes(wait);
            }

            await using (var last = services.CreateAsyncScope())
            {
                var outcome = await last.ServiceProvider.GetRequiredService<SendQueuedMail>().ExecuteAsync();
                Assert.Equal((0, 0, 1), (outcome.Sent, outcome.Retrying, outcome.Failed));
            }
        }

        // A person sends it again once the server is back.
        await using (var services = Services(database, clock, smtp.Port, Path.GetTempPath()))
        await using (var scope = services.CreateAsyncScope())
        {
            var failed = await scope.ServiceProvider.GetRequiredService<MailQueries>().RecentAsync(MailStatus.Failed);
            var mail = Assert.Single(failed);
            Assert.Equal(OutgoingMail.AttemptsMax, mail.Attempts);
            await scope.ServiceProvider.GetRequiredService<SendQueuedMail>().RequeueAsync(mail.Id);
            Assert.Equal(1, (await scope.ServiceProvider.GetRequiredService<SendQueuedMail>().ExecuteAsync()).Sent);
            await Assert.ThrowsAsync<DomainException>(() => scope.ServiceProvider.GetRequiredService<SendQueuedMail>().RequeueAsync(mail.Id));
        }

        Assert.Equal(2, smtp.Received.Count);
        Assert.Equal("lee.owner@example.com", ((MailboxAddress)smtp.Received[1].To.Single()).Address);
    }

    [Fact]
    public async Task Without_an_SMTP_server_mail_goes_to_the_outbox_folder_as_eml_files()
    {
        await using var database = await TestDatabases.CreateAsync(TestProvider.Sqlite, "mail outbox");
        await database.MigrateAsync();
        var outbox = Path.Combine(Path.GetTempPath(), $"opencis-outbox-{Guid.NewGuid():N}");
        try
        {
            var clock = new MovableClock();
            await using var services = new ServiceCollection()
                .AddSingleton<TimeProvider>(clock)
                .AddOpenCisUseCases(new ConfigurationBuilder().AddConfiguration(database.Configuration())
                    .AddInMemoryCollection(new Dictionary<string, string?> { ["OPENCIS_MAIL_OUTBOX"] = outbox }).Build())
                .BuildServiceProvider();
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
            await QueueMail.AddAsync(db, Notice("notice:50"), "collections run", clock.GetUtcNow(), default);
            await db.SaveChangesAsync();

            var outcome = await scope.ServiceProvider.GetRequiredService<SendQueuedMail>().ExecuteAsync();

            Assert.Contains($"the outbox folder {outbox}", outcome.Message, StringComparison.Ordinal);
            var file = Assert.Single(Directory.GetFiles(outbox, "*.eml"));
            using var message = await MimeMessage.LoadAsync(file);
            Assert.Equal("Shut-off notice for account 00000018", message.Subject);
            Assert.Equal("notice-42.pdf", Assert.Single(message.Attachments).ContentDisposition?.FileName);
        }
        finally
        {
            if (Directory.Exists(outbox))
            {
                Directory.Delete(outbox, recursive: true);
            }
        }
    }
}

/// <summary>A clock a test moves by hand.</summary>
public sealed class MovableClock : TimeProvider
{
    public DateTimeOffset Now { get; set; } = FixedClock.DemoToday;

    public override DateTimeOffset GetUtcNow() => Now;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
}
