using System.Text.Json.Nodes;
using Microsoft.ML.Tokenizers;
using SfAi.Core.Protocols.OpenAIChat;

namespace SfAi.Core.Usage;

/// <summary>
/// Counts tokens with the o200k_base encoding (GPT-4o and later) when an upstream reports no usage.
/// Counts follow OpenAI's published accounting for chat messages: 3 tokens per message, plus the role and name,
/// plus 3 tokens priming the reply. For other vendors' models the figure is an estimate and is marked as one.
/// The tokenizer is loaded on first use (about a quarter of a second and 30 MB): where a rough figure is enough —
/// a token-per-minute reservation, settled to the real usage afterwards, or the offline echo provider —
/// <see cref="EstimatePrompt"/> and <see cref="EstimateText"/> count without it.
/// </summary>
public sealed class TokenCounter
{
    private const int TokensPerMessage = 3;
    private const int ReplyPriming = 3;
    private readonly Lazy<Tokenizer> _tokenizer = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"));

    public int CountText(string text) => text.Length == 0 ? 0 : _tokenizer.Value.CountTokens(text);

    public int CountPrompt(JsonArray messages) => PromptTokens(messages, CountText);

    /// <summary>About four English characters per o200k token, and about one per character of other scripts.</summary>
    public static int EstimateText(string text)
    {
        int ascii = 0, other = 0;
        foreach (var c in text)
        {
            if (char.IsAscii(c))
            {
                ascii++;
            }
            else if (!char.IsLowSurrogate(c))
            {
                other++;
            }
        }
        return (ascii + 3) / 4 + other;
    }

    /// <summary>The prompt in OpenAI's accounting, with <see cref="EstimateText"/> for each text.</summary>
    public static int EstimatePrompt(JsonArray messages) => PromptTokens(messages, EstimateText);

    private static int PromptTokens(JsonArray messages, Func<string, int> count)
    {
        var total = ReplyPriming;
        foreach (var node in messages)
        {
            if (node is not JsonObject message)
            {
                continue;
            }
            total += TokensPerMessage;
            total += count(message["role"]?.GetValue<string>() ?? string.Empty);
            total += count(ConversationText.ContentText(message["content"]));
            if (message["name"] is JsonValue name && name.TryGetValue<string>(out var n))
            {
                total += count(n) + 1;
            }
            if (message["tool_calls"] is JsonArray toolCalls)
            {
                total += count(toolCalls.ToJsonString());
            }
        }
        return total;
    }
}
