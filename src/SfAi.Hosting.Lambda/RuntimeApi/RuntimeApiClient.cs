using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace SfAi.Hosting.Lambda.RuntimeApi;

/// <summary>
/// The Lambda Runtime API, version 2018-06-01 (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html):
/// the next invocation, its response or error, and an initialisation error.
/// </summary>
internal sealed class RuntimeApiClient : IDisposable
{
    private static readonly MediaTypeHeaderValue ErrorContentType = new("application/vnd.aws.lambda.error+json");
    private readonly HttpClient _http;

    public RuntimeApiClient(string runtimeApi)
    {
        BaseAddress = new Uri($"http://{runtimeApi}/2018-06-01/");
        _http = new HttpClient { BaseAddress = BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
    }

    public Uri BaseAddress { get; }

    public async Task<Invocation> NextAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync("runtime/invocation/next", cancellationToken);
        response.EnsureSuccessStatusCode();
        var payload = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var deadlineMs = long.Parse(Header(response, "Lambda-Runtime-Deadline-Ms") ?? "0", CultureInfo.InvariantCulture);
        return new Invocation(
            Header(response, "Lambda-Runtime-Aws-Request-Id") ?? throw new InvalidOperationException("The Runtime API sent no request id."),
            DateTimeOffset.FromUnixTimeMilliseconds(deadlineMs),
            Header(response, "Lambda-Runtime-Trace-Id"),
            Header(response, "Lambda-Runtime-Invoked-Function-Arn"),
            payload);
    }

    public async Task PostResponseAsync(string requestId, byte[] payload, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(payload);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _http.PostAsync($"runtime/invocation/{requestId}/response", content, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public Task PostErrorAsync(string requestId, string errorType, string message, CancellationToken cancellationToken) =>
        PostErrorToAsync($"runtime/invocation/{requestId}/error", errorType, message, cancellationToken);

    public Task PostInitErrorAsync(string errorType, string message, CancellationToken cancellationToken) =>
        PostErrorToAsync("runtime/init/error", errorType, message, cancellationToken);

    /// <summary>The error JSON of the Runtime API: <c>errorMessage</c>, <c>errorType</c>, <c>stackTrace</c>.</summary>
    public static byte[] ErrorBody(string errorType, string message)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("errorMessage", message);
            writer.WriteString("errorType", errorType);
            writer.WriteStartArray("stackTrace");
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    public void Dispose() => _http.Dispose();

    private async Task PostErrorToAsync(string path, string errorType, string message, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(ErrorBody(errorType, message));
        content.Headers.ContentType = ErrorContentType;
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Add("Lambda-Runtime-Function-Error-Type", errorType);
        using var response = await _http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
