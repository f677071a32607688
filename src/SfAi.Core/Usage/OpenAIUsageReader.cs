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
        var prompt = Int(usage, "prompt_tokens");
        var completion = Int(usage, "completion_tokens");
        if (prompt is null && completion is null)
        {
            return null;
        }
        var cached = usage.TryGetProperty("prompt_tokens_details", out var details) && details.ValueKind == JsonValueKind.Object
            ? Int(details, "cached_tokens") ?? 0
            : 0;
        return new TokenUsage(prompt ?? 0, completion ?? 0, cached);
    }

    private static int? Int(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n)
            ? n
            : null;
}
