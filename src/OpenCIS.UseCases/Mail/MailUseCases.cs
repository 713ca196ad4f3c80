using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.UseCases.Jobs;

namespace OpenCIS.UseCases.Mail;

/// <summary>Customer e-mail: the settings, the transport they choose (SMTP, else the outbox folder), the sender, its job and the queries.</summary>
public static class MailUseCases
{
    public static IServiceCollection AddMailUseCases(this IServiceCollection services)
    {
        services.AddSingleton(provider => MailSettings.FromConfiguration(provider.GetRequiredService<IConfiguration>()));
        services.AddScoped<IMailTransport>(provider =>
        {
            var settings = provider.GetRequiredService<MailSettings>();
            return settings.UsesSmtp ? new SmtpMailTransport(settings) : new OutboxFolderTransport(settings);
        });
        services.AddScoped<SendQueuedMail>();
        services.AddScoped<MailQueries>();
        services.AddScoped<IJobHandler, SendMailJob>();
        return services;
    }
}
