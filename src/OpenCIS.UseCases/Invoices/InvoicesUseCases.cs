using Microsoft.Extensions.DependencyInjection;

namespace OpenCIS.UseCases.Invoices;

/// <summary>Registers the use cases of city receivables billed by invoice: the types, invoices and their import.</summary>
public static class InvoicesUseCases
{
    public static IServiceCollection AddInvoicesUseCases(this IServiceCollection services)
    {
        services.AddScoped<InvoiceTypes>();
        services.AddScoped<InvoiceQueries>();
        services.AddScoped<CreateInvoice>();
        services.AddScoped<ImportInvoices>();
        services.AddScoped<DebtCheck>();
        services.AddScoped<HoldBook>();
        services.AddScoped<PostRemittance>();
        services.AddScoped<InvoiceWaivers>();
        services.AddScoped<InvoiceStatements>();
        services.AddScoped<CollectInvoices>();
        services.AddScoped<Jobs.IJobHandler, InvoiceStatementsJob>();
        return services;
    }
}
