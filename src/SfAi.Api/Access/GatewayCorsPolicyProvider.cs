using Microsoft.AspNetCore.Cors.Infrastructure;
using SfAi.Api.Configuration;
using SfAi.Api.Middleware;

namespace SfAi.Api.Access;

/// <summary>
/// The CORS policy from <c>ALLOW_ORIGINS</c>: exact origins (or <c>*</c> when configured), the methods the gateway
/// serves, and the request headers OpenAI-style clients send — <c>authorization</c>, <c>content-type</c>,
/// <c>x-api-key</c>, <c>apikey</c> and <c>x-client-info</c> (Supabase clients), and every <c>x-stainless-*</c> header of the OpenAI SDKs, whose set grows with
/// each SDK release (hence a per-request policy rather than a fixed list).
/// </summary>
internal sealed class GatewayCorsPolicyProvider : ICorsPolicyProvider
{
    private static readonly string[] FixedHeaders = ["authorization", "content-type", "x-api-key", "apikey", "x-client-info", "openai-organization", "openai-project", "anthropic-version", "anthropic-beta", "anthropic-dangerous-direct-browser-access"];
    private static readonly string[] ExposedHeaders =
    [
        RequestIdMiddleware.HeaderName, "retry-after",
        "x-ratelimit-limit-requests", "x-ratelimit-remaining-requests", "x-ratelimit-reset-requests",
        "x-ratelimit-limit-tokens", "x-ratelimit-remaining-tokens", "x-ratelimit-reset-tokens",
    ];

    private readonly IReadOnlyList<string> _origins;
    private readonly bool _anyOrigin;

    public GatewayCorsPolicyProvider(GatewayOptions options)
    {
        _anyOrigin = options.AllowOrigins.Contains("*");
        _origins = [.. options.AllowOrigins.Where(o => o != "*").Select(o => o.TrimEnd('/'))];
    }

    public Task<CorsPolicy?> GetPolicyAsync(HttpContext context, string? policyName)
    {
        if (!_anyOrigin && _origins.Count == 0)
        {
            return Task.FromResult<CorsPolicy?>(null);
        }
        var policy = new CorsPolicy { PreflightMaxAge = TimeSpan.FromHours(1) };
        if (_anyOrigin)
        {
            policy.Origins.Add(CorsConstants.AnyOrigin);
        }
        else
        {
            foreach (var origin in _origins)
            {
                policy.Origins.Add(origin);
            }
        }
        policy.Methods.Add("GET");
        policy.Methods.Add("POST");
        policy.Methods.Add("OPTIONS");
        foreach (var header in FixedHeaders)
        {
            policy.Headers.Add(header);
        }
        var requested = context.Request.Headers[CorsConstants.AccessControlRequestHeaders].ToString();
        foreach (var header in requested.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (header.StartsWith("x-stainless-", StringComparison.OrdinalIgnoreCase))
            {
                policy.Headers.Add(header);
            }
        }
        foreach (var header in ExposedHeaders)
        {
            policy.ExposedHeaders.Add(header);
        }
        return Task.FromResult<CorsPolicy?>(policy);
    }
}
