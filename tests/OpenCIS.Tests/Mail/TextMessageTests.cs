using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Storage;
using OpenCIS.Storage.Mail;
using OpenCIS.Tests.Persistence;
using OpenCIS.UseCases;
using OpenCIS.UseCases.Mail;

namespace OpenCIS.Tests.Mail;

/// <summary>
/// Text messages: queued beside the mail and sent by the same sender, into the sink's folder or to Twilio's Messages API (here a
/// real HTTP server started in the test that answers as Twilio does), once; a number Twilio refuses fails at once, and an
/// outage is tried again.
/// </summary>
public sealed class TextMessageTests
{
    private sealed record Received(string Path, string? Authorization, IReadOnlyDictionary<string, string> Form);

    /// <summary>An HTTP server on a free local port answering each POST with <paramref name="answer"/>, keeping what it was sent.</summary>
    private static async Task<(WebApplication Server, Uri Address, List<Received> Requests)> StartTwilioAsync(Func<int, (int Status, string Body)> answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var server = builder.Build();
        var requests = new List<Received>();
        server.MapPost("/{**path}", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync();
            lock (requests)
            {
                requests.Add(new Received(context.Request.Path, context.Request.Headers.Authorization.FirstOrDefault(), form.ToDictionary(f => f.Key, f => f.Value.ToString())));
            }

            var (status, body) = answer(requests.Count);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(body);
        });
        await server.StartAsync();
        var address = new Uri(server.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        return (server, address, requests);
    }

    private static SmsSettings Twilio(Uri address) => new(SmsSettings.Twilio, "AC0123", "secret-token", "+15415550100", address, "unused");

    [Fact]
    public async Task The_twilio_adapter_posts_to_from_and_body_with_the_accounts_credentials_and_reads_back_the_sid()
    {
        var (server, address, requests) = await StartTwilioAsync(_ => (201, """{"sid":"SM42","status":"queued"}"""));
        await using var _ = server;
        using var http = new HttpClient();

        var sid = await new TwilioSmsSender(http, Twilio(address)).SendAsync("+15415550123", "City of Riverbend: account 00000018 owes $42.10.", default);

        Assert.Equal("SM42", sid);
        var request = Assert.Single(requests);
        Assert.Equal("/2010-04-01/Accounts/AC0123/Messages.json", request.Path);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("AC0123:secret-token")), request.Authorization);
        Assert.Equal(("+15415550123", "+15415550100", "City of Riverbend: account 00000018 owes $42.10."), (request.Form["To"], request.Form["From"], request.Form["Body"]));
    }

    [Fact]
    public async Task A_number_twilio_refuses_is_not_tried_again_and_an_outage_is()
    {
        var (server, address, _) = await StartTwilioAsync(n => n == 1
            ? (400, """{"code":21211,"message":"The 'To' number +15415550199 is not a valid phone number.","status":400}""")
            : (503, "Service Unavailable"));
        await using var _server = server;
        using var http = new HttpClient();
        var sender = new TwilioSmsSender(http, Twilio(address));

        var refused = await Assert.ThrowsAsync<TextRefusedException>(() => sender.SendAsync("+15415550199", "Hello", default));
        Assert.Contains("is not a valid phone number", refused.Message, StringComparison.Ordinal);
        var outage = await Assert.ThrowsAsync<HttpRequestException>(() => sender.SendAsync("+15415550123", "Hello", default));
        Assert.Contains("503", outage.Message, StringComparison.Ordinal);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_queued_text_goes_once_through_the_sender_to_the_provider_and_a_refused_number_fails_at_once(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "texts");
        await database.MigrateAsync();
        var (server, address, requests) = await StartTwilioAsync(n => n == 1 ? (201, """{"sid":"SM1"}""") : (400, """{"code":21614,"message":"'To' number is not a valid mobile number"}"""));
        await using var _server = server;
        var clock = new MovableClock();
        await using var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(clock)
            .AddOpenCisUseCases(new ConfigurationBuilder().AddConfiguration(database.Configuration()).AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["OPENCIS_SMS_PROVIDER"] = "twilio", ["OPENCIS_TWILIO_ACCOUNT_SID"] = "AC0123", ["OPENCIS_TWILIO_AUTH_TOKEN"] = "secret-token",
                ["OPENCIS_SMS_FROM"] = "(541) 555-0100", ["OPENCIS_TWILIO_URL"] = address.ToString(),
            }).Build())
            .BuildServiceProvider();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        Assert.True(await QueueText.AddAsync(db, "Reminder", "text:1", null, "541-555-0123", "Pat", "Your bill is due.", "test", clock.GetUtcNow(), default));
        Assert.True(await QueueText.AddAsync(db, "Reminder", "text:2", null, "541-555-0199", "Lee", "Your bill is due.", "test", clock.GetUtcNow(), default));
        Assert.False(await QueueText.AddAsync(db, "Reminder", "text:1", null, "541-555-0123", "Pat", "Your bill is due.", "test", clock.GetUtcNow(), default));
        await Assert.ThrowsAsync<OpenCIS.Core.Common.DomainException>(() => QueueText.AddAsync(db, "Reminder", "text:3", null, "555-0123", "Kim", "Hi", "test", clock.GetUtcNow(), default));
        await db.SaveChangesAsync();

        var outcome = await scope.ServiceProvider.GetRequiredService<SendQueuedMail>().ExecuteAsync();
        Assert.Equal((1, 0, 1), (outcome.Sent, outcome.Retrying, outcome.Failed));
        Assert.Contains("Twilio from +15415550100", outcome.Message, StringComparison.Ordinal);
        Assert.Equal(["+15415550123", "+15415550199"], requests.Select(r => r.Form["To"]));
        db.ChangeTracker.Clear();
        var rows = await db.OutgoingMail.AsNoTracking().OrderBy(m => m.DedupeKey).ToListAsync();
        Assert.All(rows, r => Assert.Equal(MailChannel.Sms, r.Channel));
        Assert.Equal((MailStatus.Sent, "SM1"), (rows[0].Status, rows[0].MessageId));
        Assert.Equal((MailStatus.Failed, 1), (rows[1].Status, rows[1].Attempts));
        Assert.Contains("not a valid mobile number", rows[1].LastError, StringComparison.Ordinal);

        // Sent is sent: another pass sends nothing.
        Assert.Equal(0, (await scope.ServiceProvider.GetRequiredService<SendQueuedMail>().ExecuteAsync()).Sent);
        Assert.Equal(2, requests.Count);
    }
}
