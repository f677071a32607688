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
    private readonly CancellationTokenSource _deadline;

    public InvocationFeatures(
        Invocation invocation, HttpApiV2Request request, IHttpResponseFeature response, IHttpResponseBodyFeature body, TimeProvider time)
    {
        _deadline = new CancellationTokenSource(Max(invocation.Deadline - time.GetUtcNow(), TimeSpan.FromMilliseconds(1)), time);
        Collection.Set<IHttpRequestFeature>(RequestFeature(request));
        Collection.Set(response);
        Collection.Set(body);
        Collection.Set<IHttpRequestLifetimeFeature>(new Lifetime(_deadline));
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

    public void Dispose() => _deadline.Dispose();

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
        headers.ContentLength = request.Body.Length;

        var path = request.RawPath;
        var pathBase = string.Empty;
        if (request.Stage is { Length: > 0 } stage && stage != "$default"
            && (path == "/" + stage || path.StartsWith("/" + stage + "/", StringComparison.Ordinal)))
        {
            pathBase = "/" + stage;
            path = path[pathBase.Length..];
        }
        return new HttpRequestFeature
        {
            Protocol = request.Protocol,
            Method = request.Method,
            Scheme = "https",
            PathBase = PathString.FromUriComponent(pathBase).Value ?? string.Empty,
            Path = PathString.FromUriComponent(path.Length == 0 ? "/" : path).Value ?? "/",
            QueryString = request.RawQueryString.Length == 0 ? string.Empty : "?" + request.RawQueryString,
            RawTarget = request.RawPath + (request.RawQueryString.Length == 0 ? string.Empty : "?" + request.RawQueryString),
            Headers = headers,
            Body = new MemoryStream(request.Body, writable: false),
        };
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private sealed class Lifetime(CancellationTokenSource deadline) : IHttpRequestLifetimeFeature
    {
        public CancellationToken RequestAborted { get; set; } = deadline.Token;

        public void Abort() => deadline.Cancel();
    }
}
