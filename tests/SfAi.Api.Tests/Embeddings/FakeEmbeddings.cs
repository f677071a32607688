using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using SfAi.Api.Tests.Support;

namespace SfAi.Api.Tests.Embeddings;

/// <summary>
/// An OpenAI <c>/v1/embeddings</c> upstream as its reference documents the answer: one <c>embedding</c> per input, in
/// order, as float arrays or (<c>encoding_format: "base64"</c>) base64 of little-endian float32s, and the usage.
/// Input i gets the vector <see cref="Vector"/>(i, dimensions).
/// </summary>
internal static class FakeEmbeddings
{
    public const int DefaultDimensions = 4;
    public const int PromptTokens = 1200;

    public static float[] Vector(int index, int dimensions) =>
        [.. Enumerable.Range(0, dimensions).Select(d => (index + 1) * 0.125f - d * 0.0625f)];

    /// <summary>The body the fake answers to <paramref name="requestBody"/>.</summary>
    public static string Answer(string requestBody)
    {
        using var request = JsonDocument.Parse(requestBody);
        var root = request.RootElement;
        var input = root.GetProperty("input");
        var count = input.ValueKind == JsonValueKind.Array && input[0].ValueKind != JsonValueKind.Number ? input.GetArrayLength() : 1;
        var dimensions = root.TryGetProperty("dimensions", out var d) ? d.GetInt32() : DefaultDimensions;
        var base64 = root.TryGetProperty("encoding_format", out var f) && f.GetString() == "base64";
        var data = string.Join(",", Enumerable.Range(0, count).Select(i =>
            $$"""{"object":"embedding","index":{{i}},"embedding":{{Encode(Vector(i, dimensions), base64)}}}"""));
        var model = root.GetProperty("model").GetString();
        return $$$"""{"object":"list","data":[{{{data}}}],"model":"{{{model}}}","usage":{"prompt_tokens":{{{PromptTokens}}},"total_tokens":{{{PromptTokens}}}}}""";
    }

    /// <summary>Answers each request <paramref name="upstream"/> records; <paramref name="answered"/> sees the bytes sent.</summary>
    public static Func<HttpContext, Task> Respond(FakeUpstream upstream, Action<string>? answered = null) => async context =>
    {
        var answer = Answer(upstream.LastRequest.Body);
        answered?.Invoke(answer);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer, context.RequestAborted);
    };

    private static string Encode(float[] vector, bool base64)
    {
        if (!base64)
        {
            return "[" + string.Join(",", vector.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]";
        }
        var bytes = new byte[vector.Length * sizeof(float)];
        for (var i = 0; i < vector.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), vector[i]);
        }
        return "\"" + Convert.ToBase64String(bytes) + "\"";
    }
}
