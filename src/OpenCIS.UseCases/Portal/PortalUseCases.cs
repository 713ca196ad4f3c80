using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Storage;
using OpenCIS.Storage.Portal;
using OpenCIS.UseCases.Portal.Processors;

namespace OpenCIS.UseCases.Portal;

/// <summary>
/// The customer portal's use cases: portal logins (Identity's user manager over <c>portal_users</c>, with token providers
/// named apart from staff's so the two never share one), the queries, online payments and the card processors.
/// </summary>
public static class PortalUseCases
{
    public static IServiceCollection AddPortalUseCases(this IServiceCollection services)
    {
        services.AddIdentityCore<PortalUser>()
            .AddUserStore<Microsoft.AspNetCore.Identity.EntityFrameworkCore.UserOnlyStore<PortalUser, OpenCisDbContext, string, PortalUserClaim, PortalUserLogin, PortalUserToken>>()
            .AddTokenProvider<DataProtectorTokenProvider<PortalUser>>(PortalLogins.LinkProvider)
            .AddTokenProvider<AuthenticatorTokenProvider<PortalUser>>(PortalLogins.AuthenticatorProvider)
            .AddTokenProvider<PhoneNumberTokenProvider<PortalUser>>(PortalChannels.PhoneProvider)
            .AddPasswordValidator<PortalPasswordValidator>();
        services.AddDataProtection();
        services.AddHttpClient(TestProcessor.ProcessorName);
        services.AddSingleton(provider => PortalSettings.FromConfiguration(provider.GetRequiredService<IConfiguration>()));
        services.AddSingleton(provider => new TestProcessorSettings(provider.GetRequiredService<PortalSettings>().TestProcessorSecret));
        services.AddSingleton<TestProcessorSessions>();
        services.AddScoped<IPaymentProcessor>(provider => provider.GetRequiredService<PortalSettings>().TestProcessorOn
            ? ActivatorUtilities.CreateInstance<TestProcessor>(provider)
            : new NoProcessor(TestProcessor.ProcessorName));
        services.AddScoped<IPaymentProcessor>(provider => provider.GetRequiredService<PortalSettings>().Stripe is { } stripe
            ? new StripeProcessor(stripe, provider.GetRequiredService<TimeProvider>())
            : new NoProcessor(StripeProcessor.ProcessorName));
        services.AddScoped<PaymentProcessors>();
        services.AddScoped<PortalMail>();
        services.AddScoped<PortalLogins>();
        services.AddScoped<PortalQueries>();
        services.AddScoped<OnlinePayments>();
        services.AddScoped<PortalECheck>();
        services.AddScoped<PortalManage>();
        services.AddScoped<PortalRequests>();
        services.AddScoped<PortalArrangements>();
        services.AddScoped<PortalChannels>();
        services.AddScoped<EBills>();
        services.AddScoped<DueDateReminders>();
        return services;
    }

    /// <summary>A processor that is off: its webhooks are refused and no checkout goes to it.</summary>
    private sealed class NoProcessor(string name) : IPaymentProcessor
    {
        public string Name => "off:" + name;

        public Task<CheckoutSession> StartCheckoutAsync(CheckoutRequest request, CancellationToken cancellationToken) => throw new PortalException("ErrorNoProcessor");

        public ProcessorNotice ReadWebhook(string payload, Func<string, string?> header) => throw new WebhookRefusedException($"The {name} processor is not on here.");
    }
}

/// <summary>A customer's password follows the same policy as staff's: length, and none of the passwords an attacker tries first.</summary>
public sealed class PortalPasswordValidator : IPasswordValidator<PortalUser>
{
    public Task<IdentityResult> ValidateAsync(UserManager<PortalUser> manager, PortalUser user, string? password) =>
        Task.FromResult(Core.Users.PasswordPolicy.Problem(password, user?.Email?.Split('@')[0]) is { } problem
            ? IdentityResult.Failed(new IdentityError { Code = "PasswordPolicy", Description = problem })
            : IdentityResult.Success);
}
