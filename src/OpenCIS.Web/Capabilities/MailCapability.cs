using OpenCIS.UseCases.Mail;
using OpenCIS.Web.Api;
using OpenCIS.Web.Jobs;
using OpenCIS.Web.Security;

namespace OpenCIS.Web.Capabilities;

/// <summary>Customer e-mail: the sent mail screens and API (what went out, what is waiting, what failed and why), and sending the queue now.</summary>
public sealed class MailCapability : IWebCapability
{
    public const string ViewSentMail = nameof(ViewSentMail);
    public const string SendMail = nameof(SendMail);

    public IReadOnlyList<PermissionGrant> Permissions { get; } =
    [
        new(ViewSentMail, [Roles.Clerk, Roles.Collector, Roles.Supervisor, Roles.Admin, Roles.Auditor]),
        // Send the queue now, and send a failed mail again.
        new(SendMail, [Roles.Supervisor, Roles.Admin]),
    ];

    public IReadOnlyList<JobKindView> JobKinds { get; } =
    [
        new(SendMailJob.JobKind, ViewSentMail) { Home = new JobLink("job-home", "Sent mail", "/Mail") },
    ];

    public void MapEndpoints(RouteGroupBuilder api) => MailApi.Map(api);
}
