using OpenCIS.UseCases.Jobs;

namespace OpenCIS.UseCases.Payments.Ach;

/// <summary>
/// The ACH schedule's daily step: on a banking day, the file for the next banking day's settlement is
/// started as a job (the bank needs the debits a banking day ahead). On a weekend or bank holiday it
/// does nothing and says so. A date that already has a file gets that file back, nothing debited twice.
/// </summary>
public sealed class StartScheduledAchFile(StartJob startJob, BusinessCalendar calendar)
{
    public const string ScheduleUser = "schedule";

    public async Task<string> ExecuteAsync(CancellationToken cancellationToken = default)
    {
        var today = calendar.Today();
        if (!AchSettings.BankingCalendar.IsBusinessDay(today))
        {
            return $"{today:yyyy-MM-dd} is not a banking day; no ACH file.";
        }

        var settlementDate = Core.Billing.BillingSchedule.NextBusinessDay(today.AddDays(1), AchSettings.BankingCalendar).Date;
        try
        {
            var job = await startJob.ExecuteAsync(GenerateAchFileJob.Request(settlementDate), ScheduleUser, cancellationToken);
            return $"{job.Description} started (job {job.JobId}).";
        }
        catch (JobAlreadyActiveException already)
        {
            return already.Message;
        }
    }
}
