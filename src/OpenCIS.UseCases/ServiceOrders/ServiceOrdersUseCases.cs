using Microsoft.Extensions.DependencyInjection;

namespace OpenCIS.UseCases.ServiceOrders;

/// <summary>Registers the shared service-order lifecycle: the queries, dispatch and cancel. Completion is the capability's whose order it is (collections completes disconnects and reconnects).</summary>
public static class ServiceOrdersUseCases
{
    public static IServiceCollection AddServiceOrdersUseCases(this IServiceCollection services)
    {
        services.AddScoped<ServiceOrderQueries>();
        services.AddScoped<DispatchServiceOrder>();
        services.AddScoped<CancelServiceOrder>();
        services.AddScoped<CreateServiceOrder>();
        services.AddScoped<NoteServiceOrder>();
        services.AddScoped<CompleteServiceOrder>();
        services.AddSingleton(provider => ServiceOrderFees.FromConfiguration(provider.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()));
        return services;
    }
}
