using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace SfAi.Bench.Runner;

internal static class Http
{
    public static HttpClient CreateClient() => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = int.MaxValue,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        AutomaticDecompression = DecompressionMethods.None,
        UseProxy = false,
    })
    { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>A JSON POST with the benchmark's upstream key, or with no key when <paramref name="bearer"/> is null.</summary>
    public static HttpRequestMessage Post(Uri url, string json, IReadOnlyDictionary<string, string>? headers = null, string? bearer = "sk-bench")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return request;
    }

    /// <summary>Polls until the server answers a chat completion with 200, or gives up.</summary>
    public static async Task WaitUntilAnswersAsync(HttpClient client, Uri url, string json, TimeSpan limit,
        IReadOnlyDictionary<string, string>? headers = null)
    {
        var until = DateTime.UtcNow + limit;
        while (true)
        {
            try
            {
                using var response = await client.SendAsync(Post(url, json, headers));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < until)
            {
            }
            if (DateTime.UtcNow >= until)
            {
                throw new TimeoutException($"{url} did not answer within {limit.TotalSeconds} s.");
            }
            await Task.Delay(20);
        }
    }
}
