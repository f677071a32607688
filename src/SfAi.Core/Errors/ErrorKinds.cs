namespace SfAi.Core.Errors;

/// <summary>The values of <c>errorType</c> in <c>llm_error</c> log events.</summary>
public static class ErrorKinds
{
    public const string BadRequest = "bad_request";
    public const string ModelNotFound = "model_not_found";
    public const string UpstreamError = "upstream_error";
    public const string Timeout = "timeout";
    public const string RateLimited = "rate_limited";
    public const string BudgetExceeded = "budget_exceeded";
    public const string RateLimitStoreUnavailable = "rate_limit_store_unavailable";
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string ConfigError = "config_error";
    public const string ClientClosed = "client_closed";
    public const string Internal = "internal_error";
}
