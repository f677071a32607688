using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using SfAi.Core.Errors;
using SfAi.Core.ModelMap;
using SfAi.Core.Providers.Resilience;
using SfAi.Core.Secrets;

namespace SfAi.Core.Providers;

/// <summary>
/// What every HTTP provider does the same way: finds its key, builds its URL, sends a JSON request under the deployment's
/// resilience and timeouts (<see cref="UpstreamExchange"/>), and relays a stream (<see cref="StreamRelay"/>).
/// A provider keeps only what its protocol owns: the body, its auth header, its error mapping and translation.
/// </summary>
public sealed class ProviderHttp
{
    private readonly HttpMessageInvoker _http;
    private readonly ISecretStore _secrets;
    private readonly ProviderResilience _resilience;

    public ProviderHttp(HttpMessageInvoker http, ISecretStore secrets, ProviderResilience resilience, TimeProvider time, int maxUpstreamEventBytes)
    {
        _http = http;
        _secrets = secrets;
        _resilience = resilience;
        Time = time;
        MaxUpstreamEventBytes = maxUpstreamEventBytes;
    }

    public TimeProvider Time { get; }

    /// <summary>The largest stream event accepted from an upstream (<c>MAX_UPSTREAM_EVENT_BYTES</c>).</summary>
    public int MaxUpstreamEventBytes { get; }

    /// <summary>The provider's key: a key that is not configured or cannot be found is a 500 <c>provider_key_missing</c>, before anything is sent.</summary>
    public async ValueTask<string> KeyAsync(ProviderDefinition provider, CancellationToken cancellationToken) =>
        await FindKeyAsync(provider, provider.ApiKey ?? new SecretReference(null, null), cancellationToken);

    /// <summary>The provider's key, or <c>null</c> when it names none (a local compatible server); a named key that cannot be found is a 500.</summary>
    public async ValueTask<string?> OptionalKeyAsync(ProviderDefinition provider, CancellationToken cancellationToken) =>
        provider.ApiKey is { } reference ? await FindKeyAsync(provider, reference, cancellationToken) : null;

    private async ValueTask<string> FindKeyAsync(ProviderDefinition provider, SecretReference reference, CancellationToken cancellationToken) =>
        await _secrets.GetAsync(reference, cancellationToken)
        ?? throw new GatewayException(GatewayError.ProviderKeyMissing(provider.Name, reference.Describe()));

    /// <summary>
    /// <c>Authorization: Bearer</c> with <paramref name="key"/>, or nothing without a key. Headers are added as text: a
    /// parsed value (<see cref="AuthenticationHeaderValue"/>) is formatted again, under a lock, each time it is sent.
    /// </summary>
    public static Action<HttpRequestHeaders> Bearer(string? key)
    {
        if (key is null)
        {
            return static _ => { };
        }
        var value = "Bearer " + key;
        return headers => headers.TryAddWithoutValidation("Authorization", value);
    }

    /// <summary>The provider's base URL (its own, or the public API's) with <paramref name="path"/> after it.</summary>
    /// <remarks>Each base URL keeps up to <see cref="KeptEndpoints"/> of its URLs, so a call does not build and parse one afresh.</remarks>
    public static Uri Endpoint(ProviderDefinition provider, Uri publicBaseUrl, string path)
    {
        var baseUrl = provider.BaseUrl ?? publicBaseUrl;
        var kept = Endpoints.GetValue(baseUrl, static _ => new ConcurrentDictionary<string, Uri>(StringComparer.Ordinal));
        if (kept.TryGetValue(path, out var url))
        {
            return url;
        }
        url = new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + path);
        if (kept.Count < KeptEndpoints)
        {
            kept.TryAdd(path, url);
        }
        return url;
    }

    private const int KeptEndpoints = 16;

    private static readonly ConditionalWeakTable<Uri, ConcurrentDictionary<string, Uri>> Endpoints = new();

    /// <summary>Starts one call under the provider's timeouts, cut to the invocation's deadline.</summary>
    public UpstreamExchange Open(ChatCall call, CancellationToken cancellationToken) =>
        new(call.Route.Provider, call.Deadline, Time, cancellationToken);

    /// <summary>
    /// POSTs <paramref name="body"/> (made afresh for each try) and returns a successful response; an answer of 400 or
    /// more is thrown as the error <paramref name="mapError"/> makes of it.
    /// </summary>
    public Task<HttpResponseMessage> PostAsync(
        UpstreamExchange exchange, ChatCall call, Uri url, byte[] body, Action<HttpRequestHeaders> authorize,
        Func<int, byte[], string?, GatewayError> mapError)
    {
        var provider = call.Route.Provider;
        var accept = call.Inbound.Stream ? "text/event-stream" : "application/json";

        HttpRequestMessage CreateRequest()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
            request.Headers.TryAddWithoutValidation("Accept", accept);
            UpstreamConnections.SetConnectTimeout(request, provider.ConnectTimeout);
            authorize(request.Headers);
            return request;
        }

        return exchange.SendForSuccessAsync(_http, CreateRequest, _resilience.For(provider, call.Route.UpstreamModel), mapError);
    }

    /// <summary>
    /// Sends a request without a body (a <c>GET</c> or <c>DELETE</c> of state the provider keeps, such as a stored
    /// response) under the same resilience, and returns a successful response; an answer of 400 or more is thrown as the
    /// error <paramref name="mapError"/> makes of it.
    /// </summary>
    public Task<HttpResponseMessage> SendAsync(
        UpstreamExchange exchange, AliasRoute route, HttpMethod method, Uri url, bool stream, Action<HttpRequestHeaders> authorize,
        Func<int, byte[], string?, GatewayError> mapError)
    {
        HttpRequestMessage CreateRequest()
        {
            var request = new HttpRequestMessage(method, url);
            request.Headers.TryAddWithoutValidation("Accept", stream ? "text/event-stream" : "application/json");
            UpstreamConnections.SetConnectTimeout(request, route.Provider.ConnectTimeout);
            authorize(request.Headers);
            return request;
        }

        return exchange.SendForSuccessAsync(_http, CreateRequest, _resilience.For(route.Provider, route.UpstreamModel), mapError);
    }

    /// <summary>Relays the stream of a successful response through <paramref name="translator"/> to the client.</summary>
    public Task<CompletionOutcome> RelayStreamAsync(
        HttpResponseMessage response, UpstreamExchange exchange, IStreamTranslator translator, IChatResponseSink sink,
        CancellationToken cancellationToken) =>
        StreamRelay.RelayAsync(response, exchange, translator, sink, MaxUpstreamEventBytes, cancellationToken);
}
