using SfAi.Core.Protocols.OpenAIChat;
using SfAi.Core.ModelMap;

namespace SfAi.Core.Providers;

/// <summary>One completion call as a provider sees it: the parsed request and where its alias routes.</summary>
public sealed record ChatCall(string RequestId, ChatRequest Request, AliasRoute Route)
{
    /// <summary>When the invocation must have answered (AWS Lambda); the provider's calls end before it.</summary>
    public DateTimeOffset? Deadline { get; init; }
}
