namespace OpenCIS.Web.Jobs;

/// <summary>One schedule as configured: what it starts, and when (a Quartz cron expression in the utility's time zone), or off.</summary>
public sealed record JobSchedule(string Name, string Setting, string Starts, string? CronExpression)
{
    public bool Enabled => CronExpression is not null;
}

/// <summary>
/// The schedules, from configuration: <c>OPENCIS_SCHEDULE_BILLING</c> (default every day at 06:00) starts
/// the billing runs of the cycles whose bill date is that day; <c>OPENCIS_SCHEDULE_ACH</c> (default
/// Monday to Friday at 07:00) generates the next banking day's ACH file on banking days;
/// <c>OPENCIS_SCHEDULE_MAIL</c> (default every five minutes) sends the queued customer e-mail;
/// <c>OPENCIS_SCHEDULE_COLLECTIONS</c> (default Monday to Friday at 22:00) starts the day's collections run
/// on business days. Each takes a
/// Quartz cron expression (seconds minutes hours day-of-month month day-of-week), or <c>off</c>. Times
/// are in the utility's time zone (<c>OPENCIS_TIME_ZONE</c>).
/// </summary>
public sealed record JobSchedules(JobSchedule Billing, JobSchedule Ach, JobSchedule Mail, JobSchedule Collections, TimeZoneInfo Zone)
{
    public const string BillingSetting = "OPENCIS_SCHEDULE_BILLING";
    public const string AchSetting = "OPENCIS_SCHEDULE_ACH";
    public const string DefaultBillingCron = "0 0 6 * * ?";
    public const string DefaultAchCron = "0 0 7 ? * MON-FRI";
    public const string MailSetting = "OPENCIS_SCHEDULE_MAIL";
    public const string DefaultMailCron = "0 0/5 * * * ?";
    public const string CollectionsSetting = "OPENCIS_SCHEDULE_COLLECTIONS";
    public const string DefaultCollectionsCron = "0 0 22 ? * MON-FRI";

    public IReadOnlyList<JobSchedule> All => [Billing, Ach, Mail, Collections];

    public static JobSchedules FromConfiguration(IConfiguration configuration) => new(
        new JobSchedule("Billing runs", BillingSetting, "the billing run of every cycle whose bill date (from its cycle schedule) is that day, for that bill date", Cron(configuration, BillingSetting, DefaultBillingCron)),
        new JobSchedule("ACH file", AchSetting, "on a banking day, the ACH file for the next banking day's settlement", Cron(configuration, AchSetting, DefaultAchCron)),
        new JobSchedule("Customer e-mail", MailSetting, "sending the queued customer e-mail (notices, letters) that is due", Cron(configuration, MailSetting, DefaultMailCron)),
        new JobSchedule("Collections run", CollectionsSetting, "on a business day, that day's collections run (late charges, notices, the disconnect list)", Cron(configuration, CollectionsSetting, DefaultCollectionsCron)),
        configuration["OPENCIS_TIME_ZONE"] is { Length: > 0 } zone ? TimeZoneInfo.FindSystemTimeZoneById(zone) : TimeZoneInfo.Local);

    private static string? Cron(IConfiguration configuration, string key, string fallback)
    {
        var text = configuration[key] is { Length: > 0 } configured ? configured.Trim() : fallback;
        if (string.Equals(text, "off", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return Quartz.CronExpression.TryParse(text, out _)
            ? text
            : throw new InvalidOperationException($"{key} '{text}' is not a cron expression (seconds minutes hours day-of-month month day-of-week, e.g. '{fallback}') or 'off'.");
    }
}
