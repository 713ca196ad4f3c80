using OpenCIS.UseCases.Payments;
using OpenCIS.UseCases.Payments.Ach;
using OpenCIS.Web.Api;
using OpenCIS.Web.Jobs;
using OpenCIS.Web.Security;

namespace OpenCIS.Web.Capabilities;

/// <summary>Payments: the counter and its drawers, payment and lockbox files, suspense, ACH autopay, mail batches and returns. Its permissions (each with the roles that hold it) and its API endpoints; its screens are under Pages/.</summary>
public sealed class PaymentsCapability : IWebCapability
{
    public const string TakePayments = nameof(TakePayments);
    public const string PostPaymentFiles = nameof(PostPaymentFiles);
    public const string ResolveSuspense = nameof(ResolveSuspense);
    public const string ManageAch = nameof(ManageAch);
    public const string ApproveDrawers = nameof(ApproveDrawers);
    public const string KeyMailPayments = nameof(KeyMailPayments);
    public const string ReturnPayments = nameof(ReturnPayments);

    public IReadOnlyList<PermissionGrant> Permissions { get; } =
    [
        new(TakePayments, [Roles.Cashier, Roles.Supervisor, Roles.Admin]),
        new(PostPaymentFiles, [Roles.Cashier, Roles.Supervisor, Roles.Admin]),
        // Work the suspense queue: post a lockbox payment to the account a clerk finds, or return it.
        new(ResolveSuspense, [Roles.Clerk, Roles.Supervisor, Roles.Admin]),
        // ACH autopay enrollments; generating debit files and posting return files is PostPaymentFiles.
        new(ManageAch, [Roles.Clerk, Roles.Supervisor, Roles.Admin]),
        // Approve a closed cashier drawer's over/short and see its deposit slip; never one's own drawer.
        new(ApproveDrawers, [Roles.Supervisor, Roles.Admin]),
        // Key mailed checks in batches from their stubs' scan lines and post a batch that matches its tape.
        new(KeyMailPayments, [Roles.Cashier, Roles.Clerk, Roles.Supervisor, Roles.Admin]),
        // Return a payment the bank sent back (returned check, card charge back): reversal, fee, cash-only.
        new(ReturnPayments, [Roles.Clerk, Roles.Supervisor, Roles.Admin]),
    ];

    private static readonly JobLink FilesHome = new("job-home", "Post another payment file", "/Payments/Files");
    private static readonly JobLink AchHome = new("job-home", "Back to ACH autopay", "/Payments/Ach");

    public IReadOnlyList<JobKindView> JobKinds { get; } =
    [
        new(PostPaymentFileJob.JobKind, PostPaymentFiles) { Home = FilesHome },
        new(ImportLockboxJob.JobKind, PostPaymentFiles)
        {
            Links = job => job.ResultAs<LockboxResult>() is { SuspenseCount: > 0 } o
                ? [new JobLink("job-suspense", $"Work the suspense queue ({o.SuspenseCount:N0} from this file)", "/Payments/Suspense")]
                : [],
            Home = FilesHome,
        },
        new(GenerateAchFileJob.JobKind, PostPaymentFiles)
        {
            Links = job => job.ResultAs<AchFileResult>() is { FileId: { } fileId } o
                ? [new JobLink("job-download", $"Download {o.FileName}", $"/Payments/Ach?handler=Download&id={fileId}")]
                : [],
            Home = AchHome,
        },
        new(ProcessAchReturnsJob.JobKind, PostPaymentFiles) { Home = AchHome },
    ];

    public void MapEndpoints(RouteGroupBuilder api)
    {
        PaymentsApi.Map(api);
        MailBatchesApi.Map(api);
        PaymentReturnsApi.Map(api);
        DrawersApi.Map(api);
        AchApi.Map(api);
    }
}
