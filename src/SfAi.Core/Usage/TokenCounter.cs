using System.Text.Json.Nodes;
using Microsoft.ML.Tokenizers;
using SfAi.Core.Chat;

namespace SfAi.Core.Usage;

/// <summary>
/// Counts tokens with the o200k_base encoding (GPT-4o and later) when an upstream reports no usage.
/// Counts follow OpenAI's published accounting for chat messages: 3 tokens per message, plus the role and name,
/// plus 3 tokens priming the reply. For other vendors' models the figure is an estimate and is marked as one.
/// </summary>
public sealed class TokenCounter
{
    private const int TokensPerMessage = 3;
    private const int ReplyPriming = 3;
    private readonly Lazy<Tokenizer> _tokenizer = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"));

    public int CountText(string text) => text.Length == 0 ? 0 : _tokenizer.Value.CountTokens(text);

    public int CountPrompt(JsonArray messages)
    {
        var total = ReplyPriming;
        foreach (var node in messages)
        {
            if (node is not JsonObject message)
            {
                continue;
            }
            total += TokensPerMessage;
            total += CountText(message["role"]?.GetValue<string>() ?? string.Empty);
            total += CountText(ConversationText.ContentText(message["content"]));
            if (message["name"] is JsonValue name && name.TryGetValue<string>(out var n))
            {
                total += CountText(n) + 1;
            }
            if (message["tool_calls"] is JsonArray toolCalls)
            {
                total += CountText(toolCalls.ToJsonString());
            }
        }
        return total;
    }
}
