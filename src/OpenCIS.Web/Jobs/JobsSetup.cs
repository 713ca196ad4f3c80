using Quartz;
using OpenCIS.Storage;
using OpenCIS.UseCases.Jobs;

namespace OpenCIS.Web.Jobs;

/// <summary>
/// Long work runs as jobs on Quartz.NET, in this host. The schedule lives in the application's own
/// database (the qrtz_ tables, created by migration 0018): on PostgreSQL the store is clustered, so
/// several hosts share the schedule and a job whose host died is recovered by another; on SQLite (one
/// host) it is not. Jobs are recorded in <c>jobs</c> first (<see cref="StartJob"/>) and handed to the
/// scheduler by <see cref="QuartzJobQueue"/>; <see cref="RecordedJob"/> runs them.
/// </summary>
public static class JobsSetup
{
    public const string SchedulerName = "OpenCIS";
    public const string TablePrefix = "qrtz_";

    /// <summary>How often a clustered host says it is alive, and how long past that the others wait before taking over its jobs.</summary>
    public static readonly TimeSpan ClusterCheckinInterval = TimeSpan.FromSeconds(10);

    public static IServiceCollection AddOpenCisJobs(this IServiceCollection services, IConfiguration configuration)
    {
        var database = DatabaseSettings.FromConfiguration(configuration);
        var schedules = JobSchedules.FromConfiguration(configuration);
        services.AddSingleton(schedules);
        services.AddScoped<IJobQueue, QuartzJobQueue>();
        services.AddScoped<ScheduleQueries>();
        services.AddQuartz(quartz =>
        {
            quartz.ConfigureScheduler(options =>
            {
                options.InstanceName = SchedulerName;
                // A stopping host asks its running jobs to stop and waits for them: a billing run rolls back the
                // chunk in hand, and its firing is handed back for recovery (RecoverFiringsCancelledByShutdown).
                options.ShutdownJobInterruption = ShutdownJobInterruption.Always;
            });
            quartz.UsePersistentStore(store =>
            {
                if (database.Provider == DatabaseProvider.Postgres)
                {
                    store.UsePostgres(database.ConnectionString);
                    store.UseClustering(clustering =>
                    {
                        clustering.CheckinInterval = ClusterCheckinInterval;
                        clustering.CheckinMisfireThreshold = ClusterCheckinInterval * 2;
                    });
                }
                else
                {
                    store.UseSqlite(database.ConnectionString);
                }

                store.ConfigureStore(options =>
                {
                    options.TablePrefix = TablePrefix;
                    // Job data is the job's id as text: readable in the table, and nothing to deserialize across versions.
                    options.StoreJobDataAsStrings = true;
                    // A host stopping in the middle of a billing run hands the firing back, so the next host to start carries on.
                    options.RecoverFiringsCancelledByShutdown = true;
                });
            });
            AddSchedule<BillingScheduleJob>(quartz, BillingScheduleJob.Key, schedules.Billing, schedules.Zone);
            AddSchedule<AchScheduleJob>(quartz, AchScheduleJob.Key, schedules.Ach, schedules.Zone);
            AddSchedule<MailScheduleJob>(quartz, MailScheduleJob.Key, schedules.Mail, schedules.Zone);
            AddSchedule<CollectionsScheduleJob>(quartz, CollectionsScheduleJob.Key, schedules.Collections, schedules.Zone);
        });
        services.AddQuartzHostedService(options =>
        {
            options.WaitForJobsToComplete = true;
            // The schema is migrated before the host starts (StartupTasks), so the scheduler can start with
            // the host's services rather than wait for the application-started signal.
            options.AwaitApplicationStarted = false;
        });
        services.AddHostedService<ResumeUnscheduledJobs>();
        return services;
    }

    private static void AddSchedule<TJob>(IQuartzBuilder quartz, JobKey key, JobSchedule schedule, TimeZoneInfo zone)
        where TJob : class, IJob
    {
        // The schedule's job is kept even while its trigger is off, so a Supervisor's screen and a test can still fire it by hand.
        quartz.AddJob<TJob>(job => job.WithIdentity(key).StoreDurably().WithDescription(schedule.Starts));
        if (schedule.CronExpression is { } cron)
        {
            quartz.AddTrigger(trigger => trigger
                .ForJob(key)
                .WithIdentity(key.Name, key.Group)
                .WithCronSchedule(cron, x => x.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)));
        }
    }
}
