using System.Diagnostics;
using SfAi.Api.Endpoints;
using SfAi.Api.Pipeline;

namespace SfAi.Api.Middleware;

/// <summary>
/// The first step of every request: sets its <see cref="GatewayRequestFeature"/> (an id, returned in
/// <c>x-request-id</c> and carried by every log event of the request, the start time, the route matched once).
/// </summary>
internal sealed class RequestIdMiddleware
{
    public const string HeaderName = "x-request-id";
    private readonly RequestDelegate _next;

    public RequestIdMiddleware(RequestDelegate next) => _next = next;

    public Task InvokeAsync(HttpContext context)
    {
        var feature = new GatewayRequestFeature(NewId(), Stopwatch.GetTimestamp(),
            GatewayRoutes.Match(context.Request.Method, context.Request.Path.Value));
        context.Features[typeof(GatewayRequestFeature)] = feature;
        context.Response.Headers[HeaderName] = feature.RequestId;
        return _next(context);
    }

    /// <summary>
    /// <c>req_</c> and 32 random hex digits, as unique as a GUID, from the per-thread generator (seeded once by the OS)
    /// rather than a system call per request as <see cref="Guid.NewGuid"/> makes.
    /// </summary>
    public static string NewId() => string.Create(36, 0, static (chars, _) =>
    {
        Span<byte> random = stackalloc byte[16];
        Random.Shared.NextBytes(random);
        "req_".CopyTo(chars);
        Convert.TryToHexStringLower(random, chars[4..], out _);
    });
}
