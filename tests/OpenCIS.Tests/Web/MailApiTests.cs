using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Storage;
using OpenCIS.UseCases;
using OpenCIS.UseCases.Mail;

namespace OpenCIS.Tests.Web;

/// <summary>Sent mail through the API and the screens: who may see it, sending the queue as a job, one mail with its attachment.</summary>
public sealed class MailApiTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task A_supervisor_sends_the_queued_mail_and_a_clerk_reads_what_went_out()
    {
        var supervisor = await factory.SignedInClientAsync("Supervisor");
        var clerk = await factory.SignedInClientAsync("Clerk");
        var cashier = await factory.SignedInClientAsync("Cashier");
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
            var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();
            await QueueMail.AddAsync(db, new MailToQueue("Letter", "letter:api-test", null, "pat.customer@example.com", "Pat Customer", "Your payment arrangement",
                "Four installments of $50.00.", [new MailAttachment("arrangement.pdf", "application/pdf", "%PDF-1.4\n"u8.ToArray())]), "clerk", now, default);
            await db.SaveChangesAsync();
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await cashier.GetAsync(new Uri("/api/mail", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await clerk.PostAsync(new Uri("/api/mail/send", UriKind.Relative), null)).StatusCode);
        var waiting = (await clerk.GetFromJsonAsync<List<MailSummary>>("/api/mail?status=queued", Json))!;
        var queued = Assert.Single(waiting, m => m.Subject == "Your payment arrangement");

        var outcome = await JobPolling.ResultAsync<MailSendOutcome>(supervisor, await supervisor.PostAsync(new Uri("/api/mail/send", UriKind.Relative), null));
        Assert.True(outcome.Sent >= 1, outcome.Message);
        Assert.Contains("the outbox folder", outcome.Message, StringComparison.Ordinal);
        Assert.NotEmpty(Directory.GetFiles(factory.OutboxFolder, "*.eml"));

        var detail = (await clerk.GetFromJsonAsync<MailDetail>($"/api/mail/{queued.Id}", Json))!;
        Assert.Equal(("Sent", 1, "Four installments of $50.00."), (detail.Summary.Status, detail.Summary.Attempts, detail.BodyText));
        var attachment = Assert.Single(detail.Attachments);
        Assert.Equal("%PDF-1.4\n"u8.ToArray(), await clerk.GetByteArrayAsync(new Uri($"/api/mail/{queued.Id}/attachments/{attachment.Id}", UriKind.Relative)));
        Assert.Equal(HttpStatusCode.BadRequest, (await clerk.GetAsync(new Uri("/api/mail?status=lost", UriKind.Relative))).StatusCode);

        var list = await clerk.GetStringAsync(new Uri("/Mail?status=Sent", UriKind.Relative));
        Assert.Contains("Your payment arrangement", list, StringComparison.Ordinal);
        Assert.DoesNotContain("send-form", list, StringComparison.Ordinal);
        Assert.Contains("send-form", await supervisor.GetStringAsync(new Uri("/Mail", UriKind.Relative)), StringComparison.Ordinal);
        var page = await clerk.GetStringAsync(new Uri($"/Mail/{queued.Id}", UriKind.Relative));
        Assert.Contains("Four installments of $50.00.", page, StringComparison.Ordinal);
        Assert.Contains("arrangement.pdf", page, StringComparison.Ordinal);
    }
}
