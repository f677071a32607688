namespace SfAi.Core.Errors;

/// <summary>
/// A failure the gateway reports to its client in OpenAI's error shape
/// (<c>{"error":{"message","type","param","code"}}</c>) and logs as an <c>llm_error</c> event.
/// </summary>
/// <param name="Status">The HTTP status returned to the client.</param>
/// <param name="Type">OpenAI's <c>error.type</c>.</param>
/// <param name="Code">OpenAI's <c>error.code</c>, if any.</param>
/// <param name="Param">The request field at fault, if any.</param>
/// <param name="Message">A message that says what is wrong and, where possible, how to fix it.</param>
/// <param name="Kind">The <c>errorType</c> of the <c>llm_error</c> log event.</param>
public sealed record GatewayError(int Status, string Type, string? Code, string? Param, string Message, string Kind)
{
    /// <summary>An upstream error body relayed to the client unchanged (upstream 4xx in OpenAI's shape).</summary>
    public ReadOnlyMemory<byte>? RawBody { get; init; }

    /// <summary>The <c>Retry-After</c> value to send along, if the upstream gave one.</summary>
    public string? RetryAfter { get; init; }

    /// <summary>The name of the key at fault, where the failure is about a known key (an expired one).</summary>
    public string? KeyName { get; init; }

    /// <summary>Further response headers (<c>x-ratelimit-*</c>).</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    public static GatewayError BadRequest(string message, string? param = null, string? code = null) =>
        new(400, "invalid_request_error", code, param, message, ErrorKinds.BadRequest);

    public static GatewayError MissingParameter(string param) =>
        BadRequest($"Missing required parameter: '{param}'.", param, "missing_required_parameter");

    public static GatewayError InvalidType(string param, string expected, string actual) =>
        BadRequest($"Invalid type for '{param}': expected {expected}, but got {actual} instead.", param, "invalid_type");

    public static GatewayError ModelNotFound(string model, IEnumerable<string> validAliases) =>
        new(404, "invalid_request_error", "model_not_found", "model",
            $"The model '{model}' does not exist on this gateway. Valid models: {string.Join(", ", validAliases)}.",
            ErrorKinds.ModelNotFound);

    /// <summary>An alias asked for on an endpoint its kind is not for (an embeddings alias on chat, a chat alias on embeddings).</summary>
    public static GatewayError WrongModelKind(string alias, string kind, string endpoint, string neededKind, string providerTypes, IEnumerable<string> aliasesOfKind)
    {
        var aliases = string.Join(", ", aliasesOfKind);
        return BadRequest(
            $"The model '{alias}' is of kind '{kind}', and {endpoint} serves only models of kind '{neededKind}' (on providers of type {providerTypes}). "
            + (aliases.Length > 0 ? $"Models of kind '{neededKind}' on this gateway: {aliases}." : $"This gateway declares no model of kind '{neededKind}' (the model map's \"kind\")."),
            "model", "model_kind_mismatch");
    }

    public static GatewayError PayloadTooLarge(long limitBytes) =>
        new(413, "invalid_request_error", "request_too_large", null,
            $"The request body exceeds the gateway's limit of {limitBytes} bytes.", ErrorKinds.BadRequest);

    public static GatewayError UnsupportedMediaType(string? contentType) =>
        new(415, "invalid_request_error", "unsupported_media_type", null,
            $"Unsupported Content-Type '{contentType ?? "(none)"}': send the request body as 'application/json'.",
            ErrorKinds.BadRequest);

    public static GatewayError UpstreamUnavailable(string provider, string detail) =>
        new(502, "upstream_error", "upstream_unavailable", null,
            $"The upstream provider '{provider}' could not be reached or failed: {detail}", ErrorKinds.UpstreamError);

    public static GatewayError UpstreamTimeout(string provider, TimeSpan timeout) =>
        new(504, "timeout_error", "upstream_timeout", null,
            $"The upstream provider '{provider}' did not answer within {timeout.TotalSeconds:0.###} s.", ErrorKinds.Timeout);

    /// <summary>A deployment (<c>provider/model</c>) whose circuit is open; <c>Retry-After</c> is the rest of its break.</summary>
    public static GatewayError CircuitOpen(string deployment, int retryAfterSeconds) =>
        new(503, "server_error", "circuit_open", null,
            $"The upstream deployment '{deployment}' has been failing; the gateway stops calling it for {retryAfterSeconds} s. Try again then, or use another model.",
            ErrorKinds.UpstreamError)
        {
            RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

    /// <summary><c>RATE_LIMIT_STORE_FAILURE=closed</c> and the shared counters cannot be reached: nothing is served uncounted.</summary>
    public static GatewayError RateLimitStoreUnavailable(TimeSpan retryAfter) =>
        new(503, "server_error", "rate_limit_store_unavailable", null,
            "The gateway's rate-limit store cannot be reached, and this gateway serves no request it cannot count. Try again shortly.",
            ErrorKinds.RateLimitStoreUnavailable)
        {
            RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

    public static GatewayError ProviderKeyMissing(string provider, string keySource) =>
        new(503, "server_error", "provider_key_missing", null,
            $"The provider '{provider}' has no API key configured ({keySource}).", ErrorKinds.ConfigError);

    public static GatewayError ProviderNotAvailable(string provider, string type) =>
        new(501, "server_error", "provider_not_available", null,
            $"The provider '{provider}' has type '{type}', which this build of the gateway does not serve yet.",
            ErrorKinds.ConfigError);

    /// <summary>Logged only: the client is gone, there is nobody to answer (499, as nginx names it).</summary>
    public static GatewayError ClientClosed(string message) =>
        new(499, "client_closed", null, null, message, ErrorKinds.ClientClosed);

    public static GatewayError Internal(string requestId) =>
        new(500, "server_error", "internal_error", null,
            $"The gateway failed unexpectedly while handling request {requestId}. The failure was logged.",
            ErrorKinds.Internal);
}
