using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OpenCIS.Tests.Web;

/// <summary>
/// Bill messages through the API: a clerk reads them and may change none, a supervisor adds, changes, ends and deletes them;
/// each problem is a 400 naming its field, an unknown message a 404. The host's business date is 2026-11-22.
/// </summary>
public sealed class BillMessagesApiTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    [Fact]
    public async Task A_supervisor_adds_changes_ends_and_deletes_messages_and_a_clerk_only_reads_them()
    {
        var clerk = await factory.SignedInClientAsync("Clerk");
        var supervisor = await factory.SignedInClientAsync("Supervisor");
        var body = new { text = "API: the office is closed on December 24.", startsOn = "2026-11-20", endsOn = "2026-12-24", cycleCode = "C1", accountClass = "residential" };

        Assert.Equal(HttpStatusCode.Forbidden, (await ApiRequests.PostAsync(clerk, "/api/bill-messages", body)).StatusCode);

        var added = await ApiRequests.PostAsync(supervisor, "/api/bill-messages", body);
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var message = await JsonAsync(added);
        var id = message.GetProperty("id").GetInt64();
        Assert.Equal($"/api/bill-messages/{id}", added.Headers.Location?.ToString());
        Assert.Equal(("cycle C1, residential accounts", "Current", "Residential"),
            (message.GetProperty("audience").GetString(), message.GetProperty("standing").GetString(), message.GetProperty("accountClass").GetString()));

        Assert.Equal("text", await ApiRequests.ProblemFieldAsync(await ApiRequests.PostAsync(supervisor, "/api/bill-messages", body with { text = "  " })));
        Assert.Equal("endsOn", await ApiRequests.ProblemFieldAsync(await ApiRequests.PostAsync(supervisor, "/api/bill-messages", body with { endsOn = "2026-11-01" })));
        Assert.Equal("cycleCode", await ApiRequests.ProblemFieldAsync(await ApiRequests.PostAsync(supervisor, "/api/bill-messages", body with { cycleCode = "C9" })));
        Assert.Equal("accountClass", await ApiRequests.ProblemFieldAsync(await ApiRequests.PostAsync(supervisor, "/api/bill-messages", body with { accountClass = "farm" })));

        var listed = await clerk.GetFromJsonAsync<JsonElement>(new Uri("/api/bill-messages?standing=current", UriKind.Relative));
        Assert.Contains(listed.EnumerateArray(), m => m.GetProperty("id").GetInt64() == id);
        Assert.Equal(HttpStatusCode.BadRequest, (await clerk.GetAsync(new Uri("/api/bill-messages?standing=someday", UriKind.Relative))).StatusCode);

        using var change = JsonContent.Create(body with { text = "API: closed December 24 and 25.", accountClass = "" });
        Assert.Equal(HttpStatusCode.Forbidden, (await clerk.PutAsync(new Uri($"/api/bill-messages/{id}", UriKind.Relative), change)).StatusCode);
        var changed = await supervisor.PutAsync(new Uri($"/api/bill-messages/{id}", UriKind.Relative), change);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var changedMessage = await JsonAsync(changed);
        Assert.Equal(("API: closed December 24 and 25.", "cycle C1"), (changedMessage.GetProperty("text").GetString(), changedMessage.GetProperty("audience").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await supervisor.PutAsync(new Uri("/api/bill-messages/999999", UriKind.Relative), change)).StatusCode);

        // A started message is ended (today is its last day), never deleted.
        Assert.Equal("id", await ApiRequests.ProblemFieldAsync(await supervisor.DeleteAsync(new Uri($"/api/bill-messages/{id}", UriKind.Relative))));
        var ended = await ApiRequests.PostAsync(supervisor, $"/api/bill-messages/{id}/end", new { });
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        Assert.Equal("2026-11-22", (await JsonAsync(ended)).GetProperty("endsOn").GetString());
        Assert.Equal("id", await ApiRequests.ProblemFieldAsync(await ApiRequests.PostAsync(supervisor, $"/api/bill-messages/{id}/end", new { })));

        // One still to come is deleted.
        var upcoming = (await JsonAsync(await ApiRequests.PostAsync(supervisor, "/api/bill-messages", body with { startsOn = "2027-01-01", endsOn = "2027-01-31" }))).GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.Forbidden, (await clerk.DeleteAsync(new Uri($"/api/bill-messages/{upcoming}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await supervisor.DeleteAsync(new Uri($"/api/bill-messages/{upcoming}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await clerk.GetAsync(new Uri($"/api/bill-messages/{upcoming}", UriKind.Relative))).StatusCode);
    }
}
