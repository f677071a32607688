using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Features.Authentication;
using SfAi.Hosting.Lambda.Events;
using SfAi.Hosting.Lambda.RuntimeApi;

namespace SfAi.Hosting.Lambda.Server;

/// <summary>The ASP.NET Core features of one invocation: its HTTP request, its response, its lifetime (the deadline).</summary>
internal sealed class InvocationFeatures : IDisposable
{
    public InvocationFeatures(Invocation invocation, HttpApiV2Request request, InvocationResponse response, TimeProvider time)
    {
        Lifetime = new InvocationLifetime(invocation.Deadline, time, response.Abandon);
        Collection.Set<IHttpRequestFeature>(RequestFeature(request));
        Collection.Set<IHttpRequestBodyDetectionFeature>(new RequestBodyDetection(request.Body.Length > 0));
        Collection.Set<IHttpResponseFeature>(response);
        Collection.Set<IHttpResponseBodyFeature>(response);
        Collection.Set<IHttpRequestLifetimeFeature>(Lifetime);
        Collection.Set<IHttpRequestIdentifierFeature>(new HttpRequestIdentifierFeature { TraceIdentifier = invocation.RequestId });
        Collection.Set<IHttpConnectionFeature>(new HttpConnectionFeature { RemoteIpAddress = request.SourceIp, ConnectionId = invocation.RequestId });
        Collection.Set<ILambdaInvocationFeature>(invocation);
        if (request.Claims.Count > 0)
        {
            Collection.Set<IHttpAuthenticationFeature>(new HttpAuthenticationFeature
            {
                User = new ClaimsPrincipal(new ClaimsIdentity(request.Claims, "jwt")),
            });
        }
    }

    public FeatureCollection Collection { get; } = new();

    public InvocationLifetime Lifetime { get; }

    public void Dispose() => Lifetime.Dispose();

    private static HttpRequestFeature RequestFeature(HttpApiV2Request request)
    {
        IHeaderDictionary headers = new HeaderDictionary();
        foreach (var (name, value) in request.Headers)
        {
            headers[name] = value;
        }
        if (request.Cookies.Count > 0)
        {
            headers.Cookie = string.Join("; ", request.Cookies);
        }
        if (request.Body.Length > 0 || headers.ContentLength is not null)
        {
            headers.ContentLength = request.Body.Length;
        }

        var (pathBase, path) = SplitStage(request.RawPath, request.Stage);
        var query = request.RawQueryString.Length == 0 ? string.Empty : "?" + request.RawQueryString;
        return new HttpRequestFeature
        {
            Protocol = request.Protocol,
            Method = request.Method,
            Scheme = "https",
            PathBase = PathString.FromUriComponent(pathBase).Value ?? string.Empty,
            Path = PathString.FromUriComponent(path).Value ?? "/",
            QueryString = query,
            RawTarget = request.RawPath + query,
            Headers = headers,
            Body = new MemoryStream(request.Body, writable: false),
        };
    }

    /// <summary>A named stage (not <c>$default</c>) that prefixes the path becomes the path base.</summary>
    private static (string PathBase, string Path) SplitStage(string rawPath, string? stage)
    {
        var path = rawPath.StartsWith('/') ? rawPath : "/" + rawPath;
        if (stage is not { Length: > 0 } || stage == "$default")
        {
            return (string.Empty, path);
        }
        var prefix = "/" + stage;
        if (path == prefix)
        {
            return (prefix, "/");
        }
        return path.StartsWith(prefix + "/", StringComparison.Ordinal) ? (prefix, path[prefix.Length..]) : (string.Empty, path);
    }
}
