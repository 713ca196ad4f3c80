using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenCIS.UseCases.Users;
using OpenCIS.Web.Api;
using static OpenCIS.Tests.Web.ApiRequests;

namespace OpenCIS.Tests.Web;

/// <summary>User management through the API: only Admins; a new user must choose a password before anything else; a reset ends their sessions.</summary>
public sealed class UsersApiTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task An_admin_adds_a_user_who_must_choose_a_password_first_and_a_reset_ends_their_session()
    {
        var clerk = await factory.SignedInClientAsync("Clerk");
        Assert.Equal(HttpStatusCode.Forbidden, (await clerk.GetAsync(new Uri("/api/users", UriKind.Relative))).StatusCode);
        var admin = await factory.SignedInClientAsync("Admin");
        var created = await PostAsync(admin, "/api/users", new AddUserBody("sam.reader", ["Clerk"], null));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var issued = (await created.Content.ReadFromJsonAsync<TemporaryPassword>(Json))!;
        Assert.True(issued.User.MustChangePassword);
        Assert.Equal("userName", await ProblemFieldAsync(await PostAsync(admin, "/api/users", new AddUserBody("sam.reader", ["Clerk"], null))));

        var sam = await factory.SignedInClientAsync("sam.reader", issued.Password);
        Assert.Equal(HttpStatusCode.Forbidden, (await sam.GetAsync(new Uri("/api/billing/runs", UriKind.Relative))).StatusCode);
        var home = await sam.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.StartsWith("/Account/Password", home.Headers.Location!.OriginalString, StringComparison.Ordinal);

        var form = await sam.GetStringAsync(new Uri("/Account/Password", UriKind.Relative));
        var token = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        async Task<HttpResponseMessage> ChangeAsync(string current, string next)
        {
            using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["currentPassword"] = current, ["newPassword"] = next, ["confirmPassword"] = next, ["__RequestVerificationToken"] = token });
            return await sam.PostAsync(new Uri("/Account/Password", UriKind.Relative), content);
        }

        var weak = await ChangeAsync(issued.Password, "aaaaaaaaaaaa");
        Assert.Equal(HttpStatusCode.OK, weak.StatusCode);
        Assert.Contains("different characters", await weak.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await ChangeAsync(issued.Password, "lantern meadow copper 42")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await sam.GetAsync(new Uri("/api/billing/runs", UriKind.Relative))).StatusCode);

        var listed = await admin.GetFromJsonAsync<List<UserView>>("/api/users", Json);
        Assert.False(listed!.Single(u => u.UserName == "sam.reader").MustChangePassword);
        (await PostAsync(admin, "/api/users/sam.reader/reset", new { })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Unauthorized, (await sam.GetAsync(new Uri("/api/billing/runs", UriKind.Relative))).StatusCode);
        Assert.Equal("reason", await ProblemFieldAsync(await PostAsync(admin, "/api/users/sam.reader/deactivate", new DeactivateUserBody(""))));
        (await PostAsync(admin, "/api/users/sam.reader/deactivate", new DeactivateUserBody("Left"))).EnsureSuccessStatusCode();
    }
}
