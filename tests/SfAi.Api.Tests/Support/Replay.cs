using System.Text;
using Microsoft.AspNetCore.Http;

namespace SfAi.Api.Tests.Support;

/// <summary>Upstream answers built from captured fixtures.</summary>
public static class Replay
{
    public static string Fixture(string relativePath) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", relativePath));

    /// <summary>The events of a captured SSE stream (each <c>data: …</c> block, without its blank line).</summary>
    public static IReadOnlyList<string> Events(string relativePath) =>
        [.. Fixture(relativePath).Replace("\r\n", "\n", StringComparison.Ordinal)
            .Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    public static Func<HttpContext, Task> Json(string json, int status = 200, Action<HttpResponse>? headers = null) =>
        async context =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            headers?.Invoke(context.Response);
            await context.Response.WriteAsync(json, context.RequestAborted);
        };

    /// <summary>Sends each event as its own write, flushed, with <paramref name="gap"/> between events.</summary>
    public static Func<HttpContext, Task> Stream(IReadOnlyList<string> events, TimeSpan gap = default, Func<int, CancellationToken, Task>? beforeEvent = null) =>
        async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.StartAsync(context.RequestAborted);
            for (var i = 0; i < events.Count; i++)
            {
                if (beforeEvent is not null)
                {
                    await beforeEvent(i, context.RequestAborted);
                }
                if (gap > TimeSpan.Zero && i > 0)
                {
                    await Task.Delay(gap, context.RequestAborted);
                }
                await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(events[i] + "\n\n"), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        };

    public static Func<HttpContext, Task> StreamFixture(string relativePath, TimeSpan gap = default) => Stream(Events(relativePath), gap);
}
