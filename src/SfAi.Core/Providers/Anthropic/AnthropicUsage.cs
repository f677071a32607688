using System.Text.Json;
using SfAi.Core.Usage;

namespace SfAi.Core.Providers.Anthropic;

/// <summary>
/// Anthropic usage in OpenAI's accounting: prompt tokens = input + cache reads + cache writes; cache reads are the
/// cached tokens; cache writes are kept apart so they are priced at the cache-write rate.
/// </summary>
internal sealed class AnthropicUsage
{
    private int _input;
    private int _cacheRead;
    private int _cacheWrite;
    private int _output;

    public bool Seen { get; private set; }

    /// <summary>Takes the figures present in a <c>usage</c> object; stream events report them cumulatively.</summary>
    public void Read(JsonElement usage)
    {
        if (usage.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        Seen = true;
        _input = Int(usage, "input_tokens") ?? _input;
        _cacheRead = Int(usage, "cache_read_input_tokens") ?? _cacheRead;
        _cacheWrite = Int(usage, "cache_creation_input_tokens") ?? _cacheWrite;
        _output = Int(usage, "output_tokens") ?? _output;
    }

    public TokenUsage? ToTokenUsage() =>
        Seen ? new TokenUsage(_input + _cacheRead + _cacheWrite, _output, _cacheRead, _cacheWrite) : null;

    private static int? Int(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : null;
}
