namespace SfAi.Core.Protocols;

/// <summary>A protocol a client speaks to the gateway, and that a provider may speak upstream.</summary>
public enum WireProtocol
{
    /// <summary>OpenAI chat completions: the pivot every translation goes through.</summary>
    OpenAIChat,
    AnthropicMessages,
    OpenAIResponses,
    OpenAIEmbeddings,
    OpenAICompletions,
}
