using SfAi.Core.Protocols;
using SfAi.Core.Protocols.OpenAIChat;
using SfAi.Core.Errors;
using SfAi.Core.Pricing;
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

    /// <summary>The record of a call that answered; <paramref name="requestedAlias"/> is the alias asked for when a fallback answered.</summary>
    public CompletionRecord Completion(RequestOrigin origin, ChatCall call, CompletionOutcome outcome, TimeSpan latency, string? requestedAlias = null)
    {
        var input = call.Inbound is PassThroughRequest passThrough ? Inputs(passThrough, outcome) : Conversation(call.Inbound, outcome);
        var usage = input.Usage;
        return new CompletionRecord
        {
            RequestId = origin.RequestId,
            Alias = requestedAlias ?? call.Route.Alias,
            AnsweredBy = call.Route.Alias,
            Provider = call.Route.Provider.Name,
            Endpoint = input.Endpoint,
            InputCount = input.InputCount,
            UpstreamModel = call.Route.UpstreamModel,
            Stream = call.Inbound.Stream,
            Status = outcome.Status,
            LatencyMs = Milliseconds(latency),
            TtftMs = outcome.TimeToFirstEvent is { } ttft ? Milliseconds(ttft) : null,
            FinishReason = outcome.FinishReason,
            LatestUserMessage = input.LatestUserMessage,
            LatestUserMessageLength = input.LatestUserMessageLength,
            ContextTailPreview = input.ContextTailPreview,
            TokensIn = usage.PromptTokens,
            TokensOut = usage.CompletionTokens,
            CachedTokensIn = usage.CachedPromptTokens,
            CacheWriteTokensIn = usage.CacheWriteTokens,
            CostUsd = call.Route.Price is { } price ? CostCalculator.Cost(usage, price) : null,
            TokensEstimated = usage.Estimated,
            DroppedParameters = outcome.DroppedParameters is { Count: > 0 } dropped ? dropped : null,
            Protocol = ProtocolName(call.Inbound.Protocol),
            UserAgent = origin.UserAgent,
            Origin = origin.Origin,
            KeyName = origin.KeyName,
            UserId = origin.UserId,
            UserEmail = origin.UserEmail,
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
        Stream = call?.Inbound.Stream ?? false,
        LatencyMs = Milliseconds(latency),
        UserAgent = origin.UserAgent,
        Origin = origin.Origin,
        KeyName = origin.KeyName,
        UserId = origin.UserId,
        UserEmail = origin.UserEmail,
    };

    /// <summary>A chat call: the latest user message and the conversation's tail, as <c>LOG_USER_TEXT</c> says.</summary>
    private LoggedInput Conversation(InboundRequest request, CompletionOutcome outcome)
    {
        var conversation = request.Conversation;
        return new LoggedInput(
            "chat", null, _textPolicy.Apply(conversation.LatestUserMessage), conversation.LatestUserMessage?.Length ?? 0,
            _textPolicy.Apply(conversation.Tail(ContextTailLength)), outcome.Usage ?? Estimate(request, outcome.CompletionText));
    }

    /// <summary>
    /// An embeddings or legacy completion call: embedding inputs (often whole files) counted, their total length, and
    /// their text only when <c>LOG_USER_TEXT</c> is set; a completion's last prompt as a chat's latest user message.
    /// </summary>
    private LoggedInput Inputs(PassThroughRequest request, CompletionOutcome outcome)
    {
        var input = request.Input;
        var usage = outcome.Usage ?? new TokenUsage(
            input.CountTokens(_tokens.CountText), _tokens.CountText(outcome.CompletionText ?? string.Empty), Estimated: true);
        if (request.Protocol == WireProtocol.OpenAIEmbeddings)
        {
            return new LoggedInput("embeddings", input.Count, _textPolicy.ApplyWhenChosen(string.Join('\n', input.Texts)), input.Length, null, usage);
        }
        var prompt = input.Count > 0 ? input.Texts[^1] : null;
        return new LoggedInput("completions", null, _textPolicy.Apply(prompt), prompt?.Length ?? 0, null, usage);
    }

    /// <summary>What the record says of the client's input, by endpoint.</summary>
    private readonly record struct LoggedInput(
        string Endpoint, int? InputCount, string? LatestUserMessage, int LatestUserMessageLength, string? ContextTailPreview, TokenUsage Usage);

    private TokenUsage Estimate(InboundRequest request, string? completionText) =>
        new(_tokens.CountPrompt(request.PromptMessages), _tokens.CountText(completionText ?? string.Empty), Estimated: true);

    /// <summary>The client's protocol as the log names it; none for OpenAI chat.</summary>
    private static double Milliseconds(TimeSpan span) => Math.Round(span.TotalMilliseconds, 3);
}
