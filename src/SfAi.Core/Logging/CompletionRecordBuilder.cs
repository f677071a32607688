using SfAi.Core.Protocols.OpenAIChat;
using SfAi.Core.Errors;
using SfAi.Core.Pricing;
using SfAi.Core.Protocols;
using SfAi.Core.Providers;
using SfAi.Core.Usage;

namespace SfAi.Core.Logging;

/// <summary>
/// Turns a finished call into its log record: tokens from the upstream, or counted when it reported none
/// (and then marked as estimated), priced at the alias's model price, user text shaped by the policy.
/// </summary>
public sealed class CompletionRecordBuilder
{
    private const int ContextTailLength = 200;
    private readonly TokenCounter _tokens;
    private readonly UserTextPolicy _textPolicy;

    public CompletionRecordBuilder(TokenCounter tokens, UserTextPolicy textPolicy)
    {
        _tokens = tokens;
        _textPolicy = textPolicy;
    }

    public CompletionRecord Completion(RequestOrigin origin, ChatCall call, CompletionOutcome outcome, TimeSpan latency)
    {
        var conversation = ConversationText.From(call.Request);
        var usage = outcome.Usage ?? Estimate(call.Request, outcome.CompletionText);
        return new CompletionRecord
        {
            RequestId = origin.RequestId,
            Alias = call.Route.Alias,
            AnsweredBy = call.Route.Alias,
            Provider = call.Route.Provider.Name,
            UpstreamModel = call.Route.UpstreamModel,
            Stream = call.Inbound.Stream,
            Status = outcome.Status,
            LatencyMs = Milliseconds(latency),
            TtftMs = outcome.TimeToFirstEvent is { } ttft ? Milliseconds(ttft) : null,
            FinishReason = outcome.FinishReason,
            LatestUserMessage = _textPolicy.Apply(conversation.LatestUserMessage),
            LatestUserMessageLength = conversation.LatestUserMessage?.Length ?? 0,
            ContextTailPreview = _textPolicy.Apply(conversation.Tail(ContextTailLength)),
            TokensIn = usage.PromptTokens,
            TokensOut = usage.CompletionTokens,
            CachedTokensIn = usage.CachedPromptTokens,
            CostUsd = call.Route.Price is { } price ? CostCalculator.Cost(usage, price) : null,
            TokensEstimated = usage.Estimated,
            DroppedParameters = outcome.DroppedParameters is { Count: > 0 } dropped ? dropped : null,
            UserAgent = origin.UserAgent,
            Origin = origin.Origin,
            KeyName = origin.KeyName,
            UserId = origin.UserId,
            UserEmail = origin.UserEmail,
            Protocol = ProtocolName(call.Inbound.Protocol),
        };
    }

    /// <summary>The log's name of a client protocol other than OpenAI chat.</summary>
    private static string? ProtocolName(WireProtocol protocol) => protocol switch
    {
        WireProtocol.OpenAIChat => null,
        WireProtocol.AnthropicMessages => "anthropic-messages",
        WireProtocol.OpenAIResponses => "openai-responses",
        WireProtocol.OpenAIEmbeddings => "openai-embeddings",
        WireProtocol.OpenAICompletions => "openai-completions",
        _ => null,
    };

    public static LlmErrorRecord Error(RequestOrigin origin, GatewayError error, ChatCall? call, TimeSpan latency) => new()
    {
        RequestId = origin.RequestId,
        ErrorType = error.Kind,
        Status = error.Status,
        Message = error.Message,
        Alias = call?.Route.Alias,
        Provider = call?.Route.Provider.Name,
        UpstreamModel = call?.Route.UpstreamModel,
        Stream = call?.Request.Stream ?? false,
        LatencyMs = Milliseconds(latency),
        UserAgent = origin.UserAgent,
        Origin = origin.Origin,
        KeyName = origin.KeyName,
        UserId = origin.UserId,
        UserEmail = origin.UserEmail,
    };

    private TokenUsage Estimate(ChatRequest request, string? completionText) =>
        new(_tokens.CountPrompt(request.Messages), _tokens.CountText(completionText ?? string.Empty), Estimated: true);

    private static double Milliseconds(TimeSpan span) => Math.Round(span.TotalMilliseconds, 3);
}
