using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace OpenCIS.UseCases.Encryption;

/// <summary>Registers the protection of fields kept secret at rest: the key, the backfill after an upgrade, key rotation.</summary>
public static class EncryptionUseCases
{
    public static IServiceCollection AddEncryptionUseCases(this IServiceCollection services)
    {
        // Resolved on first use, so work that touches no protected field needs no key.
        services.AddSingleton(provider => FieldProtector.FromConfiguration(provider.GetRequiredService<IConfiguration>()));
        services.AddScoped<ProtectStoredFields>();
        services.AddScoped<RotateProtectionKey>();
        return services;
    }
}
