using SfAi.Core.Logging;

namespace SfAi.Core.Usage.Ledger;

/// <summary>
/// One finished request in the usage ledger: the figures of its <c>chat_completion</c> or <c>llm_error</c> line
/// (<c>Protocol</c> as the line's <c>protocol</c>: null for OpenAI chat).
/// </summary>
public sealed record UsageRow(
    DateTimeOffset Time,
    string RequestId,
    string KeyName,
    string? UserId,
    string? Alias,
    string? AnsweredBy,
    string? Provider,
    string? UpstreamModel,
    int Status,
    string? ErrorType,
    int TokensIn,
    int TokensOut,
    int CachedTokensIn,
    decimal CostUsd,
    bool CostKnown,
    bool TokensEstimated,
    double LatencyMs,
    string? Protocol = null,
    int CacheWriteTokensIn = 0)
{
    public bool IsError => ErrorType is not null;

    public static UsageRow From(CompletionRecord record, DateTimeOffset time) => new(
        time, record.RequestId, record.KeyName, record.UserId, record.Alias, record.AnsweredBy, record.Provider,
        record.UpstreamModel, record.Status, null, record.TokensIn, record.TokensOut, record.CachedTokensIn,
        record.CostUsd ?? 0, record.CostUsd is not null, record.TokensEstimated, record.LatencyMs, record.Protocol,
        record.CacheWriteTokensIn);

    public static UsageRow From(LlmErrorRecord record, DateTimeOffset time) => new(
        time, record.RequestId, record.KeyName, record.UserId, record.Alias, null, record.Provider, record.UpstreamModel,
        record.Status, record.ErrorType, 0, 0, 0, 0, CostKnown: true, TokensEstimated: false, record.LatencyMs);
}
