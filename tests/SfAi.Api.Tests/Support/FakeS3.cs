using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SfAi.Api.Tests.Support;

/// <summary>
/// A fake S3 on 127.0.0.1 for the real AmazonS3Client (path-style): GET of objects with ETags, <c>If-None-Match</c>
/// answered 304, <c>NoSuchKey</c> as S3 words it, and an outage switch.
/// </summary>
public sealed class FakeS3 : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, byte[]> _objects = new(StringComparer.Ordinal);

    private FakeS3(WebApplication app, Uri address)
    {
        _app = app;
        Endpoint = address;
    }

    public Uri Endpoint { get; }

    public bool Down { get; set; }

    /// <summary>The <c>If-None-Match</c> of each GET, and the status answered.</summary>
    public ConcurrentQueue<(string? IfNoneMatch, int Status)> Gets { get; } = new();

    public void Put(string bucketAndKey, string content) => _objects[bucketAndKey] = Encoding.UTF8.GetBytes(content);

    public void Delete(string bucketAndKey) => _objects.TryRemove(bucketAndKey, out _);

    public static async Task<FakeS3> StartAsync()
    {
        var app = LoopbackApp.Create();
        FakeS3? fake = null;
        app.MapGet("/{**path}", async context =>
        {
            var status = await fake!.AnswerAsync(context);
            fake.Gets.Enqueue((context.Request.Headers.IfNoneMatch.ToString() is { Length: > 0 } etag ? etag : null, status));
        });
        var address = await LoopbackApp.StartAsync(app);
        return fake = new FakeS3(app, address);
    }

    private async Task<int> AnswerAsync(HttpContext context)
    {
        if (Down)
        {
            context.Response.StatusCode = 500;
            await context.Response.WriteAsync("<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>", context.RequestAborted);
            return 500;
        }
        var path = context.Request.Path.Value!.TrimStart('/');
        if (!_objects.TryGetValue(path, out var content))
        {
            context.Response.StatusCode = 404;
            context.Response.ContentType = "application/xml";
            await context.Response.WriteAsync($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>{path}</Key></Error>", context.RequestAborted);
            return 404;
        }
#pragma warning disable CA5351 // S3's ETag of a simple object is its MD5, which the SDK checks the body against.
        var etag = $"\"{Convert.ToHexStringLower(MD5.HashData(content))}\"";
#pragma warning restore CA5351
        context.Response.Headers.ETag = etag;
        if (context.Request.Headers.IfNoneMatch.ToString() == etag)
        {
            context.Response.StatusCode = 304;
            return 304;
        }
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = content.Length;
        await context.Response.Body.WriteAsync(content, context.RequestAborted);
        return 200;
    }

    public ValueTask DisposeAsync() => LoopbackApp.StopAsync(_app);
}
