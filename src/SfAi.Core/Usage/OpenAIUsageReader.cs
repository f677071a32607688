using System.Text.Json;

namespace SfAi.Core.Usage;

/// <summary>Reads OpenAI's <c>usage</c> object (<c>prompt_tokens</c>, <c>completion_tokens</c>, <c>prompt_tokens_details.cached_tokens</c>).</summary>
public static class OpenAIUsageReader
{
    public static TokenUsage? Read(JsonElement usage)
    {
        if (usage.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        var reader = new Utf8JsonReader(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(usage));
        reader.Read();
        return Read(ref reader);
    }

    /// <summary>The usage object the reader is at (it is left at the object's end), read without a document.</summary>
    public static TokenUsage? Read(ref Utf8JsonReader reader)
    {
        int? prompt = null, completion = null;
        var cached = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("prompt_tokens"u8))
            {
                prompt = Int(ref reader) ?? prompt;
            }
            else if (reader.ValueTextEquals("completion_tokens"u8))
            {
                completion = Int(ref reader) ?? completion;
            }
            else if (reader.ValueTextEquals("prompt_tokens_details"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("cached_tokens"u8))
                    {
                        cached = Int(ref reader) ?? cached;
                    }
                    else
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return prompt is null && completion is null ? null : new TokenUsage(prompt ?? 0, completion ?? 0, cached);
    }

    /// <summary>The property's value when it is a whole number that fits; anything else is skipped.</summary>
    private static int? Int(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value))
        {
            return value;
        }
        reader.Skip();
        return null;
    }
}
