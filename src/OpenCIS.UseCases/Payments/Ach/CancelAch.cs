using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage;
using OpenCIS.Storage.Payments.Ach;
using OpenCIS.Storage.Payments;

namespace OpenCIS.UseCases.Payments.Ach;

/// <summary>
/// Ends an enrollment at the customer's request (a reason is kept). Debits already in a file stand;
/// no later file debits the account. Cancelling a cancelled enrollment is refused, naming when it was.
/// </summary>
public sealed class CancelAch(OpenCisDbContext db, BusinessCalendar calendar, TimeProvider clock)
{
    public async Task<AchEnrollmentView> ExecuteAsync(long enrollmentId, string reason, string user, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainException("Say why the enrollment is cancelled.", "reason");
        }

        var enrollment = await db.AchEnrollments.SingleOrDefaultAsync(e => e.Id == enrollmentId, cancellationToken)
            ?? throw new DomainException($"There is no ACH enrollment {enrollmentId}.", "enrollment");
        var accountNumber = await db.Accounts.Where(a => a.Id == enrollment.AccountId).Select(a => a.AccountNumber).SingleAsync(cancellationToken);
        var before = enrollment.Status.ToString();
        enrollment.Cancel(calendar.Today(), reason.Trim());
        AuditLog.Record(db, clock.GetUtcNow(), user, "AchEnrollment", enrollment.Id, enrollment.AccountId, "Cancel ACH autopay", new { Status = before }, new { Status = enrollment.Status.ToString() }, reason.Trim());
        await db.SaveChangesAsync(cancellationToken);
        return AchEnrollmentView.Of(enrollment, accountNumber);
    }
}
