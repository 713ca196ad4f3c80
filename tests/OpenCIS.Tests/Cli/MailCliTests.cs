using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Storage;
using OpenCIS.Tests.Persistence;
using OpenCIS.UseCases.Mail;

namespace OpenCIS.Tests.Cli;

/// <summary><c>opencis mail send</c> and <c>mail list</c>: the queue sent into the outbox folder, listed with its status.</summary>
public sealed class MailCliTests
{
    [Fact]
    public async Task Mail_send_sends_the_queue_into_the_outbox_and_mail_list_shows_it_sent()
    {
        await using var database = await TestDatabases.CreateAsync(TestProvider.Sqlite, "mail cli");
        await database.MigrateAsync();
        var outbox = Path.Combine(Path.GetTempPath(), $"opencis-outbox-{Guid.NewGuid():N}");
        var configuration = new ConfigurationBuilder().AddConfiguration(database.Configuration())
            .AddInMemoryCollection(new Dictionary<string, string?> { ["OPENCIS_MAIL_OUTBOX"] = outbox }).Build();
        try
        {
            await using (var services = database.Services())
            await using (var scope = services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
                await QueueMail.AddAsync(db, new MailToQueue("Letter", "letter:cli", null, "pat.customer@example.com", "Pat Customer", "Your deposit was refunded", "It was credited to your account.", []),
                    "clerk", FixedClock.DemoToday.AddDays(-1), default);
                await db.SaveChangesAsync();
            }

            var send = await CliRun.ExecuteAsync(configuration, ["mail", "send"]);
            var list = await CliRun.ExecuteAsync(configuration, ["mail", "list", "--status", "sent"]);
            var bad = await CliRun.ExecuteAsync(configuration, ["mail", "list", "--status", "lost"]);

            Assert.True(send.ExitCode == 0, send.Output);
            Assert.Contains("Sent 1 of 1 through the outbox folder", send.Output.ReplaceLineEndings(" "), StringComparison.Ordinal);
            Assert.Single(Directory.GetFiles(outbox, "*.eml"));
            Assert.Contains("Your deposit was refunded", list.Output, StringComparison.Ordinal);
            Assert.Equal(OpenCIS.Cli.CliApp.BadInput, bad.ExitCode);
            Assert.Contains("--status 'lost'", bad.Output, StringComparison.Ordinal);
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
