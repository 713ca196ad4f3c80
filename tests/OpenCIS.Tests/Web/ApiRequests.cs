using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OpenCIS.Tests.Web;

/// <summary>Requests the API tests share.</summary>
internal static class ApiRequests
{
    /// <summary>POSTs a JSON body, with an Idempotency-Key header when one is given.</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, object body, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return await client.SendAsync(request);
    }

    /// <summary>The one field a 400 validation problem names.</summary>
    public static async Task<string> ProblemFieldAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return problem.RootElement.GetProperty("errors").EnumerateObject().Single().Name;
    }
}
