using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Storage;
using OpenCIS.UseCases.Jobs;
using OpenCIS.UseCases.Mail;

namespace OpenCIS.UseCases.Portal;

/// <summary>
/// The portal's e-mail to customers (the link that verifies an address, a password reset, a payment's receipt), in the
/// customer's language, queued with the work that sends it like every customer e-mail (<see cref="QueueMail"/>); once that
/// work commits, <see cref="SendSoonAsync"/> starts the mail sender, so a customer waiting for a link is not kept waiting
/// for its schedule.
/// </summary>
public sealed class PortalMail(OpenCisDbContext db, IServiceProvider services, TimeProvider clock)
{
    public const string Sender = "portal";

    /// <summary>Queues the mail of <paramref name="kind"/> (its texts are <c>Mail{kind}Subject</c> and <c>Mail{kind}Body</c>) on the caller's unit of work.</summary>
    /// <remarks>A batch passes <paramref name="queuedKeys"/> from <see cref="QueuedKeysAsync"/> (see <see cref="QueueMail.AddAsync"/>).</remarks>
    public Task<bool> QueueAsync(string kind, string dedupeKey, long? accountId, string toAddress, string toName, string language, object?[] bodyArgs, CancellationToken cancellationToken,
        IReadOnlySet<string>? queuedKeys = null) =>
        QueueMail.AddAsync(db, new MailToQueue("Portal" + kind, dedupeKey, accountId, toAddress, toName,
            PortalText.Get(language, $"Mail{kind}Subject", bodyArgs), PortalText.Get(language, $"Mail{kind}Body", bodyArgs), []), Sender, clock.GetUtcNow(), cancellationToken, queuedKeys);

    /// <summary>Queues the text message of <paramref name="kind"/> (its text is <c>Text{kind}</c>) on the caller's unit of work.</summary>
    public Task<bool> QueueTextAsync(string kind, string dedupeKey, long? accountId, string mobile, string toName, string language, object?[] args, CancellationToken cancellationToken,
        IReadOnlySet<string>? queuedKeys = null) =>
        QueueText.AddAsync(db, "PortalText" + kind, dedupeKey, accountId, mobile, toName, PortalText.Get(language, $"Text{kind}", args), Sender, clock.GetUtcNow(), cancellationToken, queuedKeys);

    /// <summary>Which of <paramref name="keys"/> are in the outbox already, for a batch's chunk.</summary>
    public Task<IReadOnlySet<string>> QueuedKeysAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken) => QueueMail.QueuedKeysAsync(db, keys, cancellationToken);

    /// <summary>
    /// Starts the mail sender now, unless a pass is already queued or running (which sends what is due when it runs), in a host
    /// that runs jobs; the command line, itself the batch runner, sends with <c>opencis mail send</c>.
    /// </summary>
    public async Task SendSoonAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<IJobQueue>() is null)
        {
            return;
        }

        try
        {
            await services.GetRequiredService<StartJob>().ExecuteAsync(SendMailJob.Request(), Sender, cancellationToken);
        }
        catch (JobAlreadyActiveException)
        {
            // A pass is on its way; the next one (or the schedule) sends this mail.
        }
    }
}
