namespace SfAi.Core.Providers.Anthropic;

/// <summary>
/// Anthropic <c>stop_reason</c> → OpenAI <c>finish_reason</c>
/// (https://docs.anthropic.com/en/api/messages#response-stop-reason). Unknown reasons pass through unchanged.
/// </summary>
public static class AnthropicStopReasons
{
    public static string? ToFinishReason(string? stopReason, bool jsonObjectMode) => stopReason switch
    {
        null => null,
        "end_turn" or "stop_sequence" or "pause_turn" => "stop",
        "max_tokens" or "model_context_window_exceeded" => "length",
        "tool_use" => jsonObjectMode ? "stop" : "tool_calls",
        "refusal" => "content_filter",
        _ => stopReason,
    };
}
