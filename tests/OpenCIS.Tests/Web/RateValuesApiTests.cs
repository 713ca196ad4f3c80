using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Storage;

namespace OpenCIS.Tests.Web;

/// <summary>
/// The dated values tariffs name and the parcels' impervious areas through the API: who may set them, every problem
/// named by field (or by line and field in a file), a value in force kept as history, a bad file changing nothing.
/// The host's business date is 2026-11-22.
/// </summary>
public sealed class RateValuesApiTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    private static async Task<HttpResponseMessage> PostCsvAsync(HttpClient client, string path, string fileName, string csv)
    {
        using var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        using var form = new MultipartFormDataContent();
        form.Add(file, "file", fileName);
        return await client.PostAsync(new Uri(path, UriKind.Relative), form);
    }

    private static async Task<List<(string? EffectiveFrom, decimal Value, string? RecordedBy)>> ListAsync(HttpClient client, string name) =>
        [.. (await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/rate-values?name={name}", UriKind.Relative))).EnumerateArray()
            .Select(v => (v.GetProperty("effectiveFrom").GetString(), v.GetProperty("value").GetDecimal(), v.GetProperty("recordedBy").GetString()))];

    private static async Task<List<(int Line, string? Field)>> ProblemsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return [.. (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("problems").EnumerateArray()
            .Select(p => (p.GetProperty("line").GetInt32(), p.GetProperty("field").GetString()))];
    }

    [Fact]
    public async Task A_supervisor_sets_values_a_value_in_force_is_history_and_a_clerk_may_only_read_them()
    {
        var clerk = await factory.SignedInClientAsync("Clerk");
        var supervisor = await factory.SignedInClientAsync("Supervisor");

        var forbidden = await ApiRequests.PostAsync(clerk, "/api/rate-values", new { name = "API_PPA", effectiveFrom = "2026-11-01", value = 0.0123m });
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostCsvAsync(clerk, "/api/rate-values/import", "ppa.csv", "name,effective_from,value\nAPI_PPA,2026-12-01,0.01\n")).StatusCode);

        var set = await ApiRequests.PostAsync(supervisor, "/api/rate-values", new { name = "API_PPA", effectiveFrom = "2026-11-01", value = 0.0123m });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ApiRequests.PostAsync(supervisor, "/api/rate-values", new { name = "API_PPA", effectiveFrom = "2026-12-01", value = 0.015m })).StatusCode);

        // December is still to come: a correction is taken.
        Assert.Equal(HttpStatusCode.OK, (await ApiRequests.PostAsync(supervisor, "/api/rate-values", new { name = "API_PPA", effectiveFrom = "2026-12-01", value = 0.0155m })).StatusCode);

        Assert.Equal("value", await ApiRequests.ProblemFieldAsync(await ApiRequests.PostAsync(supervisor, "/api/rate-values", new { name = "API_PPA", effectiveFrom = "2027-01-01", value = 0.0000001m })));
        Assert.Equal("value", await ApiRequests.ProblemFieldAsync(await ApiRequests.PostAsync(supervisor, "/api/rate-values", new { name = "heating_value", effectiveFrom = "2027-01-01", value = -1m })));
        Assert.Equal("name", await ApiRequests.ProblemFieldAsync(await ApiRequests.PostAsync(supervisor, "/api/rate-values", new { name = "", effectiveFrom = "2027-01-01", value = 0.01m })));

        // November has been in force since the 1st: bills were rated on it.
        var history = await ApiRequests.PostAsync(supervisor, "/api/rate-values", new { name = "API_PPA", effectiveFrom = "2026-11-01", value = 0.02m });
        Assert.Equal("effectiveFrom", await ApiRequests.ProblemFieldAsync(history));
        Assert.Contains("a value in force is history", (await history.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("effectiveFrom")[0].GetString(), StringComparison.Ordinal);

        Assert.Equal([("2026-12-01", 0.0155m, "supervisor"), ("2026-11-01", 0.0123m, "supervisor")], await ListAsync(clerk, "API_PPA"));
    }

    [Fact]
    public async Task A_csv_with_a_bad_line_sets_nothing_and_names_each_line_and_field()
    {
        var supervisor = await factory.SignedInClientAsync("Supervisor");
        Assert.Equal(HttpStatusCode.OK, (await ApiRequests.PostAsync(supervisor, "/api/rate-values", new { name = "API_PCA", effectiveFrom = "2026-10-01", value = 0.01m })).StatusCode);

        var bad = await PostCsvAsync(supervisor, "/api/rate-values/import", "pca.csv", "name,effective_from,value\nAPI_PCA,2026-12-01,0.012\nAPI_PCA,2026-10-01,0.011\nAPI_PCA,2027-13-01,0.013\nAPI_PCA,2027-02-01,cheap\n");
        Assert.Equal([(3, "effective_from"), (4, "effective_from"), (5, "value")], await ProblemsAsync(bad));
        Assert.Equal([("2026-10-01", 0.01m, "supervisor")], await ListAsync(supervisor, "API_PCA"));

        var good = await PostCsvAsync(supervisor, "/api/rate-values/import", "pca.csv", "name,effective_from,value\nAPI_PCA,2026-12-01,0.012\nAPI_PCA,2027-01-01,0.013\n");
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Equal(2, (await good.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("added").GetInt32());
        Assert.Equal(["2027-01-01", "2026-12-01", "2026-10-01"], (await ListAsync(supervisor, "API_PCA")).Select(v => v.EffectiveFrom));
    }

    [Fact]
    public async Task A_clerk_sets_a_parcels_area_on_its_premises_and_a_bad_file_or_an_unknown_parcel_changes_nothing()
    {
        var clerk = await factory.SignedInClientAsync("Clerk");
        var cashier = await factory.SignedInClientAsync("Cashier");
        string[] parcels;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            parcels = [.. await scope.ServiceProvider.GetRequiredService<OpenCisDbContext>().Premises.OrderBy(p => p.Id).Select(p => p.ParcelId).Take(2).ToListAsync()];
        }

        var path = $"/api/parcels/{Uri.EscapeDataString(parcels[0])}/area";
        Assert.Equal(HttpStatusCode.Forbidden, (await cashier.PutAsJsonAsync(new Uri(path, UriKind.Relative), new { imperviousArea = 3250 })).StatusCode);

        var put = await clerk.PutAsJsonAsync(new Uri(path, UriKind.Relative), new { imperviousArea = 3250 });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var read = await cashier.GetFromJsonAsync<JsonElement>(new Uri(path, UriKind.Relative));
        Assert.Equal((parcels[0], 3250m, 1), (read.GetProperty("parcelId").GetString(), read.GetProperty("imperviousArea").GetDecimal(), read.GetProperty("premises").GetInt32()));

        Assert.Equal("imperviousArea", await ApiRequests.ProblemFieldAsync(await clerk.PutAsJsonAsync(new Uri(path, UriKind.Relative), new { imperviousArea = -5 })));
        Assert.Equal("parcelId", await ApiRequests.ProblemFieldAsync(await clerk.PutAsJsonAsync(new Uri("/api/parcels/NO-SUCH-PARCEL/area", UriKind.Relative), new { imperviousArea = 1000 })));
        Assert.Equal(HttpStatusCode.NotFound, (await clerk.GetAsync(new Uri("/api/parcels/NO-SUCH-PARCEL/area", UriKind.Relative))).StatusCode);

        // Line 2 is good, line 3's parcel has no premise and line 4's area is not square feet: nothing changes.
        var bad = await PostCsvAsync(clerk, "/api/parcels/areas/import", "gis.csv", $"parcel_id,impervious_sqft\n{parcels[1]},4100\nNO-SUCH-PARCEL,2000\n{parcels[0]},big\n");
        Assert.Equal([(3, "parcel_id"), (4, "impervious_sqft")], await ProblemsAsync(bad));
        var second = await cashier.GetFromJsonAsync<JsonElement>(new Uri($"/api/parcels/{Uri.EscapeDataString(parcels[1])}/area", UriKind.Relative));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("imperviousArea").ValueKind);

        var good = await PostCsvAsync(clerk, "/api/parcels/areas/import", "gis.csv", $"parcel_id,impervious_sqft\n{parcels[1]},4100\n");
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Equal(4100m, (await cashier.GetFromJsonAsync<JsonElement>(new Uri($"/api/parcels/{Uri.EscapeDataString(parcels[1])}/area", UriKind.Relative))).GetProperty("imperviousArea").GetDecimal());

        // Null clears it.
        var cleared = await clerk.PutAsJsonAsync(new Uri(path, UriKind.Relative), new { imperviousArea = (decimal?)null });
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await cashier.GetFromJsonAsync<JsonElement>(new Uri(path, UriKind.Relative))).GetProperty("imperviousArea").ValueKind);
    }
}
