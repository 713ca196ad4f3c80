using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace OpenCIS.UseCases.Payments;

/// <summary>Registers the use cases of payments: the counter and its drawers, payment and lockbox files, suspense, ACH, mail batches and returns.</summary>
public static class PaymentsUseCases
{
    public static IServiceCollection AddPaymentsUseCases(this IServiceCollection services)
    {
        services.AddSingleton(provider => Ach.AchSettings.FromConfiguration(provider.GetRequiredService<IConfiguration>()));
        services.AddScoped<TakePayment>();
        services.AddScoped<PostPaymentFile>();
        services.AddScoped<ImportLockbox>();
        services.AddScoped<ResolveSuspense>();
        services.AddScoped<PaymentBatchPoster>();
        services.AddScoped<Drawers.OpenDrawer>();
        services.AddSingleton(provider => Drawers.CounterSettings.FromConfiguration(provider.GetRequiredService<IConfiguration>()));
        services.AddScoped<Drawers.TakeDrawerPayment>();
        services.AddScoped<Drawers.CloseDrawer>();
        services.AddScoped<Drawers.ApproveDrawer>();
        services.AddScoped<Drawers.DrawerQueries>();
        services.AddScoped<Ach.EnrollAch>();
        services.AddScoped<Ach.CancelAch>();
        services.AddScoped<Ach.GenerateAchFile>();
        services.AddScoped<Ach.StartScheduledAchFile>();
        services.AddScoped<Jobs.IJobHandler, Ach.GenerateAchFileJob>();
        services.AddScoped<Jobs.IJobHandler, Ach.ProcessAchReturnsJob>();
        services.AddScoped<Jobs.IJobHandler, PostPaymentFileJob>();
        services.AddScoped<Jobs.IJobHandler, ImportLockboxJob>();
        services.AddScoped<Ach.ProcessAchReturns>();
        services.AddScoped<Ach.AchQueries>();
        services.AddScoped<Mail.KeyMailBatch>();
        services.AddScoped<Mail.PostMailBatch>();
        services.AddScoped<Returns.ReturnPayment>();
        return services;
    }
}
