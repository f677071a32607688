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
    /// <summary>Lambda's longest timeout: the deadline assumed when the Runtime API gives none.</summary>
    private static readonly TimeSpan LongestInvocation = TimeSpan.FromMinutes(15);

    private static readonly MediaTypeHeaderValue ErrorContentType = new("application/vnd.aws.lambda.error+json");
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");
    private readonly HttpClient _http;
    private readonly TimeProvider _time;

    public RuntimeApiClient(RuntimeApiEndpoint endpoint, TimeProvider time)
    {
        Endpoint = endpoint;
        _http = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null })
        {
            BaseAddress = Endpoint.BaseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _time = time;
    }

    public RuntimeApiEndpoint Endpoint { get; }

    /// <summary>Waits for the next invocation (a long poll).</summary>
    /// <exception cref="HttpRequestException">The Runtime API failed or refused; <see cref="HttpRequestException.StatusCode"/> says how.</exception>
    public async Task<Invocation> NextAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync("runtime/invocation/next", cancellationToken);
        response.EnsureSuccessStatusCode();
        var payload = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return new Invocation(
            Header(response, "Lambda-Runtime-Aws-Request-Id") ?? throw new HttpRequestException("The Runtime API sent an invocation without a request id."),
            long.TryParse(Header(response, "Lambda-Runtime-Deadline-Ms"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var deadlineMs)
                ? DateTimeOffset.FromUnixTimeMilliseconds(deadlineMs)
                : _time.GetUtcNow() + LongestInvocation,
            Header(response, "Lambda-Runtime-Trace-Id"),
            Header(response, "Lambda-Runtime-Invoked-Function-Arn"),
            payload);
    }

    public async Task PostResponseAsync(string requestId, byte[] payload, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(payload);
        content.Headers.ContentType = JsonContentType;
        using var response = await _http.PostAsync($"runtime/invocation/{Uri.EscapeDataString(requestId)}/response", content, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public Task PostErrorAsync(string requestId, RuntimeError error, CancellationToken cancellationToken) =>
        PostErrorToAsync($"runtime/invocation/{Uri.EscapeDataString(requestId)}/error", error, cancellationToken);

    public Task PostInitErrorAsync(RuntimeError error, CancellationToken cancellationToken) =>
        PostErrorToAsync("runtime/init/error", error, cancellationToken);

    public void Dispose() => _http.Dispose();

    private async Task PostErrorToAsync(string path, RuntimeError error, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(error.ToJson());
        content.Headers.ContentType = ErrorContentType;
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.TryAddWithoutValidation(RuntimeError.TypeHeader, error.Type);
        using var response = await _http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
