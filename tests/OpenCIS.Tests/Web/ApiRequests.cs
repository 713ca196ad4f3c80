using System.Net.Http.Json;

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
}
