using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace OpenCIS.UseCases.Customers;

/// <summary>Registers the use cases of customers: accounts and their search, contacts, identity numbers.</summary>
public static class CustomersUseCases
{
    public static IServiceCollection AddCustomersUseCases(this IServiceCollection services)
    {
        services.AddScoped<AccountQueries>();
        services.AddScoped<AccountAlertQueries>();
        services.AddScoped<ChangeIdentityNumber>();
        services.AddScoped<ChangeCustomerContact>();
        services.AddScoped<RevealIdentityNumber>();
        services.AddSingleton(provider => ServiceStartSettings.FromConfiguration(provider.GetRequiredService<IConfiguration>()));
        services.AddScoped<CustomerMatches>();
        services.AddScoped<StartService>();
        services.AddScoped<TransferService>();
        services.AddScoped<LandlordAgreements>();
        services.AddScoped<PremiseQueries>();
        services.AddScoped<PremiseInventory>();
        services.AddScoped<ParcelAreas>();
        services.AddScoped<SkipTrace>();
        services.AddScoped<ImportReturnedMail>();
        services.AddScoped<Letters.SendLetter>();
        services.AddScoped<Letters.LetterQueries>();
        return services;
    }
}
