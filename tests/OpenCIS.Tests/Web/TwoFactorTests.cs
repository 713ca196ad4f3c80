using System.Net;
using System.Text.RegularExpressions;
using OtpNet;
using static OpenCIS.Tests.Web.ApiRequests;

namespace OpenCIS.Tests.Web;

/// <summary>
/// Two-factor sign-in with an authenticator app (TOTP): a user turns it on with the app's first code, signs in with a
/// code after the password, and an administrator turns it off for a lost phone. Required of Admins when configured.
/// The codes are computed from the key the page shows, as an app computes them (Otp.NET).
/// </summary>
public sealed partial class TwoFactorTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    [Fact]
    public async Task A_user_turns_on_two_factor_signs_in_with_a_code_and_an_admin_resets_it()
    {
        var auditor = await factory.SignedInClientAsync("Auditor");
        var setup = await auditor.GetStringAsync(new Uri("/Account/TwoFactor", UriKind.Relative));
        var key = KeyOf(setup);
        Assert.Contains("data:image/png;base64,", setup, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await PostFormAsync(auditor, "/Account/TwoFactor?handler=Enable", Token(setup), new() { ["code"] = "000000" })).StatusCode);
        var enabled = await PostCodeAsync(auditor, "/Account/TwoFactor?handler=Enable", Token(setup), key);
        Assert.Equal(HttpStatusCode.Redirect, enabled.StatusCode);
        Assert.Equal("/", enabled.Headers.Location!.OriginalString);
        Assert.Contains("two-factor-on", await auditor.GetStringAsync(new Uri("/Account/TwoFactor", UriKind.Relative)), StringComparison.Ordinal);

        // Signing in now asks for a code after the password.
        var client = factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        var login = await client.GetStringAsync(new Uri("/Login", UriKind.Relative));
        var password = await PostFormAsync(client, "/Login", Token(login), new() { ["userName"] = "auditor", ["password"] = OpenCIS.Web.Security.UserSetup.DemoPassword });
        Assert.Equal(HttpStatusCode.Redirect, password.StatusCode);
        Assert.StartsWith("/LoginTwoFactor", password.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri("/api/billing/runs", UriKind.Relative))).StatusCode);
        var second = await client.GetStringAsync(password.Headers.Location);
        var wrong = await PostFormAsync(client, "/LoginTwoFactor", Token(second), new() { ["code"] = "123456" });
        Assert.Contains("not the one", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await PostCodeAsync(client, "/LoginTwoFactor", Token(second), key)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/api/billing/runs", UriKind.Relative))).StatusCode);

        // A lost phone: the administrator turns it off, and the password alone signs in again.
        var admin = await factory.SignedInClientAsync("Admin");
        (await PostAsync(admin, "/api/users/auditor/reset-two-factor", new { })).EnsureSuccessStatusCode();
        await factory.SignedInClientAsync("Auditor");
    }

    [Fact]
    public async Task When_required_an_admin_sets_up_two_factor_before_anything_else()
    {
        await using var required = new OpenCisWebFactory(new WebHostData(Settings: new Dictionary<string, string> { ["OPENCIS_REQUIRE_ADMIN_TWO_FACTOR"] = "true" }));
        var admin = await required.SignedInClientAsync("Admin");
        var home = await admin.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.StartsWith("/Account/TwoFactor", home.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync(new Uri("/api/users", UriKind.Relative))).StatusCode);
        var setup = await admin.GetStringAsync(new Uri("/Account/TwoFactor", UriKind.Relative));
        Assert.Contains("two-factor-required", setup, StringComparison.Ordinal);
        var enabled = await PostCodeAsync(admin, "/Account/TwoFactor?handler=Enable", Token(setup), KeyOf(setup));
        Assert.Equal((HttpStatusCode.Redirect, "/"), (enabled.StatusCode, enabled.Headers.Location!.OriginalString));
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(new Uri("/api/users", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(new Uri("/api/users", UriKind.Relative))).StatusCode);

        // A clerk is not asked.
        var clerk = await required.SignedInClientAsync("Clerk");
        Assert.Equal(HttpStatusCode.OK, (await clerk.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);
    }

    private static string KeyOf(string page) => KeyPattern().Match(page).Groups[1].Value.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();

    private static string Token(string page) => TokenPattern().Match(page).Groups[1].Value;

    /// <summary>Posts the app's code for now; if the server's clock is the test's stopped one, the code for that time.</summary>
    private async Task<HttpResponseMessage> PostCodeAsync(HttpClient client, string path, string token, string key)
    {
        var totp = new Totp(Base32Encoding.ToBytes(key));
        var now = await PostFormAsync(client, path, token, new() { ["code"] = totp.ComputeTotp(DateTime.UtcNow) });
        return now.StatusCode == HttpStatusCode.Redirect ? now : await PostFormAsync(client, path, token, new() { ["code"] = totp.ComputeTotp(factory.Clock.GetUtcNow().UtcDateTime) });
    }

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, string token, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = token;
        using var content = new FormUrlEncodedContent(fields);
        return await client.PostAsync(new Uri(path, UriKind.Relative), content);
    }

    [GeneratedRegex("id=\"two-factor-key\">([a-z0-9 ]+)<")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
