using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.UseCases.Jobs;

namespace OpenCIS.UseCases.Mail;

/// <summary>Customer e-mail and text messages: the settings, the transports they choose (SMTP, else the outbox folder; Twilio, else the text sink), the sender, its job and the queries.</summary>
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
        services.AddSingleton(provider => SmsSettings.FromConfiguration(provider.GetRequiredService<IConfiguration>()));
        services.AddHttpClient(TwilioSmsSender.ClientName);
        services.AddScoped<ISmsSender>(provider =>
        {
            var settings = provider.GetRequiredService<SmsSettings>();
            return settings.Provider == SmsSettings.Twilio
                ? new TwilioSmsSender(provider.GetRequiredService<System.Net.Http.IHttpClientFactory>().CreateClient(TwilioSmsSender.ClientName), settings)
                : new SmsOutboxSink(settings);
        });
        services.AddScoped<SendQueuedMail>();
        services.AddScoped<MailQueries>();
        services.AddScoped<IJobHandler, SendMailJob>();
        return services;
    }
}
