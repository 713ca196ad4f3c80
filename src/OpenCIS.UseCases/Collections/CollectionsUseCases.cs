using Microsoft.Extensions.DependencyInjection;

namespace OpenCIS.UseCases.Collections;

/// <summary>Registers the use cases of collections: policies, the daily run, the disconnect list and the collector's work.</summary>
public static class CollectionsUseCases
{
    public static IServiceCollection AddCollectionsUseCases(this IServiceCollection services)
    {
        services.AddScoped<ImportCollectionPolicy>();
        services.AddScoped<PostTemperatures>();
        services.AddScoped<RunCollections>();
        services.AddScoped<Jobs.IJobHandler, RunCollectionsJob>();
        services.AddScoped<CollectionQueries>();
        services.AddScoped<StartScheduledCollectionsRun>();
        services.AddScoped<EnterProtection>();
        services.AddScoped<EndProtection>();
        services.AddScoped<LogContact>();
        services.AddScoped<TakePromise>();
        services.AddScoped<WriteNote>();
        services.AddScoped<AccountCollectionRecords>();
        services.AddScoped<CollectorQueue>();
        services.AddScoped<CreateArrangement>();
        services.AddScoped<CancelArrangement>();
        services.AddScoped<ArrangementQueries>();
        services.AddScoped<ArrangementLetter>();
        services.AddScoped<WaiveCharge>();
        services.AddScoped<WaiverQueries>();
        services.AddScoped<ApproveDisconnectList>();
        services.AddScoped<CompleteFieldOrder>();
        services.AddScoped<RequestReconnect>();
        services.AddScoped<ImportNoticeTemplate>();
        services.AddScoped<ProduceNotices>();
        services.AddScoped<NoticeQueries>();
        return services;
    }
}
