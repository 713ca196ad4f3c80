using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace OpenCIS.Tests.Mail;

/// <summary>A real SMTP server (the SmtpServer package) on a free local port, keeping every message it receives.</summary>
public sealed class TestSmtpServer : IAsyncDisposable
{
    private readonly SmtpServer.SmtpServer server;
    private readonly Task running;
    private readonly Store store = new();

    private TestSmtpServer(int port, IReadOnlyCollection<string> refused)
    {
        Port = port;
        var options = new SmtpServerOptionsBuilder().ServerName("localhost").Port(port).Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(store);
        services.Add(new Refusing(refused));
        server = new SmtpServer.SmtpServer(options, services);
        running = server.StartAsync(CancellationToken.None);
    }

    public int Port { get; }

    public IReadOnlyList<MimeMessage> Received => [.. store.Messages];

    /// <summary>Starts the server; it refuses for good (550) the mailboxes named in <paramref name="refused"/>, as a server does an address with no mailbox.</summary>
    public static TestSmtpServer Start(params string[] refused) => new(FreePort(), refused);

    /// <summary>A port nothing listens on: for a server that is down.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        server.Shutdown();
        await server.ShutdownTask;
        await running;
        foreach (var message in store.Messages)
        {
            message.Dispose();
        }
    }

    private sealed class Refusing(IReadOnlyCollection<string> refused) : MailboxFilter
    {
        public override Task<bool> CanDeliverToAsync(ISessionContext context, SmtpServer.Mail.IMailbox to, SmtpServer.Mail.IMailbox from, CancellationToken cancellationToken) =>
            Task.FromResult(!refused.Contains($"{to.User}@{to.Host}", StringComparer.OrdinalIgnoreCase));
    }

    private sealed class Store : MessageStore
    {
        public ConcurrentQueue<MimeMessage> Messages { get; } = new();

        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            Messages.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}
