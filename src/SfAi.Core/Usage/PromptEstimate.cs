using SfAi.Core.Protocols;
using SfAi.Core.Providers;

namespace SfAi.Core.Usage;

/// <summary>The tokens a call's input will take, estimated before it goes upstream (for the token limits and strict budgets).</summary>
public static class PromptEstimate
{
    public static int Of(ChatCall call) => call.Inbound is PassThroughRequest passThrough
        ? passThrough.Input.EstimateTokens()
        : TokenCounter.EstimatePrompt(call.Inbound.PromptMessages);
}
