using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Web.Pages;

namespace OpenCIS.Tests.Web;

/// <summary>
/// Outside demo mode the host is a production host: no default password (the first administrator's comes from the
/// environment), an encryption key required from the environment, HTTPS only, Secure cookies, security headers on
/// every response, and sign-in throttled per address with one message whether or not the user exists.
/// </summary>
public sealed class StartupTests
{
    private sealed class ProductionFactory(string? adminPassword, bool withKey = true, int signInsPerMinute = 100) : WebApplicationFactory<Program>
    {
        private readonly string folder = Directory.CreateTempSubdirectory("opencis-prod-").FullName;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("OPENCIS_DATABASE", $"Data Source={Path.Combine(folder, "opencis.db")}");
            builder.UseSetting("Encryption:KeyFile", Path.Combine(folder, "opencis.key"));
            builder.UseSetting("OPENCIS_SIGNIN_ATTEMPTS_PER_MINUTE", signInsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.UseSetting("OPENCIS_TRUSTED_PROXIES", "10.0.0.5");
            if (withKey)
            {
                builder.UseSetting("OPENCIS_ENCRYPTION_KEY", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            }

            if (adminPassword is not null)
            {
                builder.UseSetting("OPENCIS_ADMIN_PASSWORD", adminPassword);
            }
        }

        public string KeyFile => Path.Combine(folder, "opencis.key");

        public HttpClient Https() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("https://localhost") });
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
    public void Without_an_encryption_key_the_host_refuses_to_start_and_writes_no_key_file()
    {
        using var factory = new ProductionFactory("a-long-first-secret", withKey: false);
        var refused = Assert.Throws<InvalidOperationException>(() => factory.CreateClient());
        Assert.Equal("The server has not been started or no web application was configured.", refused.Message);
        Assert.False(File.Exists(factory.KeyFile));
    }

    [Fact]
    public async Task With_a_password_the_administrator_exists_and_no_demo_user_does()
    {
        using var factory = new ProductionFactory("a-long-first-secret");
        var client = factory.Https();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri("/api/billing/runs", UriKind.Relative))).StatusCode);
        var token = await TokenAsync(client);
        Assert.Equal(HttpStatusCode.OK, await LoginAsync(client, token, "clerk", OpenCIS.Web.Security.UserSetup.DemoPassword));
        var signedIn = await LoginResponseAsync(client, token, "admin", "a-long-first-secret");
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var cookie = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("opencis=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Plain_http_is_redirected_to_https_or_refused_and_every_answer_carries_the_security_headers()
    {
        using var factory = new ProductionFactory("a-long-first-secret");
        var http = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var get = await http.GetAsync(new Uri("/Login?returnUrl=%2F", UriKind.Relative));
        Assert.Equal(HttpStatusCode.PermanentRedirect, get.StatusCode);
        Assert.Equal("https://localhost/Login?returnUrl=%2F", get.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["userName"] = "admin", ["password"] = "a-long-first-secret" });
        Assert.Equal(HttpStatusCode.Forbidden, (await http.PostAsync(new Uri("/Login", UriKind.Relative), form)).StatusCode);

        var https = factory.Https();
        foreach (var path in new[] { "/Login", "/api/billing/runs", "/lib/htmx/htmx.min.js" })
        {
            var response = await https.GetAsync(new Uri(path, UriKind.Relative));
            var csp = response.Headers.GetValues("Content-Security-Policy").Single().Split(';').Select(d => d.Trim()).ToList();
            Assert.Equal("script-src 'self'", csp.Single(d => d.StartsWith("script-src", StringComparison.Ordinal)));
            Assert.Contains("frame-ancestors 'none'", csp);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
            Assert.StartsWith("max-age=31536000", response.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Behind_the_documented_proxy_a_request_the_proxy_took_over_https_is_served_and_its_cookies_are_secure()
    {
        using var factory = new ProductionFactory("a-long-first-secret");
        _ = factory.Server;
        async Task<Microsoft.AspNetCore.Http.HttpContext> GetLoginAsync(string from) => await factory.Server.SendAsync(context =>
        {
            context.Request.Method = "GET";
            context.Request.Scheme = "http";
            context.Request.Path = "/Login";
            context.Request.Headers["X-Forwarded-Proto"] = "https";
            context.Request.Headers["X-Forwarded-For"] = "203.0.113.7";
            context.Connection.RemoteIpAddress = IPAddress.Parse(from);
        });

        // From the proxy named in OPENCIS_TRUSTED_PROXIES: the page, with HSTS and Secure cookies.
        var proxied = await GetLoginAsync("10.0.0.5");
        Assert.Equal(200, proxied.Response.StatusCode);
        Assert.StartsWith("max-age=31536000", proxied.Response.Headers.StrictTransportSecurity.ToString(), StringComparison.Ordinal);
        var cookies = proxied.Response.Headers.SetCookie.ToList();
        Assert.NotEmpty(cookies);
        Assert.All(cookies, c => Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase));

        // The same headers from anywhere else are not believed: plain HTTP, sent to HTTPS.
        var spoofed = await GetLoginAsync("10.0.0.9");
        Assert.Equal(308, spoofed.Response.StatusCode);
    }

    [Fact]
    public async Task Sign_in_says_the_same_for_an_unknown_user_and_a_locked_one_and_is_throttled_per_address()
    {
        using var factory = new ProductionFactory("a-long-first-secret", signInsPerMinute: 4);
        var client = factory.Https();
        var token = await TokenAsync(client);
        using (var scope = factory.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            var admin = (await users.FindByNameAsync("admin"))!;
            await users.SetLockoutEndDateAsync(admin, DateTimeOffset.UtcNow.AddHours(1));
        }

        var unknown = await (await LoginResponseAsync(client, token, "nobody-here", "whatever-password")).Content.ReadAsStringAsync();
        var locked = await (await LoginResponseAsync(client, token, "admin", "a-long-first-secret")).Content.ReadAsStringAsync();
        var encoded = System.Net.WebUtility.HtmlEncode(LoginModel.Refused);
        Assert.Contains(encoded, unknown, StringComparison.Ordinal);
        Assert.Contains(encoded, locked, StringComparison.Ordinal);
        Assert.DoesNotContain("locked out", locked, StringComparison.OrdinalIgnoreCase);

        Assert.Equal(HttpStatusCode.OK, await LoginAsync(client, token, "nobody-here", "x"));
        Assert.Equal(HttpStatusCode.OK, await LoginAsync(client, token, "nobody-here", "x"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await LoginAsync(client, token, "admin", "a-long-first-secret"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/Login", UriKind.Relative))).StatusCode);

        // The portal's sign-in, sign-up and reset forms are throttled too, on a count of their own, and say so in the customer's language.
        var portalForm = await client.GetStringAsync(new Uri("/portal/signin", UriKind.Relative));
        var portalToken = System.Text.RegularExpressions.Regex.Match(portalForm, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        async Task<HttpResponseMessage> PortalPostAsync(string path)
        {
            using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Email"] = "nobody@riverbend.example", ["password"] = "x", ["__RequestVerificationToken"] = portalToken });
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = content };
            request.Headers.AcceptLanguage.ParseAdd("es-MX");
            return await client.SendAsync(request);
        }

        foreach (var path in new[] { "/portal/signin", "/portal/signup", "/portal/forgot", "/portal/signin" })
        {
            Assert.Equal(HttpStatusCode.OK, (await PortalPostAsync(path)).StatusCode);
        }

        var throttled = await PortalPostAsync("/portal/reset");
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Contains("Demasiados intentos", await throttled.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<string> TokenAsync(HttpClient client)
    {
        var form = await client.GetStringAsync(new Uri("/Login", UriKind.Relative));
        return System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
    }

    private static async Task<HttpResponseMessage> LoginResponseAsync(HttpClient client, string token, string user, string password)
    {
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["userName"] = user, ["password"] = password, ["__RequestVerificationToken"] = token });
        return await client.PostAsync(new Uri("/Login", UriKind.Relative), content);
    }

    private static async Task<HttpStatusCode> LoginAsync(HttpClient client, string token, string user, string password) =>
        (await LoginResponseAsync(client, token, user, password)).StatusCode;
}
