namespace SfAi.Core.Protocols.AnthropicMessages;

/// <summary>OpenAI's <c>finish_reason</c> as a Messages <c>stop_reason</c>.</summary>
internal static class MessagesStopReasons
{
    public static string FromFinishReason(string? finishReason) => finishReason switch
    {
        "length" => "max_tokens",
        "tool_calls" or "function_call" => "tool_use",
        "content_filter" => "refusal",
        _ => "end_turn",
    };
}
