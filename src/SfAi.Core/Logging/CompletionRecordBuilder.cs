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

    public CompletionRecord Completion(RequestOrigin origin, ChatCall call, CompletionOutcome outcome, TimeSpan latency)
    {
        if (call.Inbound is PassThroughRequest passThrough)
        {
            return PassThrough(origin, call, passThrough, outcome, latency);
        }
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
        };
    }

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

    /// <summary>
    /// An embeddings or legacy completion call: the inputs' count and total length; embedding inputs (often whole files)
    /// as text only when <c>LOG_USER_TEXT</c> is set, a completion's last prompt as a chat's latest user message.
    /// </summary>
    private CompletionRecord PassThrough(RequestOrigin origin, ChatCall call, PassThroughRequest request, CompletionOutcome outcome, TimeSpan latency)
    {
        var input = request.Input;
        var embeddings = request.Protocol == WireProtocol.OpenAIEmbeddings;
        var latest = input.Count > 0 ? input.Texts[^1] : null;
        var usage = outcome.Usage ?? new TokenUsage(
            input.CountTokens(_tokens.CountText),
            _tokens.CountText(outcome.CompletionText ?? string.Empty), Estimated: true);
        return new CompletionRecord
        {
            RequestId = origin.RequestId,
            Alias = call.Route.Alias,
            AnsweredBy = call.Route.Alias,
            Provider = call.Route.Provider.Name,
            Endpoint = embeddings ? "embeddings" : "completions",
            InputCount = embeddings ? input.Count : null,
            UpstreamModel = call.Route.UpstreamModel,
            Stream = request.Stream,
            Status = outcome.Status,
            LatencyMs = Milliseconds(latency),
            TtftMs = outcome.TimeToFirstEvent is { } ttft ? Milliseconds(ttft) : null,
            FinishReason = outcome.FinishReason,
            LatestUserMessage = embeddings ? _textPolicy.ApplyWhenChosen(string.Join('\n', input.Texts)) : _textPolicy.Apply(latest),
            LatestUserMessageLength = embeddings ? input.Length : latest?.Length ?? 0,
            TokensIn = usage.PromptTokens,
            TokensOut = usage.CompletionTokens,
            CachedTokensIn = usage.CachedPromptTokens,
            CostUsd = call.Route.Price is { } price ? CostCalculator.Cost(usage, price) : null,
            TokensEstimated = usage.Estimated,
            UserAgent = origin.UserAgent,
            Origin = origin.Origin,
            KeyName = origin.KeyName,
            UserId = origin.UserId,
            UserEmail = origin.UserEmail,
        };
    }

    private TokenUsage Estimate(ChatRequest request, string? completionText) =>
        new(_tokens.CountPrompt(request.Messages), _tokens.CountText(completionText ?? string.Empty), Estimated: true);

    private static double Milliseconds(TimeSpan span) => Math.Round(span.TotalMilliseconds, 3);
}
