using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace SfAi.Hosting.Lambda.Tests.Support;

/// <summary>
/// What the runtime posted: to <c>response</c>, <c>error</c> or <c>init/error</c>, with its headers, its body, when
/// each piece of the body arrived and when it ended (from the start of the POST), and the request trailers of a
/// streamed response.
/// </summary>
public sealed record Posted(
    string Kind,
    IReadOnlyDictionary<string, string> Headers,
    byte[] Body,
    IReadOnlyList<(TimeSpan At, byte[] Data)> Reads,
    TimeSpan EndedAt,
    IReadOnlyDictionary<string, string> Trailers)
{
    /// <summary>Whether the emulator refused it (413), as Lambda refuses a response that is too large.</summary>
    public bool Refused { get; init; }

    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public static async Task<Posted> ReadAsync(string kind, HttpContext context)
    {
        var clock = Stopwatch.StartNew();
        using var body = new MemoryStream();
        var reads = new List<(TimeSpan, byte[])>();
        var buffer = new byte[16384];
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            reads.Add((clock.Elapsed, buffer[..read]));
            await body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
        }
        var ended = clock.Elapsed;
        var trailers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (context.Request.CheckTrailersAvailable())
        {
            foreach (var name in new[] { "Lambda-Runtime-Function-Error-Type", "Lambda-Runtime-Function-Error-Body" })
            {
                if (context.Request.GetTrailer(name).ToString() is { Length: > 0 } value)
                {
                    trailers[name] = value;
                }
            }
        }
        return new Posted(kind, context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body.ToArray(), reads, ended, trailers);
    }
}
