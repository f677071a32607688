using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace SfAi.Hosting.Lambda.Tests.Support;

/// <summary>
/// Slows an app's response down without touching the app: every flush of the response's <c>BodyWriter</c> is
/// followed by a pause, and the flush numbered <c>failAtFlush</c> throws. Streaming is then visible in time.
/// </summary>
public sealed class PacedResponses(TimeSpan gap, int? failAtFlush = null) : IStartupFilter
{
    public static void AddTo(IServiceCollection services, TimeSpan gap, int? failAtFlush = null) =>
        services.AddSingleton<IStartupFilter>(new PacedResponses(gap, failAtFlush));

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            var body = context.Features.Get<IHttpResponseBodyFeature>()!;
            context.Features.Set<IHttpResponseBodyFeature>(new PacedResponseBody(body, new PacedPipeWriter(body.Writer, gap, failAtFlush)));
            return nextMiddleware(context);
        });
        next(app);
    };
}
