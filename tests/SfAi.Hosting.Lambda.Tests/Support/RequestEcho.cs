using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SfAi.Hosting.Lambda.Tests.Support;

/// <summary>An endpoint that answers with what ASP.NET Core saw of the request, as a JSON object of strings.</summary>
public static class RequestEcho
{
    public static void Map(WebApplication app) => app.MapFallback(async context =>
    {
        var request = context.Request;
        var invocation = context.Features.Get<ILambdaInvocationFeature>();
        using var reader = new StreamReader(request.Body);
        var seen = new Dictionary<string, string?>
        {
            ["method"] = request.Method,
            ["scheme"] = request.Scheme,
            ["host"] = request.Host.Value,
            ["pathBase"] = request.PathBase.Value,
            ["path"] = request.Path.Value,
            ["rawTarget"] = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget,
            ["queryString"] = request.QueryString.Value,
            ["mv-test"] = string.Join('|', request.Query["mv-test"].ToArray()),
            ["cookie"] = request.Headers.Cookie.ToString(),
            ["accept-encoding"] = request.Headers.AcceptEncoding.ToString(),
            ["contentLength"] = request.ContentLength?.ToString(CultureInfo.InvariantCulture),
            ["body"] = await reader.ReadToEndAsync(context.RequestAborted),
            ["remoteIp"] = context.Connection.RemoteIpAddress?.ToString(),
            ["user"] = context.User.Identity?.IsAuthenticated == true ? context.User.FindFirst("claim1")?.Value : null,
            ["traceIdentifier"] = context.TraceIdentifier,
            ["requestId"] = invocation?.RequestId,
            ["traceId"] = invocation?.TraceId,
            ["functionArn"] = invocation?.FunctionArn,
            ["deadline"] = invocation?.Deadline.ToString("O", CultureInfo.InvariantCulture),
        };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(seen), context.RequestAborted);
    });

    /// <summary>What the echo endpoint saw, from a buffered payload 2.0 response.</summary>
    public static JsonElement Seen(Posted posted) => JsonDocument.Parse(posted.Json.GetProperty("body").GetString()!).RootElement;
}
