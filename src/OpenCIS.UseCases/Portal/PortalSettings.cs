using Microsoft.Extensions.Configuration;
using OpenCIS.Core.Common;
using OpenCIS.Core.Portal;

namespace OpenCIS.UseCases.Portal;

/// <summary>
/// The portal's settings: the card processor new checkouts go to (<c>OPENCIS_PAYMENT_PROCESSOR</c>: <c>test</c>, the local test
/// processor and the default in demo mode, or <c>stripe</c>; none outside demo mode unless set, when the Pay button says
/// online payment is not available), the convenience fee (<c>OPENCIS_PORTAL_FEE_FLAT</c> dollars and
/// <c>OPENCIS_PORTAL_FEE_PERCENT</c>; none unless set), and the test processor's webhook secret
/// (<c>OPENCIS_TEST_PROCESSOR_SECRET</c>), and the portal's public address for links in e-mail (<c>OPENCIS_PUBLIC_URL</c>).
/// </summary>
public sealed record PortalSettings(string Processor, ConvenienceFee Fee, string TestProcessorSecret, string PublicUrl = PortalSettings.DefaultPublicUrl, Processors.StripeSettings? Stripe = null)
{
    /// <summary>Where customers reach the portal, for links in e-mail sent by work that has no request to go by (an e-bill).</summary>
    public const string DefaultPublicUrl = "http://localhost:5080";

    public bool TestProcessorOn => string.Equals(Processor, Processors.TestProcessor.ProcessorName, StringComparison.OrdinalIgnoreCase);

    public static PortalSettings FromConfiguration(IConfiguration configuration)
    {
        var demo = string.Equals(configuration["OPENCIS_DEMO"], "true", StringComparison.OrdinalIgnoreCase);
        var processor = configuration["OPENCIS_PAYMENT_PROCESSOR"] is { Length: > 0 } named ? named.Trim().ToLowerInvariant() : demo ? Processors.TestProcessor.ProcessorName : "";
        var flat = configuration["OPENCIS_PORTAL_FEE_FLAT"] is { Length: > 0 } flatText ? Money.ParseField(flatText, "OPENCIS_PORTAL_FEE_FLAT") : Money.Zero;
        var percent = configuration["OPENCIS_PORTAL_FEE_PERCENT"] is { Length: > 0 } percentText
            ? decimal.TryParse(percentText, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var p)
                ? p
                : throw new DomainException($"OPENCIS_PORTAL_FEE_PERCENT '{percentText}' is not a percent (e.g. 2.5).", "OPENCIS_PORTAL_FEE_PERCENT")
            : 0m;
        var secret = configuration["OPENCIS_TEST_PROCESSOR_SECRET"] is { Length: > 0 } s ? s : Processors.TestProcessorSettings.DemoSecret;
        var publicUrl = (configuration["OPENCIS_PUBLIC_URL"] is { Length: > 0 } url ? url : DefaultPublicUrl).TrimEnd('/');
        var stripe = configuration["OPENCIS_STRIPE_SECRET_KEY"] is { Length: > 0 } key && configuration["OPENCIS_STRIPE_WEBHOOK_SECRET"] is { Length: > 0 } signing
            ? new Processors.StripeSettings(key, signing, configuration["OPENCIS_STRIPE_API_BASE"] is { Length: > 0 } apiBase ? apiBase : null)
            : null;
        if (processor == Processors.StripeProcessor.ProcessorName && stripe is null)
        {
            throw new DomainException("OPENCIS_PAYMENT_PROCESSOR is stripe: set OPENCIS_STRIPE_SECRET_KEY and OPENCIS_STRIPE_WEBHOOK_SECRET too.", "OPENCIS_PAYMENT_PROCESSOR");
        }

        return new PortalSettings(processor, ConvenienceFee.Of(flat, percent), secret, publicUrl, stripe);
    }
}
