using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OpenCIS.Tests.Cli;
using OpenCIS.Web.Api;

namespace OpenCIS.Tests.Web;

/// <summary>Collection policies and posted temperatures through the API: who may change them, every problem by line and field, versions kept as written.</summary>
public sealed class CollectionPoliciesApiTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    private static string Policy(string code) =>
        File.ReadAllText(RepositoryExamples.Path("collections", "riverbend.yaml")).Replace("code: RIVERBEND-UTIL", $"code: {code}", StringComparison.Ordinal);

    private static async Task<HttpResponseMessage> PostYamlAsync(HttpClient client, string text)
    {
        using var content = new StringContent(text, Encoding.UTF8, "text/yaml");
        return await client.PostAsync(new Uri("/api/collections/policies", UriKind.Relative), content);
    }

    [Fact]
    public async Task A_supervisor_adds_versions_as_yaml_or_json_a_clerk_may_only_list_and_read_and_a_bad_text_stores_nothing()
    {
        var clerk = await factory.SignedInClientAsync("Clerk");
        var supervisor = await factory.SignedInClientAsync("Supervisor");
        var original = Policy("API-POLICY");

        var refused = await PostYamlAsync(clerk, original);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        var bad = original.Replace("grace_days: 5 ", "grace_days: 400 ", StringComparison.Ordinal).Replace("effective: 2026-01-01", "effective: 2026-02-30", StringComparison.Ordinal);
        var problem = await PostYamlAsync(supervisor, bad);
        Assert.Equal(HttpStatusCode.BadRequest, problem.StatusCode);
        using (var json = JsonDocument.Parse(await problem.Content.ReadAsStringAsync()))
        {
            var problems = json.RootElement.GetProperty("problems").EnumerateArray()
                .Select(p => (p.GetProperty("line").GetInt32(), p.GetProperty("field").GetString())).ToList();
            Assert.Equal([(CollectionPolicyCliTests.LineOf(bad, "effective:"), "effective"), (CollectionPolicyCliTests.LineOf(bad, "grace_days: 400"), "grace_days")], problems.OrderBy(p => p.Item1));
            Assert.StartsWith($"line {CollectionPolicyCliTests.LineOf(bad, "grace_days: 400")}: '400' is not a whole number", json.RootElement.GetProperty("errors").GetProperty("grace_days")[0].GetString(), StringComparison.Ordinal);
        }

        Assert.DoesNotContain("API-POLICY", await clerk.GetStringAsync(new Uri("/api/collections/policies", UriKind.Relative)), StringComparison.Ordinal);

        var created = await PostYamlAsync(supervisor, original);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/collections/policies/API-POLICY?version=1", created.Headers.Location?.ToString());
        var first = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, first.GetProperty("version").GetInt32());
        Assert.Equal("supervisor", first.GetProperty("importedBy").GetString());
        Assert.Equal("residential,commercial,industrial,municipal", first.GetProperty("accountClasses").GetString());

        var edited = original.Replace("percent: 10 ", "percent: 8 ", StringComparison.Ordinal);
        var second = await supervisor.PostAsJsonAsync(new Uri("/api/collections/policies", UriKind.Relative), new CollectionPoliciesApi.ImportPolicyBody(edited, "eight-percent.yaml"));
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(2, (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32());

        var same = await PostYamlAsync(supervisor, edited);
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.Equal(2, (await same.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32());

        var versionOne = await clerk.GetAsync(new Uri("/api/collections/policies/API-POLICY?version=1", UriKind.Relative));
        Assert.Equal("text/yaml", versionOne.Content.Headers.ContentType?.MediaType);
        Assert.Equal(original, await versionOne.Content.ReadAsStringAsync());
        Assert.Equal(edited, await clerk.GetStringAsync(new Uri("/api/collections/policies/API-POLICY", UriKind.Relative)));
        Assert.Equal(HttpStatusCode.NotFound, (await clerk.GetAsync(new Uri("/api/collections/policies/API-POLICY?version=3", UriKind.Relative))).StatusCode);

        var list = await clerk.GetFromJsonAsync<JsonElement>(new Uri("/api/collections/policies", UriKind.Relative));
        Assert.Equal([2, 1], list.EnumerateArray().Where(v => v.GetProperty("code").GetString() == "API-POLICY").Select(v => v.GetProperty("version").GetInt32()));
    }

    [Fact]
    public async Task A_supervisor_posts_forecasts_one_day_or_a_csv_checked_whole_and_a_clerk_may_only_read_them()
    {
        var clerk = await factory.SignedInClientAsync("Clerk");
        var supervisor = await factory.SignedInClientAsync("Supervisor");

        var refused = await clerk.PostAsJsonAsync(new Uri("/api/collections/temperatures", UriKind.Relative), new CollectionPoliciesApi.PostTemperatureBody(new DateOnly(2026, 11, 20), 10, 30));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        var outOfRange = await supervisor.PostAsJsonAsync(new Uri("/api/collections/temperatures", UriKind.Relative), new CollectionPoliciesApi.PostTemperatureBody(new DateOnly(2026, 11, 20), -90, 30));
        Assert.Equal(HttpStatusCode.BadRequest, outOfRange.StatusCode);
        Assert.Contains("-90°F is not a forecast from -80°F to 140°F", (await outOfRange.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("lowF")[0].GetString(), StringComparison.Ordinal);

        var posted = await supervisor.PostAsJsonAsync(new Uri("/api/collections/temperatures", UriKind.Relative), new CollectionPoliciesApi.PostTemperatureBody(new DateOnly(2026, 11, 20), 14, 29));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);

        {
            var bad = await PostCsvAsync(supervisor, "bad.csv", "date,low_f,high_f\n2026-11-21,20,10\n2026-11-22,5,\n");
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            var problems = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("problems").EnumerateArray()
                .Select(p => (p.GetProperty("line").GetInt32(), p.GetProperty("field").GetString())).ToList();
            Assert.Equal([(2, "high_f"), (3, "high_f")], problems);
        }

        {
            var good = await PostCsvAsync(supervisor, "forecast.csv", "date,low_f,high_f\n2026-11-20,12,28\n2026-11-21,19,35\n");
            Assert.Equal(HttpStatusCode.OK, good.StatusCode);
            var outcome = await good.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal((1, 1), (outcome.GetProperty("added").GetInt32(), outcome.GetProperty("replaced").GetInt32()));
        }

        var days = (await clerk.GetFromJsonAsync<JsonElement>(new Uri("/api/collections/temperatures", UriKind.Relative))).EnumerateArray()
            .Select(d => (d.GetProperty("date").GetString(), d.GetProperty("lowF").GetInt32(), d.GetProperty("highF").GetInt32())).ToList();
        Assert.Equal([("2026-11-21", 19, 35), ("2026-11-20", 12, 28)], days.Take(2));
        Assert.DoesNotContain(days, d => d.Item1 == "2026-11-22");
    }

    private static async Task<HttpResponseMessage> PostCsvAsync(HttpClient client, string fileName, string csv)
    {
        using var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        using var form = new MultipartFormDataContent();
        form.Add(file, "file", fileName);
        return await client.PostAsync(new Uri("/api/collections/temperatures.csv", UriKind.Relative), form);
    }
}
