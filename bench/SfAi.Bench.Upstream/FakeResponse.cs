namespace SfAi.Bench.Upstream;

internal static class FakeResponse
{
    public static async Task WriteJsonAsync(HttpContext context, byte[] body)
    {
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        await context.Response.BodyWriter.WriteAsync(body, context.RequestAborted);
    }
}

/// <summary>Server-sent events, each written and flushed on its own; paced ones wait the gap first.</summary>
internal sealed class FakeEventStream(HttpContext context, int gapMilliseconds)
{
    public async Task StartAsync(byte[] first)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await NowAsync(first);
    }

    public async Task PacedAsync(byte[] data)
    {
        if (gapMilliseconds > 0)
        {
            await Task.Delay(gapMilliseconds, context.RequestAborted);
        }
        await NowAsync(data);
    }

    public async Task NowAsync(byte[] data) => await context.Response.BodyWriter.WriteAsync(data, context.RequestAborted);
}
