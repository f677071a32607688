using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SfAi.Core.Json;
using SfAi.Core.Protocols.OpenAIEmbeddings;
using SfAi.Core.Usage;

namespace SfAi.Core.Providers.Echo;

/// <summary>
/// Offline embeddings for the echo provider: each input's vector is derived from a SHA-256 of its text, so the same text
/// always gets the same unit vector. <see cref="DefaultDimensions"/> unless the client asks for <c>dimensions</c>; written
/// as float arrays or, for <c>encoding_format: "base64"</c>, as base64 of little-endian float32s, as OpenAI answers.
/// </summary>
public static class EchoEmbeddings
{
    public const int DefaultDimensions = 16;

    /// <summary>The largest vector echo writes (OpenAI's largest model has 3,072).</summary>
    public const int MaxDimensions = 3072;

    public static float[] Vector(string text, int dimensions)
    {
        var vector = new float[dimensions];
        Span<byte> block = stackalloc byte[SHA256.HashSizeInBytes];
        var input = Encoding.UTF8.GetBytes(text);
        var seeded = new byte[input.Length + sizeof(int)];
        input.CopyTo(seeded, sizeof(int));
        for (var i = 0; i < dimensions; i++)
        {
            var word = i % (SHA256.HashSizeInBytes / sizeof(uint));
            if (word == 0)
            {
                BinaryPrimitives.WriteInt32LittleEndian(seeded, i);
                SHA256.HashData(seeded, block);
            }
            vector[i] = BinaryPrimitives.ReadUInt32LittleEndian(block[(word * sizeof(uint))..]) / (float)uint.MaxValue * 2 - 1;
        }
        var norm = MathF.Sqrt(vector.Sum(x => x * x));
        for (var i = 0; i < dimensions; i++)
        {
            vector[i] /= norm;
        }
        return vector;
    }

    /// <summary>The OpenAI embeddings response to <paramref name="request"/>, with its estimated usage.</summary>
    public static (byte[] Json, TokenUsage Usage) Answer(EmbeddingsRequest request, string model)
    {
        var dimensions = request.Dimensions ?? DefaultDimensions;
        if (dimensions > MaxDimensions)
        {
            throw new Errors.GatewayException(Errors.GatewayError.BadRequest(
                $"Invalid 'dimensions': {dimensions}; the echo model '{model}' writes at most {MaxDimensions}.", "dimensions", "invalid_value"));
        }
        var usage = new TokenUsage(request.Input.EstimateTokens(), 0, Estimated: true);
        var json = JsonWriting.Write((request, model, dimensions, usage), static (writer, answer) =>
        {
            writer.WriteStartObject();
            writer.WriteString("object", "list");
            writer.WriteStartArray("data");
            var texts = answer.request.Input.Texts;
            for (var i = 0; i < texts.Count; i++)
            {
                writer.WriteStartObject();
                writer.WriteString("object", "embedding");
                writer.WriteNumber("index", i);
                WriteVector(writer, Vector(texts[i], answer.dimensions), answer.request.Base64);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteString("model", answer.model);
            writer.WriteStartObject("usage");
            writer.WriteNumber("prompt_tokens", answer.usage.PromptTokens);
            writer.WriteNumber("total_tokens", answer.usage.PromptTokens);
            writer.WriteEndObject();
            writer.WriteEndObject();
        });
        return (json, usage);
    }

    private static void WriteVector(Utf8JsonWriter writer, float[] vector, bool base64)
    {
        if (base64)
        {
            var bytes = new byte[vector.Length * sizeof(float)];
            for (var i = 0; i < vector.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), vector[i]);
            }
            writer.WriteBase64String("embedding", bytes);
            return;
        }
        writer.WriteStartArray("embedding");
        foreach (var value in vector)
        {
            writer.WriteNumberValue(value);
        }
        writer.WriteEndArray();
    }
}
