using SfAi.Core.Errors;
using SfAi.Core.ModelMap;

namespace SfAi.Core.Providers;

/// <summary>
/// One HTTP exchange with a provider under its timeout: the wait for the response headers, for a whole body, and
/// between two stream events each restart the clock. Failures become gateway errors: a timeout 504, a refused
/// connection or a broken body 502. A cancellation by the client stays a cancellation.
/// </summary>
public sealed class UpstreamExchange : IDisposable
{
    private readonly ProviderDefinition _provider;
    private readonly CancellationToken _clientToken;
    private readonly CancellationTokenSource _timeout;

    public UpstreamExchange(ProviderDefinition provider, CancellationToken clientToken)
    {
        _provider = provider;
        _clientToken = clientToken;
        _timeout = CancellationTokenSource.CreateLinkedTokenSource(clientToken);
        _timeout.CancelAfter(provider.Timeout);
    }

    /// <summary>Cancelled by the client or by the timeout.</summary>
    public CancellationToken Token => _timeout.Token;

    /// <summary>Restarts the timeout: the upstream has just shown it is alive.</summary>
    public void Alive() => _timeout.CancelAfter(_provider.Timeout);

    public async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request)
    {
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Token);
        }
        catch (Exception ex) when (ToGatewayError(ex) is { } error)
        {
            throw new GatewayException(error, ex);
        }
    }

    public async Task<byte[]> ReadBodyAsync(HttpResponseMessage response)
    {
        try
        {
            return await response.Content.ReadAsByteArrayAsync(Token);
        }
        catch (Exception ex) when (ToGatewayError(ex) is { } error)
        {
            throw new GatewayException(error, ex);
        }
    }

    /// <summary>What a failure during the exchange means for the client; <c>null</c> when it is the client's own cancellation or not an I/O failure.</summary>
    public GatewayError? ToGatewayError(Exception exception) => exception switch
    {
        _ when _clientToken.IsCancellationRequested => null,
        OperationCanceledException when _timeout.IsCancellationRequested => GatewayError.UpstreamTimeout(_provider.Name, _provider.Timeout),
        HttpRequestException or IOException => GatewayError.UpstreamUnavailable(_provider.Name, exception.Message),
        _ => null,
    };

    public void Dispose() => _timeout.Dispose();
}
