using SfAi.Core.ModelMap;
using SfAi.Core.Protocols;
using SfAi.Core.Protocols.OpenAIChat;

namespace SfAi.Core.Providers;

/// <summary>One call as a provider sees it: the client's request and where its alias routes.</summary>
/// <param name="RequestId">The gateway's id of the request.</param>
/// <param name="Inbound">The client's request in its own protocol; a provider that speaks that protocol passes it through.</param>
/// <param name="Route">Where the alias (or the fallback being tried) routes.</param>
public sealed record ChatCall(string RequestId, InboundRequest Inbound, AliasRoute Route)
{
    /// <summary>The request as the pivot (OpenAI chat), for a provider that translates; built on first use.</summary>
    public ChatRequest Request => Inbound.Chat;

    /// <summary>When the invocation must have answered (AWS Lambda); the provider's calls end before it.</summary>
    public DateTimeOffset? Deadline { get; init; }
}
