using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace OpenCIS.Tests.Web;

/// <summary>Outside demo mode there is no default password: the first administrator's comes from the environment.</summary>
public sealed class StartupTests
{
    private sealed class ProductionFactory(string? adminPassword) : WebApplicationFactory<Program>
    {
        private readonly string folder = Directory.CreateTempSubdirectory("opencis-prod-").FullName;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("OPENCIS_DATABASE", $"Data Source={Path.Combine(folder, "opencis.db")}");
            builder.UseSetting("OPENCIS_ENCRYPTION_KEY", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            if (adminPassword is not null)
            {
                builder.UseSetting("OPENCIS_ADMIN_PASSWORD", adminPassword);
            }
        }
    }

    [Fact]
    public void Without_an_administrator_password_the_host_refuses_to_start()
    {
        using var factory = new ProductionFactory(null);
        // The host stops before it serves: the entry point returns without starting a server, which the
        // factory reports as exactly this. A crash in startup would surface as its own exception instead.
        var refused = Assert.Throws<InvalidOperationException>(() => factory.CreateClient());
        Assert.Equal("The server has not been started or no web application was configured.", refused.Message);
    }

    [Fact]
    public async Task With_a_password_the_administrator_exists_and_no_demo_user_does()
    {
        using var factory = new ProductionFactory("a-long-admin-secret");
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri("/api/billing/runs", UriKind.Relative))).StatusCode);
        var form = await client.GetStringAsync(new Uri("/Login", UriKind.Relative));
        var token = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;

        async Task<HttpStatusCode> LoginAsync(string user, string password)
        {
            using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["userName"] = user, ["password"] = password, ["__RequestVerificationToken"] = token });
            return (await client.PostAsync(new Uri("/Login", UriKind.Relative), content)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await LoginAsync("clerk", OpenCIS.Web.Security.UserSetup.DemoPassword));
        Assert.Equal(HttpStatusCode.Redirect, await LoginAsync("admin", "a-long-admin-secret"));
    }
}
