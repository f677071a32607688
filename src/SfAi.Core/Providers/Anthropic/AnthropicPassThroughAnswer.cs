using System.Text;
using System.Text.Json;
using SfAi.Core.Usage;

namespace SfAi.Core.Providers.Anthropic;

/// <summary>What the log needs of a Messages response relayed as it came: usage (cache reads and writes too), stop reason, text.</summary>
internal static class AnthropicPassThroughAnswer
{
    public static (TokenUsage? Usage, string? StopReason, string Text) Read(byte[] answer)
    {
        try
        {
            using var document = JsonDocument.Parse(answer);
            var root = document.RootElement;
            var usage = new AnthropicUsage();
            if (root.TryGetProperty("usage", out var usageElement))
            {
                usage.Read(usageElement);
            }
            var text = new StringBuilder();
            if (root.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array)
            {
                foreach (var block in content.EnumerateArray())
                {
                    text.Append(AnthropicErrorMapper.Text(block, "text"));
                }
            }
            return (usage.ToTokenUsage(), AnthropicErrorMapper.Text(root, "stop_reason"), text.ToString());
        }
        catch (JsonException)
        {
            return (null, null, string.Empty);
        }
    }
}
